import {
  ACTION_SPECS,
  actionsById,
  type FlowAction,
  type FlowDocument,
  type FlowEdge,
  outgoingEdges,
} from '../language/index.js';
import type { TraceStep } from './types.js';

/**
 * The (action, branch) edges of a flow graph, named the way trace steps name the branch they took:
 * `lookup-route [NoMatchingError] -> transfer-to-static-fallback`.
 */

/** How a trace step names an edge's branch: `next`, `Equals 1`, or the error type. */
export const branchLabel = (edge: FlowEdge): string => {
  switch (edge.kind) {
    case 'next':
      return 'next';
    case 'error':
      return edge.errorType;
    case 'condition':
      return `${edge.condition.Operator} ${edge.condition.Operands[0]}`;
  }
};

export const edgeKey = (from: string, branch: string, to: string): string =>
  `${from} [${branch}] -> ${to}`;

/** Every edge of the flow graph, as outgoingEdges lists them. */
export const flowEdges = (flow: FlowDocument): string[] =>
  flow.Actions.flatMap((action) =>
    outgoingEdges(action).map((edge) => edgeKey(action.Identifier, branchLabel(edge), edge.to)),
  );

/**
 * Edges Connect never takes, whatever happens: the NextAction of a hand-over (a queue transfer, or
 * a transfer that does not continue the flow) once it succeeded, and the NextAction of
 * CheckHoursOfOperation and Loop, whose two conditions cover every answer, and of a prompt loop
 * (MessageParticipantIteratively), left only by its MessagesInterrupted condition or a hang-up.
 */
const NEXT_NEVER_TAKEN: ReadonlySet<string> = new Set([
  'CheckHoursOfOperation',
  'Loop',
  'MessageParticipantIteratively',
]);

export const edgesNeverTaken = (flow: FlowDocument): string[] =>
  flow.Actions.flatMap((action) => {
    const next = action.Transitions.NextAction;
    if (next === undefined) return [];
    const rules = ACTION_SPECS[action.Type].transitions(action.Parameters);
    return rules.successEndsFlow || NEXT_NEVER_TAKEN.has(action.Type)
      ? [edgeKey(action.Identifier, 'next', next)]
      : [];
  });

/**
 * The edges a simulated call took in `flow`: the call's own flow, or with `flowArn` the customer
 * queue flow of that ARN (its steps carry `flow`). A branch on conditions that matched none (Compare, a menu) is
 * the NoMatchingCondition branch; the console writes the same target as the action's NextAction,
 * and that edge counts as taken too.
 */
export const edgesOfTrace = (
  flow: FlowDocument,
  trace: readonly TraceStep[],
  flowArn?: string,
): string[] => {
  const actions = actionsById(flow);
  return trace.flatMap((step) => {
    if (step.next === undefined || step.flow !== flowArn) return [];
    const taken = edgeKey(step.identifier, step.branch, step.next);
    const action: FlowAction | undefined = actions.get(step.identifier);
    const sameAsNext =
      step.branch === 'NoMatchingCondition' && action?.Transitions.NextAction === step.next;
    return sameAsNext ? [taken, edgeKey(step.identifier, 'next', step.next)] : [taken];
  });
};
