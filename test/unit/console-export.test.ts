import { describe, expect, it } from 'vitest';
import { validateFlow } from '../../lib/flow-language/index.js';
import {
  enumerateCalls,
  FlowSimulationError,
  type SimulatedWorld,
  simulateCall,
} from '../../lib/flow-simulator/index.js';
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
