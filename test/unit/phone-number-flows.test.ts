import {
  AccessDeniedException,
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPacedSender } from '../../lambdas/adapters/connect/paced-requests.js';
import {
  AssociationFailedError,
  createPhoneNumberFlowsClient,
  isMissingResource,
  phoneNumberFlows,
} from '../../lambdas/adapters/connect/phone-number-flows.js';
import { INSTANCE_ARN, INSTANCE_ID } from '../support/fixtures.js';

const N1 = '+15125550101';
const N2 = '+15125550102';
const N3 = '+15125550103';

const summary = (number: string, id: string) => ({ PhoneNumber: number, PhoneNumberId: id });
const notFound = (message: string) => new ResourceNotFoundException({ message, $metadata: {} });

const connect = mockClient(ConnectClient);
const client = new ConnectClient({ region: 'us-east-1' });
const sleep = vi.fn(async (_ms: number) => {});
// A sender that never waits: pacing has its own tests (paced-requests.test.ts).
const flows = phoneNumberFlows(
  client,
  createPacedSender({ requestsPerSecond: 1_000, clock: { now: () => 0, sleep: async () => {} } }),
);

beforeEach(() => {
  connect.reset();
  sleep.mockClear();
});

describe('createPhoneNumberFlowsClient', () => {
  it('does not retry by itself: the paced sender retries throttling within the pacing', async () => {
    const created = createPhoneNumberFlowsClient();

    expect(await created.config.maxAttempts()).toBe(1);
  });
});

describe('isMissingResource', () => {
  it("is Connect's ResourceNotFoundException, and nothing else", () => {
    expect(isMissingResource(notFound('no instance'))).toBe(true);
    expect(isMissingResource(new Error('ResourceNotFoundException'))).toBe(false);
  });
});

describe('listIds', () => {
  it('lists the numbers claimed to the instance across pages, skipping incomplete summaries', async () => {
    connect
      .on(ListPhoneNumbersV2Command)
      .resolves({
        ListPhoneNumbersSummaryList: [summary(N1, 'pn-1'), { PhoneNumber: N3 }],
        NextToken: 'page-2',
      })
      .on(ListPhoneNumbersV2Command, { NextToken: 'page-2' })
      .resolves({ ListPhoneNumbersSummaryList: [summary(N2, 'pn-2')] });

    const ids = await flows.listIds(INSTANCE_ARN);

    expect(ids).toEqual(
      new Map([
        [N1, 'pn-1'],
        [N2, 'pn-2'],
      ]),
    );
    expect(connect).toHaveReceivedNthCommandWith(ListPhoneNumbersV2Command, 1, {
      TargetArn: INSTANCE_ARN,
      MaxResults: 1000,
    });
  });
});

describe('findIds', () => {
  it('lists once when every wanted number is there', async () => {
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [summary(N1, 'pn-1')],
    });

    const ids = await flows.findIds(INSTANCE_ARN, [N1], { attempts: 3, sleep });

    expect(ids.get(N1)).toBe('pn-1');
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('lists again after a growing pause until a late number shows up', async () => {
    connect
      .on(ListPhoneNumbersV2Command)
      .resolvesOnce({ ListPhoneNumbersSummaryList: [] })
      .resolvesOnce({ ListPhoneNumbersSummaryList: [] })
      .resolves({ ListPhoneNumbersSummaryList: [summary(N1, 'pn-1')] });

    const ids = await flows.findIds(INSTANCE_ARN, [N1], { attempts: 3, sleep });

    expect(ids.get(N1)).toBe('pn-1');
    expect(sleep.mock.calls).toEqual([[3_000], [6_000]]);
  });

  it('gives up after the last attempt, returning what it found', async () => {
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [summary(N1, 'pn-1')],
    });

    const ids = await flows.findIds(INSTANCE_ARN, [N1, N2], { attempts: 2, sleep });

    expect(ids).toEqual(new Map([[N1, 'pn-1']]));
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 2);
  });

  it('lets a missing instance through for the caller to judge', async () => {
    connect.on(ListPhoneNumbersV2Command).rejects(notFound('no instance'));

    await expect(flows.findIds(INSTANCE_ARN, [], { attempts: 3, sleep })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('associate', () => {
  const flow = { instanceId: INSTANCE_ID, contactFlowId: 'flow-a' };

  it('points the number at the flow', async () => {
    connect.on(AssociatePhoneNumberContactFlowCommand).resolves({});

    await flows.associate(flow, { phoneNumber: N1, phoneNumberId: 'pn-1' });

    expect(connect).toHaveReceivedCommandExactlyOnceWith(AssociatePhoneNumberContactFlowCommand, {
      InstanceId: INSTANCE_ID,
      PhoneNumberId: 'pn-1',
      ContactFlowId: 'flow-a',
    });
  });

  it('fails naming the number and the cause when Connect refuses', async () => {
    connect
      .on(AssociatePhoneNumberContactFlowCommand)
      .rejects(new Error('AccessDeniedException: not allowed'));

    const result = flows.associate(flow, { phoneNumber: N2, phoneNumberId: 'pn-2' });

    await expect(result).rejects.toThrowError(AssociationFailedError);
    await expect(result).rejects.toThrowError(
      'associating +15125550102 failed (Error: AccessDeniedException: not allowed); retrying the deploy is safe, association is idempotent',
    );
  });
});

describe('disassociate', () => {
  it('is true when it detached the number, false when it pointed at no flow', async () => {
    connect
      .on(DisassociatePhoneNumberContactFlowCommand)
      .resolves({})
      .on(DisassociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-1' })
      .rejects(notFound('not associated'));

    await expect(
      flows.disassociate(INSTANCE_ID, { phoneNumber: N1, phoneNumberId: 'pn-1' }),
    ).resolves.toBe(false);
    await expect(
      flows.disassociate(INSTANCE_ID, { phoneNumber: N2, phoneNumberId: 'pn-2' }),
    ).resolves.toBe(true);
    expect(connect).toHaveReceivedCommandWith(DisassociatePhoneNumberContactFlowCommand, {
      InstanceId: INSTANCE_ID,
      PhoneNumberId: 'pn-2',
    });
  });

  it('fails naming the number on any other refusal', async () => {
    connect.on(DisassociatePhoneNumberContactFlowCommand).rejects(new Error('AccessDenied'));

    await expect(
      flows.disassociate(INSTANCE_ID, { phoneNumber: N1, phoneNumberId: 'pn-1' }),
    ).rejects.toThrowError(/disassociating \+15125550101 failed \(Error: AccessDenied\)/);
  });

  it('says which tag a number needs when Connect denies detaching it', async () => {
    connect
      .on(DisassociatePhoneNumberContactFlowCommand)
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));

    await expect(
      flows.disassociate(INSTANCE_ID, { phoneNumber: N1, phoneNumberId: 'pn-1' }),
    ).rejects.toThrowError(
      'disassociating +15125550101 failed (AccessDeniedException: not authorized); the stack detaches only numbers tagged CallTrackingStack=<telephony stack name>: tag it (aws connect tag-resource --resource-arn <its ARN> --tags CallTrackingStack=<stack name>) and retry the deploy',
    );
  });
});
