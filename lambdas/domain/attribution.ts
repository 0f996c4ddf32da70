import type { ContactRecord } from './contact-record.js';
import { type RoutingEntry, routeAnswer } from './route.js';

/**
 * Attribution of a call that never asked route-call (its record carries no `status` attribute):
 * a call from before the system was deployed, backfilled with import-records, or one that came
 * through another flow. The number it dialed names the location and ad source, as the routing
 * table holds them now; the call log says so with route status `attributed`.
 */

/** route-call's status on a call attributed from the routing table at ingest. */
export const ATTRIBUTED_STATUS = 'attributed';

/** The number to look up, when the record needs attributing; undefined when it does not. */
export const numberToAttribute = (record: ContactRecord): string | undefined =>
  record.attributes.status === undefined ? record.systemAddress : undefined;

/**
 * The record with the entry's route answer (at the call's start) under its own attributes, so the
 * outcome rules see the location's ring-to and fallback as the flow would have set them.
 */
export const attributeFromEntry = (record: ContactRecord, entry: RoutingEntry): ContactRecord => ({
  ...record,
  attributes: {
    ...routeAnswer(entry, new Date(record.initiationTimestamp)),
    status: ATTRIBUTED_STATUS,
    ...record.attributes,
  },
});
