import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../lambdas/flow/language/index.js';
import {
  enumerateCalls,
  FlowSimulationError,
  pathProblems,
  type SimulatedWorld,
  simulateCall,
} from '../../lambdas/flow/simulator/index.js';
import { INSTANCE_ARN, queueArn } from '../support/fixtures.js';

/**
 * Flows shaped as the Connect console exports them (Version 2019-10-30, UUID identifiers, the
 * console's Metadata with layout, display names and flow details), written for these tests.
 */

const IDS = {
  logging: '6f0c0a51-0d1e-4a55-9f0e-3b7c1c2b0a01',
  greeting: '9a4e2d73-55b0-4c36-8d8f-1f5d0e6b0a02',
  menu: 'c3b1f0e4-7d2a-4e8b-a0c5-5e9d8f7a0a03',
  lookup: '0d9b7c15-3e4f-4b6a-9c2d-8e1f0a3b0a04',
  save: '4a7e9c21-2b3d-4f5e-8a6b-7c9d0e1f0a05',
  setQueue: 'e8f1a2b3-c4d5-4e6f-9a7b-8c9d0e1f0a06',
  toQueue: 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f0a07',
  sorry: '1b2c3d4e-5f60-4718-9a2b-3c4d5e6f0a08',
  disconnect: '2c3d4e5f-6071-4829-8b3c-4d5e6f7a0a09',
  lex: '3d4e5f60-7182-493a-9c4d-5e6f7a8b0a10',
  moduleA: '4e5f6071-8293-4a4b-8d5e-6f7a8b9c0a11',
  moduleB: '5f607182-93a4-4b5c-9e6f-7a8b9c0d0a12',
};

const LAMBDA = 'arn:aws:lambda:us-east-1:111122223333:function:crm-lookup';
const SALES = queueArn('sales');

const position = (x: number, y: number) => ({ position: { x, y } });

const consoleMetadata = (actionMetadata: Record<string, unknown>) => ({
  entryPointPosition: { x: 39.2, y: 40 },
  snapToGrid: false,
  ActionMetadata: actionMetadata,
  Annotations: [],
  name: 'Sample inbound flow',
  description: '',
  type: 'contactFlow',
  status: 'published',
  hash: {},
});

const noMatchingError = (to: string) => [{ NextAction: to, ErrorType: 'NoMatchingError' }];

/** A console export that uses only actions the simulator supports. */
const supportedExport = () => ({
  Version: '2019-10-30',
  StartAction: IDS.logging,
  Metadata: consoleMetadata({
    [IDS.logging]: position(160.8, 40),
    [IDS.greeting]: { ...position(400, 40), isFriendlyName: true },
    [IDS.menu]: {
      ...position(640, 40),
      conditionMetadata: [
        {
          id: 'a1b2c3d4-0000-4000-8000-000000000001',
          operator: { name: 'Equals', value: 'Equals', shortDisplay: '=' },
          value: '1',
        },
      ],
      useDynamic: false,
    },
    [IDS.lookup]: {
      ...position(880, 40),
      parameters: { LambdaFunctionARN: { displayName: 'crm-lookup' } },
      dynamicMetadata: { phone: true },
    },
    [IDS.save]: { ...position(1120, 40), dynamicParams: ['tier'] },
    [IDS.setQueue]: {
      ...position(1360, 40),
      parameters: { QueueId: { displayName: 'sales' } },
      queue: { text: 'sales' },
    },
    [IDS.toQueue]: position(1600, 40),
    [IDS.sorry]: position(1600, 240),
    [IDS.disconnect]: position(1840, 240),
  }),
  Actions: [
    {
      Parameters: { FlowLoggingBehavior: 'Enabled' },
      Identifier: IDS.logging,
      Type: 'UpdateFlowLoggingBehavior',
      Transitions: { NextAction: IDS.greeting },
    },
    {
      Parameters: { Text: 'Thanks for calling the sales line.' },
      Identifier: IDS.greeting,
      Type: 'MessageParticipant',
      Transitions: { NextAction: IDS.menu, Errors: noMatchingError(IDS.menu) },
    },
    {
      Parameters: {
        Text: 'To speak to sales, press 1.',
        StoreInput: 'False',
        InputTimeLimitSeconds: '5',
      },
      Identifier: IDS.menu,
      Type: 'GetParticipantInput',
      Transitions: {
        NextAction: IDS.sorry,
        Conditions: [
          { NextAction: IDS.lookup, Condition: { Operator: 'Equals', Operands: ['1'] } },
        ],
        Errors: [
          { NextAction: IDS.sorry, ErrorType: 'InputTimeLimitExceeded' },
          { NextAction: IDS.sorry, ErrorType: 'NoMatchingCondition' },
          { NextAction: IDS.sorry, ErrorType: 'NoMatchingError' },
        ],
      },
    },
    {
      Parameters: {
        LambdaFunctionARN: LAMBDA,
        InvocationTimeLimitSeconds: '3',
        InvocationType: 'SYNCHRONOUS',
        LambdaInvocationAttributes: { phone: '$.CustomerEndpoint.Address' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      },
      Identifier: IDS.lookup,
      Type: 'InvokeLambdaFunction',
      Transitions: { NextAction: IDS.save, Errors: noMatchingError(IDS.setQueue) },
    },
    {
      Parameters: { Attributes: { tier: '$.External.tier' }, TargetContact: 'Current' },
      Identifier: IDS.save,
      Type: 'UpdateContactAttributes',
      Transitions: { NextAction: IDS.setQueue, Errors: noMatchingError(IDS.setQueue) },
    },
    {
      Parameters: { QueueId: SALES },
      Identifier: IDS.setQueue,
      Type: 'UpdateContactTargetQueue',
      Transitions: { NextAction: IDS.toQueue, Errors: noMatchingError(IDS.sorry) },
    },
    {
      Parameters: {},
      Identifier: IDS.toQueue,
      Type: 'TransferContactToQueue',
      Transitions: {
        NextAction: IDS.sorry,
        Errors: [
          { NextAction: IDS.sorry, ErrorType: 'QueueAtCapacity' },
          { NextAction: IDS.sorry, ErrorType: 'NoMatchingError' },
        ],
      },
    },
    {
      Parameters: { Text: 'Sorry, we cannot take your call now. Goodbye.' },
      Identifier: IDS.sorry,
      Type: 'MessageParticipant',
      Transitions: { NextAction: IDS.disconnect, Errors: noMatchingError(IDS.disconnect) },
    },
    { Parameters: {}, Identifier: IDS.disconnect, Type: 'DisconnectParticipant', Transitions: {} },
  ],
});

/** A console export with a Lex bot and two flow-module blocks. */
const unsupportedExport = () => {
  const flow = supportedExport();
  return {
    ...flow,
    StartAction: IDS.lex,
    Metadata: consoleMetadata({
      ...flow.Metadata.ActionMetadata,
      [IDS.lex]: {
        ...position(40, 400),
        parameters: { LexV2Bot: { AliasArn: { displayName: 'bot' } } },
      },
      [IDS.moduleA]: position(280, 400),
      [IDS.moduleB]: position(520, 400),
    }),
    Actions: [
      {
        Parameters: {
          Text: 'How can I help?',
          LexV2Bot: { AliasArn: 'arn:aws:lex:us-east-1:111122223333:bot-alias/ABC/DEF' },
        },
        Identifier: IDS.lex,
        Type: 'ConnectParticipantWithLexBot',
        Transitions: {
          NextAction: IDS.moduleA,
          Errors: [{ NextAction: IDS.moduleA, ErrorType: 'NoMatchingCondition' }],
        },
      },
      {
        Parameters: { FlowModuleId: 'aaaaaaaa-0000-4000-8000-000000000001' },
        Identifier: IDS.moduleA,
        Type: 'InvokeFlowModule',
        Transitions: { NextAction: IDS.moduleB, Errors: noMatchingError(IDS.moduleB) },
      },
      {
        Parameters: { FlowModuleId: 'aaaaaaaa-0000-4000-8000-000000000002' },
        Identifier: IDS.moduleB,
        Type: 'InvokeFlowModule',
        Transitions: { NextAction: IDS.logging, Errors: noMatchingError(IDS.logging) },
      },
      ...flow.Actions,
    ],
  };
};

const CALL = {
  dialed: '+15125550151',
  caller: '+13035550187',
  at: new Date('2026-11-25T16:00:00Z'),
  instanceArn: INSTANCE_ARN,
};

const world = (overrides: Partial<SimulatedWorld> = {}): SimulatedWorld => ({
  invokeLambda: async () => ({ kind: 'ok', result: { tier: 'gold' }, elapsedMs: 120 }),
  thirdParty: () => 'answer',
  queue: () => 'queued',
  ...overrides,
});

describe('a flow exported from the Connect console', () => {
  it('passes the validator with the console Metadata as it is', () => {
    expect(validateFlow(supportedExport())).toEqual([]);
  });

  it('runs when it uses only supported actions', async () => {
    const result = await simulateCall(supportedExport(), { ...CALL, digits: '1' }, world());
    expect(result.trace.map((step) => step.type)).toEqual([
      'UpdateFlowLoggingBehavior',
      'MessageParticipant',
      'GetParticipantInput',
      'InvokeLambdaFunction',
      'UpdateContactAttributes',
      'UpdateContactTargetQueue',
      'TransferContactToQueue',
    ]);
    expect(result).toMatchObject({
      outcome: 'queued',
      endpoint: SALES,
      attributes: { tier: 'gold' },
    });
    expect(result.trace[3]?.parameters).toMatchObject({
      LambdaInvocationAttributes: { phone: CALL.caller },
    });
    expect(result.contactRecord).toMatchObject({
      Queue: { ARN: SALES },
      Attributes: { tier: 'gold' },
    });
  });

  it('reaches sales or an explicit message on every path', async () => {
    const enumeration = await enumerateCalls(supportedExport(), {
      call: CALL,
      lambdaAnswers: {
        [LAMBDA]: [
          { label: 'gold', outcome: { kind: 'ok', result: { tier: 'gold' } } },
          { label: 'fails', outcome: { kind: 'error', reason: 'boom' } },
        ],
      },
    });
    const outcomes = new Set(
      enumeration.paths.map((path) => (path.ok ? path.result.outcome : 'stopped')),
    );
    expect(outcomes).toEqual(new Set(['queued', 'message-disconnect', 'disconnected']));
    // The only silence is the goodbye itself failing to play.
    for (const path of enumeration.paths) {
      if (path.ok && path.result.outcome === 'disconnected') {
        expect(path.choices.at(-1)).toBe(`${IDS.sorry}: fault`);
      }
    }
    expect(enumeration.uncoveredEdges).toEqual([]);
  });

  it('is refused with the list of the actions the simulator does not support', async () => {
    const refused = await simulateCall(unsupportedExport(), CALL, world()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FlowSimulationError);
    expect((refused as FlowSimulationError).message).toBe(
      'this flow uses actions the simulator does not support: ' +
        `ConnectParticipantWithLexBot (id ${IDS.lex}), ` +
        `InvokeFlowModule (ids ${IDS.moduleA}, ${IDS.moduleB})`,
    );
    expect((refused as FlowSimulationError).problems).toEqual([
      `ConnectParticipantWithLexBot (id ${IDS.lex})`,
      `InvokeFlowModule (ids ${IDS.moduleA}, ${IDS.moduleB})`,
    ]);
    await expect(
      enumerateCalls(unsupportedExport(), { call: CALL, lambdaAnswers: {} }),
    ).rejects.toThrow(/does not support: ConnectParticipantWithLexBot/);
  });
});

const HOURS_ARN =
  'arn:aws:connect:us-east-1:111122223333:instance/0a1b2c3d-0000-4000-8000-00000000aaaa/operating-hours/7d9e0f1a-2b3c-4d5e-8f6a-7b8c9d0e1f2a';

const IDS_B = {
  logging: '7a1e0c52-1d2e-4b66-8f1e-4c8d2d3c0b01',
  hours: '8b2f1d63-2e3f-4c77-9a2f-5d9e3e4d0b02',
  disclosure: '9c302e74-3f40-4d88-8b30-6eaf4f5e0b03',
  record: 'ad413f85-4051-4e99-9c41-7fb0506f0b04',
  lookup: 'be524096-5162-4faa-8d52-80c16170b005',
  setQueue: 'cf6351a7-6273-40bb-9e63-91d27281b006',
  toQueue: 'd07462b8-7384-41cc-8f74-a2e38392b007',
  sorry: 'e18573c9-8495-42dd-9085-b3f494a3b008',
  closed: 'f29684da-95a6-43ee-8196-c405a5b4b009',
  disconnect: '03a795eb-a6b7-44ff-92a7-d516b6c5b010',
  /** A block deleted in the console whose layout entry the export still carries. */
  deleted: '14b8a6fc-b7c8-4500-83b8-e627c7d6b011',
};

/**
 * A console export with the blocks this project's own flow does not use: hours of operation, the
 * newer recording-and-analytics block, and a Lambda block without InvocationType.
 */
const hoursExport = () => ({
  Version: '2019-10-30',
  StartAction: IDS_B.logging,
  Metadata: consoleMetadata({
    [IDS_B.logging]: position(150, 40),
    [IDS_B.hours]: {
      ...position(380, 40),
      parameters: { HoursOfOperationId: { displayName: 'Basic Hours' } },
      Hours: { id: HOURS_ARN, text: 'Basic Hours' },
    },
    [IDS_B.disclosure]: position(620, 40),
    [IDS_B.record]: { ...position(860, 40), isFriendlyName: true },
    [IDS_B.lookup]: {
      ...position(1100, 40),
      parameters: { LambdaFunctionARN: { displayName: 'crm-lookup' } },
      dynamicMetadata: {},
    },
    [IDS_B.setQueue]: {
      ...position(1340, 40),
      parameters: { QueueId: { displayName: 'sales' } },
      queue: { text: 'sales' },
    },
    [IDS_B.toQueue]: position(1580, 40),
    [IDS_B.sorry]: position(1580, 260),
    [IDS_B.closed]: position(620, 260),
    [IDS_B.disconnect]: position(1820, 260),
    [IDS_B.deleted]: position(2000, 500),
  }),
  Actions: [
    {
      Parameters: { FlowLoggingBehavior: 'Enabled' },
      Identifier: IDS_B.logging,
      Type: 'UpdateFlowLoggingBehavior',
      Transitions: { NextAction: IDS_B.hours },
    },
    {
      Parameters: { HoursOfOperationId: HOURS_ARN },
      Identifier: IDS_B.hours,
      Type: 'CheckHoursOfOperation',
      Transitions: {
        NextAction: IDS_B.closed,
        Conditions: [
          { NextAction: IDS_B.disclosure, Condition: { Operator: 'Equals', Operands: ['True'] } },
          { NextAction: IDS_B.closed, Condition: { Operator: 'Equals', Operands: ['False'] } },
        ],
        Errors: noMatchingError(IDS_B.closed),
      },
    },
    {
      Parameters: { Text: 'This call may be recorded.', SkipWhenDTMFBufferEnabled: 'false' },
      Identifier: IDS_B.disclosure,
      Type: 'MessageParticipant',
      Transitions: { NextAction: IDS_B.record, Errors: noMatchingError(IDS_B.lookup) },
    },
    {
      Parameters: {
        VoiceBehavior: {
          VoiceRecordingBehavior: {
            RecordedParticipants: ['Agent', 'Customer'],
            IVRRecordingBehavior: 'Enabled',
          },
          VoiceAnalyticsBehavior: { Enabled: 'True', Language: 'en-US', AnalyticsModes: [] },
        },
      },
      Identifier: IDS_B.record,
      Type: 'UpdateContactRecordingAndAnalyticsBehavior',
      Transitions: { NextAction: IDS_B.lookup },
    },
    {
      Parameters: {
        LambdaFunctionARN: LAMBDA,
        InvocationTimeLimitSeconds: '3',
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      },
      Identifier: IDS_B.lookup,
      Type: 'InvokeLambdaFunction',
      Transitions: { NextAction: IDS_B.setQueue, Errors: noMatchingError(IDS_B.setQueue) },
    },
    {
      Parameters: { QueueId: SALES },
      Identifier: IDS_B.setQueue,
      Type: 'UpdateContactTargetQueue',
      Transitions: { NextAction: IDS_B.toQueue, Errors: noMatchingError(IDS_B.sorry) },
    },
    {
      Parameters: {},
      Identifier: IDS_B.toQueue,
      Type: 'TransferContactToQueue',
      Transitions: {
        NextAction: IDS_B.sorry,
        Errors: [
          { NextAction: IDS_B.sorry, ErrorType: 'QueueAtCapacity' },
          { NextAction: IDS_B.sorry, ErrorType: 'NoMatchingError' },
        ],
      },
    },
    {
      Parameters: { Text: 'Sorry, nobody can take your call. Goodbye.' },
      Identifier: IDS_B.sorry,
      Type: 'MessageParticipant',
      Transitions: { NextAction: IDS_B.disconnect, Errors: noMatchingError(IDS_B.disconnect) },
    },
    {
      Parameters: { Text: 'We are closed. Please call again during business hours.' },
      Identifier: IDS_B.closed,
      Type: 'MessageParticipant',
      Transitions: { NextAction: IDS_B.disconnect, Errors: noMatchingError(IDS_B.disconnect) },
    },
    {
      Parameters: {},
      Identifier: IDS_B.disconnect,
      Type: 'DisconnectParticipant',
      Transitions: {},
    },
  ],
});

/** A console export with several things the simulator cannot run, some where no call goes. */
const manyUnsupportedExport = () => {
  const flow = hoursExport();
  const extra = {
    task: '25c9b70d-c8d9-4611-84c9-f727d8e7c012',
    exists: '36dac81e-d9ea-4722-95da-0838e9f8d013',
    account: '47ebd92f-eafb-4833-86eb-1949fa09e014',
    intent: '58fcea30-fb0c-4944-97fc-2a5a0b1af015',
  };
  return {
    extra,
    flow: {
      ...flow,
      Metadata: consoleMetadata({
        ...flow.Metadata.ActionMetadata,
        [extra.task]: position(40, 700),
        [extra.exists]: position(280, 700),
        [extra.account]: position(520, 700),
        [extra.intent]: position(760, 700),
      }),
      Actions: [
        ...flow.Actions,
        {
          Parameters: {
            Name: 'Call back',
            ContactFlowId: 'aaaaaaaa-0000-4000-8000-000000000003',
          },
          Identifier: extra.task,
          Type: 'CreateTask',
          Transitions: { NextAction: extra.exists, Errors: noMatchingError(extra.exists) },
        },
        {
          Parameters: { ComparisonValue: '$.Attributes.account' },
          Identifier: extra.exists,
          Type: 'Compare',
          Transitions: {
            NextAction: extra.account,
            Conditions: [
              {
                NextAction: extra.intent,
                Condition: { Operator: 'KeyExists', Operands: ['account'] },
              },
            ],
            Errors: [{ NextAction: extra.account, ErrorType: 'NoMatchingCondition' }],
          },
        },
        {
          Parameters: {
            Text: 'Enter your account number, then press pound.',
            StoreInput: 'True',
            InputTimeLimitSeconds: '8',
            DTMFConfiguration: { InputTerminationSequence: '#' },
          },
          Identifier: extra.account,
          Type: 'GetParticipantInput',
          Transitions: { NextAction: extra.intent, Errors: noMatchingError(extra.intent) },
        },
        {
          Parameters: {
            Attributes: { intent: '$.Lex.IntentName', slot: '$.Lex.Slots.unit' },
            TargetContact: 'Current',
          },
          Identifier: extra.intent,
          Type: 'UpdateContactAttributes',
          Transitions: {
            NextAction: IDS_B.disconnect,
            Errors: noMatchingError(IDS_B.disconnect),
          },
        },
      ],
    },
  };
};

describe('a console export with hours and the newer recording block', () => {
  const open = (opens: boolean, asked: unknown[] = []) =>
    world({
      isOpen: (hours) => {
        asked.push(hours);
        return opens;
      },
    });

  it('passes the validator: no InvocationType, a layout entry for a deleted block', () => {
    expect(validateFlow(hoursExport())).toEqual([]);
  });

  it('runs when open: disclosure, recording, lookup, queue', async () => {
    const asked: unknown[] = [];
    const result = await simulateCall(hoursExport(), CALL, open(true, asked));
    expect(asked).toEqual([{ hoursOfOperationId: HOURS_ARN }]);
    expect(result.trace.map((step) => step.type)).toEqual([
      'UpdateFlowLoggingBehavior',
      'CheckHoursOfOperation',
      'MessageParticipant',
      'UpdateContactRecordingAndAnalyticsBehavior',
      'InvokeLambdaFunction',
      'UpdateContactTargetQueue',
      'TransferContactToQueue',
    ]);
    expect(result).toMatchObject({ outcome: 'queued', endpoint: SALES });
    expect(result.recording.map(({ state, by }) => [state, by])).toEqual([
      ['recording', IDS_B.record],
    ]);
  });

  it('says it is closed when closed, and keeps the rules on every path', async () => {
    const closed = await simulateCall(hoursExport(), CALL, open(false));
    expect(closed).toMatchObject({ outcome: 'message-disconnect', endpoint: 'none' });
    expect(closed.prompts.map((p) => p.by)).toEqual([IDS_B.closed]);
    const enumeration = await enumerateCalls(hoursExport(), {
      call: CALL,
      lambdaAnswers: {
        [LAMBDA]: [
          { label: 'gold', outcome: { kind: 'ok', result: { tier: 'gold' } } },
          { label: 'fails', outcome: { kind: 'error', reason: 'boom' } },
        ],
      },
    });
    expect(enumeration.uncoveredEdges).toEqual([]);
    const problems = pathProblems(enumeration.paths, {
      disclosureActions: [IDS_B.disclosure],
      closingMessages: [IDS_B.sorry, IDS_B.closed],
      endpoints: [SALES],
    });
    // The only problems: a goodbye that itself fails to play (after the disclosure, or nothing).
    expect(new Set(problems.map((p) => p.rule))).toEqual(new Set(['message-failed']));
    expect(new Set(problems.map((p) => p.path.choices.at(-1)))).toEqual(
      new Set([`${IDS_B.sorry}: fault`, `${IDS_B.closed}: fault`]),
    );
  });

  it('stays strict outside Metadata: an unknown parameter is refused', async () => {
    const flow = hoursExport();
    const lookup = flow.Actions.find((a) => a.Identifier === IDS_B.lookup);
    if (lookup === undefined) throw new Error('no lookup block');
    Object.assign(lookup.Parameters, { InvocationTypo: 'SYNCHRONOUS' });
    const refused = await simulateCall(flow, CALL, open(true)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FlowSimulationError);
    expect((refused as FlowSimulationError).problems).toEqual([
      `action "${IDS_B.lookup}" (InvokeLambdaFunction): Parameters.InvocationTypo is not allowed here; remove it (allowed: LambdaFunctionARN, InvocationTimeLimitSeconds, InvocationType, LambdaInvocationAttributes, ResponseValidation)`,
    ]);
  });

  it('is refused with the complete list when it also holds what the simulator cannot run', async () => {
    const { flow, extra } = manyUnsupportedExport();
    const refused = await simulateCall(flow, CALL, open(true)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(FlowSimulationError);
    expect((refused as FlowSimulationError).problems).toEqual([
      `CreateTask (id ${extra.task})`,
      `Compare with the undocumented operator KeyExists (id ${extra.exists})`,
      `GetParticipantInput with StoreInput "True" (collecting digits) (id ${extra.account})`,
      `the reference $.Lex.IntentName (not modelled) (id ${extra.intent})`,
      `the reference $.Lex.Slots.unit (not modelled) (id ${extra.intent})`,
    ]);
  });
});
