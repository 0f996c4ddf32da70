import { describe, expect, it } from 'vitest';
import {
  CONNECT_INSTANCE_ARN_PATTERN,
  CONNECT_QUEUE_ARN_PATTERN,
  contactFlowIdsOf,
  instanceIdOf,
  isQueueArn,
} from '../../lambdas/domain/connect-arn.js';
import { INSTANCE_ARN, INSTANCE_ID } from '../support/fixtures.js';

const ID = INSTANCE_ID;
const INSTANCE = INSTANCE_ARN;

describe('Connect ARNs', () => {
  it.each([
    [INSTANCE, ID],
    [`arn:aws-us-gov:connect:us-gov-west-1:111122223333:instance/${ID}`, ID],
    ['arn:aws-cn:connect:cn-north-1:111122223333:instance/other-instance', 'other-instance'],
  ])('reads the instance id of %s', (arn, id) => {
    expect(instanceIdOf(arn)).toBe(id);
    expect(CONNECT_INSTANCE_ARN_PATTERN.test(arn)).toBe(true);
  });

  it.each([
    ['no instance id', 'arn:aws:connect:us-east-1:111122223333:instance'],
    ['an empty instance id', 'arn:aws:connect:us-east-1:111122223333:instance/'],
    ['an 11-digit account', `arn:aws:connect:us-east-1:11112222333:instance/${ID}`],
    ['another service', `arn:aws:lambda:us-east-1:111122223333:instance/${ID}`],
    ['a queue ARN', `${INSTANCE}/queue/q-1`],
    ['a bare id', ID],
    ['a number', 42],
    ['undefined', undefined],
  ])('has no instance id for %s', (_, arn) => {
    expect(instanceIdOf(arn)).toBeUndefined();
  });

  it('reads the instance and flow ids of a contact flow ARN', () => {
    expect(contactFlowIdsOf(`${INSTANCE}/contact-flow/flow-a`)).toEqual({
      instanceId: ID,
      contactFlowId: 'flow-a',
    });
    expect(contactFlowIdsOf(`${INSTANCE}/queue/flow-a`)).toBeUndefined();
    expect(contactFlowIdsOf(INSTANCE)).toBeUndefined();
    expect(contactFlowIdsOf(null)).toBeUndefined();
  });

  it('tells queue ARNs from other ARNs', () => {
    expect(isQueueArn(`${INSTANCE}/queue/c411cea7-0000-4000-8000-000000000001`)).toBe(true);
    expect(CONNECT_QUEUE_ARN_PATTERN.exec(`${INSTANCE}/queue/q-1`)?.slice(1)).toEqual([ID, 'q-1']);
    for (const other of [
      INSTANCE,
      `${INSTANCE}/contact-flow/q-1`,
      `${INSTANCE}/queue/`,
      `${INSTANCE}/queue/q-1/extra`,
      'call-center',
      undefined,
    ]) {
      expect(isQueueArn(other), String(other)).toBe(false);
    }
  });
});
