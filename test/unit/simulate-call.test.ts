import { describe, expect, it } from 'vitest';
import {
  type ContactFlowEvent,
  FlowSimulationError,
  type LambdaOutcome,
  SIMULATED_TIME,
  type SimulatedCall,
  type SimulatedWorld,
  type SimulationResult,
  simulateCall,
} from '../../lambdas/flow/simulator/index.js';
import { INSTANCE_ARN, queueArn } from '../support/fixtures.js';
import { type Action, flowOf, handWrittenCall } from '../support/hand-written-flows.js';

/** Small hand-written flows, one behaviour at a time. */

const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:lookup';
const CONTROL = 'arn:aws:lambda:us-east-1:111122223333:function:recording-control';
const QUEUE = queueArn('front-desk');
const CONTACT_ID = '7c1e5a10-3b2d-4f60-9a71-0000000001a1';

const CALL = handWrittenCall(CONTACT_ID);

const noMatchingError = (to: string) => [{ NextAction: to, ErrorType: 'NoMatchingError' }];

const say = (id: string, text: string, next = 'bye', error = next): Action => ({
  Identifier: id,
  Type: 'MessageParticipant',
  Parameters: { Text: text },
  Transitions: { NextAction: next, Errors: noMatchingError(error) },
});

const logging = (id: string, next: string): Action => ({
  Identifier: id,
  Type: 'UpdateFlowLoggingBehavior',
  Parameters: { FlowLoggingBehavior: 'Enabled' },
  Transitions: { NextAction: next },
});

const lambda = (
  id: string,
  next: string,
  error: string,
  {
    arn = LAMBDA,
    parameters = {},
    limit = '3',
    responseType = 'STRING_MAP',
  }: {
    arn?: string;
    parameters?: Record<string, string>;
    limit?: string;
    responseType?: string;
  } = {},
): Action => ({
  Identifier: id,
  Type: 'InvokeLambdaFunction',
  Parameters: {
    LambdaFunctionARN: arn,
    InvocationTimeLimitSeconds: limit,
    InvocationType: 'SYNCHRONOUS',
    LambdaInvocationAttributes: parameters,
    ResponseValidation: { ResponseType: responseType },
  },
  Transitions: { NextAction: next, Errors: noMatchingError(error) },
});

const setAttributes = (
  id: string,
  attributes: Record<string, string>,
  next = 'bye',
  target = 'Current',
): Action => ({
  Identifier: id,
  Type: 'UpdateContactAttributes',
  Parameters: { TargetContact: target, Attributes: attributes },
  Transitions: { NextAction: next, Errors: noMatchingError('bye') },
});

const compare = (
  id: string,
  path: string,
  conditions: [operator: string, operand: string, to: string][],
  otherwise: string,
): Action => ({
  Identifier: id,
  Type: 'Compare',
  Parameters: { ComparisonValue: path },
  Transitions: {
    NextAction: otherwise,
    Conditions: conditions.map(([Operator, operand, NextAction]) => ({
      NextAction,
      Condition: { Operator, Operands: [operand] },
    })),
    Errors: [{ NextAction: otherwise, ErrorType: 'NoMatchingCondition' }],
  },
});

const menu = (id: string, keys: [key: string, to: string][], otherwise: string): Action => ({
  Identifier: id,
  Type: 'GetParticipantInput',
  Parameters: { Text: 'Press 1 or 2.', InputTimeLimitSeconds: '5', StoreInput: 'False' },
  Transitions: {
    NextAction: otherwise,
    Conditions: keys.map(([key, NextAction]) => ({
      NextAction,
      Condition: { Operator: 'Equals', Operands: [key] },
    })),
    Errors: ['InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'].map(
      (ErrorType) => ({ NextAction: otherwise, ErrorType }),
    ),
  },
});

const transfer = (
  id: string,
  number: string,
  next: string,
  error: string,
  { continueFlow = 'True', timeout = '20' } = {},
): Action => ({
  Identifier: id,
  Type: 'TransferParticipantToThirdParty',
  Parameters: {
    ThirdPartyPhoneNumber: number,
    ThirdPartyConnectionTimeLimitSeconds: timeout,
    ContinueFlowExecution: continueFlow,
  },
  Transitions: {
    NextAction: next,
    Errors:
      continueFlow === 'True'
        ? ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError'].map((ErrorType) => ({
            NextAction: error,
            ErrorType,
          }))
        : noMatchingError(error),
  },
});

const setQueue = (id: string, queue: string, next: string, error = 'bye'): Action => ({
  Identifier: id,
  Type: 'UpdateContactTargetQueue',
  Parameters: { QueueId: queue },
  Transitions: { NextAction: next, Errors: noMatchingError(error) },
});

const toQueue = (id: string, error: string): Action => ({
  Identifier: id,
  Type: 'TransferContactToQueue',
  Parameters: {},
  Transitions: {
    NextAction: error,
    Errors: ['QueueAtCapacity', 'NoMatchingError'].map((ErrorType) => ({
      NextAction: error,
      ErrorType,
    })),
  },
});

const record = (id: string, on: boolean, next: string): Action => ({
  Identifier: id,
  Type: 'UpdateContactRecordingBehavior',
  Parameters: {
    RecordingBehavior: on
      ? { RecordedParticipants: ['Agent', 'Customer'], IVRRecordingBehavior: 'Enabled' }
      : { RecordedParticipants: [], IVRRecordingBehavior: 'Disabled' },
  },
  Transitions: { NextAction: next },
});

const hours = (id: string, open: string, closed: string): Action => ({
  Identifier: id,
  Type: 'CheckHoursOfOperation',
  Parameters: { HoursOfOperationId: 'hours-1' },
  Transitions: {
    NextAction: closed,
    Conditions: [
      { NextAction: open, Condition: { Operator: 'Equals', Operands: ['True'] } },
      { NextAction: closed, Condition: { Operator: 'Equals', Operands: ['False'] } },
    ],
    Errors: noMatchingError('bye'),
  },
});

const ok = (result: Record<string, string>, elapsedMs = 0): LambdaOutcome => ({
  kind: 'ok',
  result,
  elapsedMs,
});

const world = (overrides: Partial<SimulatedWorld> = {}): SimulatedWorld => ({
  invokeLambda: async () => ok({ found: 'true' }),
  thirdParty: () => 'answer',
  queue: () => 'queued',
  ...overrides,
});

const run = (flow: unknown, w: SimulatedWorld = world(), call: Partial<SimulatedCall> = {}) =>
  simulateCall(flow, { ...CALL, ...call }, w);

/** The error a refused flow or a stopped simulation throws. */
const refusal = async (promise: Promise<unknown>): Promise<FlowSimulationError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FlowSimulationError) return error;
    throw error;
  }
  throw new Error('expected a FlowSimulationError');
};

const branches = (result: SimulationResult) =>
  result.trace.map((step) => `${step.identifier}:${step.branch}`);

const stepOf = (result: SimulationResult, id: string) => {
  const step = result.trace.find((s) => s.identifier === id);
  if (step === undefined) throw new Error(`no step ${id}`);
  return step;
};

describe('simulateCall refuses a flow that breaks the wire format, naming the action', () => {
  it.each<[string, Action, RegExp]>([
    [
      'an unknown parameter',
      { ...say('hello', 'Hi'), Parameters: { Text: 'Hi', Voice: 'Joanna' } },
      /action "hello" \(MessageParticipant\): Parameters\.Voice is not allowed here/,
    ],
    [
      'an empty string',
      say('hello', ''),
      /action "hello" \(MessageParticipant\): Parameters\.Text is an empty string/,
    ],
    [
      'a non-string scalar',
      {
        ...lambda('lookup', 'bye', 'bye'),
        Parameters: { ...lambda('x', 'bye', 'bye').Parameters, InvocationTimeLimitSeconds: 3 },
      },
      /action "lookup" \(InvokeLambdaFunction\): Parameters\.InvocationTimeLimitSeconds is 3 \(a number\)/,
    ],
    [
      'an unresolved NextAction',
      say('hello', 'Hi', 'nowhere', 'bye'),
      /action "hello" \(MessageParticipant\): Transitions\.NextAction is "nowhere", which names no action/,
    ],
    [
      'a missing error branch',
      { ...say('hello', 'Hi'), Transitions: { NextAction: 'bye' } },
      /action "hello" \(MessageParticipant\): Transitions\.Errors lacks NoMatchingError/,
    ],
  ])('%s', async (_what, action, says) => {
    const error = await refusal(run(flowOf(action)));
    expect(error.message).toMatch(says);
    expect(error.problems.some((problem) => says.test(problem))).toBe(true);
  });

  it('an action type it does not support, listing the types and identifiers', async () => {
    const pause = (id: string): Action => ({
      Identifier: id,
      Type: 'Wait',
      Parameters: { TimeLimitSeconds: '5' },
      Transitions: { NextAction: 'bye' },
    });
    const error = await refusal(run(flowOf(pause('pause-1'), pause('pause-2'))));
    expect(error.message).toBe(
      'this flow uses actions the simulator does not support: Wait (ids pause-1, pause-2)',
    );
  });

  it('everything it cannot run, up front, even where no call goes', async () => {
    const invoked: string[] = [];
    const collect: Action = {
      ...menu('collect', [], 'bye'),
      Parameters: {
        Text: 'Enter your unit number.',
        InputTimeLimitSeconds: '5',
        StoreInput: 'True',
      },
      Transitions: { NextAction: 'bye', Errors: noMatchingError('bye') },
    };
    const flow = flowOf(
      lambda('lookup', 'bye', 'bye'),
      // Nothing leads to these: a call never reaches them.
      compare('exists', '$.Attributes.x', [['KeyExists', 'x', 'bye']], 'bye'),
      compare('exists-too', '$.Attributes.y', [['KeyExists', 'y', 'bye']], 'bye'),
      collect,
      setAttributes('intent', { intent: '$.Lex.IntentName', queue: '$.Queue.OutboundCallerId' }),
      say('lex-text', '$.Lex.IntentName'),
      { Identifier: 'pause', Type: 'Wait', Parameters: {}, Transitions: { NextAction: 'bye' } },
    );
    const error = await refusal(
      run(
        flow,
        world({
          invokeLambda: async (arn) => {
            invoked.push(arn);
            return ok({});
          },
        }),
      ),
    );
    expect(invoked).toEqual([]);
    expect(error.problems).toEqual([
      'Compare with the undocumented operator KeyExists (ids exists, exists-too)',
      'GetParticipantInput with StoreInput "True" (collecting digits) (id collect)',
      'the reference $.Lex.IntentName (not modelled) (ids intent, lex-text)',
      'the reference $.Queue.OutboundCallerId (not modelled) (id intent)',
      'Wait (id pause)',
    ]);
    expect(error.message).toMatch(
      /^this flow uses actions the simulator does not support: Compare/,
    );
  });

  it('a call whose numbers are not E.164', async () => {
    const error = await refusal(run(flowOf(), world(), { dialed: '5125550151', caller: '' }));
    expect(error.problems).toEqual([
      'call.dialed is "5125550151"; give the dialed number in E.164 (+15125550100)',
      'call.caller is ""; give the caller number in E.164 (+15125550100)',
    ]);
  });

  it('a call with keys that are not DTMF keys', async () => {
    const error = await refusal(run(flowOf(), world(), { digits: '1a' }));
    expect(error.message).toMatch(/call\.digits is "1a"/);
  });
});

describe('simulateCall resolves references strictly', () => {
  it('reads the endpoints, the contact id and attributes, in place inside prompt text', async () => {
    const result = await run(
      flowOf(
        setAttributes(
          'name',
          { location: 'Austin North', dialed: '$.SystemEndpoint.Address' },
          'hi',
        ),
        say('hi', 'Thanks for calling $.Attributes.location. You called $.Attributes.dialed.'),
      ),
    );
    expect(result.prompts.map((p) => p.text)).toEqual([
      'Thanks for calling Austin North. You called +15125550151.',
    ]);
    expect(result.attributes).toEqual({ location: 'Austin North', dialed: '+15125550151' });
    expect(stepOf(result, 'name').parameters).toEqual({
      TargetContact: 'Current',
      Attributes: { location: 'Austin North', dialed: '+15125550151' },
    });
  });

  it.each([
    ['$.Attributes.never', 'the contact attribute "never" was never set'],
    ['$.External.found', 'no Lambda has returned a result'],
  ])('stops on %s, naming the action and the path', async (path, why) => {
    const error = await refusal(run(flowOf(setAttributes('copy', { value: path }))));
    expect(error.message).toContain(
      `action "copy" (UpdateContactAttributes): cannot resolve ${path}`,
    );
    expect(error.message).toContain(why);
  });

  it('stops on a reference in prompt text that resolves to nothing', async () => {
    const error = await refusal(run(flowOf(say('hi', 'Hello $.Attributes.name, welcome'))));
    expect(error.message).toMatch(
      /action "hi" \(MessageParticipant\): cannot resolve \$\.Attributes\.name/,
    );
  });
});

describe('InvokeLambdaFunction', () => {
  it('sends the event Connect sends, with its parameters resolved, and sets $.External', async () => {
    const events: ContactFlowEvent[] = [];
    const limits: number[] = [];
    const result = await run(
      flowOf(
        setAttributes('greet', { greeted: 'true' }, 'lookup'),
        lambda('lookup', 'copy', 'bye', {
          parameters: {
            dialed: '$.SystemEndpoint.Address',
            caller: '$.CustomerEndpoint.Address',
            mode: 'fast',
          },
        }),
        setAttributes('copy', { found: '$.External.found', contact: '$.ContactId' }),
      ),
      world({
        invokeLambda: async (_arn, event, limit) => {
          events.push(event);
          limits.push(limit);
          return ok({ found: 'yes' });
        },
      }),
    );
    expect(events).toEqual([
      {
        Name: 'ContactFlowEvent',
        Details: {
          ContactData: {
            Attributes: { greeted: 'true' },
            AwsRegion: 'us-east-1',
            Channel: 'VOICE',
            ContactId: CONTACT_ID,
            CustomerEndpoint: { Address: '+13035550187', Type: 'TELEPHONE_NUMBER' },
            InitialContactId: CONTACT_ID,
            InitiationMethod: 'INBOUND',
            InstanceARN: INSTANCE_ARN,
            LanguageCode: 'en-US',
            Name: null,
            PreviousContactId: CONTACT_ID,
            Queue: null,
            RelatedContactId: null,
            SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Telephony' } },
            SystemEndpoint: { Address: '+15125550151', Type: 'TELEPHONE_NUMBER' },
            Tags: {
              'aws:connect:instanceId': '5e1f7a00-64b3-4c2d-8e9f-00000000c0de',
              'aws:connect:systemEndpoint': '+15125550151',
            },
          },
          Parameters: { dialed: '+15125550151', caller: '+13035550187', mode: 'fast' },
        },
      },
    ]);
    expect(limits).toEqual([3]);
    expect(result.attributes).toEqual({ greeted: 'true', found: 'yes', contact: CONTACT_ID });
    expect(result.attributeHistory.map((change) => change.by)).toEqual(['greet', 'copy']);
  });

  it('puts the target queue in the event once one is set', async () => {
    const events: ContactFlowEvent[] = [];
    await run(
      flowOf(setQueue('queue', QUEUE, 'lookup'), lambda('lookup', 'bye', 'bye')),
      world({
        invokeLambda: async (_arn, event) => {
          events.push(event);
          return ok({ a: 'b' });
        },
      }),
    );
    expect(events[0]?.Details.ContactData.Queue).toEqual({ ARN: QUEUE, Name: 'front-desk' });
  });

  it.each<[string, SimulatedWorld['invokeLambda'], RegExp]>([
    [
      'a function error',
      async () => ({ kind: 'error', reason: 'boom' }),
      /failed after \d+ ms: boom/,
    ],
    [
      'a thrown error',
      async () => {
        throw new Error('socket hang up');
      },
      /socket hang up/,
    ],
    [
      'a non-string value in a STRING_MAP',
      async () => ok({ found: 1 as unknown as string }),
      /"found" is 1, not a string/,
    ],
    [
      'an empty string in a STRING_MAP',
      async () => ok({ found: '' }),
      /"found" is an empty string/,
    ],
    [
      'an answer that is not an object',
      async () => ({ kind: 'ok', result: 'yes' as never }),
      /not an object/,
    ],
    [
      'an answer past InvocationTimeLimitSeconds',
      async () => ok({ found: 'yes' }, 3_001),
      /did not answer within InvocationTimeLimitSeconds \(3 s\)/,
    ],
  ])('takes the Error branch on %s, and clears $.External', async (_what, failing, note) => {
    // The first call answers; the second fails as described.
    const firstThenFailing = (): SimulatedWorld => {
      let calls = 0;
      return world({
        invokeLambda: async (...args) => {
          calls += 1;
          return calls === 1 ? ok({ found: 'first' }) : failing(...args);
        },
      });
    };
    const failed = await run(
      flowOf(
        lambda('first', 'second', 'bye'),
        lambda('second', 'bye', 'sorry'),
        say('sorry', 'Sorry.'),
      ),
      firstThenFailing(),
    );
    expect(branches(failed)).toEqual([
      'first:next',
      'second:NoMatchingError',
      'sorry:next',
      'bye:end',
    ]);
    expect(stepOf(failed, 'second').note).toMatch(note);
    // The first answer does not survive the failure.
    const stopped = await refusal(
      run(
        flowOf(
          lambda('first', 'second', 'bye'),
          lambda('second', 'bye', 'copy'),
          setAttributes('copy', { found: '$.External.found' }),
        ),
        firstThenFailing(),
      ),
    );
    expect(stopped.message).toContain(
      'action "copy" (UpdateContactAttributes): cannot resolve $.External.found',
    );
  });

  it('gives up on a function that hangs once InvocationTimeLimitSeconds has passed', async () => {
    const result = await run(
      flowOf(lambda('lookup', 'bye', 'sorry', { limit: '1' }), say('sorry', 'Sorry.')),
      world({ invokeLambda: () => new Promise<LambdaOutcome>(() => undefined) }),
    );
    expect(branches(result)).toEqual(['lookup:NoMatchingError', 'sorry:next', 'bye:end']);
    expect(stepOf(result, 'sorry').atSeconds).toBe(1);
  });

  it('advances the clock by the time the function took', async () => {
    const result = await run(
      flowOf(lambda('lookup', 'hi', 'bye'), say('hi', 'Hi.')),
      world({ invokeLambda: async () => ok({ a: 'b' }, 1_250) }),
    );
    expect(stepOf(result, 'hi').atSeconds).toBe(1.25);
  });

  it('lets a harness error stop the simulation instead of taking the Error branch', async () => {
    const error = await refusal(
      run(
        flowOf(lambda('lookup', 'bye', 'bye')),
        world({
          invokeLambda: async () => {
            throw new FlowSimulationError('no answer configured');
          },
        }),
      ),
    );
    expect(error.message).toBe('no answer configured');
  });

  it('reads nested values of a JSON response', async () => {
    const result = await run(
      flowOf(
        lambda('lookup', 'copy', 'bye', { responseType: 'JSON' }),
        setAttributes('copy', {
          tier: '$.External.customer.tier',
          visits: '$.External.customer.visits',
        }),
      ),
      world({
        invokeLambda: async () =>
          ok({ customer: { tier: 'gold', visits: 3 } } as unknown as Record<string, string>),
      }),
    );
    expect(result.attributes).toEqual({ tier: 'gold', visits: '3' });
  });
});

describe('UpdateContactAttributes', () => {
  it('takes the Error branch for a related contact, which an inbound call does not have', async () => {
    const result = await run(flowOf(setAttributes('related', { a: 'b' }, 'bye', 'Related')));
    expect(branches(result)).toEqual(['related:NoMatchingError', 'bye:end']);
    expect(result.attributes).toEqual({});
  });
});

describe('Compare', () => {
  it.each<[string, string, string, boolean]>([
    ['Equals', 'found', 'found', true],
    ['Equals', 'Found', 'found', false],
    ['TextStartsWith', 'austin-north', 'austin', true],
    ['TextStartsWith', 'dallas', 'austin', false],
    ['TextEndsWith', 'austin-north', 'north', true],
    ['TextContains', 'austin-north', 'n-n', true],
    ['TextContains', 'austin', 'north', false],
    ['NumberGreaterThan', '25', '10', true],
    ['NumberGreaterThan', '10', '10', false],
    ['NumberGreaterOrEqualTo', '10', '10', true],
    ['NumberLessThan', '9.5', '10', true],
    ['NumberLessOrEqualTo', '11', '10', false],
    ['NumberGreaterThan', 'none', '10', false],
  ])('%s: %s against %s matches: %s', async (operator, value, operand, matches) => {
    const result = await run(
      flowOf(
        setAttributes('set', { value }, 'check'),
        compare('check', '$.Attributes.value', [[operator, operand, 'yes']], 'no'),
        say('yes', 'Yes.'),
        say('no', 'No.'),
      ),
    );
    expect(stepOf(result, 'check').branch).toBe(
      matches ? `${operator} ${operand}` : 'NoMatchingCondition',
    );
    expect(stepOf(result, 'check').next).toBe(matches ? 'yes' : 'no');
  });

  it('takes the first condition that matches', async () => {
    const result = await run(
      flowOf(
        setAttributes('set', { value: 'abc' }, 'check'),
        compare(
          'check',
          '$.Attributes.value',
          [
            ['TextStartsWith', 'a', 'first'],
            ['Equals', 'abc', 'second'],
          ],
          'bye',
        ),
        say('first', 'First.'),
        say('second', 'Second.'),
      ),
    );
    expect(stepOf(result, 'check').next).toBe('first');
  });

  it('matches no condition on an attribute never set', async () => {
    const result = await run(
      flowOf(
        compare('check', '$.Attributes.never', [['Equals', 'x', 'yes']], 'bye'),
        say('yes', 'Yes.'),
      ),
    );
    expect(branches(result)).toEqual(['check:NoMatchingCondition', 'bye:end']);
    expect(stepOf(result, 'check').parameters).toEqual({ ComparisonValue: null });
  });

  it('refuses to guess the undocumented KeyExists', async () => {
    const error = await refusal(
      run(flowOf(compare('check', '$.Attributes.x', [['KeyExists', 'x', 'bye']], 'bye'))),
    );
    expect(error.problems).toEqual(['Compare with the undocumented operator KeyExists (id check)']);
  });
});

describe('GetParticipantInput', () => {
  const flow = flowOf(
    menu(
      'menu',
      [
        ['1', 'one'],
        ['2', 'two'],
      ],
      'other',
    ),
    say('one', 'One.'),
    say('two', 'Two.'),
    say('other', 'Other.'),
  );

  it.each([
    ['2', 'Equals 2', 'two', 5],
    ['1', 'Equals 1', 'one', 5],
    ['7', 'NoMatchingCondition', 'other', 5],
    ['', 'InputTimeLimitExceeded', 'other', 9],
  ])('digits "%s" take %s', async (digits, branch, next, nextAt) => {
    const result = await run(flow, world(), { digits });
    expect(stepOf(result, 'menu')).toMatchObject({ branch, next });
    // The prompt (13 characters: 1 s) and the key (1 s) or the wait (5 s), after nothing else.
    expect(stepOf(result, next).atSeconds).toBe(nextAt - 3);
    expect(result.prompts[0]).toMatchObject({ text: 'Press 1 or 2.', by: 'menu' });
  });

  it('consumes one digit per menu, in order', async () => {
    const result = await run(
      flowOf(
        menu('first', [['1', 'second']], 'bye'),
        menu('second', [['2', 'done']], 'bye'),
        say('done', 'Done.'),
      ),
      world(),
      { digits: '12' },
    );
    expect(branches(result)).toEqual(['first:Equals 1', 'second:Equals 2', 'done:next', 'bye:end']);
  });
});

describe('MessageParticipant', () => {
  it('plays 1 s per 15 characters', async () => {
    const result = await run(
      flowOf(say('a', 'x'.repeat(30), 'b'), say('b', 'y'.repeat(31), 'c'), say('c', 'z')),
    );
    expect(result.prompts.map((p) => [p.by, p.atSeconds])).toEqual([
      ['a', 0],
      ['b', 2],
      ['c', 5],
    ]);
  });

  it('reads a JSONPath Text', async () => {
    const result = await run(
      flowOf(
        setAttributes('set', { disclosure: 'This call may be recorded.' }, 'say'),
        say('say', '$.Attributes.disclosure'),
      ),
    );
    expect(result.prompts.map((p) => p.text)).toEqual(['This call may be recorded.']);
  });

  it('takes NoMatchingError when the world makes it fail, and plays nothing', async () => {
    const result = await run(
      flowOf(say('hi', 'Hello.', 'bye', 'sorry'), say('sorry', 'Sorry.')),
      world({ fails: (id) => id === 'hi' }),
    );
    expect(branches(result)).toEqual(['hi:NoMatchingError', 'sorry:next', 'bye:end']);
    expect(result.prompts.map((p) => p.by)).toEqual(['sorry']);
  });
});

describe('recording', () => {
  const flow = flowOf(
    record('on', true, 'suspend'),
    lambda('suspend', 'resume', 'bye', { arn: CONTROL, parameters: { action: 'suspend' } }),
    lambda('resume', 'off', 'bye', { arn: CONTROL, parameters: { action: 'resume' } }),
    record('off', false, 'bye'),
  );

  /** A world whose Connect stand-in sees what the function did to the recording. */
  const control = world({
    invokeLambda: async (_arn, event) => {
      const done = event.Details.Parameters.action === 'suspend' ? 'suspended' : 'resumed';
      return { ...ok({ recording: done }, 500), recording: done };
    },
  });

  it('follows the behaviour block and what the world says the function did', async () => {
    const result = await run(flow, control);
    expect(result.recording.map(({ state, by, atSeconds }) => [state, by, atSeconds])).toEqual([
      ['recording', 'on', 0],
      ['suspended', 'suspend', 0.5],
      ['recording', 'resume', 1],
      ['off', 'off', 1],
    ]);
  });

  it('does not guess from the parameters: an answer without `recording` changes nothing', async () => {
    const result = await run(
      flow,
      world({ invokeLambda: async () => ok({ recording: 'suspended' }, 500) }),
    );
    expect(result.recording.map(({ state, by }) => [state, by])).toEqual([
      ['recording', 'on'],
      ['off', 'off'],
    ]);
  });

  it('suspends on the answer alone, whatever the function is called with', async () => {
    const quiet = flowOf(
      record('on', true, 'pci'),
      lambda('pci', 'off', 'bye', { arn: CONTROL, parameters: { step: 'payment' } }),
      record('off', false, 'bye'),
    );
    const result = await run(
      quiet,
      world({ invokeLambda: async () => ({ ...ok({ done: 'yes' }), recording: 'suspended' }) }),
    );
    expect(result.recording.map(({ state, by }) => [state, by])).toEqual([
      ['recording', 'on'],
      ['suspended', 'pci'],
      ['off', 'off'],
    ]);
  });

  it('reads UpdateContactRecordingAndAnalyticsBehavior like UpdateContactRecordingBehavior', async () => {
    const voice = (id: string, participants: string[], ivr: string, next: string): Action => ({
      Identifier: id,
      Type: 'UpdateContactRecordingAndAnalyticsBehavior',
      Parameters: {
        VoiceBehavior: {
          VoiceRecordingBehavior: { RecordedParticipants: participants, IVRRecordingBehavior: ivr },
          VoiceAnalyticsBehavior: { Enabled: 'True' },
        },
      },
      Transitions: { NextAction: next },
    });
    const newer = flowOf(
      voice('on', ['Agent', 'Customer'], 'Enabled', 'suspend'),
      lambda('suspend', 'ivr-only', 'bye', { arn: CONTROL, parameters: { action: 'suspend' } }),
      voice('ivr-only', [], 'Enabled', 'resume'),
      lambda('resume', 'off', 'bye', { arn: CONTROL, parameters: { action: 'resume' } }),
      voice('off', [], 'Disabled', 'bye'),
    );
    const result = await run(newer, control);
    expect(result.recording.map(({ state, by }) => [state, by])).toEqual([
      ['recording', 'on'],
      ['suspended', 'suspend'],
      // Turning the behaviour on again (IVR only) does not lift the suspension.
      ['recording', 'resume'],
      ['off', 'off'],
    ]);
    expect(stepOf(result, 'on').note).toBe('recording recording');
  });

  it('keeps recording when suspending fails', async () => {
    const result = await run(
      flow,
      world({ invokeLambda: async () => ({ kind: 'error', reason: 'AccessDenied' }) }),
    );
    expect(result.recording.map(({ state }) => state)).toEqual(['recording']);
  });
});

describe('TransferParticipantToThirdParty', () => {
  const flow = flowOf(
    say('hello', 'Hello.', 'ring'),
    transfer('ring', '+15125550101', 'bye', 'fallback'),
    transfer('fallback', '+15125550199', 'bye', 'sorry'),
    say('sorry', 'Sorry, nobody can take your call.'),
  );

  it('connects an answered call, then continues the flow when the third party hangs up', async () => {
    const result = await run(flow);
    expect(branches(result)).toEqual(['hello:next', 'ring:next', 'bye:end']);
    expect(result).toMatchObject({ outcome: 'transferred', endpoint: '+15125550101' });
    // Hello (1 s), ring 5 s, talk 60 s.
    expect(result.transfers).toEqual([
      { number: '+15125550101', by: 'ring', atSeconds: 6, endedSeconds: 66 },
    ]);
    expect(stepOf(result, 'bye').atSeconds).toBe(66);
    expect(result.disconnectReason).toBe('THIRD_PARTY_DISCONNECT');
  });

  it.each<[string, 'no-answer' | 'busy' | 'fail', string, number]>([
    ['no answer', 'no-answer', 'ConnectionTimeLimitExceeded', 21],
    ['a busy line', 'busy', 'CallFailed', 4],
    ['a failed call', 'fail', 'CallFailed', 2],
  ])('takes the error branch on %s', async (_what, behaviour, branch, fallbackAt) => {
    const result = await run(
      flow,
      world({ thirdParty: (number) => (number === '+15125550101' ? behaviour : 'answer') }),
    );
    expect(stepOf(result, 'ring')).toMatchObject({ branch, next: 'fallback' });
    expect(stepOf(result, 'fallback').atSeconds).toBe(fallbackAt);
    expect(result).toMatchObject({ outcome: 'transferred', endpoint: '+15125550199' });
  });

  it('ends in the message when nobody answers', async () => {
    const result = await run(flow, world({ thirdParty: () => 'no-answer' }));
    expect(result).toMatchObject({ outcome: 'message-disconnect', endpoint: 'none' });
    expect(result.disconnectReason).toBe('CONTACT_FLOW_DISCONNECT');
  });

  it('reports the last transfer answered', async () => {
    const result = await run(
      flowOf(
        transfer('first', '+15125550101', 'second', 'bye'),
        transfer('second', '+15125550190', 'bye', 'bye'),
      ),
    );
    expect(result).toMatchObject({ outcome: 'transferred', endpoint: '+15125550190' });
    expect(result.transfers?.map((t) => t.number)).toEqual(['+15125550101', '+15125550190']);
  });

  it('ends the flow with a transfer that does not continue it', async () => {
    const flowEnds = flowOf(
      transfer('ring', '+15125550101', 'bye', 'sorry', { continueFlow: 'False' }),
      say('sorry', 'Sorry.'),
    );
    const answered = await run(flowEnds);
    expect(branches(answered)).toEqual(['ring:end']);
    expect(answered).toMatchObject({ outcome: 'transferred', durationSeconds: 65 });
    const unanswered = await run(flowEnds, world({ thirdParty: () => 'no-answer' }));
    expect(branches(unanswered)).toEqual(['ring:NoMatchingError', 'sorry:next', 'bye:end']);
  });

  it('takes NoMatchingError on a number or time limit that is not one', async () => {
    const result = await run(
      flowOf(
        setAttributes('set', { ringTo: 'none', timeout: 'soon' }, 'bad-number'),
        transfer('bad-number', '$.Attributes.ringTo', 'bye', 'bad-limit'),
        transfer('bad-limit', '+15125550101', 'bye', 'bye', { timeout: '$.Attributes.timeout' }),
      ),
    );
    expect(branches(result)).toEqual([
      'set:next',
      'bad-number:NoMatchingError',
      'bad-limit:NoMatchingError',
      'bye:end',
    ]);
    expect(result.outcome).toBe('disconnected');
  });
});

describe('queues', () => {
  const flow = flowOf(
    setQueue('set', QUEUE, 'queue', 'sorry'),
    toQueue('queue', 'sorry'),
    say('sorry', 'Sorry.'),
  );

  it('hands the call to the queue and ends the flow', async () => {
    const result = await run(flow);
    expect(branches(result)).toEqual(['set:next', 'queue:end']);
    expect(result).toMatchObject({ outcome: 'queued', endpoint: QUEUE, durationSeconds: 60 });
    expect(result.disconnectReason).toBe('CUSTOMER_DISCONNECT');
  });

  it.each([
    ['at-capacity', 'QueueAtCapacity'],
    ['fail', 'NoMatchingError'],
  ] as const)('takes the error branch when the queue is %s', async (behaviour, branch) => {
    const result = await run(flow, world({ queue: () => behaviour }));
    expect(stepOf(result, 'queue').branch).toBe(branch);
    expect(result.outcome).toBe('message-disconnect');
  });

  it('takes NoMatchingError without a target queue, or with a value that is not a queue', async () => {
    const noQueue = await run(flowOf(toQueue('queue', 'bye')));
    expect(branches(noQueue)).toEqual(['queue:NoMatchingError', 'bye:end']);
    const notAQueue = await run(
      flowOf(
        setAttributes('set', { queue: 'none' }, 'target'),
        setQueue('target', '$.Attributes.queue', 'bye'),
      ),
    );
    expect(branches(notAQueue)).toEqual(['set:next', 'target:NoMatchingError', 'bye:end']);
  });
});

const staffingCheck = (
  id: string,
  metric: string,
  staffed: string,
  nobody: string,
  queueId?: string,
): Action => ({
  Identifier: id,
  Type: 'CheckMetricData',
  Parameters: { MetricType: metric, ...(queueId === undefined ? {} : { QueueId: queueId }) },
  Transitions: {
    NextAction: nobody,
    Conditions: [
      { NextAction: staffed, Condition: { Operator: 'NumberGreaterThan', Operands: ['0'] } },
    ],
    Errors: noMatchingError('sorry'),
  },
});

describe('CheckMetricData and the agents of a queue', () => {
  const flowChecking = (metric: string) =>
    flowOf(
      setQueue('set', QUEUE, 'check', 'sorry'),
      staffingCheck('check', metric, 'queue', 'nobody'),
      toQueue('queue', 'sorry'),
      say('nobody', 'Nobody is here.'),
      say('sorry', 'Sorry.'),
    );

  it.each([
    ['NumberOfAgentsAvailable', 'available', 'NumberGreaterThan 0'],
    ['NumberOfAgentsAvailable', 'busy', 'next'],
    ['NumberOfAgentsAvailable', 'none', 'next'],
    ['NumberOfAgentsStaffed', 'available', 'NumberGreaterThan 0'],
    ['NumberOfAgentsStaffed', 'busy', 'NumberGreaterThan 0'],
    ['NumberOfAgentsStaffed', 'none', 'next'],
    ['NumberOfAgentsOnline', 'busy', 'NumberGreaterThan 0'],
    ['NumberOfAgentsOnline', 'none', 'next'],
  ] as const)('%s with agents %s takes %s', async (metric, agents, branch) => {
    const asked: string[] = [];
    const result = await run(
      flowChecking(metric),
      world({
        agents: (queueArn) => {
          asked.push(queueArn);
          return agents;
        },
      }),
    );
    expect(stepOf(result, 'check').branch).toBe(branch);
    // No QueueId: the target queue's agents.
    expect(asked[0]).toBe(QUEUE);
    expect(result.outcome).toBe(branch === 'next' ? 'message-disconnect' : 'queued');
  });

  it('reads the queue the block names over the target queue', async () => {
    const other = QUEUE.replace(/queue\/[^/]+$/, 'queue/other');
    const asked: string[] = [];
    const flow = flowOf(
      setQueue('set', QUEUE, 'check', 'sorry'),
      staffingCheck('check', 'NumberOfAgentsStaffed', 'bye', 'sorry', other),
      say('sorry', 'Sorry.'),
    );
    const agents = (arn: string) => {
      asked.push(arn);
      return 'none' as const;
    };
    await run(flow, world({ agents }));
    expect(asked).toEqual([other]);
  });

  it('takes the Error branch with no queue to read, or an injected fault', async () => {
    const noQueue = await run(
      flowOf(staffingCheck('check', 'NumberOfAgentsStaffed', 'bye', 'bye'), say('sorry', 'Sorry.')),
      world({ agents: () => 'available' }),
    );
    expect(branches(noQueue)).toEqual(['check:NoMatchingError', 'sorry:next', 'bye:end']);
    const faulted = await run(
      flowChecking('NumberOfAgentsStaffed'),
      world({ agents: () => 'available', fails: (id) => id === 'check' }),
    );
    expect(stepOf(faulted, 'check').branch).toBe('NoMatchingError');
  });

  it('refuses to guess staffing when the world does not model it', async () => {
    const error = await refusal(run(flowChecking('NumberOfAgentsStaffed')));
    expect(error.message).toMatch(
      /action "check" \(CheckMetricData\): CheckMetricData needs world\.agents/,
    );
  });

  it('a free agent answers a queued call: the wait, the agent and the queue in the contact record', async () => {
    const result = await run(
      flowChecking('NumberOfAgentsStaffed'),
      world({ agents: () => 'available' }),
    );
    expect(result).toMatchObject({
      outcome: 'queued',
      waitSeconds: SIMULATED_TIME.agentAnswerSeconds,
    });
    expect(result.queue?.answeredByAgentSeconds).toBe(SIMULATED_TIME.agentAnswerSeconds);
    expect(result.durationSeconds).toBe(
      SIMULATED_TIME.agentAnswerSeconds + SIMULATED_TIME.talkSeconds,
    );
    expect(result.contactRecord.Agent).toMatchObject({
      ConnectedToAgentTimestamp: '2026-11-25T16:00:10Z',
      AgentInteractionDuration: SIMULATED_TIME.talkSeconds,
    });
    expect(result.contactRecord.AgentConnectionAttempts).toBe(1);
    expect(result.contactRecord.Queue).toMatchObject({
      Duration: SIMULATED_TIME.agentAnswerSeconds,
    });
  });

  it.each(['busy', 'none'] as const)(
    'agents %s at the hand-over: the caller waits to the bound, then hangs up; no agent in the record',
    async (agents) => {
      const result = await run(
        flowOf(setQueue('set', QUEUE, 'queue'), toQueue('queue', 'bye')),
        world({ agents: () => agents }),
      );
      expect(result).toMatchObject({
        outcome: 'queued',
        waitSeconds: SIMULATED_TIME.maxQueueWaitSeconds,
        durationSeconds: SIMULATED_TIME.maxQueueWaitSeconds,
        disconnectReason: 'CUSTOMER_DISCONNECT',
      });
      expect(result.queue?.answeredByAgentSeconds).toBeUndefined();
      expect(stepOf(result, 'queue').note).toContain('waited to the bound (1800 s)');
      expect(result.contactRecord.Agent).toBeNull();
    },
  );

  it('a call never queued waited 0 s', async () => {
    const result = await run(flowOf(say('hello', 'Hello.')));
    expect(result.waitSeconds).toBe(0);
  });
});

describe('CheckHoursOfOperation and flow logging', () => {
  const flow = flowOf(
    logging('log', 'hours'),
    hours('hours', 'open', 'closed'),
    say('open', 'Open.'),
    say('closed', 'Closed.'),
  );

  it('asks the world whether the hours are open at the current simulated time', async () => {
    const asked: unknown[] = [];
    const result = await run(
      flow,
      world({
        isOpen: (which, at) => {
          asked.push([which, at.toISOString()]);
          return false;
        },
      }),
    );
    expect(branches(result)).toEqual(['log:next', 'hours:Equals False', 'closed:next', 'bye:end']);
    expect(asked).toEqual([[{ hoursOfOperationId: 'hours-1' }, '2026-11-25T16:00:00.000Z']]);
  });

  it('refuses to guess hours when the world does not model them', async () => {
    const error = await refusal(run(flow));
    expect(error.message).toMatch(
      /action "hours" \(CheckHoursOfOperation\): CheckHoursOfOperation needs world\.isOpen/,
    );
  });
});

describe('how the call ends', () => {
  it('is a message then a disconnect after a prompt, silence without one', async () => {
    expect((await run(flowOf(say('bye-message', 'Goodbye.')))).outcome).toBe('message-disconnect');
    expect((await run(flowOf())).outcome).toBe('disconnected');
    // A silent step after the message does not change what the caller heard last.
    const afterLog = await run(flowOf(say('m', 'Goodbye.', 'log'), logging('log', 'bye')));
    expect(afterLog.outcome).toBe('message-disconnect');
    // A failed ring after the message does.
    const afterRing = await run(
      flowOf(say('m', 'Please hold.', 'ring'), transfer('ring', '+15125550101', 'bye', 'bye')),
      world({ thirdParty: () => 'busy' }),
    );
    expect(afterRing.outcome).toBe('disconnected');
  });

  it('stops a looping flow at the step limit', async () => {
    const looping = flowOf(
      setAttributes('set', { again: 'yes' }, 'hello'),
      say('hello', 'Hello.', 'check'),
      compare('check', '$.Attributes.again', [['Equals', 'yes', 'hello']], 'bye'),
    );
    const error = await refusal(run(looping));
    expect(error.message).toBe(
      'stopped after 200 steps at action "check": the flow loops (the step limit is 200)',
    );
    const sooner = await refusal(simulateCall(looping, CALL, world(), { maxSteps: 10 }));
    expect(sooner.message).toMatch(/^stopped after 10 steps at action "check": the flow loops/);
  });
});

describe('the contact trace record', () => {
  it('records a recorded call transferred to the ring-to', async () => {
    const result = await run(
      flowOf(
        logging('log', 'lookup'),
        lambda('lookup', 'copy', 'bye'),
        setAttributes('copy', { found: '$.External.found' }, 'disclose'),
        say('disclose', 'This call may be recorded.', 'record'),
        record('record', true, 'ring'),
        transfer('ring', '+15125550101', 'bye', 'bye'),
      ),
      world({ invokeLambda: async () => ok({ found: 'true' }, 250) }),
    );
    const location = `local-recordings/connect/calltrack/CallRecordings/2026/11/25/${CONTACT_ID}_20261125T16:00_UTC.wav`;
    expect(result.contactRecord).toEqual({
      AWSContactTraceRecordFormatVersion: '2017-03-10',
      AWSAccountId: '111122223333',
      InstanceARN: INSTANCE_ARN,
      ContactId: CONTACT_ID,
      InitialContactId: CONTACT_ID,
      // As in the event the Lambda saw.
      PreviousContactId: CONTACT_ID,
      NextContactId: null,
      Channel: 'VOICE',
      InitiationMethod: 'INBOUND',
      InitiationTimestamp: '2026-11-25T16:00:00Z',
      ConnectedToSystemTimestamp: '2026-11-25T16:00:00Z',
      // lookup 0.25 s, disclosure 2 s, ring 5 s, talk 60 s
      DisconnectTimestamp: '2026-11-25T16:01:07Z',
      LastUpdateTimestamp: '2026-11-25T16:01:07Z',
      SystemEndpoint: { Address: '+15125550151', Type: 'TELEPHONE_NUMBER' },
      CustomerEndpoint: { Address: '+13035550187', Type: 'TELEPHONE_NUMBER' },
      Attributes: { found: 'true' },
      TransferredToEndpoint: { Address: '+15125550101', Type: 'TELEPHONE_NUMBER' },
      TransferCompletedTimestamp: '2026-11-25T16:00:07Z',
      Queue: null,
      Agent: null,
      AgentConnectionAttempts: 0,
      Recording: { Location: location, Status: 'AVAILABLE', Type: 'AUDIO' },
      Recordings: [
        {
          Location: location,
          MediaStreamType: 'AUDIO',
          ParticipantType: 'IVR',
          StorageType: 'S3',
          Status: 'AVAILABLE',
        },
      ],
      DisconnectReason: 'THIRD_PARTY_DISCONNECT',
    });
  });

  it('records a queued call without recording', async () => {
    const result = await run(
      flowOf(
        say('hold', 'Please hold.', 'set'),
        setQueue('set', QUEUE, 'queue'),
        toQueue('queue', 'bye'),
      ),
      world(),
      { instanceAlias: 'austin' },
    );
    expect(result.contactRecord).toMatchObject({
      TransferredToEndpoint: null,
      TransferCompletedTimestamp: null,
      Queue: {
        ARN: QUEUE,
        Name: 'front-desk',
        EnqueueTimestamp: '2026-11-25T16:00:01Z',
        DequeueTimestamp: '2026-11-25T16:01:01Z',
        Duration: 60,
      },
      Recording: null,
      Recordings: [],
      DisconnectReason: 'CUSTOMER_DISCONNECT',
    });
  });

  it('records a flow that hangs up, and a recording under the instance alias', async () => {
    const result = await run(
      flowOf(
        say('disclose', 'Recorded.', 'record'),
        record('record', true, 'sorry'),
        say('sorry', 'Sorry.'),
      ),
      world(),
      { instanceAlias: 'austin' },
    );
    expect(result.contactRecord).toMatchObject({
      DisconnectReason: 'CONTACT_FLOW_DISCONNECT',
      DisconnectTimestamp: '2026-11-25T16:00:02Z',
      Recordings: [
        { Location: expect.stringMatching(/^local-recordings\/connect\/austin\/CallRecordings\//) },
      ],
    });
  });
});
