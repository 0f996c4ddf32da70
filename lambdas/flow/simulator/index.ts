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
  trail,
} from './path-checks.js';
export {
  checkFlow,
  handsOver,
  SIMULATED_TIME,
  type SimulateOptions,
  simulateCall,
  unsupportedActions,
} from './simulate-call.js';
export * from './types.js';
