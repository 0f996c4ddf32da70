import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AssociationFailedError,
  associateWithFlow,
  createPhoneNumberFlowsClient,
  disassociateFromFlows,
  findPhoneNumberIds,
  isMissingResource,
  listPhoneNumberIds,
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

beforeEach(() => {
  connect.reset();
  sleep.mockClear();
});

describe('createPhoneNumberFlowsClient', () => {
  it('retries adaptively, more often than the default, to ride out throttling', async () => {
    const created = createPhoneNumberFlowsClient();

    expect(created.config.retryMode).toBe('adaptive');
    expect(await created.config.maxAttempts()).toBe(8);
  });
});

describe('isMissingResource', () => {
  it("is Connect's ResourceNotFoundException, and nothing else", () => {
    expect(isMissingResource(notFound('no instance'))).toBe(true);
    expect(isMissingResource(new Error('ResourceNotFoundException'))).toBe(false);
  });
});

describe('listPhoneNumberIds', () => {
  it('lists the numbers claimed to the instance across pages, skipping incomplete summaries', async () => {
    connect
      .on(ListPhoneNumbersV2Command)
      .resolves({
        ListPhoneNumbersSummaryList: [summary(N1, 'pn-1'), { PhoneNumber: N3 }],
        NextToken: 'page-2',
      })
      .on(ListPhoneNumbersV2Command, { NextToken: 'page-2' })
      .resolves({ ListPhoneNumbersSummaryList: [summary(N2, 'pn-2')] });

    const ids = await listPhoneNumberIds(client, INSTANCE_ARN);

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

describe('findPhoneNumberIds', () => {
  it('lists once when every wanted number is there', async () => {
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [summary(N1, 'pn-1')],
    });

    const ids = await findPhoneNumberIds(client, INSTANCE_ARN, [N1], { attempts: 3, sleep });

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

    const ids = await findPhoneNumberIds(client, INSTANCE_ARN, [N1], { attempts: 3, sleep });

    expect(ids.get(N1)).toBe('pn-1');
    expect(sleep.mock.calls).toEqual([[3_000], [6_000]]);
  });

  it('gives up after the last attempt, returning what it found', async () => {
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: [summary(N1, 'pn-1')],
    });

    const ids = await findPhoneNumberIds(client, INSTANCE_ARN, [N1, N2], { attempts: 2, sleep });

    expect(ids).toEqual(new Map([[N1, 'pn-1']]));
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 2);
  });

  it('lets a missing instance through for the caller to judge', async () => {
    connect.on(ListPhoneNumbersV2Command).rejects(notFound('no instance'));

    await expect(
      findPhoneNumberIds(client, INSTANCE_ARN, [], { attempts: 3, sleep }),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('associateWithFlow', () => {
  const flow = { instanceId: INSTANCE_ID, contactFlowId: 'flow-a' };
  const numbers = [
    { phoneNumber: N1, phoneNumberId: 'pn-1' },
    { phoneNumber: N2, phoneNumberId: 'pn-2' },
    { phoneNumber: N3, phoneNumberId: 'pn-3' },
  ];

  it('points each number at the flow, in order', async () => {
    connect.on(AssociatePhoneNumberContactFlowCommand).resolves({});

    await associateWithFlow(client, flow, numbers);

    expect(
      connect.commandCalls(AssociatePhoneNumberContactFlowCommand).map((c) => c.args[0].input),
    ).toEqual(
      ['pn-1', 'pn-2', 'pn-3'].map((id) => ({
        InstanceId: INSTANCE_ID,
        PhoneNumberId: id,
        ContactFlowId: 'flow-a',
      })),
    );
  });

  it('stops at the first refusal, naming the number and the cause', async () => {
    connect
      .on(AssociatePhoneNumberContactFlowCommand)
      .resolves({})
      .on(AssociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-2' })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    const result = associateWithFlow(client, flow, numbers);

    await expect(result).rejects.toThrowError(AssociationFailedError);
    await expect(result).rejects.toThrowError(
      'associating +15125550102 failed (ThrottlingException: Rate exceeded); retrying the deploy is safe, association is idempotent',
    );
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 2);
  });
});

describe('disassociateFromFlows', () => {
  const numbers = [
    { phoneNumber: N1, phoneNumberId: 'pn-1' },
    { phoneNumber: N2, phoneNumberId: 'pn-2' },
  ];

  it('counts the numbers it detached, a number not associated being done already', async () => {
    connect
      .on(DisassociatePhoneNumberContactFlowCommand)
      .resolves({})
      .on(DisassociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-1' })
      .rejects(notFound('not associated'));

    await expect(disassociateFromFlows(client, INSTANCE_ID, numbers)).resolves.toBe(1);
    expect(connect).toHaveReceivedCommandWith(DisassociatePhoneNumberContactFlowCommand, {
      InstanceId: INSTANCE_ID,
      PhoneNumberId: 'pn-2',
    });
  });

  it('fails naming the number on any other refusal', async () => {
    connect.on(DisassociatePhoneNumberContactFlowCommand).rejects(new Error('AccessDenied'));

    await expect(disassociateFromFlows(client, INSTANCE_ID, numbers)).rejects.toThrowError(
      /disassociating \+15125550101 failed \(Error: AccessDenied\)/,
    );
  });
});
