import { isRecord } from '../../domain/is-record.js';
import {
  ACTION_SPECS,
  type ConditionRules,
  endsCall,
  type FlowType,
  isActionType,
  NOT_IN_FLOW_TYPE,
  type Parameters,
  type TransitionRules,
} from './action-specs.js';
import {
  ACTION_TYPES,
  type ActionType,
  FLOW_LANGUAGE_VERSION,
  type FlowDocument,
  FORBIDDEN_IDENTIFIER_CHARACTERS,
  MAX_ACTIONS,
  MAX_IDENTIFIER_LENGTH,
} from './flow-language.js';
import { scalarProblems, shape, show } from './value-rules.js';

/**
 * Checks a contact flow against the wire format CreateContactFlow enforces, and against this
 * project's own rule that no call ends in silence. Returns one message per problem (empty: valid),
 * each naming the action and saying what to write instead, because Connect's own errors name only
 * an action index and a property path. With `flowType`, also the actions that flow type does not
 * run (NOT_IN_FLOW_TYPE); without it, any type's actions pass.
 */
export const validateFlow = (
  flow: unknown,
  options: { readonly flowType?: FlowType } = {},
): string[] => {
  if (!isRecord(flow)) {
    return [`flow is ${show(flow)}; write an object with Version, StartAction and Actions`];
  }
  if (!Array.isArray(flow.Actions)) {
    return [
      ...envelopeProblems(flow),
      `flow: Actions is ${show(flow.Actions)}; write a list of actions`,
    ];
  }
  const actions = flow.Actions.map(viewAction);
  const identifiers = new Set(actions.flatMap((action) => action.identifier ?? []));
  return [
    ...envelopeProblems(flow),
    ...startActionProblems(flow.StartAction, identifiers),
    ...metadataProblems(flow.Metadata),
    ...duplicateIdentifierProblems(actions),
    ...actions.flatMap((action) => actionProblems(action, identifiers)),
    ...(options.flowType === undefined ? [] : flowTypeProblems(options.flowType, actions)),
    ...graphProblems(flow.StartAction, actions),
  ];
};

const flowTypeProblems = (flowType: FlowType, actions: readonly ActionView[]): string[] =>
  actions.flatMap((action) =>
    action.type !== undefined && NOT_IN_FLOW_TYPE[flowType].includes(action.type)
      ? [`${action.label}: ${action.type} is not supported in a ${flowType} flow; remove it`]
      : [],
  );

/** A flow that breaks the wire format or leaves a caller in silence; `problems` lists why. */
export class InvalidFlowError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the contact flow is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidFlowError';
  }
}

/** Parses a flow's JSON text and returns it typed, or throws an InvalidFlowError. */
export const parseFlow = (text: string): FlowDocument => {
  const flow: unknown = JSON.parse(text);
  const problems = validateFlow(flow);
  if (problems.length > 0) throw new InvalidFlowError(problems);
  return flow as FlowDocument;
};

/** An action as read from untrusted JSON, with safe defaults where the input is malformed. */
interface ActionView {
  /** How messages name the action: its Identifier and Type, or its index when it has none. */
  readonly label: string;
  readonly identifier?: string;
  readonly type?: ActionType;
  readonly raw: unknown;
  readonly parameters: Parameters;
  readonly transitions: Readonly<Record<string, unknown>>;
}

const viewAction = (raw: unknown, index: number): ActionView => {
  const fields = isRecord(raw) ? raw : {};
  const identifier = typeof fields.Identifier === 'string' ? fields.Identifier : undefined;
  const typeText = typeof fields.Type === 'string' ? ` (${fields.Type})` : '';
  return {
    label:
      identifier === undefined
        ? `action at Actions[${index}]${typeText}`
        : `action "${identifier}"${typeText}`,
    ...(identifier === undefined ? {} : { identifier }),
    ...(isActionType(fields.Type) ? { type: fields.Type } : {}),
    raw,
    parameters: isRecord(fields.Parameters) ? fields.Parameters : {},
    transitions: isRecord(fields.Transitions) ? fields.Transitions : {},
  };
};

const unknownKeys = (value: Record<string, unknown>, allowed: readonly string[]): string[] =>
  Object.keys(value).filter((key) => !allowed.includes(key));

// ---- envelope -----------------------------------------------------------------------------------

const ENVELOPE_KEYS = ['Version', 'StartAction', 'Metadata', 'Actions'];

const envelopeProblems = (flow: Record<string, unknown>): string[] => {
  const actionCount = Array.isArray(flow.Actions) ? flow.Actions.length : 0;
  return [
    ...unknownKeys(flow, ENVELOPE_KEYS).map(
      (key) =>
        `flow: ${key} is not part of the Flow Language envelope; remove it (allowed: ${ENVELOPE_KEYS.join(', ')})`,
    ),
    ...(flow.Version === FLOW_LANGUAGE_VERSION
      ? []
      : [
          `flow: Version is ${show(flow.Version)}; write "${FLOW_LANGUAGE_VERSION}", the only version`,
        ]),
    ...(Array.isArray(flow.Actions) && actionCount === 0
      ? ['flow: Actions is empty; write at least one action']
      : []),
    ...(actionCount > MAX_ACTIONS
      ? [
          `flow: has ${actionCount} actions, Connect accepts at most ${MAX_ACTIONS}; remove actions or move some into a flow module`,
        ]
      : []),
  ];
};

const startActionProblems = (start: unknown, identifiers: ReadonlySet<string>): string[] => {
  if (typeof start !== 'string')
    return [`flow: StartAction is ${show(start)}; write the Identifier of the first action`];
  return identifiers.has(start)
    ? []
    : [`flow: StartAction "${start}" names no action; write the Identifier of the first action`];
};

/**
 * Metadata is free-form layout (reference §2.1): the service accepts anything there, including
 * ActionMetadata entries for blocks the flow no longer has (console exports carry them). Only
 * capitalised keys are refused, because they leave every block stacked at the origin.
 */
const metadataProblems = (metadata: unknown): string[] => {
  if (metadata === undefined) return [];
  if (!isRecord(metadata))
    return [`flow: Metadata is ${show(metadata)}; write an object or remove it`];
  const layout = isRecord(metadata.ActionMetadata) ? metadata.ActionMetadata : {};
  return [
    ...('EntryPointPosition' in metadata
      ? ['flow: Metadata.EntryPointPosition is capitalised; write entryPointPosition']
      : []),
    ...Object.entries(layout).flatMap(([id, entry]) =>
      isRecord(entry) && 'Position' in entry
        ? [`flow: Metadata.ActionMetadata."${id}".Position is capitalised; write position`]
        : [],
    ),
  ];
};

// ---- identifiers --------------------------------------------------------------------------------

/** Names that lookups by identifier in plain objects would confuse with built-in properties. */
const RESERVED_IDENTIFIERS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
];

const identifierProblems = (id: unknown): string[] => {
  if (typeof id !== 'string' || id === '') {
    return [`Identifier is ${show(id)}; write a unique name such as "play-greeting"`];
  }
  const forbidden = FORBIDDEN_IDENTIFIER_CHARACTERS.filter((c) => id.includes(c));
  if (RESERVED_IDENTIFIERS.includes(id)) {
    return [
      `Identifier "${id}" is a reserved JavaScript property name; write another name such as "play-greeting"`,
    ];
  }
  return [
    ...(id.length > MAX_IDENTIFIER_LENGTH
      ? [`Identifier has ${id.length} characters; shorten it to at most ${MAX_IDENTIFIER_LENGTH}`]
      : []),
    ...(forbidden.length > 0
      ? [
          `Identifier contains ${forbidden.map((c) => `"${c}"`).join(' ')}; ` +
            `write letters, digits and dashes (never ${FORBIDDEN_IDENTIFIER_CHARACTERS.join(' ')})`,
        ]
      : []),
  ];
};

const duplicateIdentifierProblems = (actions: readonly ActionView[]): string[] => {
  const counts = new Map<string, number>();
  for (const { identifier } of actions) {
    if (identifier !== undefined) counts.set(identifier, (counts.get(identifier) ?? 0) + 1);
  }
  return [...counts]
    .filter(([, count]) => count > 1)
    .map(
      ([id, count]) =>
        `action "${id}": Identifier is used by ${count} actions; give each action its own`,
    );
};

// ---- one action ---------------------------------------------------------------------------------

const ACTION_KEYS = ['Identifier', 'Type', 'Parameters', 'Transitions'];

const actionProblems = (action: ActionView, identifiers: ReadonlySet<string>): string[] => {
  if (!isRecord(action.raw))
    return [`${action.label} is ${show(action.raw)}; write an action object`];
  const raw = action.raw;
  const structural = [
    ...identifierProblems(raw.Identifier),
    ...unknownKeys(raw, ACTION_KEYS).map(
      (key) => `${key} is not part of an action; remove it (allowed: ${ACTION_KEYS.join(', ')})`,
    ),
    ...(isRecord(raw.Parameters)
      ? []
      : [`Parameters is ${show(raw.Parameters)}; write an object ({} when none)`]),
    ...(isRecord(raw.Transitions)
      ? []
      : [`Transitions is ${show(raw.Transitions)}; write an object ({} when none)`]),
    ...scalarProblems(action.parameters, 'Parameters'),
  ];
  const byType =
    action.type === undefined
      ? [
          `Type is ${show(raw.Type)}, which this project does not support; write one of ${ACTION_TYPES.join(', ')}`,
        ]
      : typedActionProblems(action.type, action, identifiers);
  return [...structural, ...byType].map((problem) => `${action.label}: ${problem}`);
};

const typedActionProblems = (
  type: ActionType,
  action: ActionView,
  identifiers: ReadonlySet<string>,
): string[] => {
  const spec = ACTION_SPECS[type];
  const rules = spec.transitions(action.parameters);
  return [
    ...shape(spec.parameters)(action.parameters, 'Parameters'),
    ...spec.parametersRules.flatMap((rule) => rule(action.parameters)),
    ...transitionProblems(type, rules, action.transitions, identifiers),
  ];
};

// ---- transitions --------------------------------------------------------------------------------

const TRANSITION_KEYS = ['NextAction', 'Errors', 'Conditions'];

const targetProblems = (
  target: unknown,
  path: string,
  identifiers: ReadonlySet<string>,
): string[] => {
  if (typeof target === 'string' && identifiers.has(target)) return [];
  const what =
    typeof target === 'string' && target !== ''
      ? `"${target}", which names no action`
      : show(target);
  return [`${path} is ${what}; write the Identifier of an existing action`];
};

/** Each entry of Errors or Conditions, with where it sits for messages. */
const entriesOf = (
  value: unknown,
): { readonly entry: Record<string, unknown>; readonly index: number }[] =>
  (Array.isArray(value) ? value : []).flatMap((entry, index) =>
    isRecord(entry) ? [{ entry, index }] : [],
  );

const listProblems = (value: unknown, path: string): string[] => {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${path} is ${show(value)}; write a list`];
  return value.flatMap((entry, i) =>
    isRecord(entry) ? [] : [`${path}[${i}] is ${show(entry)}; write an object`],
  );
};

const transitionProblems = (
  type: ActionType,
  rules: TransitionRules,
  transitions: Readonly<Record<string, unknown>>,
  identifiers: ReadonlySet<string>,
): string[] => {
  if (rules.terminal) {
    const present = Object.keys(transitions);
    return present.length === 0
      ? []
      : [`Transitions has ${present.join(', ')}; ${type} ends the flow: write "Transitions": {}`];
  }
  const context = rules.variant === undefined ? type : `${type} ${rules.variant}`;
  return [
    ...unknownKeys(transitions, TRANSITION_KEYS).map(
      (key) =>
        `Transitions.${key} is not a transition; remove it (allowed: ${TRANSITION_KEYS.join(', ')})`,
    ),
    ...(transitions.NextAction === undefined
      ? [
          `Transitions.NextAction is missing; every action but DisconnectParticipant needs one: name the action that comes next`,
        ]
      : targetProblems(transitions.NextAction, 'Transitions.NextAction', identifiers)),
    ...errorProblems(context, rules, transitions.Errors, identifiers),
    ...conditionProblems(context, rules.conditions, transitions.Conditions, identifiers),
    ...(rules.elseBranchIsNextAction ? elseBranchProblems(transitions) : []),
  ];
};

const errorProblems = (
  context: string,
  rules: TransitionRules,
  errors: unknown,
  identifiers: ReadonlySet<string>,
): string[] => {
  const entries = entriesOf(errors);
  const declared = entries.map(({ entry }) => entry.ErrorType);
  return [
    ...listProblems(errors, 'Transitions.Errors'),
    ...entries.flatMap(({ entry, index }) => {
      const path = `Transitions.Errors[${index}]`;
      const errorType = entry.ErrorType;
      return [
        ...unknownKeys(entry, ['NextAction', 'ErrorType']).map(
          (key) =>
            `${path}.${key} is not part of an error branch; remove it (allowed: NextAction, ErrorType)`,
        ),
        ...(rules.errors.some((allowed) => allowed === errorType)
          ? []
          : [
              `${path}.ErrorType is ${show(errorType)}, which ${context} does not raise; ` +
                (rules.errors.length === 0
                  ? 'remove the branch'
                  : `remove it (allowed: ${rules.errors.join(', ')})`),
            ]),
        ...(declared.indexOf(errorType) === index
          ? []
          : [`${path} handles ${show(errorType)} a second time; keep one branch per ErrorType`]),
        ...targetProblems(entry.NextAction, `${path}.NextAction`, identifiers),
      ];
    }),
    ...rules.errors
      .filter((required) => !declared.includes(required))
      .map(
        (missing) =>
          `Transitions.Errors lacks ${missing}, which ${context} requires; ` +
          `add {"NextAction": "<action>", "ErrorType": "${missing}"}`,
      ),
  ];
};

const conditionProblems = (
  context: string,
  rules: ConditionRules | undefined,
  conditions: unknown,
  identifiers: ReadonlySet<string>,
): string[] => {
  const entries = entriesOf(conditions);
  if (rules === undefined) {
    return entries.length === 0
      ? listProblems(conditions, 'Transitions.Conditions')
      : [`Transitions.Conditions: ${context} takes no conditions; remove them`];
  }
  const operands = entries.map(({ entry }) => conditionOperand(entry.Condition));
  return [
    ...listProblems(conditions, 'Transitions.Conditions'),
    ...(entries.length === 0
      ? [
          `Transitions.Conditions is missing; ${context} needs at least one {"NextAction": "<action>", "Condition": {...}}`,
        ]
      : []),
    ...entries.flatMap(({ entry, index }) => {
      const path = `Transitions.Conditions[${index}]`;
      return [
        ...unknownKeys(entry, ['NextAction', 'Condition']).map(
          (key) =>
            `${path}.${key} is not part of a condition branch; remove it (allowed: NextAction, Condition)`,
        ),
        ...singleConditionProblems(context, rules, entry.Condition, `${path}.Condition`),
        ...repeatProblems(operands, index, path),
        ...targetProblems(entry.NextAction, `${path}.NextAction`, identifiers),
      ];
    }),
    ...(rules.exactly ?? [])
      .filter((operand) => !operands.includes(`Equals "${operand}"`))
      .map(
        (operand) =>
          `Transitions.Conditions lacks Equals "${operand}", which ${context} requires; add it`,
      ),
  ];
};

const repeatProblems = (
  operands: readonly (string | undefined)[],
  index: number,
  path: string,
): string[] => {
  const operand = operands[index];
  return operand === undefined || operands.indexOf(operand) === index
    ? []
    : [`${path} repeats the condition ${operand}, which can never match; remove it`];
};

/** `Equals "1"`: identifies a condition, to find repeats and required branches. */
const conditionOperand = (condition: unknown): string | undefined => {
  if (!isRecord(condition) || !Array.isArray(condition.Operands)) return undefined;
  return `${String(condition.Operator)} ${JSON.stringify(condition.Operands[0])}`;
};

const singleConditionProblems = (
  context: string,
  rules: ConditionRules,
  condition: unknown,
  path: string,
): string[] => {
  if (!isRecord(condition))
    return [`${path} is ${show(condition)}; write {"Operator": "Equals", "Operands": ["value"]}`];
  const operator = rules.operators.find((allowed) => allowed === condition.Operator);
  const operands = condition.Operands;
  const operandList = Array.isArray(operands) ? operands : [];
  const operand: unknown = operandList[0];
  const format = operator === undefined ? undefined : rules.operand(operator);
  return [
    ...unknownKeys(condition, ['Operator', 'Operands']).map(
      (key) => `${path}.${key} is not part of a condition; remove it (allowed: Operator, Operands)`,
    ),
    ...(operator === undefined
      ? [
          `${path}.Operator is ${show(condition.Operator)}, which ${context} does not accept; write one of ${rules.operators.join(', ')}`,
        ]
      : []),
    ...(Array.isArray(operands) && operands.length === 1
      ? []
      : [
          `${path}.Operands is ${show(operands)}${Array.isArray(operands) ? ` of ${operands.length}` : ''}; write a list of exactly one operand`,
        ]),
    ...scalarProblems(operandList, `${path}.Operands`),
    ...(format !== undefined &&
    typeof operand === 'string' &&
    operand !== '' &&
    !format.accepts(operand)
      ? [`${path}.Operands[0] is ${show(operand)}; write ${format.expected}`]
      : []),
  ];
};

/** The console writes Compare's "no match" twice: as NextAction and as a NoMatchingCondition error. */
const elseBranchProblems = (transitions: Readonly<Record<string, unknown>>): string[] => {
  const noMatch = entriesOf(transitions.Errors).find(
    ({ entry }) => entry.ErrorType === 'NoMatchingCondition',
  );
  const elseTarget = noMatch?.entry.NextAction;
  if (
    elseTarget === undefined ||
    transitions.NextAction === undefined ||
    elseTarget === transitions.NextAction
  )
    return [];
  return [
    `Transitions.NextAction is ${show(transitions.NextAction)} but the NoMatchingCondition branch goes to ${show(elseTarget)}; ` +
      'point both at the same else-branch action',
  ];
};

// ---- the graph ----------------------------------------------------------------------------------

/** Where each branch of an action leads, keeping only targets that exist. */
const branchTargets = (action: ActionView, identifiers: ReadonlySet<string>): string[] => {
  const { NextAction, Errors, Conditions } = action.transitions;
  const targets = [
    NextAction,
    ...[...entriesOf(Errors), ...entriesOf(Conditions)].map(({ entry }) => entry.NextAction),
  ];
  return targets.filter((t): t is string => typeof t === 'string' && identifiers.has(t));
};

const closure = (seeds: Iterable<string>, next: (id: string) => Iterable<string>): Set<string> => {
  const seen = new Set(seeds);
  const pending = [...seen];
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    for (const target of next(id)) {
      if (!seen.has(target)) {
        seen.add(target);
        pending.push(target);
      }
    }
  }
  return seen;
};

/**
 * Every action must be reachable, and from every reachable action some path must end the call
 * well: at DisconnectParticipant, or by handing it over (queue). Anything else is a caller left
 * in silence or looping forever.
 */
const graphProblems = (start: unknown, actions: readonly ActionView[]): string[] => {
  const byId = new Map<string, ActionView>();
  for (const action of actions) {
    if (action.identifier !== undefined && !byId.has(action.identifier))
      byId.set(action.identifier, action);
  }
  if (typeof start !== 'string' || !byId.has(start)) return [];
  const identifiers = new Set(byId.keys());
  const targetsOf = new Map(
    [...byId].map(([id, action]) => [id, branchTargets(action, identifiers)]),
  );
  const sourcesOf = new Map<string, string[]>();
  for (const [source, targets] of targetsOf) {
    for (const target of targets) sourcesOf.set(target, [...(sourcesOf.get(target) ?? []), source]);
  }
  const reachable = closure([start], (id) => targetsOf.get(id) ?? []);
  const ends = [...byId]
    .filter(([, a]) => a.type !== undefined && endsCall(a.type, a.parameters))
    .map(([id]) => id);
  const canEnd = closure(ends, (id) => sourcesOf.get(id) ?? []);
  return [...byId].flatMap(([id, action]) => {
    if (!reachable.has(id)) {
      return [
        `${action.label} is unreachable from StartAction "${start}"; branch to it from another action or remove it`,
      ];
    }
    if (canEnd.has(id)) return [];
    return (targetsOf.get(id) ?? []).length === 0
      ? [
          `${action.label} is a dead end: it has no way forward and the call would stop in silence; add a NextAction`,
        ]
      : [
          `${action.label} is a dead end: no path from it reaches DisconnectParticipant or TransferContactToQueue, ` +
            'every one stops in silence or loops; add a branch that ends the call',
        ];
  });
};
