import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../lambdas/flow/language/index.js';
import {
  type AgentStaffing,
  enumerateCalls,
  FlowSimulationError,
  pathProblems,
  SIMULATED_TIME,
  type SimulatedWorld,
  secondsToResolution,
  simulateCall,
  trail,
} from '../../lambdas/flow/simulator/index.js';
import { INSTANCE_ARN, queueArn } from '../support/fixtures.js';
import { type Action, flowOf, handWrittenCall } from '../support/hand-written-flows.js';

/**
 * Customer queue flows, callbacks and voicemail: small hand-written flows, the validator's rules
 * for the new actions and the simulator's handling of them.
 */

const QUEUE = queueArn('front-desk');
const QUEUE_FLOW = `${INSTANCE_ARN}/contact-flow/11111111-2222-4333-8444-555555555555`;
const CONTACT_ID = '7c1e5a10-3b2d-4f60-9a71-0000000001b2';

const CALL = handWrittenCall(CONTACT_ID);

const errors = (to: string, ...types: string[]) =>
  (types.length === 0 ? ['NoMatchingError'] : types).map((ErrorType) => ({
    NextAction: to,
    ErrorType,
  }));

const equals = (operand: string, to: string) => ({
  NextAction: to,
  Condition: { Operator: 'Equals', Operands: [operand] },
});

const say = (id: string, text: string, next = 'bye'): Action => ({
  Identifier: id,
  Type: 'MessageParticipant',
  Parameters: { Text: text },
  Transitions: { NextAction: next, Errors: errors(next) },
});

/** The call's own flow: set the queue flow hook, the queue, and hand the call over. */
const contactFlow = (hookTarget: string = QUEUE_FLOW) =>
  flowOf(
    {
      Identifier: 'hook',
      Type: 'UpdateContactEventHooks',
      Parameters: { EventHooks: { CustomerQueue: hookTarget } },
      Transitions: { NextAction: 'set-queue', Errors: errors('sorry') },
    },
    {
      Identifier: 'set-queue',
      Type: 'UpdateContactTargetQueue',
      Parameters: { QueueId: QUEUE },
      Transitions: { NextAction: 'to-queue', Errors: errors('sorry') },
    },
    {
      Identifier: 'to-queue',
      Type: 'TransferContactToQueue',
      Parameters: {},
      Transitions: {
        NextAction: 'sorry',
        Errors: errors('sorry', 'QueueAtCapacity', 'NoMatchingError'),
      },
    },
    say('sorry', 'Sorry, please call again.'),
  );

/**
 * The customer queue flow: hold prompts interrupted every 30 s, then the offer (1 callback,
 * 2 message, nothing: wait again); after three offers, a closing message.
 */
const queueFlow = (loopCount = '2') =>
  flowOf(
    {
      Identifier: 'hold',
      Type: 'MessageParticipantIteratively',
      Parameters: {
        Messages: [{ Text: 'All our staff are busy.' }, { PromptId: 'music' }],
        InterruptFrequencySeconds: '30',
      },
      Transitions: {
        NextAction: 'offer',
        Conditions: [equals('MessagesInterrupted', 'offer')],
        Errors: errors('offer'),
      },
    },
    {
      Identifier: 'offer',
      Type: 'GetParticipantInput',
      Parameters: {
        Text: 'Press 1 for a callback, 2 to leave a message.',
        InputTimeLimitSeconds: '5',
        StoreInput: 'False',
      },
      Transitions: {
        NextAction: 'again',
        Conditions: [equals('1', 'callback-number'), equals('2', 'stream')],
        Errors: errors('again', 'InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'),
      },
    },
    {
      Identifier: 'again',
      Type: 'Loop',
      Parameters: { LoopCount: loopCount },
      Transitions: {
        NextAction: 'hold',
        Conditions: [equals('ContinueLooping', 'hold'), equals('DoneLooping', 'closing')],
      },
    },
    say('closing', 'We are sorry, nobody could take your call. Goodbye.'),
    {
      Identifier: 'callback-number',
      Type: 'UpdateContactCallbackNumber',
      Parameters: { CallbackNumber: '$.CustomerEndpoint.Address' },
      Transitions: {
        NextAction: 'callback',
        Errors: errors('closing', 'InvalidCallbackNumber', 'CallbackNumberNotDialable'),
      },
    },
    {
      Identifier: 'callback',
      Type: 'CreateCallbackContact',
      Parameters: {
        InitialCallDelaySeconds: '60',
        MaximumConnectionAttempts: '3',
        RetryDelaySeconds: '600',
      },
      Transitions: { NextAction: 'callback-confirm', Errors: errors('closing') },
    },
    say('callback-confirm', 'We will call you back.'),
    {
      Identifier: 'stream',
      Type: 'UpdateContactMediaStreamingBehavior',
      Parameters: {
        MediaStreamingState: 'Enabled',
        Participants: [{ ParticipantType: 'Customer', MediaDirections: ['From'] }],
        MediaStreamType: 'Audio',
      },
      Transitions: { NextAction: 'remember-stream', Errors: errors('closing') },
    },
    {
      Identifier: 'remember-stream',
      Type: 'UpdateContactAttributes',
      Parameters: {
        TargetContact: 'Current',
        Attributes: {
          voicemail: 'recording',
          voicemailStreamArn: '$.MediaStreams.Customer.Audio.StreamARN',
          voicemailStartFragment: '$.MediaStreams.Customer.Audio.StartFragmentNumber',
          voicemailStartTimestamp: '$.MediaStreams.Customer.Audio.StartTimestamp',
        },
      },
      Transitions: { NextAction: 'tone', Errors: errors('closing') },
    },
    {
      Identifier: 'tone',
      Type: 'GetParticipantInput',
      Parameters: {
        Text: 'Leave your message after the tone.',
        InputTimeLimitSeconds: '60',
        StoreInput: 'False',
      },
      Transitions: {
        NextAction: 'bye',
        Conditions: [equals('#', 'bye')],
        Errors: errors('bye', 'InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'),
      },
    },
  );

const worldWith = (
  agents: AgentStaffing,
  flows: Record<string, unknown> = { [QUEUE_FLOW]: queueFlow() },
): SimulatedWorld => ({
  invokeLambda: async () => ({ kind: 'error', reason: 'no functions here' }),
  thirdParty: () => 'answer',
  queue: () => 'queued',
  agents: () => agents,
  flow: (arn) => flows[arn],
});

const ids = (trace: readonly { identifier: string; flow?: string }[]) =>
  trace.map((step) => (step.flow === undefined ? step.identifier : `queue:${step.identifier}`));

describe('the Flow Language rules for queue flows, callbacks and voicemail', () => {
  it('accepts the hand-written contact and customer queue flows', () => {
    expect(validateFlow(contactFlow(), { flowType: 'CONTACT_FLOW' })).toEqual([]);
    expect(validateFlow(queueFlow(), { flowType: 'CUSTOMER_QUEUE' })).toEqual([]);
    expect(validateFlow(queueFlow('$.Attributes.offers'))).toEqual([]);
  });

  it('refuses actions the flow type does not run', () => {
    expect(validateFlow(queueFlow(), { flowType: 'CONTACT_FLOW' })).toEqual([
      expect.stringContaining(
        'MessageParticipantIteratively is not supported in a CONTACT_FLOW flow',
      ),
    ]);
    const problems = validateFlow(contactFlow(), { flowType: 'CUSTOMER_QUEUE' });
    expect(problems).toEqual([
      expect.stringContaining('UpdateContactEventHooks is not supported in a CUSTOMER_QUEUE flow'),
      expect.stringContaining('UpdateContactTargetQueue is not supported in a CUSTOMER_QUEUE flow'),
    ]);
  });

  it('accepts End flow / Resume only in whisper and customer queue flows, and no hand-over in a whisper', () => {
    const end = { Identifier: 'resume', Type: 'EndFlowExecution', Parameters: {}, Transitions: {} };
    const whisper = {
      Version: '2019-10-30',
      StartAction: 'say',
      Actions: [
        {
          Identifier: 'say',
          Type: 'MessageParticipant',
          Parameters: { Text: 'Google Ads call.' },
          Transitions: {
            NextAction: 'resume',
            Errors: [{ NextAction: 'resume', ErrorType: 'NoMatchingError' }],
          },
        },
        end,
      ],
    };
    expect(validateFlow(whisper, { flowType: 'AGENT_WHISPER' })).toEqual([]);
    expect(validateFlow(whisper, { flowType: 'CUSTOMER_QUEUE' })).toEqual([]);
    expect(validateFlow(whisper, { flowType: 'CONTACT_FLOW' })).toEqual([
      expect.stringContaining('EndFlowExecution is not supported in a CONTACT_FLOW flow'),
    ]);
    // Always terminal, with no parameters.
    expect(
      validateFlow(
        { ...whisper, Actions: [whisper.Actions[0], { ...end, Parameters: { Text: 'x' } }] },
        { flowType: 'AGENT_WHISPER' },
      ),
    ).toEqual([expect.stringContaining('Text')]);
    expect(validateFlow(contactFlow(), { flowType: 'AGENT_WHISPER' })).toEqual([
      expect.stringContaining('TransferContactToQueue is not supported in a AGENT_WHISPER flow'),
    ]);
  });

  const withParameters = (
    flow: ReturnType<typeof flowOf>,
    id: string,
    parameters: Record<string, unknown>,
  ) => ({
    ...flow,
    Actions: flow.Actions.map((a) => (a.Identifier === id ? { ...a, Parameters: parameters } : a)),
  });

  it.each([
    [
      'two hooks in one action',
      'hook',
      { EventHooks: { CustomerQueue: QUEUE_FLOW, CustomerHold: QUEUE_FLOW } },
      'has 2 entries',
    ],
    [
      'an unknown hook',
      'hook',
      { EventHooks: { CustomerWait: QUEUE_FLOW } },
      'CustomerWait is not an event hook',
    ],
    [
      'a hook to a queue, not a flow',
      'hook',
      { EventHooks: { CustomerQueue: QUEUE } },
      'a flow ARN',
    ],
  ])('UpdateContactEventHooks: refuses %s', (_what, id, parameters, message) => {
    expect(validateFlow(withParameters(contactFlow(), id, parameters))).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it.each([
    ['LoopCount above 100', 'again', { LoopCount: '101' }, 'from "0" to "100"'],
    [
      'a static callback number',
      'callback-number',
      { CallbackNumber: '+13035550187' },
      'a single JSONPath',
    ],
    [
      'a first delay over three days',
      'callback',
      {
        InitialCallDelaySeconds: '259201',
        MaximumConnectionAttempts: '3',
        RetryDelaySeconds: '600',
      },
      'InitialCallDelaySeconds is "259201"',
    ],
    [
      'no connection attempts',
      'callback',
      { InitialCallDelaySeconds: '60', MaximumConnectionAttempts: '0', RetryDelaySeconds: '600' },
      'MaximumConnectionAttempts is "0"',
    ],
    [
      'streaming the agent',
      'stream',
      {
        MediaStreamingState: 'Enabled',
        Participants: [{ ParticipantType: 'Agent', MediaDirections: ['From'] }],
        MediaStreamType: 'Audio',
      },
      'ParticipantType is "Agent"',
    ],
    [
      'a message with two prompts',
      'hold',
      { Messages: [{ Text: 'a', PromptId: 'b' }], InterruptFrequencySeconds: '30' },
      'exactly one',
    ],
  ])('refuses %s', (_what, id, parameters, message) => {
    expect(validateFlow(withParameters(queueFlow(), id, parameters))).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('requires both Loop conditions and the MessagesInterrupted condition with an interrupt', () => {
    const flow = queueFlow();
    const broken = {
      ...flow,
      Actions: flow.Actions.map((a) =>
        a.Identifier === 'again' || a.Identifier === 'hold'
          ? {
              ...a,
              Transitions: { ...a.Transitions, Conditions: [equals('ContinueLooping', 'hold')] },
            }
          : a,
      ),
    };
    const problems = validateFlow(broken).join('\n');
    expect(problems).toContain('DoneLooping');
    expect(problems).toContain('MessagesInterrupted');
  });
});

describe('simulating the customer queue flow', () => {
  it('remembers the event hooks the flow set', async () => {
    const result = await simulateCall(contactFlow(), CALL, worldWith('available'));
    expect(result.eventHooks).toEqual({ CustomerQueue: QUEUE_FLOW });
  });

  it('lets a free agent answer without running the queue flow', async () => {
    const result = await simulateCall(contactFlow(), CALL, worldWith('available'));
    expect(result.outcome).toBe('queued');
    expect(result.waitSeconds).toBe(SIMULATED_TIME.agentAnswerSeconds);
    expect(result.trace.some((step) => step.flow !== undefined)).toBe(false);
  });

  it('without a CustomerQueue hook the caller waits to the bound, as before', async () => {
    const flow = contactFlow();
    const unhooked = {
      ...flow,
      StartAction: 'set-queue',
      Actions: flow.Actions.filter((a) => a.Identifier !== 'hook'),
    };
    const result = await simulateCall(unhooked, CALL, worldWith('busy'));
    expect(result.outcome).toBe('queued');
    expect(result.waitSeconds).toBe(SIMULATED_TIME.maxQueueWaitSeconds);
  });

  it('a caller who waits hears the hold loop, the offer three times, then the closing message', async () => {
    const result = await simulateCall(contactFlow(), CALL, worldWith('busy'));
    expect(ids(result.trace)).toEqual([
      'hook',
      'set-queue',
      'to-queue',
      ...Array.from({ length: 3 }, () => ['queue:hold', 'queue:offer', 'queue:again']).flat(),
      'queue:closing',
      'queue:bye',
    ]);
    expect(result.trace.filter((s) => s.identifier === 'again').map((s) => s.branch)).toEqual([
      'Equals ContinueLooping',
      'Equals ContinueLooping',
      'Equals DoneLooping',
    ]);
    // Each round: 30 s of hold prompts to the interrupt, the offer's prompt (3 s), its 5 s timeout.
    const hold = result.trace.filter((s) => s.identifier === 'hold').map((s) => s.atSeconds);
    expect(hold).toEqual([0, 38, 76]);
    expect(result.outcome).toBe('message-disconnect');
    expect(result.prompts.at(-1)?.by).toBe('closing');
    expect(secondsToResolution(result)).toBe(114);
    expect(result.waitSeconds).toBe(result.durationSeconds);
  });

  it('a caller who presses 1 gets a callback to their own number', async () => {
    const result = await simulateCall(
      contactFlow(),
      { ...CALL, inQueue: 'callback' },
      worldWith('none'),
    );
    expect(result.outcome).toBe('callback');
    expect(result.callback).toEqual({
      number: CALL.caller,
      queueArn: QUEUE,
      initialDelaySeconds: 60,
      createdSeconds: 34,
    });
    expect(secondsToResolution(result)).toBe(34);
    expect(result.disconnectReason).toBe('CONTACT_FLOW_DISCONNECT');
  });

  it('a callback number that is not E.164 takes InvalidCallbackNumber', async () => {
    const flow = queueFlow();
    const withBadNumber = {
      ...flow,
      Actions: flow.Actions.map((a) =>
        a.Identifier === 'callback-number'
          ? { ...a, Parameters: { CallbackNumber: '$.SystemEndpoint.Type' } }
          : a,
      ),
    };
    const result = await simulateCall(
      contactFlow(),
      { ...CALL, inQueue: 'callback' },
      worldWith('none', { [QUEUE_FLOW]: withBadNumber }),
    );
    expect(result.trace.find((s) => s.identifier === 'callback-number')?.branch).toBe(
      'InvalidCallbackNumber',
    );
    expect(result.callback).toBeUndefined();
  });

  it('a caller who presses 2 and speaks leaves a voicemail on the stream', async () => {
    const result = await simulateCall(
      contactFlow(),
      { ...CALL, inQueue: 'message' },
      worldWith('busy'),
    );
    const streamArn = `arn:aws:kinesisvideo:us-east-1:111122223333:stream/connect-calltrack-contact-${CONTACT_ID}/0`;
    expect(result.outcome).toBe('voicemail');
    // 30 s hold, 3 s offer, 1 s key, then the tone's 3 s prompt.
    expect(result.voicemail).toEqual({
      startedSeconds: 37,
      durationSeconds: SIMULATED_TIME.voicemailMessageSeconds,
      streamArn,
      startFragment: expect.stringMatching(/^\d{47}$/),
    });
    expect(result.attributes).toMatchObject({
      voicemail: 'recording',
      voicemailStreamArn: streamArn,
      voicemailStartTimestamp: String(CALL.at.getTime() + 34_000),
    });
    expect(result.disconnectReason).toBe('CUSTOMER_DISCONNECT');
    expect(result.durationSeconds).toBe(37 + SIMULATED_TIME.voicemailMessageSeconds);
    expect(result.contactRecord).toMatchObject({
      MediaStreams: [{ Type: 'AUDIO' }],
      Attributes: { voicemailStreamArn: streamArn },
      Queue: {
        ARN: QUEUE,
        EnqueueTimestamp: '2026-11-25T16:00:00Z',
        DequeueTimestamp: '2026-11-25T16:00:57Z',
        Duration: 57,
      },
    });
    expect(secondsToResolution(result)).toBe(37);
  });

  it('a caller who hangs up at the tone leaves nothing', async () => {
    const result = await simulateCall(
      contactFlow(),
      { ...CALL, inQueue: 'message', voicemail: 'hang-up' },
      worldWith('busy'),
    );
    expect(result.outcome).toBe('hung-up');
    expect(result.voicemail).toBeUndefined();
    expect(result.durationSeconds).toBe(37);
    expect(secondsToResolution(result)).toBeUndefined();
  });

  it('a caller who hangs up at the offer', async () => {
    const result = await simulateCall(
      contactFlow(),
      { ...CALL, inQueue: 'hang-up' },
      worldWith('busy'),
    );
    expect(result.outcome).toBe('hung-up');
    expect(trail(result.trace)).toBe(
      'hook -> set-queue -> to-queue -> queue:hold [Equals MessagesInterrupted] -> queue:offer',
    );
    expect(result.disconnectReason).toBe('CUSTOMER_DISCONNECT');
    expect(result.contactRecord).not.toHaveProperty('MediaStreams');
  });

  it('a hold loop without an interrupt runs until the caller gives up at the bound', async () => {
    const endless = flowOf({
      Identifier: 'hold',
      Type: 'MessageParticipantIteratively',
      Parameters: { Messages: [{ Text: 'Please hold.' }] },
      Transitions: { NextAction: 'bye', Errors: errors('bye') },
    });
    const result = await simulateCall(
      contactFlow(),
      CALL,
      worldWith('busy', { [QUEUE_FLOW]: endless }),
    );
    expect(result.outcome).toBe('hung-up');
    expect(result.waitSeconds).toBe(SIMULATED_TIME.maxQueueWaitSeconds);
    expect(result.prompts.filter((p) => p.by === 'hold')).toHaveLength(
      SIMULATED_TIME.maxQueueWaitSeconds,
    );
  });

  it('refuses a queue flow with actions Connect does not run there', async () => {
    const flow = queueFlow();
    const withQueueChange = flowOf({
      Identifier: 'set-queue',
      Type: 'UpdateContactTargetQueue',
      Parameters: { QueueId: QUEUE },
      Transitions: { NextAction: 'bye', Errors: errors('bye') },
    });
    await expect(
      simulateCall(contactFlow(), CALL, worldWith('busy', { [QUEUE_FLOW]: withQueueChange })),
    ).rejects.toThrow(/UpdateContactTargetQueue is not supported in a CUSTOMER_QUEUE flow/);
    await expect(simulateCall(flow, CALL, worldWith('busy'))).rejects.toThrow(FlowSimulationError);
  });

  it('refuses a hook that names a flow the world does not have', async () => {
    await expect(simulateCall(contactFlow(), CALL, worldWith('busy', {}))).rejects.toThrow(
      /world.flow has no flow/,
    );
  });

  it('a dynamic LoopCount reads the contact', async () => {
    const flow = flowOf(
      {
        Identifier: 'count',
        Type: 'UpdateContactAttributes',
        Parameters: { TargetContact: 'Current', Attributes: { n: '1' } },
        Transitions: { NextAction: 'loop', Errors: errors('bye') },
      },
      {
        Identifier: 'loop',
        Type: 'Loop',
        Parameters: { LoopCount: '$.Attributes.n' },
        Transitions: {
          NextAction: 'bye',
          Conditions: [equals('ContinueLooping', 'loop'), equals('DoneLooping', 'done')],
        },
      },
      say('done', 'Done.'),
    );
    const result = await simulateCall(flow, CALL, worldWith('available'));
    expect(result.trace.filter((s) => s.identifier === 'loop').map((s) => s.branch)).toEqual([
      'Equals ContinueLooping',
      'Equals DoneLooping',
    ]);
  });
});

describe("callbacks and streams in the call's own flow", () => {
  const callbackFlow = flowOf(
    {
      Identifier: 'number',
      Type: 'UpdateContactCallbackNumber',
      Parameters: { CallbackNumber: '$.CustomerEndpoint.Address' },
      Transitions: {
        NextAction: 'callback',
        Errors: errors('sorry', 'InvalidCallbackNumber', 'CallbackNumberNotDialable'),
      },
    },
    {
      Identifier: 'callback',
      Type: 'CreateCallbackContact',
      Parameters: {
        QueueId: QUEUE,
        InitialCallDelaySeconds: '259200',
        MaximumConnectionAttempts: '2',
        RetryDelaySeconds: '300',
      },
      Transitions: { NextAction: 'confirm', Errors: errors('sorry') },
    },
    say('confirm', 'We will call you back.'),
    say('sorry', 'Sorry.'),
  );

  it('records the callback of a contact flow, delay and queue as given', async () => {
    const result = await simulateCall(callbackFlow, CALL, worldWith('available'));
    expect(result.outcome).toBe('callback');
    expect(result.callback).toEqual({
      number: CALL.caller,
      queueArn: QUEUE,
      initialDelaySeconds: 259_200,
      createdSeconds: 0,
    });
  });

  it('takes CallbackNumberNotDialable for a number the world cannot dial', async () => {
    const world = { ...worldWith('available'), dialable: () => false };
    const result = await simulateCall(callbackFlow, CALL, world);
    expect(result.trace[0]?.branch).toBe('CallbackNumberNotDialable');
    expect(result.outcome).toBe('message-disconnect');
  });

  it('refuses a stream reference it does not model, and one read before the stream starts', async () => {
    const reading = (path: string) =>
      flowOf({
        Identifier: 'keep',
        Type: 'UpdateContactAttributes',
        Parameters: { TargetContact: 'Current', Attributes: { arn: path } },
        Transitions: { NextAction: 'bye', Errors: errors('bye') },
      });
    await expect(
      simulateCall(reading('$.MediaStreams.Customer.Audio.Codec'), CALL, worldWith('available')),
    ).rejects.toThrow(/not modelled/);
    await expect(
      simulateCall(
        reading('$.MediaStreams.Customer.Audio.StreamARN'),
        CALL,
        worldWith('available'),
      ),
    ).rejects.toThrow(/the customer's audio is not streamed/);
  });

  it('a free agent resolves the call when they answer', async () => {
    const result = await simulateCall(contactFlow(), CALL, worldWith('available'));
    expect(secondsToResolution(result)).toBe(SIMULATED_TIME.agentAnswerSeconds);
  });
});

describe('enumerating the customer queue flow', () => {
  it('reaches every end, each a proper one, and covers the queue flow', async () => {
    const enumeration = await enumerateCalls(contactFlow(), {
      call: CALL,
      lambdaAnswers: {},
      queue: ['queued'],
      faultsPerPath: 0,
      flows: { [QUEUE_FLOW]: queueFlow() },
    });
    const outcomes = new Set(enumeration.paths.map((p) => (p.ok ? p.result.outcome : 'stopped')));
    expect([...outcomes].sort()).toEqual([
      'callback',
      'hung-up',
      'message-disconnect',
      'queued',
      'voicemail',
    ]);
    expect(
      pathProblems(enumeration.paths, {
        disclosureActions: [],
        closingMessages: ['closing', 'callback-confirm', 'sorry'],
      }),
    ).toEqual([]);
    // Faults are off, the tone is never answered with a key (the caller speaks or hangs up), and
    // the offer sees only 1, 2 or no key: what remains are error branches.
    expect(enumeration.flowCoverage[QUEUE_FLOW]?.uncoveredEdges).toEqual([
      'hold [NoMatchingError] -> offer',
      'offer [next] -> again',
      'offer [NoMatchingCondition] -> again',
      'offer [NoMatchingError] -> again',
      'closing [NoMatchingError] -> bye',
      'callback-number [InvalidCallbackNumber] -> closing',
      'callback-number [CallbackNumberNotDialable] -> closing',
      'callback [NoMatchingError] -> closing',
      'callback-confirm [NoMatchingError] -> bye',
      'stream [NoMatchingError] -> closing',
      'remember-stream [NoMatchingError] -> closing',
      'tone [next] -> bye',
      'tone [Equals #] -> bye',
      'tone [InputTimeLimitExceeded] -> bye',
      'tone [NoMatchingCondition] -> bye',
      'tone [NoMatchingError] -> bye',
    ]);
    const worst = Math.max(
      ...enumeration.paths.flatMap((p) => (p.ok ? (secondsToResolution(p.result) ?? []) : [])),
    );
    expect(worst).toBe(114);
  });
});
