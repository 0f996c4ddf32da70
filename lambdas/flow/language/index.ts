export {
  ACTION_SPECS,
  type ActionSpec,
  type ConditionRules,
  endsCall,
  isActionType,
  type TransitionRules,
} from './action-specs.js';
export * from './flow-language.js';
export { findPlaceholders, substitutePlaceholders } from './placeholders.js';
export { InvalidFlowError, parseFlow, validateFlow } from './validate-flow.js';
export { isJsonPath } from './value-rules.js';
