import { describe, expect, it } from 'vitest';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/domain/route.js';
import {
  ACTION_SPECS,
  actionsById,
  endsCall,
  type FlowAction,
  type FlowDocument,
  type FlowEdge,
  findPlaceholders,
  outgoingEdges,
  validateFlow,
} from '../../lib/flow-language/index.js';
import {
  capturing,
  recordingControlAction,
  turnsRecordingOn,
  type WalkOptions,
  type WalkState,
  walkFlow,
} from './flow-walk.js';
import {
  INBOUND_FLOW_TEMPLATE,
  inboundFlow,
  inboundFlowText,
  SAMPLE_PLACEHOLDER_VALUES,
} from './shipped-flow.js';

const flow = inboundFlow();
const byId = actionsById(flow);

const actionNamed = (id: string): FlowAction => {
  const action = byId.get(id);
  if (action === undefined) throw new Error(`the flow has no action "${id}"`);
  return action;
};

const actionsOfType = (type: FlowAction['Type']): FlowAction[] =>
  flow.Actions.filter((action) => action.Type === type);

/** Every string anywhere in a value: parameters, operands, nested maps. */
const stringsIn = (value: unknown): string[] => {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn);
  return [];
};

/** The edges a call can really take: a hand-over's success (NextAction) is never followed. */
const takenEdges = (action: FlowAction): FlowEdge[] =>
  outgoingEdges(action).filter(
    (edge) =>
      !(
        edge.kind === 'next' &&
        ACTION_SPECS[action.Type].transitions(action.Parameters).successEndsFlow
      ),
  );

const WALK_OPTIONS: WalkOptions = {
  recordingControlArn: SAMPLE_PLACEHOLDER_VALUES.RecordingControlFunctionArn,
  disclosurePrompt: '$.Attributes.disclosure',
};

/** Every way a call can go through the shipped flow (see flow-walk.ts). */
const walk = walkFlow(flow, WALK_OPTIONS);

const PAYMENT_LINES = ['transfer-to-payments-number', 'transfer-to-payments-queue'];

/** The menu key that reaches payments. */
const PAYMENTS_KEY = '2';

/** The attribute the flow keeps the recording's state in: "on", then "suspended" for payments. */
const RECORDING = 'recording';

const statesAt = (id: string): WalkState[] => walk.states.filter((state) => state.at === id);

/** Recording started: the flow has marked it "on" at some point of the call. */
const recordingStarted = (state: WalkState): boolean => state.written.includes(`${RECORDING}=on`);

/** One line per state that breaks a rule, with a way the call gets there. */
const offenders = (states: readonly WalkState[], breaks: (state: WalkState) => boolean) =>
  states.filter(breaks).map((state) => walk.trail(state).join(' -> '));

/** Every path from StartAction as the list of actions it visits; throws on a cycle. */
const allPaths = (document: FlowDocument): string[][] => {
  const extend = (path: string[]): string[][] => {
    const current = actionNamed(path.at(-1) ?? document.StartAction);
    const edges = takenEdges(current);
    const endsHere = endsCall(current.Type, current.Parameters) ? [path] : [];
    return [
      ...endsHere,
      ...edges.flatMap((edge) => {
        if (path.includes(edge.to)) throw new Error(`cycle: ${[...path, edge.to].join(' -> ')}`);
        return extend([...path, edge.to]);
      }),
    ];
  };
  return extend([document.StartAction]);
};

describe('the shipped inbound flow', () => {
  it('uses exactly the three named placeholders', () => {
    expect(findPlaceholders(INBOUND_FLOW_TEMPLATE).sort()).toEqual(
      Object.keys(SAMPLE_PLACEHOLDER_VALUES).sort(),
    );
  });

  it('has no problems once its placeholders are substituted', () => {
    expect(validateFlow(JSON.parse(inboundFlowText()))).toEqual([]);
  });

  it('uses each placeholder as a whole string value', () => {
    const values = stringsIn(JSON.parse(INBOUND_FLOW_TEMPLATE));
    const withPlaceholder = values.filter((value) => findPlaceholders(value).length > 0);
    expect(withPlaceholder.length).toBeGreaterThanOrEqual(3);
    for (const value of withPlaceholder) expect(value).toMatch(/^\$\{[A-Za-z0-9]+\}$/);
  });

  it('copies every key of the route answer, and nothing else, into contact attributes', () => {
    const [save, ...others] = actionsOfType('UpdateContactAttributes');
    expect(save?.Parameters).toEqual({
      TargetContact: 'Current',
      Attributes: Object.fromEntries(ROUTE_ANSWER_KEYS.map((key) => [key, `$.External.${key}`])),
    });
    // The other updates only keep the recording's state, as literals the flow compares.
    expect(ROUTE_ANSWER_KEYS).not.toContain(RECORDING);
    expect(others.map((action) => action.Parameters)).toEqual([
      { TargetContact: 'Current', Attributes: { [RECORDING]: 'on' } },
      { TargetContact: 'Current', Attributes: { [RECORDING]: 'suspended' } },
      { TargetContact: 'Current', Attributes: { [RECORDING]: 'on' } },
    ]);
  });

  it('reads only contact attributes that it sets', () => {
    const set = new Set(
      actionsOfType('UpdateContactAttributes').flatMap((action) =>
        Object.keys(action.Parameters.Attributes ?? {}),
      ),
    );
    const read = new Set(
      stringsIn(flow.Actions).flatMap((value) =>
        Array.from(value.matchAll(/\$\.Attributes\.([A-Za-z0-9_-]+)/g), (match) => match[1] ?? ''),
      ),
    );
    expect(read).toContain('ringTo');
    expect([...read].filter((key) => !set.has(key))).toEqual([]);
  });

  it('passes the dialed and the calling number to route-call', () => {
    expect(actionNamed('lookup-route').Parameters).toMatchObject({
      LambdaFunctionARN: SAMPLE_PLACEHOLDER_VALUES.RouteCallFunctionArn,
      LambdaInvocationAttributes: {
        dialed: '$.SystemEndpoint.Address',
        caller: '$.CustomerEndpoint.Address',
      },
    });
  });

  it('turns recording on only after the disclosure has played, on every path', () => {
    const disclosures = actionsOfType('MessageParticipant').filter(
      (action) => action.Parameters.Text === WALK_OPTIONS.disclosurePrompt,
    );
    expect(disclosures).toHaveLength(1);
    expect(offenders(walk.states, (state) => state.recording && !state.disclosurePlayed)).toEqual(
      [],
    );
    // Every block that turns recording on is really reached (the restore after failed payments too),
    // and only ever after the disclosure.
    const enabling = actionsOfType('UpdateContactRecordingBehavior').filter(turnsRecordingOn);
    expect(enabling.map((action) => action.Identifier)).toEqual([
      'enable-call-recording',
      'restore-recording-after-failed-payments',
    ]);
    for (const { Identifier } of enabling) {
      expect(statesAt(Identifier), Identifier).not.toEqual([]);
      expect(
        offenders(statesAt(Identifier), (state) => !state.disclosurePlayed),
        Identifier,
      ).toEqual([]);
    }
  });

  it('records IVR and both parties, so the recording covers the transfer', () => {
    const enabling = actionsOfType('UpdateContactRecordingBehavior').filter(turnsRecordingOn);
    expect(enabling).toHaveLength(2);
    for (const action of enabling) {
      expect(action.Parameters, action.Identifier).toEqual({
        RecordingBehavior: {
          RecordedParticipants: ['Agent', 'Customer'],
          IVRRecordingBehavior: 'Enabled',
        },
      });
    }
  });

  it('marks recording "on" only where it starts, and the mark cannot outlive a failed start', () => {
    // The mark comes first: the block that starts recording has no error branch, so the mark is
    // never missing while recording runs (a mark after it could fail and leave payments recorded).
    expect(actionNamed('play-recording-disclosure').Transitions.NextAction).toBe(
      'mark-recording-on',
    );
    expect(actionNamed('mark-recording-on').Transitions).toEqual({
      NextAction: 'enable-call-recording',
      Errors: [{ NextAction: 'check-open-hours', ErrorType: 'NoMatchingError' }],
    });
    expect(actionNamed('enable-call-recording').Transitions).toEqual({
      NextAction: 'check-open-hours',
    });
    expect(offenders(walk.states, (state) => state.recording && !recordingStarted(state))).toEqual(
      [],
    );
  });

  it('never reaches a payment line while the call is being recorded', () => {
    for (const line of PAYMENT_LINES) {
      const reached = statesAt(line);
      expect(offenders(reached, capturing), line).toEqual([]);
      // Not vacuous: each line is reached both on a call recorded until then, and on one never
      // recorded.
      expect(reached.some(recordingStarted), line).toBe(true);
      expect(
        reached.some((state) => !recordingStarted(state)),
        line,
      ).toBe(true);
    }
    // The guard matters: the same walk sees recording capture the call when the location is rung.
    expect(statesAt('ring-location').some(capturing)).toBe(true);
  });

  it('turns all recording off before a payments queue, where an agent would be recorded', () => {
    const atQueue = statesAt('transfer-to-payments-queue');
    expect(atQueue.length).toBeGreaterThan(0);
    expect(offenders(atQueue, (state) => state.recording)).toEqual([]);
    expect(actionNamed('set-payments-queue').Transitions.NextAction).toBe(
      'stop-recording-for-payments-queue',
    );
    expect(actionNamed('stop-recording-for-payments-queue')).toMatchObject({
      Type: 'UpdateContactRecordingBehavior',
      Parameters: {
        RecordingBehavior: { RecordedParticipants: [], IVRRecordingBehavior: 'Disabled' },
      },
      Transitions: { NextAction: 'transfer-to-payments-queue' },
    });
  });

  it('rings the location after payments with recording back on, unless it cannot be', () => {
    const afterPayments = statesAt('ring-location').filter(
      (state) => state.pressed === PAYMENTS_KEY,
    );
    const excused = (state: WalkState) => state.resumeFailed || !recordingStarted(state);
    expect(offenders(afterPayments, (state) => !capturing(state) && !excused(state))).toEqual([]);
    // Each case is really reached: back on, left suspended by a failed resume, never started.
    expect(afterPayments.some(capturing)).toBe(true);
    expect(afterPayments.some((state) => state.resumeFailed && state.suspended)).toBe(true);
    expect(afterPayments.some((state) => !recordingStarted(state))).toBe(true);
    // In particular after a failed payments queue, which turned recording off on its way.
    const afterQueue = statesAt('check-suspended-after-failed-payments').filter(
      (state) => !state.recording && recordingStarted(state),
    );
    expect(afterQueue.length).toBeGreaterThan(0);
  });

  it('suspends recording only while it captures, and resumes it only while suspended', () => {
    const calls = (what: 'suspend' | 'resume') =>
      flow.Actions.filter((action) => recordingControlAction(action, WALK_OPTIONS) === what);
    const suspends = calls('suspend');
    const resumes = calls('resume');
    expect(suspends.map((action) => action.Identifier)).toEqual(['suspend-recording-for-payments']);
    expect(resumes.map((action) => action.Identifier).sort()).toEqual([
      'resume-recording-after-failed-payments',
      'resume-recording-after-payments',
    ]);
    for (const { Identifier } of suspends) {
      expect(statesAt(Identifier).length, Identifier).toBeGreaterThan(0);
      expect(
        offenders(statesAt(Identifier), (state) => !capturing(state)),
        Identifier,
      ).toEqual([]);
    }
    for (const { Identifier } of resumes) {
      expect(statesAt(Identifier).length, Identifier).toBeGreaterThan(0);
      expect(
        offenders(statesAt(Identifier), (state) => !state.suspended),
        Identifier,
      ).toEqual([]);
    }
  });

  it('checks the recording state on every way back from a payment line', () => {
    const waysBack = [
      ...PAYMENT_LINES.flatMap((id) => takenEdges(actionNamed(id))),
      ...outgoingEdges(actionNamed('set-payments-queue')).filter((edge) => edge.kind === 'error'),
    ];
    // number: hang-up + 3 errors; queue: 2 errors; setting the queue: 1 error
    expect(waysBack).toHaveLength(7);
    const [hangUp, ...failures] = waysBack;
    expect(hangUp?.to).toBe('check-suspended-after-payments');
    expect(new Set(failures.map((edge) => edge.to))).toEqual(
      new Set(['check-suspended-after-failed-payments']),
    );
    for (const id of ['check-suspended-after-payments', 'check-suspended-after-failed-payments']) {
      expect(actionNamed(id), id).toMatchObject({
        Type: 'Compare',
        Parameters: { ComparisonValue: `$.Attributes.${RECORDING}` },
        Transitions: {
          Conditions: [{ Condition: { Operator: 'Equals', Operands: ['suspended'] } }],
        },
      });
    }
  });

  it('explores every action and many ways through the flow', () => {
    expect(new Set(walk.states.map((state) => state.at))).toEqual(
      new Set(flow.Actions.map((action) => action.Identifier)),
    );
    // Measured on this flow: 643 distinct states and 14,627 paths from the start to an ending.
    expect(walk.states.length).toBeGreaterThan(600);
    expect(walk.paths).toBeGreaterThan(14_000);
  });

  it('keeps control of every transfer to a phone number', () => {
    const transfers = actionsOfType('TransferParticipantToThirdParty');
    expect(transfers.length).toBeGreaterThanOrEqual(4);
    for (const transfer of transfers)
      expect(transfer.Parameters.ContinueFlowExecution).toBe('True');
  });

  it('ends every path with a hang-up or a hand-over to a queue', () => {
    const paths = allPaths(flow);
    const lasts = new Set(paths.map((path) => actionNamed(path.at(-1) ?? '').Type));
    expect(paths.length).toBeGreaterThan(20);
    expect([...lasts].sort()).toEqual(['DisconnectParticipant', 'TransferContactToQueue']);
  });

  it('falls back to the static number when the route lookup fails', () => {
    const lookupError = outgoingEdges(actionNamed('lookup-route')).find((e) => e.kind === 'error');
    expect(lookupError?.to).toBe('transfer-to-static-fallback');
    expect(actionNamed('transfer-to-static-fallback').Parameters.ThirdPartyPhoneNumber).toBe(
      SAMPLE_PLACEHOLDER_VALUES.StaticFallbackNumber,
    );
  });

  it('names its actions in readable kebab-case and lays each out at its own position', () => {
    const layout = flow.Metadata?.ActionMetadata ?? {};
    for (const { Identifier } of flow.Actions) expect(Identifier).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(Object.keys(layout).sort()).toEqual(flow.Actions.map((a) => a.Identifier).sort());
    const positions = Object.values(layout).map(({ position }) => `${position.x},${position.y}`);
    expect(new Set(positions).size).toBe(positions.length);
  });
});
