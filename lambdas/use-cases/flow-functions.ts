import type { ConnectContactFlowEvent } from 'aws-lambda';
import type { CallerHistory } from '../adapters/dynamodb/caller-history-reader.js';
import type { RoutingLookup } from '../adapters/dynamodb/routing-table-reader.js';
import type { ContactRecordingPort } from '../domain/contact-recording.js';
import { type FlowFunction, runToEnd } from '../flow/preview-world.js';
import type { ContactFlowEvent } from '../flow/simulator/index.js';
import { type RecordingOutcome, recordingControl } from './recording-control.js';
import { createRouteCall } from './route-call.js';

/**
 * route-call and recording-control as a simulated flow invokes them (the route preview's world,
 * the local system's): the real use cases, their log lines kept by the world.
 */

/** The simulator's event is the shape of Connect's; the use cases take Connect's type. */
const asConnectEvent = (event: ContactFlowEvent) => event as unknown as ConnectContactFlowEvent;

/** route-call answering from `lookup`, open or closed at `now`, first-time callers from `callerHistory`. */
export const routeCallFunction =
  ({
    lookup,
    now,
    callerHistory,
  }: {
    lookup: RoutingLookup;
    now: () => number;
    callerHistory?: CallerHistory;
  }): FlowFunction =>
  (event, log) =>
    runToEnd(
      (e) =>
        createRouteCall({
          lookup,
          now,
          writeLog: log,
          ...(callerHistory ? { callerHistory } : {}),
        })(asConnectEvent(e)),
      event,
    );

const isRecordingOutcome = (value: unknown): value is RecordingOutcome =>
  value === 'suspended' || value === 'resumed' || value === 'stopped';

/**
 * recording-control over `connect`. Its answer (`recording: suspended | resumed | stopped`) comes only once
 * Connect accepted the command, so it is also what the call's recording now is.
 */
export const recordingControlFunction =
  (connect: ContactRecordingPort): FlowFunction =>
  async (event, log) => {
    const control = recordingControl({ connect, log });
    const outcome = await runToEnd((e) => control(asConnectEvent(e)), event);
    const recording = outcome.kind === 'ok' ? outcome.result.recording : undefined;
    return outcome.kind === 'ok' && isRecordingOutcome(recording)
      ? { ...outcome, recording }
      : outcome;
  };
