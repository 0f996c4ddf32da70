import {
  ConnectClient,
  type ConnectClientConfig,
  ResumeContactRecordingCommand,
  StopContactRecordingCommand,
  SuspendContactRecordingCommand,
} from '@aws-sdk/client-connect';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ContactRecordingPort } from '../../domain/contact-recording.js';

/**
 * The flow waits for this function at most InvocationTimeLimitSeconds (≤ 8 s, a few seconds here):
 * a hung call must fail fast enough for the flow to take its error branch rather than time out
 * after the caller has waited in silence. Worst case ≈ 2 × REQUEST_TIMEOUT_MS plus one short
 * backoff, about 2.6 s; give the function and the flow block a few seconds.
 */
export const REQUEST_TIMEOUT_MS = 1_200;
export const CONNECTION_TIMEOUT_MS = 500;

/** The client recording-control uses; `overrides` lets tests aim it at a local endpoint. */
export const createRecordingClient = (overrides: ConnectClientConfig = {}): ConnectClient =>
  new ConnectClient({
    maxAttempts: 2,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without it a request past requestTimeout only logs a warning and keeps waiting.
      throwOnRequestTimeout: true,
    }),
    ...overrides,
  });

/** The contact recording port on a Connect client: its errors reach the caller as they are. */
export const connectContactRecording = (connect: ConnectClient): ContactRecordingPort => ({
  async send({ name, input }) {
    if (name === 'SuspendContactRecording')
      await connect.send(new SuspendContactRecordingCommand(input));
    else if (name === 'ResumeContactRecording')
      await connect.send(new ResumeContactRecordingCommand(input));
    else await connect.send(new StopContactRecordingCommand(input));
  },
});
