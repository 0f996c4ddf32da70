import { describe, expect, it } from 'vitest';
import {
  InvalidAssociationPropertiesError,
  parseAssociationProperties,
  planAssociation,
  previousNumbers,
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

describe('planAssociation', () => {
  it('associates every number on Create, with ids parsed from the ARNs', () => {
    expect(planAssociation(createChange(props([N1, N2, N1])))).toEqual({
      physicalResourceId: PHYSICAL_ID,
      instanceArn: INSTANCE_ARN,
      instanceId: INSTANCE_ID,
      associate: [N1, N2],
      contactFlowId: 'flow-a',
      disassociate: [],
    });
  });

  it('keeps the physical id when the flow changes, so a new flow is an Update', () => {
    const plan = planAssociation(updateChange(props([N1], 'flow-b'), props([N1], 'flow-a')));

    expect(plan.physicalResourceId).toBe(PHYSICAL_ID);
    expect(plan.contactFlowId).toBe('flow-b');
    expect(plan.associate).toEqual([N1]);
    expect(plan.disassociate).toEqual([]);
  });

  it('on Update disassociates only the numbers no longer listed', () => {
    const plan = planAssociation(updateChange(props([N1, N3]), props([N1, N2])));

    expect(plan.associate).toEqual([N1, N3]);
    expect(plan.disassociate).toEqual([N2]);
  });

  it('on Update to another instance leaves the old numbers to the old resource Delete', () => {
    const plan = planAssociation(
      updateChange(props([N1], 'flow-a', OTHER_INSTANCE_ARN), props([N1, N2])),
    );

    expect(plan.physicalResourceId).toBe(`phone-numbers:${OTHER_INSTANCE_ARN}`);
    expect(plan.disassociate).toEqual([]);
  });

  it('on Delete disassociates every number and never throws on unreadable properties', () => {
    expect(planAssociation(deleteChange(props([N1, N2]))).disassociate).toEqual([N1, N2]);
    expect(planAssociation(deleteChange({ InstanceArn: 'nonsense', PhoneNumbers: '[' }))).toEqual(
      expect.objectContaining({ instanceArn: undefined, disassociate: [] }),
    );
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

describe('previousNumbers', () => {
  it('keeps the readable numbers of readable properties', () => {
    expect(previousNumbers(props([N1, 'nonsense', N1, 7, N3]))).toEqual({
      instanceArn: INSTANCE_ARN,
      instanceId: INSTANCE_ID,
      phoneNumbers: [N1, N3],
    });
  });

  it('reads nothing without an instance or a numbers list', () => {
    expect(previousNumbers(undefined)).toBeUndefined();
    expect(previousNumbers({ ...props([N1]), PhoneNumbers: 'not json' })).toBeUndefined();
  });
});
