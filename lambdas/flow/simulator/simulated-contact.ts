import { randomUUID } from 'node:crypto';
import {
  actionsById,
  type FlowAction,
  type FlowDocument,
  type FlowType,
} from '../language/index.js';
import { ACTION_HANDLERS } from './actions/index.js';
import { branchTarget, type CallEnd, FLOW_ENDED, traceBranchLabel } from './branches.js';
import { checkFlow } from './check-flow.js';
import { contactTraceRecord } from './contact-record.js';
import { DEFAULT_INSTANCE_ARN, DEFAULT_MAX_STEPS } from './defaults.js';
import type { ContactView, MediaStreamView } from './json-path.js';
import { resolveParameters } from './resolve-parameters.js';
import { seconds } from './simulated-time.js';
import {
  type AnsweredTransfer,
  type AttributeChange,
  type CallOutcome,
  type CreatedCallback,
  type DisconnectReason,
  FlowSimulationError,
  type InQueueChoice,
  type LeftVoicemail,
  type PlayedPrompt,
  type RecordingChange,
  type SimulatedCall,
  type SimulatedWorld,
  type SimulationResult,
  type TraceStep,
  type VoicemailChoice,
} from './types.js';

export interface SimulateOptions {
  /** @default 200 */
  readonly maxSteps?: number;
  /**
   * The key the caller presses at a menu, instead of the next digit of `call.digits`; undefined
   * presses nothing. For tools that choose keys as the call goes (enumerateCalls).
   */
  readonly keypad?: (action: FlowAction) => string | undefined;
  /** What the caller does at the queue flow's offer, instead of `call.inQueue` (enumerateCalls). */
  readonly inQueue?: () => InQueueChoice;
  /** What the caller does at the voicemail tone, instead of `call.voicemail` (enumerateCalls). */
  readonly voicemail?: () => VoicemailChoice;
}

/** The flow being run: the call's own, or the customer queue flow (its ARN in `arn`). */
interface RunningFlow {
  readonly document: FlowDocument;
  readonly actions: ReadonlyMap<string, FlowAction>;
  readonly type: FlowType;
  readonly arn?: string;
}

/** What the caller last experienced, which decides how a disconnect is read. */
export type LastEvent = 'none' | 'prompt' | 'menu' | 'ring' | 'third-party-hung-up' | 'hold-loop';

/**
 * One simulated call as it runs: the contact (its attributes, recording state, prompts heard,
 * trace, simulated clock) and the loop that executes the flow one action at a time. Each action's
 * handler (actions/) reads and changes this state; the loop only follows the branches they take.
 */
export class SimulatedContact {
  readonly contactId: string;
  readonly instanceArn: string;
  readonly keypad: (action: FlowAction) => string | undefined;
  readonly inQueue: () => InQueueChoice;
  readonly voicemailChoice: () => VoicemailChoice;
  private readonly maxSteps: number;
  /** The flow whose action runs now. */
  running: RunningFlow;

  clockMs = 0;
  attributes: Record<string, string> = {};
  external: Readonly<Record<string, unknown>> | undefined;
  targetQueue: { readonly arn: string; readonly name: string } | undefined;
  recordingBehaviourOn = false;
  recordingSuspended = false;
  /** A Lambda stopped the recording (StopContactRecording): off until a block enables it again. */
  recordingStopped = false;
  lastEvent: LastEvent = 'none';
  reached: 'transferred' | 'queued' | undefined;
  queue: SimulationResult['queue'];
  /** When the call entered the queue, while it waits there (the queue flow's bound counts from it). */
  enqueuedMs: number | undefined;
  /** Whether a customer queue flow ran (the outcome is then its end, not `queued`). */
  queueFlowRan = false;
  eventHooks: Record<string, string> = {};
  /** Per Loop action: how many times it said ContinueLooping since it last said DoneLooping. */
  readonly loopCounts = new Map<string, number>();
  callbackNumber: string | undefined;
  callback: CreatedCallback | undefined;
  mediaStream: MediaStreamView | undefined;
  /** Whether the customer's audio is streamed now (a menu is then the voicemail tone). */
  streaming = false;
  mediaStreamed = false;
  voicemail: LeftVoicemail | undefined;
  callerHungUp = false;

  readonly trace: TraceStep[] = [];
  readonly attributeHistory: AttributeChange[] = [];
  readonly recording: RecordingChange[] = [];
  readonly prompts: PlayedPrompt[] = [];
  /** What the agent heard before the caller was connected (the AgentWhisper hook's flow). */
  readonly agentWhisper: PlayedPrompt[] = [];
  whisperRan = false;
  readonly transfers: AnsweredTransfer[] = [];

  /** The action being executed, for messages. */
  private current: FlowAction | undefined;
  /** The trace step being executed (1 for the first action). */
  stepNumber = 0;

  constructor(
    flow: FlowDocument,
    readonly call: SimulatedCall,
    readonly world: SimulatedWorld,
    options: SimulateOptions,
  ) {
    this.running = { document: flow, actions: actionsById(flow), type: 'CONTACT_FLOW' };
    this.inQueue = options.inQueue ?? (() => call.inQueue ?? 'wait');
    this.voicemailChoice = options.voicemail ?? (() => call.voicemail ?? 'leave');
    this.contactId = call.contactId ?? randomUUID();
    this.instanceArn = call.instanceArn ?? DEFAULT_INSTANCE_ARN;
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    const digits = [...(call.digits ?? '')];
    this.keypad = options.keypad ?? (() => digits.shift());
  }

  async run(): Promise<SimulationResult> {
    const end = await this.runFlow(this.running);
    // The validator refuses EndFlowExecution in a contact flow; a queue flow's is not modelled.
    if (end.reason === FLOW_ENDED) throw this.fail('the flow ended without ending the call');
    return this.result({ reason: end.reason, endsAtMs: end.endsAtMs });
  }

  /**
   * Runs the agent whisper flow `arn` (checked as an AGENT_WHISPER flow) on the same clock and
   * trace, once an agent accepts the call; answers when the agent is connected. What it plays goes
   * to `agentWhisper`, not to the caller's prompts, and leaves what the caller last heard as it was.
   */
  async runWhisperFlow(arn: string, document: unknown): Promise<number> {
    const checked = checkFlow(document, 'AGENT_WHISPER');
    const outer = this.running;
    const callerHeard = this.lastEvent;
    this.whisperRan = true;
    this.running = { document: checked, actions: actionsById(checked), type: 'AGENT_WHISPER', arn };
    try {
      const end = await this.runFlow(this.running);
      if (end.reason !== FLOW_ENDED) {
        throw this.fail(`a whisper flow that ends the call (${end.reason}) is not modelled`);
      }
      return end.endsAtMs;
    } finally {
      this.running = outer;
      this.lastEvent = callerHeard;
    }
  }

  /**
   * Runs the customer queue flow `arn` (checked as a CUSTOMER_QUEUE flow) from its start, on the
   * same clock and trace, to the end of the call. Its steps carry `flow: arn`.
   */
  async runQueueFlow(arn: string, document: unknown): Promise<CallEnd> {
    const checked = checkFlow(document, 'CUSTOMER_QUEUE');
    const outer = this.running;
    this.queueFlowRan = true;
    this.running = {
      document: checked,
      actions: actionsById(checked),
      type: 'CUSTOMER_QUEUE',
      arn,
    };
    try {
      return await this.runFlow(this.running);
    } finally {
      this.running = outer;
    }
  }

  /** The end of the call when the caller hangs up now. */
  hangUp(): CallEnd {
    this.callerHungUp = true;
    return { reason: 'CUSTOMER_DISCONNECT', endsAtMs: this.clockMs };
  }

  private async runFlow(flow: RunningFlow): Promise<CallEnd> {
    let at: string | undefined = flow.document.StartAction;
    let end: CallEnd | undefined;
    while (end === undefined) {
      if (at === undefined) throw this.fail('the flow stopped without ending the call');
      const action = flow.actions.get(at);
      if (action === undefined) throw this.fail(`no action "${at}"`);
      if (this.stepNumber >= this.maxSteps) {
        throw new FlowSimulationError(
          `stopped after ${this.stepNumber} steps at action "${action.Identifier}": the flow loops (the step limit is ${this.maxSteps})`,
        );
      }
      this.stepNumber += 1;
      this.current = action;
      const startedMs = this.clockMs;
      const parameters = resolveParameters(action, this.view(), (message) => this.fail(message));
      const step = this.stepNumber;
      const { branch, note } = await ACTION_HANDLERS[action.Type](this, action, parameters);
      // A hand-over that ran the queue flow comes back with that flow's last action as current.
      this.current = action;
      let next: string | undefined;
      if (branch.kind !== 'end') {
        next = branchTarget(action, branch);
        if (next === undefined) {
          throw this.fail(
            `it takes the ${traceBranchLabel(action, branch)} branch, which it does not have`,
          );
        }
      }
      this.trace.push({
        step,
        atSeconds: seconds(startedMs),
        identifier: action.Identifier,
        type: action.Type,
        parameters,
        branch: traceBranchLabel(action, branch),
        ...(note === undefined ? {} : { note }),
        ...(next === undefined ? {} : { next }),
        ...(flow.arn === undefined ? {} : { flow: flow.arn }),
      });
      if (branch.kind === 'end') end = { reason: branch.reason, endsAtMs: branch.endsAtMs };
      at = next;
    }
    return end;
  }

  /** The contact data references resolve against, as it is now. */
  view(): ContactView {
    return {
      contactId: this.contactId,
      initialContactId: this.contactId,
      instanceArn: this.instanceArn,
      dialed: this.call.dialed,
      caller: this.call.caller,
      attributes: this.attributes,
      external: this.external,
      queue: this.targetQueue,
      mediaStream: this.mediaStream,
    };
  }

  /** A FlowSimulationError that names the action being executed. */
  fail(message: string): FlowSimulationError {
    const where =
      this.current === undefined
        ? ''
        : `action "${this.current.Identifier}" (${this.current.Type}): `;
    return new FlowSimulationError(`${where}${message}`);
  }

  /**
   * A part of the world the action needs and the simulator does not model itself (hours, staffing),
   * bound to the world; a world without it stops the simulation rather than have it guessed.
   */
  needs<K extends 'isOpen' | 'agents'>(part: K, modelled: string): NonNullable<SimulatedWorld[K]> {
    const found = this.world[part];
    if (found === undefined) {
      throw this.fail(
        `${this.current?.Type} needs world.${part}: the simulator does not model ${modelled} itself`,
      );
    }
    return found.bind(this.world) as NonNullable<SimulatedWorld[K]>;
  }

  /** Connect's catch-all failure of an action, when the world injects one. */
  faulted(action: FlowAction): boolean {
    const hasBranch = (action.Transitions.Errors ?? []).some(
      (e) => e.ErrorType === 'NoMatchingError',
    );
    return hasBranch && (this.world.fails?.(action.Identifier, action.Type) ?? false);
  }

  // ---- recording --------------------------------------------------------------------------------

  recordingState(): RecordingChange['state'] {
    if (!this.recordingBehaviourOn || this.recordingStopped) return 'off';
    return this.recordingSuspended ? 'suspended' : 'recording';
  }

  /** Adds the recording state to the timeline if it changed. */
  noteRecording(): void {
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

  // ---- the result -------------------------------------------------------------------------------

  /**
   * A message left wins, then a callback created; then a queue without a queue flow (answered, or
   * waited out) is `queued`; then a caller's hang-up; then the last party reached.
   */
  private outcome(): { outcome: CallOutcome; endpoint: string } {
    const queueArn = this.queue?.arn ?? 'none';
    if (this.voicemail !== undefined) return { outcome: 'voicemail', endpoint: queueArn };
    if (this.callback !== undefined) return { outcome: 'callback', endpoint: queueArn };
    if (this.reached === 'queued' && !this.queueFlowRan)
      return { outcome: 'queued', endpoint: queueArn };
    if (this.callerHungUp) return { outcome: 'hung-up', endpoint: 'none' };
    if (this.reached === 'transferred' && !this.queueFlowRan) {
      return { outcome: 'transferred', endpoint: this.transfers.at(-1)?.number ?? 'none' };
    }
    return {
      outcome: this.lastEvent === 'prompt' ? 'message-disconnect' : 'disconnected',
      endpoint: 'none',
    };
  }

  private result(end: CallEnd & { readonly reason: DisconnectReason }): SimulationResult {
    const withoutRecord: Omit<SimulationResult, 'contactRecord'> = {
      ...this.outcome(),
      // A queue flow's steps are pushed before the hand-over that ran them: order by step.
      trace: this.trace.sort((a, b) => a.step - b.step),
      attributes: { ...this.attributes },
      attributeHistory: this.attributeHistory,
      recording: this.recording,
      prompts: this.prompts,
      contactId: this.contactId,
      durationSeconds: seconds(end.endsAtMs),
      disconnectReason: end.reason,
      transfers: this.transfers,
      ...(this.queue === undefined ? {} : { queue: this.queue }),
      waitSeconds: this.queue?.waitSeconds ?? 0,
      ...(this.voicemail === undefined ? {} : { voicemail: this.voicemail }),
      ...(this.callback === undefined ? {} : { callback: this.callback }),
      mediaStreamed: this.mediaStreamed,
      eventHooks: { ...this.eventHooks },
      ...(this.whisperRan ? { agentWhisper: this.agentWhisper } : {}),
    };
    const call = { ...this.call, contactId: this.contactId, instanceArn: this.instanceArn };
    return { ...withoutRecord, contactRecord: contactTraceRecord(call, withoutRecord) };
  }
}
