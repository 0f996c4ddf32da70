export { checkFlow, unsupportedActions } from './check-flow.js';
export { contactTraceRecord, ctrTimestamp, recordingLocation } from './contact-record.js';
export {
  DEFAULT_INSTANCE_ALIAS,
  DEFAULT_INSTANCE_ARN,
  DEFAULT_MAX_STEPS,
  DEFAULT_RECORDINGS_BUCKET,
} from './defaults.js';
export {
  type CallEnumeration,
  type EnumeratedPath,
  type EnumerationOptions,
  enumerateCalls,
  type LabelledOutcome,
  type LambdaAnswers,
} from './enumerate-calls.js';
export { branchLabel, edgeKey, edgesNeverTaken, edgesOfTrace, flowEdges } from './flow-edges.js';
export { type ContactView, type Lookup, lookup } from './json-path.js';
export {
  callProblems,
  type PathProblem,
  type PathRule,
  type PathRules,
  pathProblems,
  secondsToResolution,
  trail,
} from './path-checks.js';
export { handsOver, simulateCall } from './simulate-call.js';
export type { SimulateOptions } from './simulated-contact.js';
export { SIMULATED_TIME } from './simulated-time.js';
export * from './types.js';
