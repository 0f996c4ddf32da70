import { describe, expect, it } from 'vitest';
import type { FlowAction } from '../../lambdas/flow/language/index.js';
import { exceedsAttributeLimit } from '../../lambdas/flow/simulator/attribute-limit.js';
import {
  branchTarget,
  conditionOrNoMatch,
  traceBranchLabel,
} from '../../lambdas/flow/simulator/branches.js';

/** The simulator's shared helpers, where the call-level tests do not reach their edges. */

const MENU: FlowAction = {
  Identifier: 'menu',
  Type: 'GetParticipantInput',
  Parameters: {},
  Transitions: {
    NextAction: 'after',
    Conditions: [{ NextAction: 'one', Condition: { Operator: 'Equals', Operands: ['1'] } }],
    Errors: [
      { NextAction: 'else', ErrorType: 'NoMatchingCondition' },
      { NextAction: 'timeout', ErrorType: 'InputTimeLimitExceeded' },
    ],
  },
};

describe('branchTarget', () => {
  it('follows each kind of branch to its action', () => {
    expect(branchTarget(MENU, { kind: 'next' })).toBe('after');
    expect(branchTarget(MENU, { kind: 'condition', index: 0 })).toBe('one');
    expect(branchTarget(MENU, { kind: 'no-match' })).toBe('else');
    expect(branchTarget(MENU, { kind: 'error', errorType: 'InputTimeLimitExceeded' })).toBe(
      'timeout',
    );
  });

  it('gives undefined for a branch the action does not have', () => {
    expect(branchTarget(MENU, { kind: 'condition', index: 1 })).toBeUndefined();
    expect(branchTarget(MENU, { kind: 'condition', index: -1 })).toBeUndefined();
    expect(branchTarget(MENU, { kind: 'error', errorType: 'NoMatchingError' })).toBeUndefined();
  });
});

describe('traceBranchLabel', () => {
  it('names a branch as the trace shows it', () => {
    expect(traceBranchLabel(MENU, { kind: 'next' })).toBe('next');
    expect(
      traceBranchLabel(MENU, { kind: 'end', reason: 'CONTACT_FLOW_DISCONNECT', endsAtMs: 0 }),
    ).toBe('end');
    expect(traceBranchLabel(MENU, { kind: 'condition', index: 0 })).toBe('Equals 1');
    expect(traceBranchLabel(MENU, { kind: 'no-match' })).toBe('NoMatchingCondition');
    expect(traceBranchLabel(MENU, { kind: 'error', errorType: 'CallFailed' })).toBe('CallFailed');
  });
});

describe('conditionOrNoMatch', () => {
  it('takes the condition found, else NoMatchingCondition, each with its note', () => {
    expect(conditionOrNoMatch(2, 'found', 'missed')).toEqual({
      branch: { kind: 'condition', index: 2 },
      note: 'found',
    });
    expect(conditionOrNoMatch(-1, 'found', 'missed')).toEqual({
      branch: { kind: 'no-match' },
      note: 'missed',
    });
  });
});

describe('exceedsAttributeLimit', () => {
  /** An object whose JSON is exactly `bytes` long: {"a":"…"} is 8 bytes around the value. */
  const ofBytes = (bytes: number) => ({ a: 'x'.repeat(bytes - 8) });

  it('allows 32 KB of JSON and refuses a byte more', () => {
    expect(exceedsAttributeLimit(ofBytes(32 * 1024))).toBe(false);
    expect(exceedsAttributeLimit(ofBytes(32 * 1024 + 1))).toBe(true);
  });

  it('counts UTF-8 bytes, not characters', () => {
    // One character short of the limit, then a two-byte character: 32 KB of characters, a byte more.
    const oneShort = ofBytes(32 * 1024 - 1);
    expect(exceedsAttributeLimit({ a: `${oneShort.a}é` })).toBe(true);
  });
});
