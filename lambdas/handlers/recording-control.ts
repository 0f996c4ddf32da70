import middy from '@middy/core';
import {
  connectContactRecording,
  createRecordingClient,
} from '../adapters/connect/contact-recording.js';
import { recordingControl } from '../use-cases/recording-control.js';

/**
 * The recording-control Lambda: the recording-control use case (use-cases/recording-control.ts)
 * over the real Connect client.
 */

// Module scope: one client (and its warm connections) per container.
export const handler = middy(
  recordingControl({ connect: connectContactRecording(createRecordingClient()) }),
);
