import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AssociationFailedError } from '../../lambdas/adapters/connect/phone-number-flows.js';
import { handler } from '../../lambdas/handlers/associate-phone-numbers.js';
import {
  associatePhoneNumbers,
  NumbersNotInInstanceError,
} from '../../lambdas/use-cases/associate-phone-numbers.js';
import { customResourceEvents, INSTANCE_ARN, INSTANCE_ID } from '../support/fixtures.js';
import {
  ASSOCIATION_PHYSICAL_ID,
  associationDelete,
  associationProps,
  associationUpdate,
  resourceChanges,
} from '../support/resource-changes.js';

const N1 = '+15125550101';
const N2 = '+15125550102';
const N3 = '+15125550103';
const IDS: Record<string, string> = { [N1]: 'pn-1', [N2]: 'pn-2', [N3]: 'pn-3' };

const props = associationProps;
const PHYSICAL_ID = ASSOCIATION_PHYSICAL_ID;

const createChange = resourceChanges.create;
const updateChange = associationUpdate;
const deleteChange = associationDelete;

const summary = (number: string) => ({
  PhoneNumber: number,
  PhoneNumberId: IDS[number],
  PhoneNumberArn: `arn:aws:connect:us-east-1:123456789012:phone-number/${IDS[number]}`,
  TargetArn: INSTANCE_ARN,
});

const connect = mockClient(ConnectClient);

/** Two pages: the second must be fetched with the first page's token. */
const stubConnect = () => {
  connect.reset();
  connect
    .on(ListPhoneNumbersV2Command)
    .resolves({ ListPhoneNumbersSummaryList: [summary(N1)], NextToken: 'page-2' })
    .on(ListPhoneNumbersV2Command, { NextToken: 'page-2' })
    .resolves({ ListPhoneNumbersSummaryList: [summary(N2), summary(N3)] });
  connect.on(AssociatePhoneNumberContactFlowCommand).resolves({});
  connect.on(DisassociatePhoneNumberContactFlowCommand).resolves({});
};

describe('associatePhoneNumbers', () => {
  const sleep = vi.fn(async (_ms: number) => {});
  const log = vi.fn();
  const run = associatePhoneNumbers({
    connect: new ConnectClient({ region: 'us-east-1' }),
    sleep,
    log,
  });

  beforeEach(() => {
    stubConnect();
    sleep.mockClear();
    log.mockClear();
  });

  it('finds ids across pages and associates each number with the flow, in order', async () => {
    // Act
    const result = await run(createChange(props([N2, N1])));

    // Assess
    expect(result).toEqual({ physicalResourceId: PHYSICAL_ID, phoneNumberCount: 2 });
    expect(connect).toHaveReceivedNthCommandWith(ListPhoneNumbersV2Command, 1, {
      TargetArn: INSTANCE_ARN,
    });
    expect(connect).toHaveReceivedNthCommandWith(ListPhoneNumbersV2Command, 2, {
      TargetArn: INSTANCE_ARN,
      NextToken: 'page-2',
    });
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 2);
    expect(connect).toHaveReceivedNthCommandWith(AssociatePhoneNumberContactFlowCommand, 1, {
      InstanceId: INSTANCE_ID,
      PhoneNumberId: 'pn-2',
      ContactFlowId: 'flow-a',
    });
    expect(connect).toHaveReceivedNthCommandWith(AssociatePhoneNumberContactFlowCommand, 2, {
      InstanceId: INSTANCE_ID,
      PhoneNumberId: 'pn-1',
      ContactFlowId: 'flow-a',
    });
    expect(connect).not.toHaveReceivedCommand(DisassociatePhoneNumberContactFlowCommand);
  });

  it('fails naming the number that is not in the instance, and associates nothing', async () => {
    const missing = '+15125550999';

    const result = run(createChange(props([N1, missing])));

    await expect(result).rejects.toThrowError(NumbersNotInInstanceError);
    await expect(result).rejects.toThrowError(
      `${missing} is not claimed in Connect instance ${INSTANCE_ARN}: port or claim it first, or declare it with \`claim:\` in the portfolio`,
    );
    expect(connect).not.toHaveReceivedCommand(AssociatePhoneNumberContactFlowCommand);
    // Looked up three times (two pages each) before giving up.
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 6);
    expect(sleep).toHaveBeenCalledTimes(2);
  });

  it('finds a number that shows up on a later listing', async () => {
    // Prepare: the first listing does not have N3 yet.
    connect
      .on(ListPhoneNumbersV2Command, { NextToken: 'page-2' })
      .resolvesOnce({ ListPhoneNumbersSummaryList: [summary(N2)] })
      .resolves({ ListPhoneNumbersSummaryList: [summary(N2), summary(N3)] });

    // Act
    await run(createChange(props([N3])));

    // Assess
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
    });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('on Update associates the new list and disassociates only the removed numbers', async () => {
    await run(updateChange(props([N1, N3], 'flow-b'), props([N1, N2], 'flow-a')));

    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 2);
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
      ContactFlowId: 'flow-b',
    });
    expect(connect).toHaveReceivedCommandExactlyOnceWith(
      DisassociatePhoneNumberContactFlowCommand,
      {
        InstanceId: INSTANCE_ID,
        PhoneNumberId: 'pn-2',
      },
    );
  });

  it('on Delete disassociates every number, treating ResourceNotFound as done', async () => {
    // Prepare
    connect
      .on(DisassociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-1' })
      .rejects(new ResourceNotFoundException({ message: 'not associated', $metadata: {} }));

    // Act
    const result = await run(deleteChange(props([N1, N2])));

    // Assess
    expect(result).toEqual({ physicalResourceId: PHYSICAL_ID, phoneNumberCount: 0 });
    expect(connect).toHaveReceivedCommandTimes(DisassociatePhoneNumberContactFlowCommand, 2);
    expect(connect).not.toHaveReceivedCommand(AssociatePhoneNumberContactFlowCommand);
    expect(JSON.parse(log.mock.calls[0]?.[0] as string)).toMatchObject({ disassociated: 1 });
  });

  it('on Delete skips numbers no longer in the instance, without waiting for them', async () => {
    await run(deleteChange(props([N1, '+15125550999'])));

    expect(connect).toHaveReceivedCommandExactlyOnceWith(
      DisassociatePhoneNumberContactFlowCommand,
      {
        InstanceId: INSTANCE_ID,
        PhoneNumberId: 'pn-1',
      },
    );
    expect(sleep).not.toHaveBeenCalled();
  });

  it('on Delete succeeds when the instance is gone', async () => {
    connect
      .on(ListPhoneNumbersV2Command)
      .rejects(new ResourceNotFoundException({ message: 'no instance', $metadata: {} }));

    await expect(run(deleteChange(props([N1])))).resolves.toEqual({
      physicalResourceId: PHYSICAL_ID,
      phoneNumberCount: 0,
    });
    expect(connect).not.toHaveReceivedCommand(DisassociatePhoneNumberContactFlowCommand);
  });

  it('fails a Create when the instance is gone: only a Delete has nothing left to undo', async () => {
    connect
      .on(ListPhoneNumbersV2Command)
      .rejects(new ResourceNotFoundException({ message: 'no instance', $metadata: {} }));

    await expect(run(createChange(props([N1])))).rejects.toThrowError('no instance');
    expect(connect).not.toHaveReceivedCommand(AssociatePhoneNumberContactFlowCommand);
  });

  it('fails naming the number when Connect refuses an association', async () => {
    connect
      .on(AssociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-2' })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    const result = run(createChange(props([N1, N2, N3])));

    await expect(result).rejects.toThrowError(AssociationFailedError);
    await expect(result).rejects.toThrowError(
      /associating \+15125550102 failed \(ThrottlingException: Rate exceeded\)/,
    );
    // Sequential: the number after the failure was never attempted.
    expect(connect).not.toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
    });
  });

  it('fails a Delete on errors other than ResourceNotFound, so nothing is silently left', async () => {
    connect.on(DisassociatePhoneNumberContactFlowCommand).rejects(new Error('AccessDenied'));

    await expect(run(deleteChange(props([N1])))).rejects.toThrowError(
      /disassociating \+15125550101 failed \(Error: AccessDenied\)/,
    );
  });
});

describe('the associate-phone-numbers handler', () => {
  const events = customResourceEvents('PhoneNumberAssociation');
  let logged: MockInstance<typeof console.log>;

  beforeEach(() => {
    stubConnect();
    logged = vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    logged.mockRestore();
  });

  it('is exported as a middy handler over a module-scope client', async () => {
    const result = await handler(events.create(props([N1])), {} as Context);

    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_ID, Data: { PhoneNumberCount: '1' } });
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-1',
    });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('answers a Delete with the physical id alone', async () => {
    const result = await handler(events.remove(props([N1]), PHYSICAL_ID), {} as Context);

    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(connect).toHaveReceivedCommandWith(DisassociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-1',
    });
  });
});
