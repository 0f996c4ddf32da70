import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { CALL_EVENT_SOURCE } from '../../contracts/webhooks.js';
import type { CallEventNotice, PublishCallEvents } from '../../domain/webhook-event.js';

/**
 * Call event notices onto the EventBridge bus, for the webhook fan-out's rule. A notice is small
 * (an id, a type, a contact id, some field names), far under PutEvents' 256 KB entry limit: the
 * call itself is read by the fan-out. Rejects when any entry is not accepted.
 */

/** PutEvents takes at most 10 entries a request. */
const ENTRIES_PER_REQUEST = 10;

export const callEventEntry = (
  busName: string,
  notice: CallEventNotice,
): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: CALL_EVENT_SOURCE,
  DetailType: notice.type,
  Detail: JSON.stringify(notice),
  Time: new Date(notice.createdAt),
});

export const createEventBridgePublisher =
  (busName: string, client: EventBridgeClient = new EventBridgeClient({})): PublishCallEvents =>
  async (notices) => {
    for (let i = 0; i < notices.length; i += ENTRIES_PER_REQUEST) {
      const batch = notices.slice(i, i + ENTRIES_PER_REQUEST);
      const output = await client.send(
        new PutEventsCommand({ Entries: batch.map((n) => callEventEntry(busName, n)) }),
      );
      if ((output.FailedEntryCount ?? 0) > 0) {
        const reasons = (output.Entries ?? []).flatMap((e) => (e.ErrorCode ? [e.ErrorCode] : []));
        throw new Error(
          `EventBridge refused ${output.FailedEntryCount} call events: ${reasons.join(', ')}`,
        );
      }
    }
  };
