import { isRecord } from '../../domain/is-record.js';
import {
  type FlowDocument,
  type FlowType,
  isActionType,
  isJsonPath,
  validateFlow,
} from '../language/index.js';
import { type ContactView, lookup } from './json-path.js';
import { FlowSimulationError } from './types.js';

/** A contact holding nothing: what a reference resolves to here tells only whether it is modelled. */
const EMPTY_CONTACT: ContactView = {
  contactId: '',
  initialContactId: '',
  instanceArn: '',
  dialed: '',
  caller: '',
  attributes: {},
  external: undefined,
  queue: undefined,
  mediaStream: undefined,
};

/** The JSONPath values in `parameters` (at any depth) that the simulator does not model. */
const unmodelledReferences = (parameters: unknown): string[] => {
  if (typeof parameters === 'string') {
    return isJsonPath(parameters) && lookup(parameters, EMPTY_CONTACT).kind === 'unsupported'
      ? [parameters]
      : [];
  }
  if (Array.isArray(parameters)) return parameters.flatMap(unmodelledReferences);
  if (isRecord(parameters)) return Object.values(parameters).flatMap(unmodelledReferences);
  return [];
};

/** What a supported action type asks that the simulator does not run, in words. */
const unsupportedVariants = (action: Record<string, unknown>): string[] => {
  const type = String(action.Type);
  const parameters = isRecord(action.Parameters) ? action.Parameters : {};
  const transitions = isRecord(action.Transitions) ? action.Transitions : {};
  const conditions = Array.isArray(transitions.Conditions) ? transitions.Conditions : [];
  const operators = conditions.map((c: unknown) =>
    isRecord(c) && isRecord(c.Condition) ? c.Condition.Operator : undefined,
  );
  return [
    ...(type === 'Compare' && operators.includes('KeyExists')
      ? ['Compare with the undocumented operator KeyExists']
      : []),
    ...(type === 'GetParticipantInput' && parameters.StoreInput === 'True'
      ? ['GetParticipantInput with StoreInput "True" (collecting digits)']
      : []),
    ...[...new Set(unmodelledReferences(parameters))].map(
      (path) => `the reference ${path} (not modelled)`,
    ),
  ];
};

/**
 * Everything in the flow the simulator cannot run, with the identifiers of the actions using each:
 * action types it does not support, and variants of supported ones (Compare with KeyExists,
 * GetParticipantInput with StoreInput "True", references to contact data it does not model such as
 * `$.Lex.IntentName`). Whether or not a call would reach them.
 */
export const unsupportedActions = (
  flow: unknown,
): { readonly type: string; readonly identifiers: readonly string[] }[] => {
  if (!isRecord(flow) || !Array.isArray(flow.Actions)) return [];
  const byWhat = new Map<string, string[]>();
  const add = (what: string, id: string) => {
    const ids = byWhat.get(what) ?? [];
    if (!ids.includes(id)) ids.push(id);
    byWhat.set(what, ids);
  };
  flow.Actions.forEach((action: unknown, index) => {
    if (!isRecord(action) || typeof action.Type !== 'string') return;
    const id =
      typeof action.Identifier === 'string' ? action.Identifier : `Actions[${String(index)}]`;
    if (!isActionType(action.Type)) add(action.Type, id);
    else for (const what of unsupportedVariants(action)) add(what, id);
  });
  return [...byWhat].map(([type, identifiers]) => ({ type, identifiers }));
};

/**
 * Flow documents already accepted, by identity, with the types they were accepted as: a hook flow
 * runs on many calls of one enumeration, and validating it each time was a fifth of the run.
 * (Documents are not changed once given to the simulator; a changed copy is a new object.)
 */
const ACCEPTED = new WeakMap<object, Set<FlowType>>();

/**
 * The flow, typed, or a FlowSimulationError listing why the simulator cannot run it. A call's own
 * flow is a CONTACT_FLOW; the flow a CustomerQueue hook names, a CUSTOMER_QUEUE flow: each refuses
 * the actions its type does not run.
 */
export const checkFlow = (flow: unknown, flowType: FlowType = 'CONTACT_FLOW'): FlowDocument => {
  const accepted = typeof flow === 'object' && flow !== null ? ACCEPTED.get(flow) : undefined;
  if (accepted?.has(flowType)) return flow as FlowDocument;
  const unsupported = unsupportedActions(flow);
  if (unsupported.length > 0) {
    const problems = unsupported.map(
      ({ type, identifiers }) =>
        `${type} (${identifiers.length === 1 ? 'id' : 'ids'} ${identifiers.join(', ')})`,
    );
    throw new FlowSimulationError(
      `this flow uses actions the simulator does not support: ${problems.join(', ')}`,
      problems,
    );
  }
  const problems = validateFlow(flow, { flowType });
  if (problems.length > 0) {
    throw new FlowSimulationError(
      `the flow is not valid, so the simulator will not run it:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  if (typeof flow === 'object' && flow !== null) {
    ACCEPTED.set(flow, new Set([...(accepted ?? []), flowType]));
  }
  return flow as FlowDocument;
};
