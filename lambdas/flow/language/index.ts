export {
  ACTION_SPECS,
  type ActionSpec,
  AGENT_METRIC_TYPES,
  type AgentMetricType,
  type ConditionRules,
  endsCall,
  isActionType,
  type TransitionRules,
} from './action-specs.js';
export * from './flow-language.js';
export { findPlaceholders, substitutePlaceholders } from './placeholders.js';
export { InvalidFlowError, parseFlow, validateFlow } from './validate-flow.js';
export { isJsonPath } from './value-rules.js';
