import {
  AssociatePhoneNumberContactFlowCommand,
  ConnectClient,
  DisassociatePhoneNumberContactFlowCommand,
  ListPhoneNumbersV2Command,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';

// Importing the handler module builds the production store: give it a table name to read.
vi.hoisted(() => {
  process.env.PROGRESS_TABLE_NAME ??= 'progress-not-used';
});

import { AWAITING_COMPLETION } from '../../lambdas/adapters/cloudformation/custom-resource.js';
import { AssociationFailedError } from '../../lambdas/adapters/connect/phone-number-flows.js';
import { ProgressTakenOverError } from '../../lambdas/domain/association-progress.js';
import type { ResourceChange } from '../../lambdas/domain/resource-change.js';
import { handler } from '../../lambdas/handlers/associate-phone-numbers.js';
import {
  AssociationDeadlineError,
  associatePhoneNumbers,
  NumbersNotInInstanceError,
} from '../../lambdas/use-cases/associate-phone-numbers.js';
import { fakeClock, memoryProgressStore } from '../support/fake-connect.js';
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
  const clock = fakeClock();
  const sleep = vi.spyOn(clock, 'sleep');
  const log = vi.fn();
  const progress = memoryProgressStore();
  const { start, resume } = associatePhoneNumbers({
    connect: new ConnectClient({ region: 'us-east-1' }),
    progress: progress.store,
    clock,
    log,
  });
  /** Start, then resume until complete, as the provider framework does. */
  const run = async (change: ResourceChange) => {
    const started = await start({ change, requestId: 'req-1' });
    while (!(await resume({ change, requestId: 'req-1' })));
    return started;
  };
  const lastLog = () => JSON.parse(log.mock.calls.at(-1)?.[0] as string);

  beforeEach(() => {
    stubConnect();
    progress.items.clear();
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
    // Listed once to check the numbers (start), once to find their ids (resume).
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 4);
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
    // Looked up three times (two pages each) before giving up, pausing 3 s then 6 s.
    expect(connect).toHaveReceivedCommandTimes(ListPhoneNumbersV2Command, 6);
    expect(sleep.mock.calls.filter(([ms]) => ms >= 3_000)).toEqual([[3_000], [6_000]]);
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
    expect(sleep).toHaveBeenCalledWith(3_000);
  });

  it('on Update associates only the added numbers and disassociates only the removed', async () => {
    await run(updateChange(props([N1, N3]), props([N1, N2])));

    expect(connect).toHaveReceivedCommandExactlyOnceWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
      ContactFlowId: 'flow-a',
    });
    expect(connect).toHaveReceivedCommandExactlyOnceWith(
      DisassociatePhoneNumberContactFlowCommand,
      { InstanceId: INSTANCE_ID, PhoneNumberId: 'pn-2' },
    );
  });

  it('on Update to another flow associates every number again', async () => {
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
    expect(lastLog()).toMatchObject({ message: 'phone numbers associated', steps: 2, done: 2 });
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
    // No pause to list again: only the pacing's own waits, under a second each.
    expect(sleep.mock.calls.filter(([ms]) => ms >= 1_000)).toEqual([]);
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
      .rejects(new Error('AccessDeniedException: no'));

    const result = run(createChange(props([N1, N2, N3])));

    await expect(result).rejects.toThrowError(AssociationFailedError);
    await expect(result).rejects.toThrowError(
      /associating \+15125550102 failed \(Error: AccessDeniedException: no\)/,
    );
    // Sequential: the number after the failure was never attempted.
    expect(connect).not.toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
    });
  });

  it('yields when Connect throttles past every retry, and goes on from there next time', async () => {
    // Prepare: the first association is throttled 7 times (the sender retries 6 times).
    const throttling = new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
    let throttledCalls = 0;
    connect.on(AssociatePhoneNumberContactFlowCommand).callsFake(() => {
      throttledCalls += 1;
      if (throttledCalls <= 7) throw throttling;
      return {};
    });
    const change = createChange(props([N1, N2]));
    await start({ change, requestId: 'req-1' });

    // Act
    const first = await resume({ change, requestId: 'req-1' });
    const second = await resume({ change, requestId: 'req-1' });

    // Assess
    expect(first).toBe(false);
    expect(JSON.parse(log.mock.calls[1]?.[0] as string)).toMatchObject({ level: 'warn', done: 0 });
    expect(second).toBe(true);
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 9);
    expect(progress.items.size).toBe(0);
  });

  it('refuses to resume the progress of another request', async () => {
    const change = createChange(props([N1]));
    await start({ change, requestId: 'req-1' });

    await expect(resume({ change, requestId: 'req-2' })).rejects.toThrowError(
      `the association progress of ${PHYSICAL_ID} belongs to request req-1, not req-2: another deploy is associating the same instance's numbers; let it finish and retry`,
    );
  });

  it('fails a resume past the 55-minute deadline, naming it, without calling Connect', async () => {
    const change = createChange(props([N1, N2]));
    await start({ change, requestId: 'req-1' });
    connect.resetHistory();
    await clock.sleep(55 * 60_000);

    const late = resume({ change, requestId: 'req-1' });

    await expect(late).rejects.toBeInstanceOf(AssociationDeadlineError);
    await expect(late).rejects.toThrowError(
      `the association of ${PHYSICAL_ID} (request req-1) did not finish within 55 minutes: 0 of 2 steps done`,
    );
    expect(connect.calls()).toHaveLength(0);
  });

  it('resumes a second before the deadline, starting no step past it', async () => {
    const change = createChange(props([N1, N2]));
    await start({ change, requestId: 'req-1' });
    const deadline = progress.items.get(PHYSICAL_ID)?.deadline ?? 0;
    await clock.sleep(deadline - clock.now() - 1_000);

    // 1 s left: the listing (two pages, 625 ms apart) and one step fit in it.
    await expect(resume({ change, requestId: 'req-1' })).resolves.toBe(false);

    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 1);
    expect(progress.items.get(PHYSICAL_ID)).toMatchObject({ done: 1 });
    await expect(resume({ change, requestId: 'req-1' })).rejects.toThrowError(
      AssociationDeadlineError,
    );
  });

  it('starts no listing with less than the 60 s margin left in the invocation', async () => {
    const change = createChange(props([N1, N2]));
    await start({ change, requestId: 'req-1' });
    connect.resetHistory();
    const before = progress.items.get(PHYSICAL_ID);

    const complete = await resume({ change, requestId: 'req-1', remainingTimeMs: () => 59_999 });

    expect(complete).toBe(false);
    expect(connect.calls()).toHaveLength(0);
    expect(progress.items.get(PHYSICAL_ID)).toEqual(before);
  });

  it('stops before a step once the margin is reached, saving how far it got', async () => {
    const change = createChange(props([N1, N2, N3]));
    await start({ change, requestId: 'req-1' });
    // 61.5 s left: the listing ends at 0.625 s, step 1 at 1.25 s, step 2 at 1.875 s (59.6 s left).
    const end = clock.now() + 61_500;

    const complete = await resume({
      change,
      requestId: 'req-1',
      remainingTimeMs: () => end - clock.now(),
    });

    expect(complete).toBe(false);
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 2);
    expect(progress.items.get(PHYSICAL_ID)).toMatchObject({ done: 2 });
    // The next invocation goes on from there: N3 alone.
    await expect(resume({ change, requestId: 'req-1' })).resolves.toBe(true);
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 3);
    expect(connect).toHaveReceivedNthCommandWith(AssociatePhoneNumberContactFlowCommand, 3, {
      PhoneNumberId: 'pn-3',
    });
  });

  it('stops a stale request that a rollback took over mid-run, leaving the rollback its progress', async () => {
    // Prepare: a checkpoint before every step, and the rollback starts during the first one.
    const saving = associatePhoneNumbers({
      connect: new ConnectClient({ region: 'us-east-1' }),
      progress: progress.store,
      clock,
      log,
      checkpointEvery: 1,
    });
    const change = createChange(props([N1, N2, N3]));
    await saving.start({ change, requestId: 'req-1' });
    connect.on(AssociatePhoneNumberContactFlowCommand).callsFakeOnce(async () => {
      await saving.start({ change: deleteChange(props([N1, N2, N3])), requestId: 'req-2' });
      return {};
    });

    // Act
    const stale = saving.resume({ change, requestId: 'req-1' });

    // Assess
    await expect(stale).rejects.toBeInstanceOf(ProgressTakenOverError);
    expect(connect).toHaveReceivedCommandTimes(AssociatePhoneNumberContactFlowCommand, 1);
    expect(progress.items.get(PHYSICAL_ID)).toMatchObject({ requestId: 'req-2', done: 0 });
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

  const dynamo = mockClient(DynamoDBClient);

  beforeEach(() => {
    stubConnect();
    dynamo.reset();
    logged = vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    logged.mockRestore();
  });

  it('is exported as a middy handler whose onEvent answer marks the isComplete requests', async () => {
    // The production store is DynamoDB: answer its progress read with nothing stored.
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(PutItemCommand).resolves({});

    const result = await handler(events.create(props([N1])), {} as Context);

    expect(result).toEqual({
      PhysicalResourceId: PHYSICAL_ID,
      Data: { PhoneNumberCount: '1' },
      [AWAITING_COMPLETION]: true,
    });
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'progress-not-used',
    });
    expect(connect).not.toHaveReceivedCommand(AssociatePhoneNumberContactFlowCommand);
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('answers an isComplete request with IsComplete', async () => {
    dynamo.on(GetItemCommand).resolves({});

    const event = { ...events.remove(props([N1]), PHYSICAL_ID), [AWAITING_COMPLETION]: true };
    const result = await handler(event, {} as Context);

    // Nothing stored: the request completed before and the framework is asking again.
    expect(result).toEqual({ IsComplete: true });
  });
});
