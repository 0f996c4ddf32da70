/**
 * The contract of the contact-flow simulator: one simulated call through a Flow Language flow.
 * It is a test instrument, strict about everything it does not model (see simulate-call.ts).
 */

/** The call: who dials what, when, and what the caller presses when asked. */
export interface SimulatedCall {
  /** The dialed number, E.164 (`$.SystemEndpoint.Address`). */
  readonly dialed: string;
  /** The caller's number, E.164 (`$.CustomerEndpoint.Address`). */
  readonly caller: string;
  /** When the call starts. */
  readonly at: Date;
  /** Keys pressed, one per input the flow asks for, in order; none left means the caller waits. */
  readonly digits?: string;
  /** @default - a random UUID */
  readonly contactId?: string;
  /** @default - arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000 */
  readonly instanceArn?: string;
  /**
   * The instance alias, for the recording's S3 key in the contact record
   * (`<bucket>/connect/<alias>/CallRecordings/…`).
   * @default 'calltrack'
   */
  readonly instanceAlias?: string;
  /** The instance's recordings bucket, the first part of a recording's Location. @default 'local-recordings' */
  readonly recordingsBucket?: string;
  /**
   * What the caller does at the customer queue flow's offer menu (a GetParticipantInput in the
   * queue flow while the audio is not streamed): `callback` presses 1, `message` presses 2, `wait`
   * presses nothing, `hang-up` hangs up once the offer has played.
   * @default 'wait'
   */
  readonly inQueue?: InQueueChoice;
  /**
   * What the caller does at the voicemail tone (a GetParticipantInput while the customer's audio is
   * streamed): `leave` speaks SIMULATED_TIME.voicemailMessageSeconds, then hangs up; `hang-up` hangs
   * up at the tone.
   * @default 'leave'
   */
  readonly voicemail?: VoicemailChoice;
}

export type InQueueChoice = 'wait' | 'callback' | 'message' | 'hang-up';
export type VoicemailChoice = 'leave' | 'hang-up';

/** How a transfer to a phone number goes. */
export type ThirdPartyBehaviour = 'answer' | 'no-answer' | 'busy' | 'fail';

/** How a hand-over to a queue goes. */
export type QueueBehaviour = 'queued' | 'at-capacity' | 'fail';

/**
 * Who staffs a queue: `available`, an agent is free and takes a queued call; `busy`, agents are
 * staffed but none comes free (all on calls, or the stale "available" agent who closed the console
 * without going offline); `none`, nobody is staffed.
 */
export type AgentStaffing = 'available' | 'busy' | 'none';

/**
 * What a Lambda invocation gave back: its answer as the function returned it (the simulator checks
 * it as the block's ResponseType says: a flat string map for STRING_MAP), or a failure.
 */
export type LambdaOutcome =
  | {
      readonly kind: 'ok';
      readonly result: Readonly<Record<string, unknown>>;
      /**
       * How long the function took, in simulated milliseconds. Absent: the wall-clock time the
       * world took to answer. Longer than the block's InvocationTimeLimitSeconds: the Error branch.
       */
      readonly elapsedMs?: number;
      /**
       * What the function did to the contact's recording (a world that knows, e.g. because its
       * Connect stand-in saw SuspendContactRecording / ResumeContactRecording /
       * StopContactRecording, sets it). The only way a Lambda changes the simulated recording
       * state. Absent: the recording is unchanged.
       */
      readonly recording?: 'suspended' | 'resumed' | 'stopped';
    }
  | { readonly kind: 'error'; readonly reason: string; readonly elapsedMs?: number };

/** The Connect contact-flow event the simulator builds for a Lambda (the real event's shape). */
export interface ContactFlowEvent {
  readonly Name: 'ContactFlowEvent';
  readonly Details: {
    readonly ContactData: Record<string, unknown>;
    readonly Parameters: Record<string, string>;
  };
}

/** The world around the call: the functions the flow invokes and the parties it calls. */
export interface SimulatedWorld {
  /** Runs the function `arn` (e.g. the real route-call handler) with the event Connect would send. */
  invokeLambda(
    arn: string,
    event: ContactFlowEvent,
    timeLimitSeconds: number,
  ): Promise<LambdaOutcome>;
  /** How the party at `number` answers a transfer that rings for at most `timeoutSeconds`. */
  thirdParty(number: string, timeoutSeconds: number): ThirdPartyBehaviour;
  /** How a hand-over to the queue `queueArn` goes. */
  queue(queueArn: string): QueueBehaviour;
  /**
   * Who staffs the queue `queueArn`, for CheckMetricData and for a call handed to the queue. Absent:
   * a flow that checks staffing stops with a FlowSimulationError (the simulator does not guess
   * staffing), and a queued call waits SIMULATED_TIME.queueWaitSeconds, then hangs up.
   */
  agents?(queueArn: string): AgentStaffing;
  /**
   * Whether the hours of operation are open at `at`, for CheckHoursOfOperation: the hours named by
   * the block, else the target queue's. Absent: a flow that checks hours stops with a
   * FlowSimulationError (the simulator does not guess hours).
   */
  isOpen?(
    hours: { readonly hoursOfOperationId?: string; readonly queueArn?: string },
    at: Date,
  ): boolean;
  /**
   * Connect's catch-all error: the action could not run (a prompt that fails to play, an attribute
   * update or queue change the service refuses, a transfer it rejects) and takes its
   * NoMatchingError branch. Asked only of actions that have that branch and whose failure the
   * world does not already decide (not of InvokeLambdaFunction nor TransferContactToQueue).
   * Absent: no such faults.
   */
  fails?(identifier: string, type: string): boolean;
  /**
   * The flow document the flow `arn` names (e.g. the customer queue flow a CustomerQueue event hook
   * points at). Absent: a call handed to a queue nobody answers waits to the bound and hangs up, as
   * if no customer queue flow were set.
   */
  flow?(arn: string): unknown;
  /**
   * Whether the instance can dial `number` (UpdateContactCallbackNumber's CallbackNumberNotDialable).
   * Absent: every E.164 number is dialable.
   */
  dialable?(number: string): boolean;
}

/** One action taken, with its parameters resolved against the contact's data at that moment. */
export interface TraceStep {
  readonly step: number;
  /** Seconds since the call started (simulated clock). */
  readonly atSeconds: number;
  readonly identifier: string;
  readonly type: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /**
   * The branch taken: `next`, a condition (`Equals 1`), or an error type (`NoMatchingCondition`
   * when no condition matched); `end` when the call ended at this action (a disconnect, a
   * hand-over to a queue, a transfer that does not continue the flow).
   */
  readonly branch: string;
  /** What happened, in words, e.g. `ring-to +15125550101 did not answer within 25 s`. */
  readonly note?: string;
  /** The action the branch leads to; absent when the call ended at this action. */
  readonly next?: string;
  /** The flow the action belongs to when it is not the call's own: the customer queue flow's ARN. */
  readonly flow?: string;
}

export interface RecordingChange {
  readonly atSeconds: number;
  readonly state: 'recording' | 'suspended' | 'off';
  readonly by: string;
  /** The trace step that made the change. */
  readonly step?: number;
}

/** A prompt the caller heard. */
export interface PlayedPrompt {
  readonly atSeconds: number;
  readonly text: string;
  readonly by: string;
  /** The trace step that played it. */
  readonly step?: number;
}

/** A transfer to a phone number that the third party answered. */
export interface AnsweredTransfer {
  readonly number: string;
  readonly by: string;
  /** When the third party answered (the transfer completed). */
  readonly atSeconds: number;
  /** When the third party hung up, or the call ended. */
  readonly endedSeconds: number;
}

/** The DisconnectReason the contact record carries. */
export type DisconnectReason =
  | 'CUSTOMER_DISCONNECT'
  | 'THIRD_PARTY_DISCONNECT'
  | 'CONTACT_FLOW_DISCONNECT';

export interface AttributeChange {
  readonly atSeconds: number;
  readonly by: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A call handed to a queue: when, by which action, and how the wait ended. */
export interface QueuedCall {
  readonly arn: string;
  readonly enqueuedSeconds: number;
  readonly by: string;
  /** Seconds in the queue: until an agent answered, or until the wait ended. */
  readonly waitSeconds: number;
  /** When an agent answered (seconds since the call started); absent: no agent did. */
  readonly answeredByAgentSeconds?: number;
}

/** A message the caller left at the voicemail tone (the customer's audio streamed meanwhile). */
export interface LeftVoicemail {
  /** When the caller started to speak: the tone (seconds since the call started). */
  readonly startedSeconds: number;
  readonly durationSeconds: number;
  readonly streamArn: string;
  readonly startFragment: string;
}

/** A callback the flow created (CreateCallbackContact). */
export interface CreatedCallback {
  /** The contact's callback number: UpdateContactCallbackNumber's, else the caller's. */
  readonly number: string;
  /** QueueId, else the target queue; absent when neither is set. */
  readonly queueArn?: string;
  readonly initialDelaySeconds: number;
  /** When the callback was created (seconds since the call started). */
  readonly createdSeconds: number;
}

/**
 * How the call ended for the caller. `voicemail`: the caller left a message; `callback`: a
 * callback was created; `hung-up`: the caller hung up (in the customer queue flow, at its offer,
 * or at the voicemail tone).
 */
export type CallOutcome =
  | 'transferred'
  | 'queued'
  | 'message-disconnect'
  | 'disconnected'
  | 'voicemail'
  | 'callback'
  | 'hung-up';

export interface SimulationResult {
  readonly outcome: CallOutcome;
  /** The number or queue ARN reached (`transferred`, `queued`), else `none`. */
  readonly endpoint: string;
  readonly trace: readonly TraceStep[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly attributeHistory: readonly AttributeChange[];
  readonly recording: readonly RecordingChange[];
  /** What the caller heard, in order. */
  readonly prompts: readonly PlayedPrompt[];
  /**
   * What the agent heard before the caller was connected: the prompts of the AgentWhisper hook's
   * flow, when an agent took the call and the world gives that flow.
   */
  readonly agentWhisper?: readonly PlayedPrompt[];
  /** The contact trace record Connect would write for this call (reference §4). */
  readonly contactRecord: Record<string, unknown>;
  readonly contactId?: string;
  /** Seconds from the start of the call to its end (simulated clock). */
  readonly durationSeconds?: number;
  readonly disconnectReason?: DisconnectReason;
  /** Every transfer the third party answered, in order (the last one is the outcome's). */
  readonly transfers?: readonly AnsweredTransfer[];
  /** The queue the call was handed to (outcome `queued`). */
  readonly queue?: QueuedCall;
  /**
   * Seconds the caller spent in a queue (the customer queue flow's time included) before an agent
   * answered or the wait ended; 0 if never queued.
   */
  readonly waitSeconds: number;
  readonly voicemail?: LeftVoicemail;
  readonly callback?: CreatedCallback;
  /** Whether the customer's audio was ever streamed (UpdateContactMediaStreamingBehavior). */
  readonly mediaStreamed?: boolean;
  /** The event hooks the flow set, by hook (e.g. CustomerQueue: the queue flow's ARN). */
  readonly eventHooks?: Readonly<Record<string, string>>;
}

/** A flow the simulator cannot run, or that breaks its rules mid-call; names the action. */
export class FlowSimulationError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'FlowSimulationError';
  }
}
