/**
 * The shape of an Amazon Connect contact flow in the Flow Language (Version 2019-10-30), as the
 * CreateContactFlow API accepts it. Only the subset this project uses is modelled; `validateFlow`
 * rejects everything else.
 */

export const FLOW_LANGUAGE_VERSION = '2019-10-30';

/** Connect refuses a flow with more actions than this. */
export const MAX_ACTIONS = 250;

/** Connect refuses a longer action Identifier. */
export const MAX_IDENTIFIER_LENGTH = 50;

/** Characters Connect refuses in an action Identifier. */
export const FORBIDDEN_IDENTIFIER_CHARACTERS = [
  '%',
  ':',
  '(',
  '\\',
  '/',
  ')',
  '=',
  '$',
  ',',
  ';',
  '[',
  ']',
  '{',
  '}',
] as const;

export const ACTION_TYPES = [
  'InvokeLambdaFunction',
  'UpdateContactAttributes',
  'UpdateContactRecordingBehavior',
  'UpdateContactRecordingAndAnalyticsBehavior',
  'TransferParticipantToThirdParty',
  'MessageParticipant',
  'Compare',
  'UpdateContactTargetQueue',
  'TransferContactToQueue',
  'GetParticipantInput',
  'CheckHoursOfOperation',
  'CheckMetricData',
  'UpdateFlowLoggingBehavior',
  'DisconnectParticipant',
  'EndFlowExecution',
  // Customer queue flows, callbacks and voicemail (issue 13).
  'UpdateContactEventHooks',
  'MessageParticipantIteratively',
  'Loop',
  'UpdateContactCallbackNumber',
  'CreateCallbackContact',
  'UpdateContactMediaStreamingBehavior',
] as const;

export type ActionType = (typeof ACTION_TYPES)[number];

export const ERROR_TYPES = [
  'NoMatchingError',
  'NoMatchingCondition',
  'CallFailed',
  'ConnectionTimeLimitExceeded',
  'QueueAtCapacity',
  'InputTimeLimitExceeded',
  'InvalidCallbackNumber',
  'CallbackNumberNotDialable',
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

export const CONDITION_OPERATORS = [
  'Equals',
  'TextStartsWith',
  'TextEndsWith',
  'TextContains',
  'NumberGreaterThan',
  'NumberGreaterOrEqualTo',
  'NumberLessThan',
  'NumberLessOrEqualTo',
  'KeyExists',
] as const;

export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** Every scalar in a flow is a string on the wire: "True", "25", never true or 25. */
export type ParameterValue = string | readonly ParameterValue[] | ParameterMap;

export interface ParameterMap {
  readonly [name: string]: ParameterValue;
}

export interface ErrorTransition {
  readonly NextAction: string;
  readonly ErrorType: ErrorType;
}

export interface Condition {
  readonly Operator: ConditionOperator;
  /** Exactly one operand, never empty. */
  readonly Operands: readonly [string];
}

export interface ConditionTransition {
  readonly NextAction: string;
  readonly Condition: Condition;
}

/** A terminal action has `{}`; every other action has a NextAction. */
export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Errors?: readonly ErrorTransition[];
  readonly Conditions?: readonly ConditionTransition[];
}

export interface FlowAction {
  readonly Identifier: string;
  readonly Type: ActionType;
  readonly Parameters: ParameterMap;
  readonly Transitions: FlowTransitions;
}

export interface Position {
  readonly x: number;
  readonly y: number;
}

/** Layout for the console only; the keys are lower camel case or every block stacks at 0,0. */
export interface FlowMetadata {
  readonly entryPointPosition?: Position;
  readonly ActionMetadata?: Readonly<Record<string, { readonly position: Position }>>;
  readonly [key: string]: unknown;
}

export interface FlowDocument {
  readonly Version: typeof FLOW_LANGUAGE_VERSION;
  readonly StartAction: string;
  readonly Metadata?: FlowMetadata;
  readonly Actions: readonly FlowAction[];
}

/** How control leaves an action: its success path, one of its error branches, or a condition. */
export type FlowEdge =
  | { readonly kind: 'next'; readonly to: string }
  | { readonly kind: 'error'; readonly errorType: ErrorType; readonly to: string }
  | { readonly kind: 'condition'; readonly condition: Condition; readonly to: string };

/** Every way out of an action, in the order the document lists them. */
export const outgoingEdges = (action: FlowAction): FlowEdge[] => {
  const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
  return [
    ...(NextAction === undefined ? [] : [{ kind: 'next' as const, to: NextAction }]),
    ...Conditions.map((c) => ({
      kind: 'condition' as const,
      condition: c.Condition,
      to: c.NextAction,
    })),
    ...Errors.map((e) => ({ kind: 'error' as const, errorType: e.ErrorType, to: e.NextAction })),
  ];
};

export const actionsById = (flow: FlowDocument): ReadonlyMap<string, FlowAction> =>
  new Map(flow.Actions.map((action) => [action.Identifier, action]));
