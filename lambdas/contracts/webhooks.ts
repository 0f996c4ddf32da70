/**
 * What the publishers (ingest, API), the EventBridge rule and the delivery function agree on: the
 * source of call events on the bus. Each entry's detail-type is the event type, its detail the
 * notice (domain/webhook-event.ts).
 */
export const CALL_EVENT_SOURCE = 'call-tracking.calls';
