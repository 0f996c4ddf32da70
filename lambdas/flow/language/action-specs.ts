import {
  type ActionType,
  CONDITION_OPERATORS,
  type ConditionOperator,
  type ErrorType,
} from './flow-language.js';
import {
  ANY_TEXT,
  anyObject,
  choice,
  DTMF_DIGITS,
  DTMF_KEY,
  E164_NUMBER,
  either,
  FLOW_ID_OR_ARN,
  JSON_PATH,
  LAMBDA_ARN,
  listOf,
  listOfObjects,
  NUMBER,
  optional,
  orDeployTimeToken,
  type ParameterSpec,
  QUEUE_ARN,
  required,
  shape,
  shapeWith,
  singleEntry,
  stringMap,
  type TextFormat,
  text,
  wholeNumber,
} from './value-rules.js';

/**
 * The wire format of each supported action, as CreateContactFlow enforces it (reference §2.3,
 * corrected where the service differs from the AWS docs). One row per action type: the simulator
 * and the validator both read this table, so a rule lives in exactly one place.
 */

export type Parameters = Readonly<Record<string, unknown>>;

export interface ConditionRules {
  readonly operators: readonly ConditionOperator[];
  readonly operand: (operator: ConditionOperator) => TextFormat;
  /** The exact operands the action branches on, each exactly once (e.g. hours: True and False). */
  readonly exactly?: readonly string[];
}

export interface TransitionRules {
  /** Names the parameter the rules depend on, for messages, e.g. `with StoreInput "False"`. */
  readonly variant?: string;
  /** Ends the flow: `"Transitions": {}`, no NextAction. */
  readonly terminal: boolean;
  /** Success hands the contact over and the flow ends there (its NextAction is never taken). */
  readonly successEndsFlow: boolean;
  /**
   * The error branches, each both allowed and required: this project never leaves an error
   * unhandled, because an unhandled branch is a caller lost in silence.
   */
  readonly errors: readonly ErrorType[];
  /** Absent: the action takes no Conditions. Present: at least one is required. */
  readonly conditions?: ConditionRules;
  /** Compare's else branch: NextAction and the NoMatchingCondition error name the same action. */
  readonly elseBranchIsNextAction: boolean;
}

/** A rule over several parameters at once, e.g. "exactly one prompt". */
export type ParametersRule = (parameters: Parameters) => string[];

export interface ActionSpec {
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  readonly parametersRules: readonly ParametersRule[];
  readonly transitions: (parameters: Parameters) => TransitionRules;
}

const STEP: TransitionRules = {
  terminal: false,
  successEndsFlow: false,
  errors: [],
  elseBranchIsNextAction: false,
};

const step = (rules: Partial<TransitionRules> = {}): TransitionRules => ({ ...STEP, ...rules });

const always =
  (rules: TransitionRules) =>
  (_parameters: Parameters): TransitionRules =>
    rules;

const exactlyOneOf =
  (names: readonly string[]): ParametersRule =>
  (parameters) => {
    const present = names.filter((name) => parameters[name] !== undefined);
    if (present.length === 1) return [];
    const which = present.length === 0 ? 'none' : present.join(' and ');
    return [`Parameters has ${which} of ${names.join(', ')}; write exactly one of them`];
  };

const NUMBER_OPERATORS: readonly ConditionOperator[] = [
  'NumberGreaterThan',
  'NumberGreaterOrEqualTo',
  'NumberLessThan',
  'NumberLessOrEqualTo',
];

const PROMPTS = ['Text', 'SSML', 'PromptId'] as const;

const promptParameters = {
  Text: optional(text(ANY_TEXT)),
  SSML: optional(text(ANY_TEXT)),
  PromptId: optional(text(ANY_TEXT)),
};

const mediaParameter = optional(
  shape({
    Uri: required(text(ANY_TEXT)),
    SourceType: required(text(choice('S3'))),
    MediaType: required(text(choice('Audio'))),
  }),
);

/** One message of a prompt loop: exactly one of Text, SSML, PromptId, Media. */
const loopMessage = shapeWith({ ...promptParameters, Media: mediaParameter }, (message, path) =>
  exactlyOneOf([...PROMPTS, 'Media'])(message).map((problem) => `${path}: ${problem}`),
);

/** The event hooks UpdateContactEventHooks may set (API reference, contact-actions-updatecontacteventhooks). */
export const EVENT_HOOKS = [
  'AgentHold',
  'AgentWhisper',
  'CustomerHold',
  'CustomerQueue',
  'CustomerRemaining',
  'CustomerWhisper',
  'DefaultAgentUI',
  'DisconnectAgentUI',
  'PauseContact',
  'ResumeContact',
] as const;

/** The loop's two results, each a required condition and the only ones (flow-control-actions-loop). */
export const LOOP_RESULTS = ['ContinueLooping', 'DoneLooping'] as const;

/** The one result of a prompt loop with an interrupt (participant-actions-messageparticipantiteratively). */
export const MESSAGES_INTERRUPTED = 'MessagesInterrupted';

/** At most three days, for a callback's first delay and its retries (interactions-createcallbackcontact). */
const THREE_DAYS_SECONDS = 259_200;

const phoneNumber = text(orDeployTimeToken(either(E164_NUMBER, JSON_PATH)));

const transferParticipantToThirdParty = (parameters: Parameters): TransitionRules =>
  parameters.ContinueFlowExecution === 'False'
    ? step({
        variant: 'with ContinueFlowExecution "False"',
        successEndsFlow: true,
        errors: ['NoMatchingError'],
      })
    : step({
        variant: 'with ContinueFlowExecution "True"',
        errors: ['CallFailed', 'ConnectionTimeLimitExceeded', 'NoMatchingError'],
      });

const getParticipantInput = (parameters: Parameters): TransitionRules =>
  parameters.StoreInput === 'True'
    ? step({ variant: 'with StoreInput "True"', errors: ['NoMatchingError'] })
    : step({
        variant: 'with StoreInput "False"',
        errors: ['InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError'],
        conditions: { operators: ['Equals'], operand: () => DTMF_KEY },
      });

/**
 * The agent metrics CheckMetricData reads: agents Available (free now), Staffed (Available, on a
 * contact or in after-contact work) and Online (Staffed, or in a non-productive status).
 */
export const AGENT_METRIC_TYPES = [
  'NumberOfAgentsAvailable',
  'NumberOfAgentsStaffed',
  'NumberOfAgentsOnline',
] as const;

export type AgentMetricType = (typeof AGENT_METRIC_TYPES)[number];

/**
 * An agent metric supports one condition only, NumberGreaterThan 0; when it does not hold (nobody)
 * the flow takes NextAction: NoMatchingCondition is for the queue metrics alone (API reference,
 * flow-control-actions-checkmetricdata).
 */
const checkMetricData = (parameters: Parameters): TransitionRules =>
  step({
    variant: `with MetricType ${JSON.stringify(parameters.MetricType)}`,
    errors: ['NoMatchingError'],
    conditions: { operators: ['NumberGreaterThan'], operand: () => choice('0') },
  });

export const ACTION_SPECS: Readonly<Record<ActionType, ActionSpec>> = {
  InvokeLambdaFunction: {
    parameters: {
      LambdaFunctionARN: required(text(orDeployTimeToken(LAMBDA_ARN))),
      // Synchronous calls wait at most 8 s; the limit must be static.
      InvocationTimeLimitSeconds: required(text(wholeNumber(1, 8))),
      // The console usually writes it; real exports sometimes omit it (Connect: SYNCHRONOUS).
      InvocationType: optional(text(choice('SYNCHRONOUS'))),
      LambdaInvocationAttributes: optional(stringMap({ atLeastOne: false })),
      ResponseValidation: required(
        shape({ ResponseType: required(text(choice('STRING_MAP', 'JSON'))) }),
      ),
    },
    parametersRules: [],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  UpdateContactAttributes: {
    parameters: {
      Attributes: required(stringMap({ atLeastOne: true })),
      TargetContact: required(text(choice('Current', 'Related'))),
    },
    parametersRules: [],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  UpdateContactRecordingBehavior: {
    parameters: {
      RecordingBehavior: required(
        shape({
          RecordedParticipants: required(listOf(choice('Agent', 'Customer'))),
          // Only IVR recording covers a transfer to a phone number.
          IVRRecordingBehavior: optional(text(choice('Enabled', 'Disabled'))),
          ScreenRecordedParticipants: optional(listOf(choice('Agent'))),
        }),
      ),
      AnalyticsBehavior: optional(anyObject),
    },
    parametersRules: [],
    transitions: always(step()),
  },
  // The newer block the console writes: the same recording, under VoiceBehavior.
  UpdateContactRecordingAndAnalyticsBehavior: {
    parameters: {
      VoiceBehavior: required(
        shape({
          VoiceRecordingBehavior: required(
            shape({
              RecordedParticipants: required(listOf(choice('Agent', 'Customer'))),
              IVRRecordingBehavior: optional(text(choice('Enabled', 'Disabled'))),
            }),
          ),
          VoiceAnalyticsBehavior: optional(anyObject),
        }),
      ),
    },
    parametersRules: [],
    transitions: always(step()),
  },
  TransferParticipantToThirdParty: {
    parameters: {
      ThirdPartyPhoneNumber: required(phoneNumber),
      // The docs say ...TimeoutSeconds; the service requires ...TimeLimitSeconds.
      ThirdPartyConnectionTimeLimitSeconds: required(text(either(wholeNumber(0, 600), JSON_PATH))),
      ContinueFlowExecution: required(text(choice('True', 'False'))),
      // Keys sent once the third party answers: at most 50 of 0-9 , * # (comma: a pause).
      ThirdPartyDTMFDigits: optional(text(DTMF_DIGITS)),
      CallerId: optional(shape({ Number: optional(phoneNumber), Name: optional(text(ANY_TEXT)) })),
    },
    parametersRules: [],
    transitions: transferParticipantToThirdParty,
  },
  MessageParticipant: {
    parameters: {
      ...promptParameters,
      Media: mediaParameter,
      // Console exports carry it in lower case.
      SkipWhenDTMFBufferEnabled: optional(text(choice('true', 'false'))),
    },
    parametersRules: [exactlyOneOf([...PROMPTS, 'Media'])],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  Compare: {
    // A literal on the left is rejected: the compared value must be a JSONPath leaf.
    parameters: { ComparisonValue: required(text(JSON_PATH)) },
    parametersRules: [],
    transitions: always(
      step({
        errors: ['NoMatchingCondition'],
        conditions: {
          operators: CONDITION_OPERATORS,
          operand: (operator) => (NUMBER_OPERATORS.includes(operator) ? NUMBER : ANY_TEXT),
        },
        elseBranchIsNextAction: true,
      }),
    ),
  },
  UpdateContactTargetQueue: {
    parameters: { QueueId: required(text(orDeployTimeToken(either(QUEUE_ARN, JSON_PATH)))) },
    parametersRules: [],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  TransferContactToQueue: {
    // No parameters: the queue is the one UpdateContactTargetQueue set.
    parameters: {},
    parametersRules: [],
    transitions: always(
      step({ successEndsFlow: true, errors: ['QueueAtCapacity', 'NoMatchingError'] }),
    ),
  },
  GetParticipantInput: {
    parameters: {
      ...promptParameters,
      InputTimeLimitSeconds: required(text(wholeNumber(1, 180))),
      StoreInput: required(text(choice('True', 'False'))),
      // Store mode only (digits to collect, validation); not modelled further.
      DTMFConfiguration: optional(anyObject),
      InputValidation: optional(anyObject),
    },
    parametersRules: [exactlyOneOf(PROMPTS)],
    transitions: getParticipantInput,
  },
  CheckHoursOfOperation: {
    // Defaults to the hours of the contact's target queue.
    parameters: { HoursOfOperationId: optional(text(ANY_TEXT)) },
    parametersRules: [],
    transitions: always(
      step({
        errors: ['NoMatchingError'],
        conditions: {
          operators: ['Equals'],
          operand: () => choice('True', 'False'),
          exactly: ['True', 'False'],
        },
      }),
    ),
  },
  CheckMetricData: {
    // Only the agent metrics (the console's Check staffing); QueueId absent: the target queue's.
    parameters: {
      MetricType: required(text(choice(...AGENT_METRIC_TYPES))),
      QueueId: optional(text(orDeployTimeToken(either(QUEUE_ARN, JSON_PATH)))),
    },
    parametersRules: [],
    transitions: checkMetricData,
  },
  UpdateFlowLoggingBehavior: {
    parameters: { FlowLoggingBehavior: required(text(choice('Enabled', 'Disabled'))) },
    parametersRules: [],
    transitions: always(step()),
  },
  DisconnectParticipant: {
    parameters: {},
    parametersRules: [],
    transitions: always(step({ terminal: true })),
  },
  // The console's End flow / Resume: ends a whisper or queue flow without a disconnect
  // (APIReference flow-control-actions-endflowexecution: no parameters, always terminal).
  EndFlowExecution: {
    parameters: {},
    parametersRules: [],
    transitions: always(step({ terminal: true })),
  },
  // The console's Set customer queue flow (and the other hook blocks): one hook per action.
  UpdateContactEventHooks: {
    parameters: {
      EventHooks: required(
        singleEntry(EVENT_HOOKS, orDeployTimeToken(either(FLOW_ID_OR_ARN, JSON_PATH))),
      ),
    },
    parametersRules: [],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  // The console's Loop prompts: plays its messages over and over while the caller waits.
  MessageParticipantIteratively: {
    parameters: {
      Messages: required(listOfObjects(loopMessage)),
      // The reference gives no bound; a whole number of seconds, at least 1 (an assumption).
      InterruptFrequencySeconds: optional(text(wholeNumber(1, THREE_DAYS_SECONDS))),
    },
    parametersRules: [],
    transitions: (parameters) =>
      parameters.InterruptFrequencySeconds === undefined
        ? step({ variant: 'without InterruptFrequencySeconds', errors: ['NoMatchingError'] })
        : step({
            variant: 'with InterruptFrequencySeconds',
            errors: ['NoMatchingError'],
            conditions: {
              operators: ['Equals'],
              operand: () => choice(MESSAGES_INTERRUPTED),
              exactly: [MESSAGES_INTERRUPTED],
            },
          }),
  },
  Loop: {
    // "Must either be fully static or fully dynamic": a number 0-100, or one JSONPath.
    parameters: { LoopCount: required(text(either(wholeNumber(0, 100), JSON_PATH))) },
    parametersRules: [],
    transitions: always(
      step({
        conditions: {
          operators: ['Equals'],
          operand: () => choice(...LOOP_RESULTS),
          exactly: [...LOOP_RESULTS],
        },
      }),
    ),
  },
  UpdateContactCallbackNumber: {
    // "Must be a single, valid JSONPath reference, and cannot be set statically."
    parameters: { CallbackNumber: required(text(JSON_PATH)) },
    parametersRules: [],
    transitions: always(step({ errors: ['InvalidCallbackNumber', 'CallbackNumberNotDialable'] })),
  },
  CreateCallbackContact: {
    parameters: {
      // Absent: the contact's target queue.
      QueueId: optional(text(orDeployTimeToken(either(QUEUE_ARN, JSON_PATH)))),
      AgentId: optional(text(ANY_TEXT)),
      // With a ContactFlowId Connect ignores InitialCallDelaySeconds.
      ContactFlowId: optional(text(orDeployTimeToken(either(FLOW_ID_OR_ARN, JSON_PATH)))),
      InitialCallDelaySeconds: required(text(wholeNumber(1, THREE_DAYS_SECONDS))),
      // "Larger than zero, and an integer"; no upper bound given.
      MaximumConnectionAttempts: required(text(wholeNumber(1, Number.MAX_SAFE_INTEGER))),
      RetryDelaySeconds: required(text(wholeNumber(1, THREE_DAYS_SECONDS))),
    },
    parametersRules: [
      (parameters) =>
        parameters.QueueId !== undefined && parameters.AgentId !== undefined
          ? ['Parameters has QueueId and AgentId; write at most one of them']
          : [],
    ],
    // The reference lists no error of its own: the catch-all (an assumption, the safe side).
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
  UpdateContactMediaStreamingBehavior: {
    parameters: {
      MediaStreamingState: required(text(choice('Enabled', 'Disabled'))),
      Participants: required(
        listOfObjects(
          shape({
            ParticipantType: required(text(choice('Customer'))),
            MediaDirections: required(listOf(choice('From', 'To'))),
          }),
        ),
      ),
      MediaStreamType: required(text(choice('Audio'))),
    },
    parametersRules: [],
    transitions: always(step({ errors: ['NoMatchingError'] })),
  },
};

/**
 * The flow types this project writes, as CreateContactFlow names them: a contact (inbound) flow,
 * the customer queue flow a CustomerQueue event hook runs while the caller waits, and the agent
 * whisper an AgentWhisper hook plays to the agent before the caller is connected.
 */
export type FlowType = 'CONTACT_FLOW' | 'CUSTOMER_QUEUE' | 'AGENT_WHISPER';

/**
 * Actions a flow type does not run (admin guide, each block's Flow types; API reference
 * Restrictions). A customer queue flow cannot set the hooks, change the working queue or dial a
 * number; the prompt loop runs only in queue and hold flows.
 */
export const NOT_IN_FLOW_TYPE: Readonly<Record<FlowType, readonly ActionType[]>> = {
  // EndFlowExecution: "available only in whisper flows and customer queue flows".
  CONTACT_FLOW: ['MessageParticipantIteratively', 'EndFlowExecution'],
  // A whisper plays to one side while the agent is being connected: it hands the call nowhere.
  AGENT_WHISPER: [
    'MessageParticipantIteratively',
    'TransferContactToQueue',
    'TransferParticipantToThirdParty',
  ],
  CUSTOMER_QUEUE: [
    'UpdateContactEventHooks',
    'UpdateContactTargetQueue',
    'TransferParticipantToThirdParty',
  ],
};

export const isActionType = (value: unknown): value is ActionType =>
  typeof value === 'string' && Object.hasOwn(ACTION_SPECS, value);

/** Where a call may end well: a hang-up, or a hand-over (queue, or a transfer that keeps no control). */
export const endsCall = (type: ActionType, parameters: Parameters): boolean => {
  const rules = ACTION_SPECS[type].transitions(parameters);
  return rules.terminal || rules.successEndsFlow;
};
