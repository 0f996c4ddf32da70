import { describe, expect, it } from 'vitest';
import {
  type AssociationState,
  InvalidAssociationPropertiesError,
  parseAssociationProperties,
  planAssociation,
  planSteps,
  previousState,
  scopeAfter,
  stateKeyOf,
  stepsBetween,
} from '../../lambdas/domain/phone-number-association-plan.js';
import { INSTANCE_ARN, INSTANCE_ID } from '../support/fixtures.js';
import {
  ASSOCIATION_PHYSICAL_ID,
  associationDelete,
  associationProps,
  associationUpdate,
  resourceChanges,
} from '../support/resource-changes.js';

const OTHER_INSTANCE_ARN = 'arn:aws:connect:us-east-1:111122223333:instance/other-instance';

const N1 = '+15125550101';
const N2 = '+15125550102';
const N3 = '+15125550103';

const props = associationProps;
const PHYSICAL_ID = ASSOCIATION_PHYSICAL_ID;

const createChange = resourceChanges.create;
const updateChange = associationUpdate;
const deleteChange = associationDelete;

const state = (numbers: string[], flowId = 'flow-a', instanceArn = INSTANCE_ARN) =>
  previousState(props(numbers, flowId, instanceArn));
const associate = (phoneNumber: string) => ({ phoneNumber, action: 'associate' });
const disassociate = (phoneNumber: string) => ({ phoneNumber, action: 'disassociate' });
const changes = { kind: 'changes' } as const;

describe('planAssociation', () => {
  it('reads a Create: no source, the target with ids parsed from the ARNs', () => {
    expect(planAssociation(createChange(props([N1, N2, N1])))).toEqual({
      physicalResourceId: PHYSICAL_ID,
      source: undefined,
      target: {
        instanceArn: INSTANCE_ARN,
        instanceId: INSTANCE_ID,
        contactFlowId: 'flow-a',
        phoneNumbers: [N1, N2],
      },
    });
  });

  it('keeps the physical id when the flow changes, so a new flow is an Update', () => {
    const plan = planAssociation(updateChange(props([N1], 'flow-b'), props([N1], 'flow-a')));

    expect(plan.physicalResourceId).toBe(PHYSICAL_ID);
    expect(plan.source?.contactFlowId).toBe('flow-a');
    expect(plan.target?.contactFlowId).toBe('flow-b');
  });

  it('answers another physical id for another instance, so CloudFormation replaces the resource', () => {
    const plan = planAssociation(
      updateChange(props([N1], 'flow-a', OTHER_INSTANCE_ARN), props([N1, N2])),
    );

    expect(plan.physicalResourceId).toBe(`phone-numbers:${OTHER_INSTANCE_ARN}`);
  });

  it('reads a Delete leniently: unreadable properties mean nothing to do', () => {
    expect(planAssociation(deleteChange(props([N1, N2]))).source?.phoneNumbers).toEqual([N1, N2]);
    expect(planAssociation(deleteChange({ InstanceArn: 'nonsense', PhoneNumbers: '[' }))).toEqual({
      physicalResourceId: PHYSICAL_ID,
      source: undefined,
      target: undefined,
    });
  });

  it('fails naming each malformed property', () => {
    const event = createChange({
      ...props([N1, '512-555-0102']),
      ContactFlowArn: `${OTHER_INSTANCE_ARN}/contact-flow/flow-a`,
    });

    const act = () => planAssociation(event);

    expect(act).toThrowError(InvalidAssociationPropertiesError);
    expect(act).toThrowError(/belongs to another instance than/);
    expect(act).toThrowError(/PhoneNumbers\[1\] "512-555-0102" is not an E\.164 number/);
  });

  it('fails on an instance ARN that is not one', () => {
    expect(() => planAssociation(createChange(props([N1], 'flow-a', 'i-123')))).toThrowError(
      /InstanceArn i-123 is not a Connect instance ARN/,
    );
  });
});

describe('stepsBetween (the diff)', () => {
  it('associates every number on Create and disassociates every number on Delete', () => {
    expect(stepsBetween(undefined, state([N1, N2]))).toEqual([associate(N1), associate(N2)]);
    expect(stepsBetween(state([N1, N2]), undefined)).toEqual([disassociate(N1), disassociate(N2)]);
  });

  it('touches only the added and the removed numbers when the flow stays', () => {
    expect(stepsBetween(state([N1, N2]), state([N2, N3]))).toEqual([
      associate(N3),
      disassociate(N1),
    ]);
    expect(stepsBetween(state([N1, N2]), state([N2, N1]))).toEqual([]);
  });

  it('associates every number again when the flow changes, or the old flow is unreadable', () => {
    expect(stepsBetween(state([N1, N2]), state([N2, N3], 'flow-b'))).toEqual([
      associate(N2),
      associate(N3),
      disassociate(N1),
    ]);
    const unreadableFlow = previousState({ ...props([N1]), ContactFlowArn: 'nonsense' });
    expect(stepsBetween(unreadableFlow, state([N1]))).toEqual([associate(N1)]);
  });

  it('leaves the old instance to the old resource: every target number, no disassociation', () => {
    expect(stepsBetween(state([N1, N2]), state([N1], 'flow-a', OTHER_INSTANCE_ARN))).toEqual([
      associate(N1),
    ]);
  });
});

describe('scopeAfter and planSteps (after an unfinished change)', () => {
  const keysOf = (source: AssociationState | undefined, target: AssociationState | undefined) => ({
    sourceKey: stateKeyOf(source),
    targetKey: stateKeyOf(target),
  });
  const A = state([N1, N2]);
  const B = state([N2, N3, '+15125550104', '+15125550105']);

  it('is the diff when nothing was left unfinished, or something unrelated', () => {
    expect(scopeAfter(undefined, keysOf(A, B))).toEqual(changes);
    // Left by a change to another state than this request starts from.
    const unrelated = { ...keysOf(A, state([N3])), attempted: 1 };
    expect(scopeAfter(unrelated, keysOf(A, B))).toEqual(changes);
  });

  it('keys states by content: the same numbers in another order are the same state', () => {
    expect(stateKeyOf(state([N1, N2]))).toBe(stateKeyOf(state([N2, N1])));
    expect(stateKeyOf(state([N1, N2]))).not.toBe(stateKeyOf(state([N1, N2], 'flow-b')));
  });

  it('undoes only what a failed Update reached when CloudFormation rolls it back', () => {
    // The failed A -> B: associate N3, 104, 105, then disassociate N1; it reached two steps.
    const failed = { ...keysOf(A, B), attempted: 2 };
    const rollback = planAssociation(updateChange(props([N1, N2]), props(B?.phoneNumbers ?? [])));

    const scope = scopeAfter(failed, keysOf(rollback.source, rollback.target));

    expect(scope).toEqual({ kind: 'undo', attempted: 2 });
    expect(planSteps(rollback, scope)).toEqual([disassociate(N3), disassociate('+15125550104')]);
  });

  it('undoes only what a failed Create reached when its Delete comes', () => {
    const created = planAssociation(createChange(props([N1, N2, N3])));
    const failed = { ...keysOf(undefined, created.target), attempted: 1 };
    const rollback = planAssociation(deleteChange(props([N1, N2, N3])));

    const scope = scopeAfter(failed, keysOf(rollback.source, rollback.target));

    expect(planSteps(rollback, scope)).toEqual([disassociate(N1)]);
    // Had the Create finished, its Delete undoes every number.
    expect(planSteps(rollback, changes)).toHaveLength(3);
  });

  it('associates everything again when a deploy moves on from a state never reached', () => {
    const failed = { ...keysOf(A, B), attempted: 1 };
    // B -> C, where C keeps N3 of B.
    const plan = planAssociation(updateChange(props([N3]), props(B?.phoneNumbers ?? [])));

    const scope = scopeAfter(failed, keysOf(plan.source, plan.target));

    expect(scope).toEqual({ kind: 'everything' });
    expect(planSteps(plan, scope)[0]).toEqual(associate(N3));
    expect(planSteps(plan, changes)).not.toContainEqual(associate(N3));
  });
});

describe('parseAssociationProperties', () => {
  it('reads the instance, the flow and each number once', () => {
    expect(parseAssociationProperties(props([N2, N1, N2], 'flow-b'))).toEqual({
      instanceArn: INSTANCE_ARN,
      instanceId: INSTANCE_ID,
      contactFlowId: 'flow-b',
      phoneNumbers: [N2, N1],
    });
  });

  it('names a PhoneNumbers property that is no JSON array', () => {
    expect(() => parseAssociationProperties({ ...props([]), PhoneNumbers: '{}' })).toThrowError(
      'cannot associate the phone numbers: PhoneNumbers must be a JSON array of E.164 numbers',
    );
    expect(() => parseAssociationProperties({ ...props([]), PhoneNumbers: 3 })).toThrowError(
      /PhoneNumbers must be a JSON string, got number/,
    );
  });

  it('names a flow ARN that is not one', () => {
    expect(() =>
      parseAssociationProperties({ ...props([N1]), ContactFlowArn: 'flow-a' }),
    ).toThrowError(/ContactFlowArn flow-a is not a contact flow ARN/);
  });
});

describe('previousState', () => {
  it('keeps the readable numbers and the flow of readable properties', () => {
    expect(previousState(props([N1, 'nonsense', N1, 7, N3]))).toEqual({
      instanceArn: INSTANCE_ARN,
      instanceId: INSTANCE_ID,
      contactFlowId: 'flow-a',
      phoneNumbers: [N1, N3],
    });
  });

  it('reads nothing without an instance or a numbers list', () => {
    expect(previousState(undefined)).toBeUndefined();
    expect(previousState({ ...props([N1]), PhoneNumbers: 'not json' })).toBeUndefined();
  });
});
