import { randomUUID } from 'node:crypto';
import { actionsById, type FlowAction, type FlowDocument } from '../language/index.js';
import { ACTION_HANDLERS } from './actions/index.js';
import { branchTarget, type CallEnd, traceBranchLabel } from './branches.js';
import { contactTraceRecord } from './contact-record.js';
import { DEFAULT_INSTANCE_ARN, DEFAULT_MAX_STEPS } from './defaults.js';
import type { ContactView } from './json-path.js';
import { resolveParameters } from './resolve-parameters.js';
import { seconds } from './simulated-time.js';
import {
  type AnsweredTransfer,
  type AttributeChange,
  type CallOutcome,
  FlowSimulationError,
  type PlayedPrompt,
  type RecordingChange,
  type SimulatedCall,
  type SimulatedWorld,
  type SimulationResult,
  type TraceStep,
} from './types.js';

export interface SimulateOptions {
  /** @default 200 */
  readonly maxSteps?: number;
  /**
   * The key the caller presses at a menu, instead of the next digit of `call.digits`; undefined
   * presses nothing. For tools that choose keys as the call goes (enumerateCalls).
   */
  readonly keypad?: (action: FlowAction) => string | undefined;
}

/** What the caller last experienced, which decides how a disconnect is read. */
export type LastEvent = 'none' | 'prompt' | 'menu' | 'ring' | 'third-party-hung-up';

/**
 * One simulated call as it runs: the contact (its attributes, recording state, prompts heard,
 * trace, simulated clock) and the loop that executes the flow one action at a time. Each action's
 * handler (actions/) reads and changes this state; the loop only follows the branches they take.
 */
export class SimulatedContact {
  readonly contactId: string;
  readonly instanceArn: string;
  readonly keypad: (action: FlowAction) => string | undefined;
  private readonly actions: ReadonlyMap<string, FlowAction>;
  private readonly maxSteps: number;

  clockMs = 0;
  attributes: Record<string, string> = {};
  external: Readonly<Record<string, unknown>> | undefined;
  targetQueue: { readonly arn: string; readonly name: string } | undefined;
  recordingBehaviourOn = false;
  recordingSuspended = false;
  lastEvent: LastEvent = 'none';
  reached: 'transferred' | 'queued' | undefined;
  queue: SimulationResult['queue'];

  readonly trace: TraceStep[] = [];
  readonly attributeHistory: AttributeChange[] = [];
  readonly recording: RecordingChange[] = [];
  readonly prompts: PlayedPrompt[] = [];
  readonly transfers: AnsweredTransfer[] = [];

  /** The action being executed, for messages. */
  private current: FlowAction | undefined;
  /** The trace step being executed (1 for the first action). */
  stepNumber = 0;

  constructor(
    private readonly flow: FlowDocument,
    readonly call: SimulatedCall,
    readonly world: SimulatedWorld,
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
    let end: CallEnd | undefined;
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
      const parameters = resolveParameters(action, this.view(), (message) => this.fail(message));
      const { branch, note } = await ACTION_HANDLERS[action.Type](this, action, parameters);
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
        step: this.stepNumber,
        atSeconds: seconds(startedMs),
        identifier: action.Identifier,
        type: action.Type,
        parameters,
        branch: traceBranchLabel(action, branch),
        ...(note === undefined ? {} : { note }),
        ...(next === undefined ? {} : { next }),
      });
      if (branch.kind === 'end') end = branch;
      at = next;
    }
    return this.result(end);
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
    if (!this.recordingBehaviourOn) return 'off';
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

  private result(end: CallEnd): SimulationResult {
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
      waitSeconds: this.queue?.waitSeconds ?? 0,
    };
    const call = { ...this.call, contactId: this.contactId, instanceArn: this.instanceArn };
    return { ...withoutRecord, contactRecord: contactTraceRecord(call, withoutRecord) };
  }
}
