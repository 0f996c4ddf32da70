import { randomUUID } from 'node:crypto';
import { isQueueArn } from '../../domain/connect-arn.js';
import { isRecord } from '../../domain/is-record.js';
import { isE164 } from '../../domain/phone-number.js';
import {
  ACTION_SPECS,
  actionsById,
  type ConditionOperator,
  type ErrorType,
  type FlowAction,
  type FlowDocument,
  isActionType,
  isJsonPath,
  validateFlow,
} from '../language/index.js';
import { contactTraceRecord } from './contact-record.js';
import { DEFAULT_INSTANCE_ARN, DEFAULT_MAX_STEPS } from './defaults.js';
import { type ContactView, interpolate, lookup } from './json-path.js';
import {
  type AnsweredTransfer,
  type AttributeChange,
  type CallOutcome,
  type ContactFlowEvent,
  type DisconnectReason,
  FlowSimulationError,
  type LambdaOutcome,
  type PlayedPrompt,
  type RecordingChange,
  type SimulatedCall,
  type SimulatedWorld,
  type SimulationResult,
  type TraceStep,
} from './types.js';

/**
 * Runs one simulated call through a Flow Language flow: a test instrument, strict about what it does
 * not model. It validates the flow first (validateFlow), refuses action types it does not know,
 * then executes from StartAction one action at a time against a simulated clock.
 *
 * The simulated clock (all durations in SIMULATED_TIME):
 * - a Text/SSML prompt lasts 1 s per 15 characters (at least 1 s, SSML tags not counted); a
 *   PromptId or Media prompt, whose audio the simulator cannot hear, 5 s;
 * - a menu (GetParticipantInput) plays its prompt, then the caller presses a key after 1 s, or
 *   presses nothing and the block waits its InputTimeLimitSeconds;
 * - a Lambda takes the wall-clock time the world took to answer (or the `elapsedMs` the world
 *   reports), capped at InvocationTimeLimitSeconds; past it the block takes its Error branch;
 * - a transfer that is answered rings 5 s (at most its time limit), then the two talk for 60 s until
 *   the third party hangs up; one not answered rings its whole ThirdPartyConnectionTimeLimitSeconds;
 *   a busy line takes 3 s, a failed call 1 s;
 * - a call handed to a queue waits there 60 s, then the caller hangs up (no agent is simulated);
 * - every other action takes no time.
 *
 * How the call ends (`outcome`): the last party reached wins. An answered transfer makes it
 * `transferred` (endpoint: that number) and a later answered transfer replaces it; a hand-over to a
 * queue ends the flow, so it is always last (`queued`, endpoint: the queue ARN). If nobody was
 * reached, a DisconnectParticipant right after a prompt (only silent actions in between) is
 * `message-disconnect`; any other end is `disconnected`, a caller left in silence.
 *
 * Semantics assumed where the reference is silent (each is one decision, in one place):
 * - references resolve strictly, except Compare's ComparisonValue: an attribute never set (or a key
 *   the last Lambda did not return) matches no condition, as in Connect; prompt Text and SSML read
 *   references in place ("Thanks for calling $.Attributes.locationName");
 * - a failed Lambda (error, timeout, an answer that fails ResponseValidation) leaves no `$.External`,
 *   so a later reference to it stops the simulation instead of reading a stale answer;
 * - recording is `recording` from an UpdateContactRecordingBehavior (or the newer
 *   UpdateContactRecordingAndAnalyticsBehavior's VoiceRecordingBehavior) with any participant or IVR
 *   recording, `off` from one without; a successful Lambda call suspends or resumes it only when
 *   the world's answer says so (`LambdaOutcome.recording`, e.g. a Connect stand-in that saw
 *   SuspendContactRecording), never from the function's name or parameters, and a suspension
 *   outlives turning the behaviour off and on again;
 * - a transfer to a value that is not an E.164 number, or with a time limit that is not 0-600 s,
 *   takes NoMatchingError; with ContinueFlowExecution "False" every failure takes NoMatchingError;
 * - UpdateContactTargetQueue with a value that is not a queue ARN, TransferContactToQueue without a
 *   target queue, and UpdateContactAttributes on the Related contact take NoMatchingError;
 * - DisconnectReason: CUSTOMER_DISCONNECT after a queue, THIRD_PARTY_DISCONNECT when the flow ends
 *   with a transfer or hangs up right after the third party did, else CONTACT_FLOW_DISCONNECT (a
 *   guess: the reference does not say which party Connect records in these cases);
 * - an empty string anywhere in a STRING_MAP Lambda answer fails response validation and takes the
 *   Error branch (a guess from the rule that flows reject empty strings; reference §2.1);
 * - an UpdateContactAttributes whose value resolves to an empty string takes NoMatchingError
 *   (a guess: the reference only says empty strings are rejected in the flow itself);
 * - InvocationType absent is SYNCHRONOUS; PreviousContactId is the contact's own id, in the event
 *   and the contact record alike.
 *
 * Not modelled: caller hang-ups during the flow, Connect's retries of a failing Lambda (a failure is
 * final), agents. Refused up front by checkFlow, all listed together with the identifiers using
 * each, even in a part of the flow no call reaches: action types it does not support,
 * GetParticipantInput with StoreInput "True", the undocumented operator KeyExists, and references
 * to contact data it does not model (e.g. `$.Lex.IntentName`, `$.Queue.OutboundCallerId.Address`;
 * see json-path.ts). Refused when reached: CheckHoursOfOperation without `world.isOpen`.
 */

/** The durations of the simulated clock, in seconds. */
export const SIMULATED_TIME = {
  promptCharactersPerSecond: 15,
  recordedPromptSeconds: 5,
  keyPressSeconds: 1,
  ringBeforeAnswerSeconds: 5,
  talkSeconds: 60,
  busySeconds: 3,
  failedCallSeconds: 1,
  queueWaitSeconds: 60,
} as const;

/** Connect caps a contact's attributes, and a STRING_MAP Lambda answer, at 32 KB. */
const MAX_ATTRIBUTE_BYTES = 32 * 1024;

export interface SimulateOptions {
  /** @default 200 */
  readonly maxSteps?: number;
  /**
   * The key the caller presses at a menu, instead of the next digit of `call.digits`; undefined
   * presses nothing. For tools that choose keys as the call goes (enumerateCalls).
   */
  readonly keypad?: (action: FlowAction) => string | undefined;
}

// ---- refusing a flow ----------------------------------------------------------------------------

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

/** The flow, typed, or a FlowSimulationError listing why the simulator cannot run it. */
export const checkFlow = (flow: unknown): FlowDocument => {
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
  const problems = validateFlow(flow);
  if (problems.length > 0) {
    throw new FlowSimulationError(
      `the flow is not valid, so the simulator will not run it:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      problems,
    );
  }
  return flow as FlowDocument;
};

const checkCall = (call: SimulatedCall): void => {
  const problems = [
    ...(typeof call.dialed === 'string' && isE164(call.dialed)
      ? []
      : [
          `call.dialed is ${JSON.stringify(call.dialed)}; give the dialed number in E.164 (+15125550100)`,
        ]),
    ...(typeof call.caller === 'string' && isE164(call.caller)
      ? []
      : [
          `call.caller is ${JSON.stringify(call.caller)}; give the caller number in E.164 (+15125550100)`,
        ]),
    ...(call.at instanceof Date && !Number.isNaN(call.at.getTime())
      ? []
      : ['call.at is not a valid date']),
    ...(call.digits === undefined || /^[0-9*#]*$/.test(call.digits)
      ? []
      : [`call.digits is "${call.digits}"; write keys 0-9, * and # only`]),
  ];
  if (problems.length > 0) throw new FlowSimulationError(problems.join('; '), problems);
};

// ---- one call -----------------------------------------------------------------------------------

/** How an action leaves: one of its branches, or the end of the call. */
type Branch =
  | { readonly kind: 'next' }
  | { readonly kind: 'error'; readonly errorType: ErrorType }
  | { readonly kind: 'condition'; readonly index: number }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'end'; readonly reason: DisconnectReason; readonly endsAtMs: number };

interface StepResult {
  readonly branch: Branch;
  readonly note?: string;
}

const NEXT: StepResult = { branch: { kind: 'next' } };
const error = (errorType: ErrorType, note: string): StepResult => ({
  branch: { kind: 'error', errorType },
  note,
});

/** What the caller last experienced, which decides how a disconnect is read. */
type LastEvent = 'none' | 'prompt' | 'menu' | 'ring' | 'third-party-hung-up';

const seconds = (ms: number): number => Math.round(ms) / 1000;

const utf8Bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

/** How long a prompt plays. */
const promptMs = (parameters: Readonly<Record<string, unknown>>, text: string): number => {
  if (parameters.Text === undefined && parameters.SSML === undefined) {
    return SIMULATED_TIME.recordedPromptSeconds * 1000;
  }
  const spoken = text.replace(/<[^>]*>/g, '').trim();
  return Math.max(1, Math.ceil(spoken.length / SIMULATED_TIME.promptCharactersPerSecond)) * 1000;
};

/** The prompt as the caller hears it: the text (references resolved), or what plays. */
const promptText = (parameters: Readonly<Record<string, unknown>>): string => {
  const media = parameters.Media;
  if (typeof parameters.Text === 'string') return parameters.Text;
  if (typeof parameters.SSML === 'string') return parameters.SSML;
  if (typeof parameters.PromptId === 'string') return `[prompt ${parameters.PromptId}]`;
  if (isRecord(media)) return `[audio ${String(media.Uri)}]`;
  return '[prompt]';
};

/** Whether a Compare condition holds; numbers compare only when both sides are numbers. */
const matches = (operator: ConditionOperator, value: string, operand: string): boolean => {
  const number = Number(value);
  const limit = Number(operand);
  const numeric = value.trim() !== '' && Number.isFinite(number) && Number.isFinite(limit);
  switch (operator) {
    case 'Equals':
      return value === operand;
    case 'TextStartsWith':
      return value.startsWith(operand);
    case 'TextEndsWith':
      return value.endsWith(operand);
    case 'TextContains':
      return value.includes(operand);
    case 'NumberGreaterThan':
      return numeric && number > limit;
    case 'NumberGreaterOrEqualTo':
      return numeric && number >= limit;
    case 'NumberLessThan':
      return numeric && number < limit;
    case 'NumberLessOrEqualTo':
      return numeric && number <= limit;
    case 'KeyExists':
      return false;
  }
};

type Timed<T> = { readonly kind: 'answered'; readonly value: T } | { readonly kind: 'timed-out' };

/** Waits for `promise` at most `ms` of real time. */
const within = async <T>(promise: Promise<T>, ms: number): Promise<Timed<T>> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then((value): Timed<T> => ({ kind: 'answered', value })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** Why a Lambda answer fails Connect's response validation, or undefined if it passes. */
const responseProblem = (result: unknown, responseType: string): string | undefined => {
  if (!isRecord(result)) return `the function returned ${JSON.stringify(result)}, not an object`;
  if (utf8Bytes(result) > MAX_ATTRIBUTE_BYTES) return 'the response is larger than 32 KB';
  if (responseType !== 'STRING_MAP') return undefined;
  for (const [key, item] of Object.entries(result)) {
    if (typeof item !== 'string') {
      return `STRING_MAP response: "${key}" is ${JSON.stringify(item)}, not a string`;
    }
    if (item === '') return `STRING_MAP response: "${key}" is an empty string`;
  }
  return undefined;
};

class SimulatedCallRun {
  private readonly actions: ReadonlyMap<string, FlowAction>;
  private readonly contactId: string;
  private readonly instanceArn: string;
  private readonly maxSteps: number;
  private readonly keypad: (action: FlowAction) => string | undefined;

  private clockMs = 0;
  private attributes: Record<string, string> = {};
  private external: Readonly<Record<string, unknown>> | undefined;
  private targetQueue: { readonly arn: string; readonly name: string } | undefined;
  private recordingBehaviourOn = false;
  private recordingSuspended = false;
  private lastEvent: LastEvent = 'none';
  private reached: 'transferred' | 'queued' | undefined;
  private queue: SimulationResult['queue'];

  private readonly trace: TraceStep[] = [];
  private readonly attributeHistory: AttributeChange[] = [];
  private readonly recording: RecordingChange[] = [];
  private readonly prompts: PlayedPrompt[] = [];
  private readonly transfers: AnsweredTransfer[] = [];

  /** The action being executed, for messages. */
  private current: FlowAction | undefined;
  private stepNumber = 0;

  constructor(
    private readonly flow: FlowDocument,
    private readonly call: SimulatedCall,
    private readonly world: SimulatedWorld,
    options: SimulateOptions,
  ) {
    this.actions = actionsById(flow);
    this.contactId = call.contactId ?? randomUUID();
    this.instanceArn = call.instanceArn ?? DEFAULT_INSTANCE_ARN;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const digits = [...(call.digits ?? '')];
    this.keypad = options.keypad ?? (() => digits.shift());
  }

  async run(): Promise<SimulationResult> {
    let at: string | undefined = this.flow.StartAction;
    let end: { reason: DisconnectReason; endsAtMs: number } | undefined;
    while (end === undefined) {
      if (at === undefined) throw this.fail('the flow stopped without ending the call');
      const action = this.actions.get(at);
      if (action === undefined) throw this.fail(`no action "${at}"`);
      if (this.stepNumber >= this.maxSteps) {
        throw new FlowSimulationError(
          `stopped after ${this.stepNumber} steps at action "${action.Identifier}": the flow loops (the step limit is ${this.maxSteps})`,
        );
      }
      this.stepNumber += 1;
      this.current = action;
      const startedMs = this.clockMs;
      const parameters = this.resolveParameters(action);
      const { branch, note } = await this.execute(action, parameters);
      const next = branch.kind === 'end' ? undefined : this.target(action, branch);
      this.trace.push({
        step: this.stepNumber,
        atSeconds: seconds(startedMs),
        identifier: action.Identifier,
        type: action.Type,
        parameters,
        branch: this.label(action, branch),
        ...(note === undefined ? {} : { note }),
        ...(next === undefined ? {} : { next }),
      });
      if (branch.kind === 'end') end = branch;
      at = next;
    }
    return this.result(end);
  }

  // ---- references -------------------------------------------------------------------------------

  private contact(): ContactView {
    return {
      contactId: this.contactId,
      initialContactId: this.contactId,
      instanceArn: this.instanceArn,
      dialed: this.call.dialed,
      caller: this.call.caller,
      attributes: this.attributes,
      external: this.external,
      queue: this.targetQueue,
    };
  }

  private fail(message: string): FlowSimulationError {
    const where =
      this.current === undefined
        ? ''
        : `action "${this.current.Identifier}" (${this.current.Type}): `;
    return new FlowSimulationError(`${where}${message}`);
  }

  /** Strict: a reference that gives no value stops the simulation, naming action and path. */
  private resolve(path: string): string {
    const found = lookup(path, this.contact());
    if (found.kind === 'value') return found.value;
    throw this.fail(`cannot resolve ${path}: ${found.why}`);
  }

  /**
   * The parameters with every JSONPath value replaced by what it references, and references inside
   * prompt text read in place. Compare's ComparisonValue may reference nothing (null): Connect
   * compares an unset attribute as matching no condition.
   */
  private resolveParameters(action: FlowAction): Record<string, unknown> {
    const walk = (value: unknown, key: string | undefined): unknown => {
      if (typeof value === 'string') {
        if (key === 'Text' || key === 'SSML') return interpolate(value, (p) => this.resolve(p));
        if (!isJsonPath(value)) return value;
        if (action.Type === 'Compare' && key === 'ComparisonValue') {
          const found = lookup(value, this.contact());
          if (found.kind === 'unsupported') throw this.fail(`cannot resolve ${found.why}`);
          return found.kind === 'value' ? found.value : null;
        }
        return this.resolve(value);
      }
      if (Array.isArray(value)) return value.map((item) => walk(item, undefined));
      if (isRecord(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
      }
      return value;
    };
    return walk(action.Parameters, undefined) as Record<string, unknown>;
  }

  // ---- branches ---------------------------------------------------------------------------------

  private target(action: FlowAction, branch: Exclude<Branch, { kind: 'end' }>): string {
    const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
    const found = (() => {
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
    })();
    if (found === undefined) {
      throw this.fail(`it takes the ${this.label(action, branch)} branch, which it does not have`);
    }
    return found;
  }

  private label(action: FlowAction, branch: Branch): string {
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
  }

  /** Connect's catch-all failure of an action, when the world injects one. */
  private faulted(action: FlowAction): boolean {
    const hasBranch = (action.Transitions.Errors ?? []).some(
      (e) => e.ErrorType === 'NoMatchingError',
    );
    return hasBranch && (this.world.fails?.(action.Identifier, action.Type) ?? false);
  }

  // ---- actions ----------------------------------------------------------------------------------

  private async execute(
    action: FlowAction,
    parameters: Record<string, unknown>,
  ): Promise<StepResult> {
    switch (action.Type) {
      case 'UpdateFlowLoggingBehavior':
        return { ...NEXT, note: `flow logging ${String(parameters.FlowLoggingBehavior)}` };
      case 'InvokeLambdaFunction':
        return this.invokeLambda(parameters);
      case 'UpdateContactAttributes':
        return this.updateAttributes(action, parameters);
      case 'UpdateContactRecordingBehavior':
        return this.updateRecordingBehaviour(
          parameters.RecordingBehavior as Record<string, unknown>,
        );
      case 'UpdateContactRecordingAndAnalyticsBehavior':
        return this.updateRecordingBehaviour(
          (parameters.VoiceBehavior as Record<string, unknown>).VoiceRecordingBehavior as Record<
            string,
            unknown
          >,
        );
      case 'MessageParticipant':
        return this.message(action, parameters);
      case 'Compare':
        return this.compare(action, parameters);
      case 'UpdateContactTargetQueue':
        return this.setTargetQueue(action, parameters);
      case 'TransferContactToQueue':
        return this.transferToQueue();
      case 'GetParticipantInput':
        return this.getInput(action, parameters);
      case 'CheckHoursOfOperation':
        return this.checkHours(action, parameters);
      case 'TransferParticipantToThirdParty':
        return this.transferToThirdParty(action, parameters);
      case 'DisconnectParticipant':
        return this.disconnect();
    }
  }

  private event(parameters: Readonly<Record<string, string>>): ContactFlowEvent {
    const endpoint = (address: string) => ({ Address: address, Type: 'TELEPHONE_NUMBER' });
    const [, , , region = 'us-east-1'] = this.instanceArn.split(':');
    return {
      Name: 'ContactFlowEvent',
      Details: {
        ContactData: {
          Attributes: { ...this.attributes },
          AwsRegion: region,
          Channel: 'VOICE',
          ContactId: this.contactId,
          CustomerEndpoint: endpoint(this.call.caller),
          InitialContactId: this.contactId,
          InitiationMethod: 'INBOUND',
          InstanceARN: this.instanceArn,
          LanguageCode: 'en-US',
          Name: null,
          // A first contact names itself as its previous contact in the event (as real events do).
          PreviousContactId: this.contactId,
          Queue:
            this.targetQueue === undefined
              ? null
              : { ARN: this.targetQueue.arn, Name: this.targetQueue.name },
          RelatedContactId: null,
          SegmentAttributes: { 'connect:Subtype': { ValueString: 'connect:Telephony' } },
          SystemEndpoint: endpoint(this.call.dialed),
          Tags: {
            'aws:connect:instanceId': this.instanceArn.split('/')[1] ?? '',
            'aws:connect:systemEndpoint': this.call.dialed,
          },
        },
        Parameters: { ...parameters },
      },
    };
  }

  private async invokeLambda(parameters: Record<string, unknown>): Promise<StepResult> {
    const arn = String(parameters.LambdaFunctionARN);
    const limitMs = Number(parameters.InvocationTimeLimitSeconds) * 1000;
    const responseType = String(
      (parameters.ResponseValidation as Record<string, unknown>).ResponseType,
    );
    const invocationParameters = (parameters.LambdaInvocationAttributes ?? {}) as Record<
      string,
      string
    >;
    const started = performance.now();
    let answer: Timed<LambdaOutcome>;
    try {
      answer = await within(
        Promise.resolve(
          this.world.invokeLambda(arn, this.event(invocationParameters), limitMs / 1000),
        ),
        limitMs,
      );
    } catch (thrown) {
      // A harness error is not a function error: it stops the simulation.
      if (thrown instanceof FlowSimulationError) throw thrown;
      answer = {
        kind: 'answered',
        value: { kind: 'error', reason: thrown instanceof Error ? thrown.message : String(thrown) },
      };
    }
    const measuredMs = performance.now() - started;
    const elapsedMs = answer.kind === 'answered' ? (answer.value.elapsedMs ?? measuredMs) : limitMs;
    const failed = (note: string): StepResult => {
      this.external = undefined;
      return error('NoMatchingError', note);
    };
    if (answer.kind === 'timed-out' || elapsedMs > limitMs) {
      this.clockMs += limitMs;
      return failed(
        `the function did not answer within InvocationTimeLimitSeconds (${limitMs / 1000} s)`,
      );
    }
    this.clockMs += elapsedMs;
    const outcome = answer.value;
    const took = `${Math.round(elapsedMs)} ms`;
    if (outcome.kind === 'error')
      return failed(`the function failed after ${took}: ${outcome.reason}`);
    const problem = responseProblem(outcome.result, responseType);
    if (problem !== undefined) return failed(`${problem}: Connect takes the Error branch`);
    this.external = { ...outcome.result };
    // Only what the world says the function did changes the recording; no guessing from names.
    if (outcome.recording !== undefined) {
      this.recordingSuspended = outcome.recording === 'suspended';
      this.noteRecording();
      return { ...NEXT, note: `answered in ${took}; recording ${outcome.recording}` };
    }
    return { ...NEXT, note: `answered in ${took}` };
  }

  private updateAttributes(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    if (this.faulted(action)) return error('NoMatchingError', 'injected fault: the update failed');
    if (parameters.TargetContact !== 'Current') {
      return error(
        'NoMatchingError',
        `TargetContact ${String(parameters.TargetContact)}: an inbound call has no related contact`,
      );
    }
    const written = parameters.Attributes as Record<string, string>;
    const empty = Object.keys(written).filter((key) => written[key] === '');
    if (empty.length > 0) {
      return error('NoMatchingError', `empty value for ${empty.join(', ')}`);
    }
    const attributes = { ...this.attributes, ...written };
    if (utf8Bytes(attributes) > MAX_ATTRIBUTE_BYTES) {
      return error('NoMatchingError', 'the contact attributes would exceed 32 KB');
    }
    this.attributes = attributes;
    this.attributeHistory.push({
      atSeconds: seconds(this.clockMs),
      by: action.Identifier,
      attributes: { ...written },
    });
    return NEXT;
  }

  private recordingState(): RecordingChange['state'] {
    if (!this.recordingBehaviourOn) return 'off';
    return this.recordingSuspended ? 'suspended' : 'recording';
  }

  /** Adds the recording state to the timeline if it changed. */
  private noteRecording(): void {
    const state = this.recordingState();
    const last = this.recording.at(-1)?.state ?? 'off';
    if (state === last) return;
    this.recording.push({
      atSeconds: seconds(this.clockMs),
      state,
      by: this.current?.Identifier ?? '',
      step: this.stepNumber,
    });
  }

  /**
   * Any recorded participant, or IVR recording, counts as recording from this moment: conservative
   * for the disclosure rule (agent-only recording would really start when an agent answers).
   */
  private updateRecordingBehaviour(behaviour: Record<string, unknown>): StepResult {
    const participants = (behaviour.RecordedParticipants ?? []) as string[];
    this.recordingBehaviourOn =
      participants.length > 0 || behaviour.IVRRecordingBehavior === 'Enabled';
    this.noteRecording();
    return { ...NEXT, note: `recording ${this.recordingState()}` };
  }

  private play(action: FlowAction, parameters: Record<string, unknown>): string {
    const text = promptText(parameters);
    this.prompts.push({
      atSeconds: seconds(this.clockMs),
      text,
      by: action.Identifier,
      step: this.stepNumber,
    });
    this.clockMs += promptMs(parameters, text);
    return text;
  }

  private message(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    if (this.faulted(action)) {
      return error('NoMatchingError', 'injected fault: the prompt did not play');
    }
    this.play(action, parameters);
    this.lastEvent = 'prompt';
    return NEXT;
  }

  private compare(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    const value = parameters.ComparisonValue;
    const compared = typeof value === 'string' ? value : undefined;
    const conditions = action.Transitions.Conditions ?? [];
    if (conditions.some(({ Condition }) => Condition.Operator === 'KeyExists')) {
      throw this.fail(
        'Compare with KeyExists: the operator is undocumented and the simulator does not guess its semantics',
      );
    }
    const index =
      compared === undefined
        ? -1
        : conditions.findIndex(({ Condition }) =>
            matches(Condition.Operator, compared, Condition.Operands[0]),
          );
    const shown =
      compared === undefined
        ? `${String(action.Parameters.ComparisonValue)} is not set`
        : `"${compared}"`;
    return index >= 0
      ? { branch: { kind: 'condition', index }, note: shown }
      : { branch: { kind: 'no-match' }, note: `${shown} matches no condition` };
  }

  private setTargetQueue(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    if (this.faulted(action)) {
      return error('NoMatchingError', 'injected fault: the queue could not be set');
    }
    const arn = String(parameters.QueueId);
    if (!isQueueArn(arn)) return error('NoMatchingError', `"${arn}" is not a queue ARN`);
    // The simulator knows no queue names: a queue is named by its id.
    this.targetQueue = { arn, name: arn.split('/').at(-1) ?? arn };
    return { ...NEXT, note: `target queue ${arn}` };
  }

  private transferToQueue(): StepResult {
    const queue = this.targetQueue;
    if (queue === undefined) return error('NoMatchingError', 'no target queue is set');
    const behaviour = this.world.queue(queue.arn);
    switch (behaviour) {
      case 'queued': {
        this.reached = 'queued';
        this.queue = {
          arn: queue.arn,
          enqueuedSeconds: seconds(this.clockMs),
          by: this.current?.Identifier ?? '',
        };
        return {
          branch: {
            kind: 'end',
            reason: 'CUSTOMER_DISCONNECT',
            endsAtMs: this.clockMs + SIMULATED_TIME.queueWaitSeconds * 1000,
          },
          note: `queued in ${queue.arn}; the caller waits ${SIMULATED_TIME.queueWaitSeconds} s, then hangs up`,
        };
      }
      case 'at-capacity':
        return error('QueueAtCapacity', `${queue.arn} is at capacity`);
      case 'fail':
        return error('NoMatchingError', `the transfer to ${queue.arn} failed`);
      default:
        throw this.fail(`world.queue gave ${JSON.stringify(behaviour)}`);
    }
  }

  private getInput(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    if (parameters.StoreInput !== 'False') {
      throw this.fail(
        'GetParticipantInput with StoreInput "True" (collecting digits) is not supported by the simulator',
      );
    }
    if (this.faulted(action)) {
      return error('NoMatchingError', 'injected fault: the menu did not play');
    }
    this.play(action, parameters);
    this.lastEvent = 'menu';
    const key = this.keypad(action);
    if (key === undefined) {
      this.clockMs += Number(parameters.InputTimeLimitSeconds) * 1000;
      return error(
        'InputTimeLimitExceeded',
        `no key pressed within ${String(parameters.InputTimeLimitSeconds)} s`,
      );
    }
    if (!/^[0-9*#]$/.test(key)) throw this.fail(`the caller pressed "${key}", not a key`);
    this.clockMs += SIMULATED_TIME.keyPressSeconds * 1000;
    const index = (action.Transitions.Conditions ?? []).findIndex(
      ({ Condition }) => Condition.Operator === 'Equals' && Condition.Operands[0] === key,
    );
    return index >= 0
      ? { branch: { kind: 'condition', index }, note: `pressed ${key}` }
      : { branch: { kind: 'no-match' }, note: `pressed ${key}, which no condition handles` };
  }

  private checkHours(action: FlowAction, parameters: Record<string, unknown>): StepResult {
    const isOpen = this.world.isOpen?.bind(this.world);
    if (isOpen === undefined) {
      throw this.fail(
        'CheckHoursOfOperation needs world.isOpen: the simulator does not model hours of operation itself',
      );
    }
    if (this.faulted(action)) {
      return error('NoMatchingError', 'injected fault: the hours could not be checked');
    }
    const hoursOfOperationId =
      typeof parameters.HoursOfOperationId === 'string' ? parameters.HoursOfOperationId : undefined;
    if (hoursOfOperationId === undefined && this.targetQueue === undefined) {
      return error('NoMatchingError', 'no hours given and no target queue to take them from');
    }
    const open = isOpen(
      {
        ...(hoursOfOperationId === undefined ? {} : { hoursOfOperationId }),
        ...(this.targetQueue === undefined ? {} : { queueArn: this.targetQueue.arn }),
      },
      new Date(this.call.at.getTime() + this.clockMs),
    );
    const operand = open ? 'True' : 'False';
    const index = (action.Transitions.Conditions ?? []).findIndex(
      ({ Condition }) => Condition.Operands[0] === operand,
    );
    return { branch: { kind: 'condition', index }, note: open ? 'open' : 'closed' };
  }

  private transferToThirdParty(
    action: FlowAction,
    parameters: Record<string, unknown>,
  ): StepResult {
    const continues = parameters.ContinueFlowExecution === 'True';
    // With ContinueFlowExecution "False" the block has only the catch-all error branch.
    const failure = (errorType: ErrorType, note: string): StepResult =>
      error(continues ? errorType : 'NoMatchingError', note);
    if (this.faulted(action)) {
      return error('NoMatchingError', 'injected fault: Connect could not place the call');
    }
    const number = String(parameters.ThirdPartyPhoneNumber);
    const limitText = String(parameters.ThirdPartyConnectionTimeLimitSeconds);
    if (!isE164(number)) {
      return error('NoMatchingError', `"${number}" is not an E.164 phone number`);
    }
    if (!/^\d+$/.test(limitText) || Number(limitText) > 600) {
      return error('NoMatchingError', `time limit "${limitText}" is not 0-600 seconds`);
    }
    const limit = Number(limitText);
    this.lastEvent = 'ring';
    const behaviour = this.world.thirdParty(number, limit);
    switch (behaviour) {
      case 'answer': {
        const answeredMs =
          this.clockMs + Math.min(SIMULATED_TIME.ringBeforeAnswerSeconds, limit) * 1000;
        const hungUpMs = answeredMs + SIMULATED_TIME.talkSeconds * 1000;
        this.transfers.push({
          number,
          by: action.Identifier,
          atSeconds: seconds(answeredMs),
          endedSeconds: seconds(hungUpMs),
        });
        this.reached = 'transferred';
        const answered = `${number} answered and talked ${SIMULATED_TIME.talkSeconds} s`;
        if (!continues) {
          return {
            branch: { kind: 'end', reason: 'THIRD_PARTY_DISCONNECT', endsAtMs: hungUpMs },
            note: `${answered}; the flow ends with the transfer`,
          };
        }
        this.clockMs = hungUpMs;
        this.lastEvent = 'third-party-hung-up';
        return { ...NEXT, note: `${answered}, then hung up; the flow continues` };
      }
      case 'no-answer':
        this.clockMs += limit * 1000;
        return failure('ConnectionTimeLimitExceeded', `${number} did not answer within ${limit} s`);
      case 'busy':
        this.clockMs += SIMULATED_TIME.busySeconds * 1000;
        return failure('CallFailed', `${number} is busy`);
      case 'fail':
        this.clockMs += SIMULATED_TIME.failedCallSeconds * 1000;
        return failure('CallFailed', `the call to ${number} failed`);
      default:
        throw this.fail(`world.thirdParty gave ${JSON.stringify(behaviour)}`);
    }
  }

  private disconnect(): StepResult {
    // Right after a third party hung up, the flow only closes a call the third party ended.
    const reason: DisconnectReason =
      this.lastEvent === 'third-party-hung-up'
        ? 'THIRD_PARTY_DISCONNECT'
        : 'CONTACT_FLOW_DISCONNECT';
    return { branch: { kind: 'end', reason, endsAtMs: this.clockMs } };
  }

  // ---- the result -------------------------------------------------------------------------------

  private outcome(): { outcome: CallOutcome; endpoint: string } {
    if (this.reached === 'queued')
      return { outcome: 'queued', endpoint: this.queue?.arn ?? 'none' };
    if (this.reached === 'transferred') {
      return { outcome: 'transferred', endpoint: this.transfers.at(-1)?.number ?? 'none' };
    }
    return {
      outcome: this.lastEvent === 'prompt' ? 'message-disconnect' : 'disconnected',
      endpoint: 'none',
    };
  }

  private result(end: { reason: DisconnectReason; endsAtMs: number }): SimulationResult {
    const withoutRecord: Omit<SimulationResult, 'contactRecord'> = {
      ...this.outcome(),
      trace: this.trace,
      attributes: { ...this.attributes },
      attributeHistory: this.attributeHistory,
      recording: this.recording,
      prompts: this.prompts,
      contactId: this.contactId,
      durationSeconds: seconds(end.endsAtMs),
      disconnectReason: end.reason,
      transfers: this.transfers,
      ...(this.queue === undefined ? {} : { queue: this.queue }),
    };
    const call = { ...this.call, contactId: this.contactId, instanceArn: this.instanceArn };
    return { ...withoutRecord, contactRecord: contactTraceRecord(call, withoutRecord) };
  }
}

/**
 * Simulates one call through `flow` (see the top of this file for the model). Throws a
 * FlowSimulationError for a flow it refuses (naming the problems and the actions), for a reference
 * that cannot be resolved, and when the step limit stops a loop.
 */
export const simulateCall = async (
  flow: unknown,
  call: SimulatedCall,
  world: SimulatedWorld,
  options: SimulateOptions = {},
): Promise<SimulationResult> => {
  return simulateCheckedCall(checkFlow(flow), call, world, options);
};

/** simulateCall for a flow checkFlow has already accepted (enumerateCalls runs one flow often). */
export const simulateCheckedCall = async (
  flow: FlowDocument,
  call: SimulatedCall,
  world: SimulatedWorld,
  options: SimulateOptions = {},
): Promise<SimulationResult> => {
  checkCall(call);
  return new SimulatedCallRun(flow, call, world, options).run();
};

/** Whether success of `action` hands the call over and ends the flow (its NextAction unused). */
export const handsOver = (action: FlowAction): boolean =>
  ACTION_SPECS[action.Type].transitions(action.Parameters).successEndsFlow;
