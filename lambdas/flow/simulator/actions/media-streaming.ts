import { error, NEXT } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';
import type { ActionHandler } from './action-handler.js';

/**
 * Where a started stream begins, simulated: a Kinesis Video stream named for the contact (as
 * Connect's `connect-<alias>-contact-<id>` streams are), a 47-digit fragment number and the start
 * time in epoch milliseconds, both derived from the simulated clock so runs are deterministic.
 */
const startStream = (contact: SimulatedContact) => {
  const [, , , region = 'us-east-1', account = '000000000000'] = contact.instanceArn.split(':');
  // Whole milliseconds: the clock runs in fractions (a prompt lasts 1 s per 15 characters).
  const startedAt = Math.round(contact.call.at.getTime() + contact.clockMs);
  return {
    streamArn: `arn:aws:kinesisvideo:${region}:${account}:stream/connect-calltrack-contact-${contact.contactId}/0`,
    startFragment: `9134385233318${String(startedAt).padStart(34, '0')}`,
    startTimestamp: String(startedAt),
  };
};

/**
 * UpdateContactMediaStreamingBehavior: Enabled starts streaming the customer's audio (its
 * `$.MediaStreams.Customer.Audio.*` from then on), Disabled stops it. The references keep their
 * values after a stop, and starting again keeps the first start (an assumption: one stream per
 * contact).
 */
export const updateContactMediaStreaming: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the streaming did not change');
  }
  if (parameters.MediaStreamingState === 'Disabled') {
    contact.streaming = false;
    return { ...NEXT, note: "the customer's audio is no longer streamed" };
  }
  contact.mediaStream ??= startStream(contact);
  contact.streaming = true;
  contact.mediaStreamed = true;
  return { ...NEXT, note: `the customer's audio streams to ${contact.mediaStream.streamArn}` };
};
