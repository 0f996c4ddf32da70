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
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AssociationFailedError,
  associatePhoneNumbers,
  handler,
  InvalidAssociationPropertiesError,
  NumbersNotInInstanceError,
  planAssociation,
} from '../../lambdas/handlers/associate-phone-numbers.js';
import { customResourceEvents, INSTANCE_ARN, INSTANCE_ID } from '../support/fixtures.js';

const OTHER_INSTANCE_ARN = 'arn:aws:connect:us-east-1:111122223333:instance/other-instance';

const N1 = '+15125550101';
const N2 = '+15125550102';
const N3 = '+15125550103';
const IDS: Record<string, string> = { [N1]: 'pn-1', [N2]: 'pn-2', [N3]: 'pn-3' };

const props = (numbers: readonly unknown[], flowId = 'flow-a', instanceArn = INSTANCE_ARN) => ({
  InstanceArn: instanceArn,
  ContactFlowArn: `${instanceArn}/contact-flow/${flowId}`,
  PhoneNumbers: JSON.stringify(numbers),
});
type Props = ReturnType<typeof props>;

const PHYSICAL_ID = `phone-numbers:${INSTANCE_ARN}`;

const events = customResourceEvents('PhoneNumberAssociation');
const createEvent = events.create;
const updateEvent = (p: Props, old: Props) => events.update(p, old, PHYSICAL_ID);
const deleteEvent = (p: Record<string, string>) => events.remove(p, PHYSICAL_ID);

const summary = (number: string) => ({
  PhoneNumber: number,
  PhoneNumberId: IDS[number],
  PhoneNumberArn: `arn:aws:connect:us-east-1:123456789012:phone-number/${IDS[number]}`,
  TargetArn: INSTANCE_ARN,
});

describe('planAssociation', () => {
  it('associates every number on Create, with ids parsed from the ARNs', () => {
    expect(planAssociation(createEvent(props([N1, N2, N1])))).toEqual({
      physicalResourceId: PHYSICAL_ID,
      instanceArn: INSTANCE_ARN,
      instanceId: INSTANCE_ID,
      associate: [N1, N2],
      contactFlowId: 'flow-a',
      disassociate: [],
    });
  });

  it('keeps the physical id when the flow changes, so a new flow is an Update', () => {
    const plan = planAssociation(updateEvent(props([N1], 'flow-b'), props([N1], 'flow-a')));

    expect(plan.physicalResourceId).toBe(PHYSICAL_ID);
    expect(plan.contactFlowId).toBe('flow-b');
    expect(plan.associate).toEqual([N1]);
    expect(plan.disassociate).toEqual([]);
  });

  it('on Update disassociates only the numbers no longer listed', () => {
    const plan = planAssociation(updateEvent(props([N1, N3]), props([N1, N2])));

    expect(plan.associate).toEqual([N1, N3]);
    expect(plan.disassociate).toEqual([N2]);
  });

  it('on Update to another instance leaves the old numbers to the old resource Delete', () => {
    const plan = planAssociation(
      updateEvent(props([N1], 'flow-a', OTHER_INSTANCE_ARN), props([N1, N2])),
    );

    expect(plan.physicalResourceId).toBe(`phone-numbers:${OTHER_INSTANCE_ARN}`);
    expect(plan.disassociate).toEqual([]);
  });

  it('on Delete disassociates every number and never throws on unreadable properties', () => {
    expect(planAssociation(deleteEvent(props([N1, N2]))).disassociate).toEqual([N1, N2]);
    expect(planAssociation(deleteEvent({ InstanceArn: 'nonsense', PhoneNumbers: '[' }))).toEqual(
      expect.objectContaining({ instanceArn: undefined, disassociate: [] }),
    );
  });

  it('fails naming each malformed property', () => {
    const event = createEvent({
      ...props([N1, '512-555-0102']),
      ContactFlowArn: `${OTHER_INSTANCE_ARN}/contact-flow/flow-a`,
    });

    const act = () => planAssociation(event);

    expect(act).toThrowError(InvalidAssociationPropertiesError);
    expect(act).toThrowError(/belongs to another instance than/);
    expect(act).toThrowError(/PhoneNumbers\[1\] "512-555-0102" is not an E\.164 number/);
  });

  it('fails on an instance ARN that is not one', () => {
    expect(() => planAssociation(createEvent(props([N1], 'flow-a', 'i-123')))).toThrowError(
      /InstanceArn i-123 is not a Connect instance ARN/,
    );
  });
});

describe('associatePhoneNumbers', () => {
  const connect = mockClient(ConnectClient);
  const sleep = vi.fn(async (_ms: number) => {});
  const log = vi.fn();
  const run = associatePhoneNumbers({
    connect: new ConnectClient({ region: 'us-east-1' }),
    sleep,
    log,
  });

  beforeEach(() => {
    connect.reset();
    sleep.mockClear();
    log.mockClear();
    // Two pages: the second must be fetched with the first page's token.
    connect
      .on(ListPhoneNumbersV2Command)
      .resolves({ ListPhoneNumbersSummaryList: [summary(N1)], NextToken: 'page-2' })
      .on(ListPhoneNumbersV2Command, { NextToken: 'page-2' })
      .resolves({ ListPhoneNumbersSummaryList: [summary(N2), summary(N3)] });
    connect.on(AssociatePhoneNumberContactFlowCommand).resolves({});
    connect.on(DisassociatePhoneNumberContactFlowCommand).resolves({});
  });

  it('finds ids across pages and associates each number with the flow, in order', async () => {
    // Act
    const result = await run(createEvent(props([N2, N1])));

    // Assess
    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_ID, Data: { PhoneNumberCount: '2' } });
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

    const result = run(createEvent(props([N1, missing])));

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
    await run(createEvent(props([N3])));

    // Assess
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-3',
    });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('on Update associates the new list and disassociates only the removed numbers', async () => {
    await run(updateEvent(props([N1, N3], 'flow-b'), props([N1, N2], 'flow-a')));

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
    const result = await run(deleteEvent(props([N1, N2])));

    // Assess
    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_ID });
    expect(connect).toHaveReceivedCommandTimes(DisassociatePhoneNumberContactFlowCommand, 2);
    expect(connect).not.toHaveReceivedCommand(AssociatePhoneNumberContactFlowCommand);
    expect(JSON.parse(log.mock.calls[0]?.[0] as string)).toMatchObject({ disassociated: 1 });
  });

  it('on Delete skips numbers no longer in the instance, without waiting for them', async () => {
    await run(deleteEvent(props([N1, '+15125550999'])));

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

    await expect(run(deleteEvent(props([N1])))).resolves.toEqual({
      PhysicalResourceId: PHYSICAL_ID,
    });
    expect(connect).not.toHaveReceivedCommand(DisassociatePhoneNumberContactFlowCommand);
  });

  it('fails naming the number when Connect refuses an association', async () => {
    connect
      .on(AssociatePhoneNumberContactFlowCommand, { PhoneNumberId: 'pn-2' })
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    const result = run(createEvent(props([N1, N2, N3])));

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

    await expect(run(deleteEvent(props([N1])))).rejects.toThrowError(
      /disassociating \+15125550101 failed \(Error: AccessDenied\)/,
    );
  });

  it('is exported as a middy handler over a module-scope client', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});

    const result = await handler(createEvent(props([N1])), {} as Context);

    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_ID, Data: { PhoneNumberCount: '1' } });
    expect(connect).toHaveReceivedCommandWith(AssociatePhoneNumberContactFlowCommand, {
      PhoneNumberId: 'pn-1',
    });
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
