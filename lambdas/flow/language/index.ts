export {
  ACTION_SPECS,
  type ActionSpec,
  AGENT_METRIC_TYPES,
  type AgentMetricType,
  type ConditionRules,
  EVENT_HOOKS,
  endsCall,
  type FlowType,
  isActionType,
  LOOP_RESULTS,
  MESSAGES_INTERRUPTED,
  NOT_IN_FLOW_TYPE,
  type TransitionRules,
} from './action-specs.js';
export * from './flow-language.js';
export { findPlaceholders, substitutePlaceholders } from './placeholders.js';
export { InvalidFlowError, parseFlow, validateFlow } from './validate-flow.js';
export { isJsonPath } from './value-rules.js';
