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
}

/** How a transfer to a phone number goes. */
export type ThirdPartyBehaviour = 'answer' | 'no-answer' | 'busy' | 'fail';

/** How a hand-over to a queue goes. */
export type QueueBehaviour = 'queued' | 'at-capacity' | 'fail';

/** What a Lambda invocation gave back: a flat string map, or a failure the flow sees as an error. */
export type LambdaOutcome =
  | { readonly kind: 'ok'; readonly result: Readonly<Record<string, string>> }
  | { readonly kind: 'error'; readonly reason: string };

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
}

/** One action taken, with its parameters resolved against the contact's data at that moment. */
export interface TraceStep {
  readonly step: number;
  /** Seconds since the call started (simulated clock). */
  readonly atSeconds: number;
  readonly identifier: string;
  readonly type: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** The branch taken: `next`, a condition (`Equals 1`), or an error type. */
  readonly branch: string;
  /** What happened, in words, e.g. `ring-to +15125550101 did not answer within 25 s`. */
  readonly note?: string;
}

export interface RecordingChange {
  readonly atSeconds: number;
  readonly state: 'recording' | 'suspended' | 'off';
  readonly by: string;
}

export interface AttributeChange {
  readonly atSeconds: number;
  readonly by: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** How the call ended for the caller. */
export type CallOutcome = 'transferred' | 'queued' | 'message-disconnect' | 'disconnected';

export interface SimulationResult {
  readonly outcome: CallOutcome;
  /** The number or queue ARN reached (`transferred`, `queued`), else `none`. */
  readonly endpoint: string;
  readonly trace: readonly TraceStep[];
  readonly attributes: Readonly<Record<string, string>>;
  readonly attributeHistory: readonly AttributeChange[];
  readonly recording: readonly RecordingChange[];
  /** What the caller heard, in order. */
  readonly prompts: readonly {
    readonly atSeconds: number;
    readonly text: string;
    readonly by: string;
  }[];
  /** The contact trace record Connect would write for this call (reference §4). */
  readonly contactRecord: Record<string, unknown>;
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
