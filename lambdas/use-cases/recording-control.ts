import type { ConnectContactFlowEvent } from 'aws-lambda';
import { instanceIdOf } from '../domain/connect-arn.js';
import type { ContactRecordingPort, RecordingCommand } from '../domain/contact-recording.js';

/**
 * Keeps card details out of call recordings (PCI DSS). The contact flow invokes it (STRING_MAP)
 * with `action = suspend` before the payments leg of a location's keypress menu and `resume`
 * after it, and with `action = stop` before it rings the staff of a location that may take
 * payments and offers callers no payments path (a stop is final: Connect cannot restart it).
 *
 * Every failure THROWS, so the flow takes its error branch: for `suspend` that branch must not
 * transfer the caller to payments, because the recording would still be on.
 */

export type RecordingAction = 'suspend' | 'resume' | 'stop';

/** The flat, never-empty STRING_MAP the flow reads as `$.External.recording`. */
export interface RecordingAnswer {
  [key: string]: string;
  recording: RecordingOutcome;
}

/** What the recording is once Connect accepted the action. */
export type RecordingOutcome = 'suspended' | 'resumed' | 'stopped';

/**
 * The action as logs may show it: a word is quoted, anything else (a flow that passes, say,
 * `$.CustomerEndpoint.Address` by mistake) only by its length, so no caller data reaches a log.
 */
export const describeAction = (action: string): string =>
  /^[A-Za-z_-]{1,20}$/.test(action) ? `"${action}"` : `(a value of ${action.length} characters)`;

/** The flow asked for something other than suspend, resume or stop: a flow authoring error. */
export class UnknownRecordingActionError extends Error {
  constructor(readonly action: string) {
    super(
      `unknown recording action ${describeAction(action)}: set the parameter "action" to "suspend", "resume" or "stop"`,
    );
    this.name = 'UnknownRecordingActionError';
  }
}

/** The event lacks the contact or instance to act on (e.g. invoked outside a contact flow). */
export class InvalidContactEventError extends Error {
  constructor(detail: string) {
    super(`not a contact flow event this function can act on: ${detail}`);
    this.name = 'InvalidContactEventError';
  }
}

/** Connect refused or timed out: the recording state is unknown, so the flow must not go on. */
export class RecordingControlFailedError extends Error {
  constructor(action: RecordingAction, cause: unknown) {
    const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    super(`could not ${action} the call recording (${reason})`, { cause });
    this.name = 'RecordingControlFailedError';
  }
}

export interface RecordingRequest {
  readonly action: RecordingAction;
  readonly instanceId: string;
  readonly contactId: string;
  readonly initialContactId: string;
}

const OUTCOME: Readonly<Record<RecordingAction, RecordingOutcome>> = {
  suspend: 'suspended',
  resume: 'resumed',
  stop: 'stopped',
};

const COMMAND: Readonly<Record<RecordingAction, RecordingCommand['name']>> = {
  suspend: 'SuspendContactRecording',
  resume: 'ResumeContactRecording',
  stop: 'StopContactRecording',
};

const isAction = (value: string): value is RecordingAction => Object.hasOwn(OUTCOME, value);

/** Pure: reads what to do, and to which contact, from the flow's event. */
export const parseRecordingRequest = (event: ConnectContactFlowEvent): RecordingRequest => {
  const action = event.Details?.Parameters?.action ?? '';
  if (!isAction(action)) throw new UnknownRecordingActionError(action);
  const contact = event.Details.ContactData;
  const instanceId = instanceIdOf(contact?.InstanceARN);
  if (!instanceId)
    throw new InvalidContactEventError('ContactData.InstanceARN is missing or not an instance ARN');
  if (!contact.ContactId) throw new InvalidContactEventError('ContactData.ContactId is missing');
  return {
    action,
    instanceId,
    contactId: contact.ContactId,
    // The first contact of a call is its own initial contact; fall back rather than fail the
    // payments leg if a payload ever leaves it out.
    initialContactId: contact.InitialContactId || contact.ContactId,
  };
};

const commandFor = (request: RecordingRequest): RecordingCommand => ({
  name: COMMAND[request.action],
  input: {
    InstanceId: request.instanceId,
    ContactId: request.contactId,
    InitialContactId: request.initialContactId,
    // IVR recording is what covers the flow's external transfer; agent recording never starts.
    ContactRecordingType: 'IVR',
  },
});

export interface RecordingControlDependencies {
  readonly connect: ContactRecordingPort;
  readonly log?: (line: string) => void;
  readonly clock?: () => number;
}

/** The handler function, with its collaborators passed in so tests can replace them. */
export const recordingControl =
  ({
    connect,
    log = (line) => console.log(line),
    clock = Date.now,
  }: RecordingControlDependencies) =>
  async (event: ConnectContactFlowEvent): Promise<RecordingAnswer> => {
    const started = clock();
    // Only ids and the action are logged: never the caller's or the dialed number.
    const line = (fields: Record<string, string | number>) =>
      log(
        JSON.stringify({
          level: fields.outcome === 'failed' || fields.outcome === 'rejected' ? 'error' : 'info',
          message: 'recording control',
          contactId: event.Details?.ContactData?.ContactId ?? 'none',
          ...fields,
          durationMs: clock() - started,
        }),
      );

    let request: RecordingRequest;
    try {
      request = parseRecordingRequest(event);
    } catch (error) {
      line({
        action: describeAction(String(event.Details?.Parameters?.action ?? '')),
        outcome: 'rejected',
        error: (error as Error).name,
      });
      throw error;
    }
    try {
      await connect.send(commandFor(request));
    } catch (error) {
      line({ action: request.action, outcome: 'failed', error: (error as Error).name });
      throw new RecordingControlFailedError(request.action, error);
    }
    const recording = OUTCOME[request.action];
    line({ action: request.action, outcome: recording });
    return { recording };
  };
