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

/** A recording block that starts recording (an empty participant list turns it off). */
const turnsRecordingOn = (action: FlowAction): boolean => {
  const behavior = action.Parameters.RecordingBehavior as { RecordedParticipants?: unknown[] };
  return (behavior?.RecordedParticipants?.length ?? 0) > 0;
};

const SUSPEND_RECORDING = 'suspend-recording-for-payments';

/** What a walk knows of the `record` attribute: route-call's answer, unknown until compared. */
type RecordAttribute = 'true' | 'other' | 'unknown';

/** The record attribute a Compare edge implies, or `undefined` if that edge is impossible. */
const recordAfter = (action: FlowAction, edge: FlowEdge, known: RecordAttribute) => {
  if (action.Type !== 'Compare' || action.Parameters.ComparisonValue !== '$.Attributes.record') {
    return known;
  }
  const implied: RecordAttribute = edge.kind === 'condition' ? 'true' : 'other';
  return known === 'unknown' || known === implied ? implied : undefined;
};

/**
 * For every action, whether the call can arrive there with recording running (true), not running
 * (false), or both, following every path that the `record` attribute allows: recording starts when
 * a block turns it on, and stops when a block turns it off or the suspend call succeeds.
 */
const recordingStatesByAction = (document: FlowDocument): Map<string, Set<boolean>> => {
  const states = new Map<string, Set<boolean>>();
  const visited = new Set<string>();
  const pending: [string, boolean, RecordAttribute][] = [[document.StartAction, false, 'unknown']];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [id, recording, record] = next;
    const key = `${id}|${recording}|${record}`;
    if (visited.has(key)) continue;
    visited.add(key);
    states.set(id, (states.get(id) ?? new Set<boolean>()).add(recording));
    const action = actionNamed(id);
    for (const edge of takenEdges(action)) {
      const recordNext = recordAfter(action, edge, record);
      if (recordNext === undefined) continue;
      let after = recording;
      if (edge.kind === 'next' && action.Type === 'UpdateContactRecordingBehavior') {
        after = turnsRecordingOn(action);
      }
      if (edge.kind === 'next' && id === SUSPEND_RECORDING) after = false;
      pending.push([edge.to, after, recordNext]);
    }
  }
  return states;
};

/**
 * The actions a call can reach from StartAction if `gate` never succeeds (its NextAction is never
 * taken). A target in this set can be reached without passing through the gate's success.
 */
const reachableWithoutPassing = (document: FlowDocument, gate: string): Set<string> => {
  const seen = new Set([document.StartAction]);
  const pending = [document.StartAction];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const edge of takenEdges(actionNamed(id))) {
      if (id === gate && edge.kind === 'next') continue;
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        pending.push(edge.to);
      }
    }
  }
  return seen;
};

/** Every path from StartAction as the list of actions it visits; throws on a cycle. */
const allPaths = (document: FlowDocument): string[][] => {
  const walk = (path: string[]): string[][] => {
    const current = actionNamed(path.at(-1) ?? document.StartAction);
    const edges = takenEdges(current);
    const endsHere = endsCall(current.Type, current.Parameters) ? [path] : [];
    return [
      ...endsHere,
      ...edges.flatMap((edge) => {
        if (path.includes(edge.to)) throw new Error(`cycle: ${[...path, edge.to].join(' -> ')}`);
        return walk([...path, edge.to]);
      }),
    ];
  };
  return walk([document.StartAction]);
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
    expect(others).toEqual([]);
    expect(save?.Parameters).toEqual({
      TargetContact: 'Current',
      Attributes: Object.fromEntries(ROUTE_ANSWER_KEYS.map((key) => [key, `$.External.${key}`])),
    });
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
      (action) => action.Parameters.Text === '$.Attributes.disclosure',
    );
    const recordings = actionsOfType('UpdateContactRecordingBehavior').filter(turnsRecordingOn);
    expect(disclosures).toHaveLength(1);
    expect(recordings.length).toBeGreaterThan(0);
    const [disclosure] = disclosures;
    const withoutDisclosure = reachableWithoutPassing(flow, disclosure?.Identifier ?? '');
    const everywhere = reachableWithoutPassing(flow, 'no-such-gate');
    for (const recording of recordings) {
      expect(everywhere).toContain(recording.Identifier);
      expect(withoutDisclosure).not.toContain(recording.Identifier);
    }
  });

  it('records IVR and both parties, so the recording covers the transfer', () => {
    expect(
      actionsOfType('UpdateContactRecordingBehavior')
        .filter(turnsRecordingOn)
        .map((a) => a.Parameters),
    ).toEqual([
      {
        RecordingBehavior: {
          RecordedParticipants: ['Agent', 'Customer'],
          IVRRecordingBehavior: 'Enabled',
        },
      },
    ]);
  });

  it('never reaches a payment line while the call is being recorded', () => {
    const paymentLines = ['transfer-to-payments-number', 'transfer-to-payments-queue'];
    const recordedAt = recordingStatesByAction(flow);
    for (const line of paymentLines) {
      expect(recordedAt.get(line), line).toEqual(new Set([false]));
    }
    // The guard matters: the same walk sees recording on when the location is rung.
    expect(recordedAt.get('ring-location')).toEqual(new Set([true, false]));
  });

  it('turns all recording off before a payments queue, where an agent would be recorded', () => {
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

  it('resumes recording on every way back from the payment line', () => {
    const resumesRecording = (id: string) => {
      const { Type, Parameters } = actionNamed(id);
      return (
        Type === 'InvokeLambdaFunction' &&
        Parameters.LambdaFunctionARN === SAMPLE_PLACEHOLDER_VALUES.RecordingControlFunctionArn &&
        JSON.stringify(Parameters.LambdaInvocationAttributes) === '{"action":"resume"}'
      );
    };
    const paymentLines = ['transfer-to-payments-number', 'transfer-to-payments-queue'];
    const waysBack = [
      ...paymentLines.flatMap((id) => takenEdges(actionNamed(id))),
      ...outgoingEdges(actionNamed('set-payments-queue')).filter((edge) => edge.kind === 'error'),
    ].map((edge) => edge.to);
    // number: hang-up + 3 errors; queue: 2 errors; setting the queue: 1 error
    expect(waysBack).toHaveLength(7);
    expect(waysBack.filter((to) => !resumesRecording(to))).toEqual([]);
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
