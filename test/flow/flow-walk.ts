import {
  ACTION_SPECS,
  actionsById,
  type FlowAction,
  type FlowDocument,
  type FlowEdge,
  outgoingEdges,
} from '../../lib/flow-language/index.js';

/**
 * A symbolic walk of a contact flow: every way a call can go through it, with what the flow knows
 * at each step about recording and contact attributes. A precursor of a simulator: it follows the
 * Flow Language semantics this project relies on, and throws on anything it does not model rather
 * than guess.
 *
 * - Compare on an attribute the walk knows follows only the branch that value takes; on an unknown
 *   one it follows each condition (the attribute then holds its operand) and the else branch (the
 *   attribute is then none of the operands). An attribute never written is absent: it matches no
 *   Equals, so only the else branch is taken (an inbound call starts with no attributes).
 * - A Lambda call, a prompt, a transfer and an attribute update may each succeed or fail: the walk
 *   takes both. Caller input takes every branch.
 * - A hand-over (a queue transfer's success) and a disconnect end the walk.
 */

/** What the walk knows of one contact attribute: its value, or values it cannot hold. */
export type Knowledge = { readonly is: string } | { readonly isNot: readonly string[] };

export interface WalkState {
  /** The action the call is at. */
  readonly at: string;
  /** The recording behaviour is on: an UpdateContactRecordingBehavior with participants ran last. */
  readonly recording: boolean;
  /** The recording-control Lambda suspended the recording and has not resumed it since. */
  readonly suspended: boolean;
  /** Contact attributes written so far; a missing key was never written. */
  readonly attributes: Readonly<Record<string, Knowledge>>;
  /** Every literal the flow has written to an attribute so far, as `key=value`, sorted. */
  readonly written: readonly string[];
  /** The recording disclosure has played to the caller. */
  readonly disclosurePlayed: boolean;
  /** The last call to resume the recording failed. */
  readonly resumeFailed: boolean;
  /** The menu key the caller pressed, if any. */
  readonly pressed?: string;
}

export interface WalkOptions {
  /** The ARN of the Lambda that suspends and resumes recording (`action`: suspend or resume). */
  readonly recordingControlArn: string;
  /** The Text of the message that plays the recording disclosure. */
  readonly disclosurePrompt: string;
}

/** How a call leaves the flow. */
export type Ending = 'disconnect' | 'hand-over';

export interface FlowWalk {
  /** Every distinct state the walk reached, each once, in the order it found them. */
  readonly states: readonly WalkState[];
  /** The number of distinct paths through the states, from the start to an ending. */
  readonly paths: number;
  /** One way the walk reached a state, as the actions it went through (the state's own last). */
  readonly trail: (state: WalkState) => string[];
}

/** Recording is capturing the call: the behaviour is on and not suspended. */
export const capturing = (state: WalkState): boolean => state.recording && !state.suspended;

/** A recording block that starts recording (an empty participant list turns it off). */
export const turnsRecordingOn = (action: FlowAction): boolean => {
  const behavior = action.Parameters.RecordingBehavior as { RecordedParticipants?: unknown[] };
  return (behavior?.RecordedParticipants?.length ?? 0) > 0;
};

/** What a recording-control call does, or undefined for any other action. */
export const recordingControlAction = (
  action: FlowAction,
  options: WalkOptions,
): 'suspend' | 'resume' | undefined => {
  if (action.Type !== 'InvokeLambdaFunction') return undefined;
  if (action.Parameters.LambdaFunctionARN !== options.recordingControlArn) return undefined;
  const what = (action.Parameters.LambdaInvocationAttributes as Record<string, unknown>)?.action;
  if (what === 'suspend' || what === 'resume') return what;
  throw new Error(`${action.Identifier} calls recording control with action ${String(what)}`);
};

const keyOf = (state: WalkState): string =>
  JSON.stringify([
    state.at,
    state.recording,
    state.suspended,
    state.disclosurePlayed,
    state.resumeFailed,
    state.pressed ?? null,
    state.written,
    Object.entries(state.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);

const ATTRIBUTE = /^\$\.Attributes\.([A-Za-z0-9_-]+)$/;

/** What writing `value` tells about an attribute: a literal is known, a JSONPath is not. */
const written = (value: unknown): Knowledge =>
  typeof value === 'string' && !value.startsWith('$.') ? { is: value } : { isNot: [] };

/** The successor states of a Compare, each with the attributes its branch implies. */
const compareBranches = (action: FlowAction, state: WalkState): WalkState[] => {
  const conditions = action.Transitions.Conditions ?? [];
  for (const { Condition } of conditions) {
    if (Condition.Operator !== 'Equals') {
      throw new Error(
        `${action.Identifier}: the walk models only Equals, not ${Condition.Operator}`,
      );
    }
  }
  const operands = conditions.map(({ Condition }) => Condition.Operands[0]);
  const otherwise = action.Transitions.NextAction ?? '';
  // Connect takes the first condition that matches.
  const branchFor = (value: string): string =>
    conditions.find(({ Condition }) => Condition.Operands[0] === value)?.NextAction ?? otherwise;
  const key = ATTRIBUTE.exec(String(action.Parameters.ComparisonValue))?.[1];
  const knowledge: Knowledge | undefined =
    key === undefined ? { isNot: [] } : state.attributes[key];
  const go = (to: string, learnt?: Knowledge): WalkState => ({
    ...state,
    at: to,
    attributes:
      key === undefined || learnt === undefined
        ? state.attributes
        : { ...state.attributes, [key]: learnt },
  });
  if (knowledge === undefined) return [go(otherwise)];
  if ('is' in knowledge) return [go(branchFor(knowledge.is))];
  const possible = [...new Set(operands)].filter((value) => !knowledge.isNot.includes(value));
  return [
    ...possible.map((value) => go(branchFor(value), { is: value })),
    go(otherwise, { isNot: [...new Set([...knowledge.isNot, ...operands])].sort() }),
  ];
};

/** Where the call goes from `state` over one edge that is not a Compare branch. */
const follow = (
  action: FlowAction,
  edge: FlowEdge,
  state: WalkState,
  options: WalkOptions,
): WalkState | Ending => {
  const rules = ACTION_SPECS[action.Type].transitions(action.Parameters);
  const next = { ...state, at: edge.to };
  if (edge.kind === 'condition') {
    if (action.Type !== 'GetParticipantInput') {
      throw new Error(`${action.Identifier}: the walk does not model ${action.Type} conditions`);
    }
    return { ...next, pressed: edge.condition.Operands[0] };
  }
  const control = recordingControlAction(action, options);
  if (edge.kind === 'error') {
    return control === 'resume' ? { ...next, resumeFailed: true } : next;
  }
  if (rules.successEndsFlow) return 'hand-over';
  switch (action.Type) {
    case 'InvokeLambdaFunction':
      if (control === 'suspend') return { ...next, suspended: true };
      if (control === 'resume') return { ...next, suspended: false, resumeFailed: false };
      return next;
    case 'UpdateContactRecordingBehavior':
      return { ...next, recording: turnsRecordingOn(action) };
    case 'UpdateContactAttributes': {
      if (action.Parameters.TargetContact !== 'Current') return next;
      const writes = Object.entries(action.Parameters.Attributes as Record<string, unknown>);
      const learnt = Object.fromEntries(writes.map(([key, value]) => [key, written(value)]));
      const literals = Object.entries(learnt).flatMap(([key, knowledge]) =>
        'is' in knowledge ? [`${key}=${knowledge.is}`] : [],
      );
      return {
        ...next,
        attributes: { ...state.attributes, ...learnt },
        written: [...new Set([...state.written, ...literals])].sort(),
      };
    }
    case 'MessageParticipant':
      return action.Parameters.Text === options.disclosurePrompt
        ? { ...next, disclosurePlayed: true }
        : next;
    default:
      return next;
  }
};

const stepsFrom = (
  action: FlowAction,
  state: WalkState,
  options: WalkOptions,
): (WalkState | Ending)[] => {
  if (ACTION_SPECS[action.Type].transitions(action.Parameters).terminal) return ['disconnect'];
  if (action.Type === 'Compare') {
    const errorsLeaveTheElseBranch = (action.Transitions.Errors ?? []).every(
      (error) =>
        error.ErrorType === 'NoMatchingCondition' &&
        error.NextAction === action.Transitions.NextAction,
    );
    if (!errorsLeaveTheElseBranch) {
      throw new Error(`${action.Identifier}: its NoMatchingCondition branch is not its NextAction`);
    }
    return compareBranches(action, state);
  }
  return outgoingEdges(action).map((edge) => follow(action, edge, state, options));
};

/** Walks every way through `flow` from its StartAction; throws on a cycle of states. */
export const walkFlow = (flow: FlowDocument, options: WalkOptions): FlowWalk => {
  const actions = actionsById(flow);
  const start: WalkState = {
    at: flow.StartAction,
    recording: false,
    suspended: false,
    attributes: {},
    written: [],
    disclosurePlayed: false,
    resumeFailed: false,
  };
  const states = new Map<string, WalkState>([[keyOf(start), start]]);
  const successors = new Map<string, (string | Ending)[]>();
  const parent = new Map<string, string>();
  const pending = [keyOf(start)];
  for (let key = pending.pop(); key !== undefined; key = pending.pop()) {
    const state = states.get(key) as WalkState;
    const action = actions.get(state.at);
    if (action === undefined) throw new Error(`the flow has no action "${state.at}"`);
    const outcomes = stepsFrom(action, state, options).map((outcome) => {
      if (typeof outcome === 'string') return outcome;
      const next = keyOf(outcome);
      if (!states.has(next)) {
        states.set(next, outcome);
        parent.set(next, key);
        pending.push(next);
      }
      return next;
    });
    successors.set(key, outcomes);
  }

  const counted = new Map<string, number>();
  const counting = new Set<string>();
  const pathsFrom = (key: string): number => {
    const known = counted.get(key);
    if (known !== undefined) return known;
    if (counting.has(key)) throw new Error(`the walk loops at ${states.get(key)?.at}`);
    counting.add(key);
    const total = (successors.get(key) ?? []).reduce(
      (sum, outcome) =>
        sum + (outcome === 'disconnect' || outcome === 'hand-over' ? 1 : pathsFrom(outcome)),
      0,
    );
    counting.delete(key);
    counted.set(key, total);
    return total;
  };

  const trail = (state: WalkState): string[] => {
    const ids: string[] = [];
    for (let key: string | undefined = keyOf(state); key !== undefined; key = parent.get(key)) {
      ids.unshift(states.get(key)?.at ?? '?');
    }
    return ids;
  };

  return { states: [...states.values()], paths: pathsFrom(keyOf(start)), trail };
};
