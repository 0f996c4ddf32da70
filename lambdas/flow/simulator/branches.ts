import type { ErrorType, FlowAction } from '../language/index.js';
import type { DisconnectReason } from './types.js';

/** How an action leaves: one of its branches, or the end of the call. */
export type Branch =
  | { readonly kind: 'next' }
  | { readonly kind: 'error'; readonly errorType: ErrorType }
  | { readonly kind: 'condition'; readonly index: number }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'end'; readonly reason: EndReason; readonly endsAtMs: number };

/**
 * EndFlowExecution's end: the flow stops without a disconnect (a whisper resumes the contact and
 * the agent is connected). Never the end of the call itself.
 */
export const FLOW_ENDED = 'FLOW_ENDED';

/** Why a flow run stopped: the call's disconnect, or the flow's own end. */
export type EndReason = DisconnectReason | typeof FLOW_ENDED;

/** The end of the call: why it ended and when, on the simulated clock. */
export type CallEnd = Omit<Extract<Branch, { kind: 'end' }>, 'kind'>;

/** What one action did: the branch it takes, and what happened, in words, for the trace. */
export interface StepResult {
  readonly branch: Branch;
  readonly note?: string;
}

export const NEXT: StepResult = { branch: { kind: 'next' } };

export const error = (errorType: ErrorType, note: string): StepResult => ({
  branch: { kind: 'error', errorType },
  note,
});

/** The condition at `index` if one matched (index ≥ 0), else NoMatchingCondition. */
export const conditionOrNoMatch = (
  index: number,
  matchedNote: string,
  unmatchedNote: string,
): StepResult =>
  index >= 0
    ? { branch: { kind: 'condition', index }, note: matchedNote }
    : { branch: { kind: 'no-match' }, note: unmatchedNote };

/** The action `branch` leads to, or undefined if `action` does not have that branch. */
export const branchTarget = (
  action: FlowAction,
  branch: Exclude<Branch, { kind: 'end' }>,
): string | undefined => {
  const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
  switch (branch.kind) {
    case 'next':
      return NextAction;
    case 'condition':
      return Conditions[branch.index]?.NextAction;
    case 'no-match':
      return Errors.find((e) => e.ErrorType === 'NoMatchingCondition')?.NextAction;
    case 'error':
      return Errors.find((e) => e.ErrorType === branch.errorType)?.NextAction;
  }
};

/** How the trace names the branch taken: `next`, `end`, `Equals 1`, or the error type. */
export const traceBranchLabel = (action: FlowAction, branch: Branch): string => {
  switch (branch.kind) {
    case 'next':
      return 'next';
    case 'end':
      return 'end';
    case 'no-match':
      return 'NoMatchingCondition';
    case 'error':
      return branch.errorType;
    case 'condition': {
      const condition = action.Transitions.Conditions?.[branch.index]?.Condition;
      return `${condition?.Operator} ${condition?.Operands[0]}`;
    }
  }
};
