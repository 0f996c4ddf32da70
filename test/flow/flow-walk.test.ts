import { describe, expect, it } from 'vitest';
import type { ConditionOperator, FlowAction, FlowDocument } from '../../lib/flow-language/index.js';
import { type WalkOptions, type WalkState, walkFlow } from './flow-walk.js';

const OPTIONS: WalkOptions = {
  recordingControlArn: 'arn:aws:lambda:us-east-1:123456789012:function:recording-control',
  disclosurePrompt: '$.Attributes.disclosure',
};

const flowOf = (...actions: FlowAction[]): FlowDocument => ({
  Version: '2019-10-30',
  StartAction: actions[0]?.Identifier ?? '',
  Actions: [
    ...actions,
    { Identifier: 'bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
  ],
});

const compare = (
  id: string,
  key: string,
  branches: [string, string][],
  otherwise: string,
  operator: ConditionOperator = 'Equals',
) =>
  ({
    Identifier: id,
    Type: 'Compare',
    Parameters: { ComparisonValue: `$.Attributes.${key}` },
    Transitions: {
      NextAction: otherwise,
      Conditions: branches.map(([operand, to]) => ({
        NextAction: to,
        Condition: { Operator: operator, Operands: [operand] },
      })),
      Errors: [{ NextAction: otherwise, ErrorType: 'NoMatchingCondition' }],
    },
  }) as FlowAction;

const setAttributes = (id: string, attributes: Record<string, string>, next: string) =>
  ({
    Identifier: id,
    Type: 'UpdateContactAttributes',
    Parameters: { TargetContact: 'Current', Attributes: attributes },
    Transitions: {
      NextAction: next,
      Errors: [{ NextAction: 'bye', ErrorType: 'NoMatchingError' }],
    },
  }) as FlowAction;

const say = (id: string, next: string) =>
  ({
    Identifier: id,
    Type: 'MessageParticipant',
    Parameters: { Text: id },
    Transitions: { NextAction: next, Errors: [{ NextAction: next, ErrorType: 'NoMatchingError' }] },
  }) as FlowAction;

const recordingControl = (id: string, action: string, next: string, error: string) =>
  ({
    Identifier: id,
    Type: 'InvokeLambdaFunction',
    Parameters: {
      LambdaFunctionARN: OPTIONS.recordingControlArn,
      InvocationTimeLimitSeconds: '4',
      InvocationType: 'SYNCHRONOUS',
      LambdaInvocationAttributes: { action },
      ResponseValidation: { ResponseType: 'STRING_MAP' },
    },
    Transitions: {
      NextAction: next,
      Errors: [{ NextAction: error, ErrorType: 'NoMatchingError' }],
    },
  }) as FlowAction;

const atAction = (states: readonly WalkState[], id: string) => states.filter((s) => s.at === id);

describe('walkFlow', () => {
  it('follows every branch of an unknown attribute, then only the branch it implies', () => {
    const walk = walkFlow(
      flowOf(
        setAttributes('copy', { kind: '$.External.kind' }, 'first'),
        compare(
          'first',
          'kind',
          [
            ['a', 'say-a'],
            ['b', 'say-b'],
          ],
          'say-other',
        ),
        say('say-a', 'second'),
        say('say-b', 'second'),
        say('say-other', 'second'),
        compare('second', 'kind', [['a', 'again-a']], 'again-other'),
        say('again-a', 'bye'),
        say('again-other', 'bye'),
      ),
      OPTIONS,
    );
    expect(atAction(walk.states, 'second').map((s) => s.attributes.kind)).toEqual(
      expect.arrayContaining([{ is: 'a' }, { is: 'b' }, { isNot: ['a', 'b'] }]),
    );
    // "a" goes on to again-a only; "b" and "neither" to again-other only.
    expect(atAction(walk.states, 'again-a').map((s) => s.attributes.kind)).toEqual([{ is: 'a' }]);
    expect(atAction(walk.states, 'again-other').map((s) => s.attributes.kind)).toEqual(
      expect.arrayContaining([{ is: 'b' }, { isNot: ['a', 'b'] }]),
    );
    expect(atAction(walk.states, 'again-other')).toHaveLength(2);
  });

  it('takes only the else branch on an attribute never written, and knows a literal', () => {
    const walk = walkFlow(
      flowOf(
        compare('unset', 'mark', [['on', 'say-on']], 'set'),
        say('say-on', 'bye'),
        setAttributes('set', { mark: 'on' }, 'known'),
        compare('known', 'mark', [['on', 'say-known']], 'say-unknown'),
        say('say-known', 'bye'),
        say('say-unknown', 'bye'),
      ),
      OPTIONS,
    );
    const reached = new Set(walk.states.map((s) => s.at));
    expect(reached.has('say-on')).toBe(false);
    expect(reached.has('say-unknown')).toBe(false);
    expect(reached.has('say-known')).toBe(true);
  });

  it('follows both outcomes of a recording-control call and tracks suspension', () => {
    const walk = walkFlow(
      flowOf(
        recordingControl('suspend', 'suspend', 'resume', 'bye'),
        recordingControl('resume', 'resume', 'after', 'after'),
        say('after', 'bye'),
      ),
      OPTIONS,
    );
    expect(atAction(walk.states, 'resume').map((s) => s.suspended)).toEqual([true]);
    const after = atAction(walk.states, 'after').map(({ suspended, resumeFailed }) => ({
      suspended,
      resumeFailed,
    }));
    expect(after).toEqual(
      expect.arrayContaining([
        { suspended: false, resumeFailed: false },
        { suspended: true, resumeFailed: true },
      ]),
    );
    expect(after).toHaveLength(2);
    // suspend fails -> bye; suspend -> resume fails -> after -> bye (twice: say may fail too, same
    // target), resume succeeds -> after -> bye (twice).
    expect(walk.paths).toBe(5);
  });

  it('ends at a hand-over to a queue, following only its failures onward', () => {
    const walk = walkFlow(
      flowOf({
        Identifier: 'queue',
        Type: 'TransferContactToQueue',
        Parameters: {},
        Transitions: {
          NextAction: 'after',
          Errors: [
            { NextAction: 'bye', ErrorType: 'QueueAtCapacity' },
            { NextAction: 'bye', ErrorType: 'NoMatchingError' },
          ],
        },
      }),
      OPTIONS,
    );
    expect(walk.states.map((s) => s.at)).toEqual(['queue', 'bye']);
    expect(walk.paths).toBe(3);
  });

  it('refuses an operator it does not model', () => {
    const flow = flowOf(
      setAttributes('copy', { n: '$.External.n' }, 'odd'),
      compare('odd', 'n', [['3', 'bye']], 'bye', 'NumberGreaterThan'),
    );
    expect(() => walkFlow(flow, OPTIONS)).toThrow(
      'the walk models only Equals, not NumberGreaterThan',
    );
  });
});
