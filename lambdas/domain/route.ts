import { isOpenAt, type WeeklyHours } from './weekly-hours.js';

/**
 * Where a call goes when the location does not take it. A voicemail fallback with a number is an
 * outside voicemail box (kept apart from `number` so the call log can say "voicemail-box"); without
 * one it is the system's own voicemail, recorded by the contact flow itself.
 */
export type Fallback =
  | { type: 'queue'; queueArn: string }
  | { type: 'number'; number: string }
  | { type: 'voicemail'; number?: string };

/** The number a fallback dials, if any: a queue and the system's own voicemail dial none. */
export const fallbackNumberOf = (fallback: {
  type: string;
  number?: string;
}): string | undefined => (fallback.type === 'queue' ? undefined : fallback.number);

/** The payments leg of a keypress menu; call recording is suspended while it lasts (PCI DSS). */
export type PaymentsTarget =
  | { type: 'queue'; queueArn: string }
  | { type: 'number'; number: string };

/** Connect's transfer block waits 0-600 s for the third party; 0 would never ring, so 1-600. */
export const RING_TIMEOUT_RANGE = { min: 1, max: 600 } as const;

/** The route of one location, as route-call needs it to answer in one read. */
export interface LocationRoute {
  readonly ringTo: string;
  readonly ringTimeoutSeconds: number;
  readonly timeZone: string;
  readonly hours: WeeklyHours;
  readonly recording: {
    readonly enabled: boolean;
    readonly disclosure: string;
    /** `false`: the staff have not consented to be recorded; absent: they have. */
    readonly staffLeg?: boolean;
  };
  readonly fallback: Fallback;
  readonly menu?: { readonly prompt: string; readonly payments: PaymentsTarget };
  /** Whether the location's staff take card payments on the phone; absent: the location did not say. */
  readonly takesPaymentsByPhone?: boolean;
}

/**
 * Whether the recording may go on once the location's own line answers: not when the staff have
 * not consented (`recording.staffLeg: false`: Connect cannot tell a third party it is recorded),
 * and (PCI DSS) only when the location says its staff take no payments by phone, or offers callers
 * the payments path (where recording is suspended). Otherwise a card number read to staff would be
 * recorded, so the flow stops the recording before it rings the line; a location that did not say
 * is taken to take them.
 */
export const recordsStaffLeg = (route: LocationRoute): boolean =>
  route.recording.enabled &&
  route.recording.staffLeg !== false &&
  (route.takesPaymentsByPhone === false || route.menu !== undefined);

/**
 * Whether the caller has called this location before (from the call log, as the ingest keeps it):
 * `unknown` when the number is not routed, the caller withheld their number, or the read failed.
 */
export type FirstTimeCaller = 'true' | 'false' | 'unknown';

/** Who owns a routing entry: the portfolio file (edits refused by the API) or the API. */
export type RoutingOwner = 'portfolio' | 'api';

/**
 * One tracking number in the routing table, with its location's route copied in, so that a call
 * costs at most one read.
 */
export interface RoutingEntry {
  readonly trackingNumber: string;
  readonly trackingId: string;
  readonly locationId: string;
  readonly locationName: string;
  readonly source: string;
  readonly campaign: string;
  readonly owner: RoutingOwner;
  readonly route: LocationRoute;
}

/**
 * The answer route-call gives the contact flow. Connect's STRING_MAP response must be a flat map of
 * strings and rejects empty strings, so every key is always present and `none` stands for "nothing".
 * The flow copies every key into contact attributes, which is how they reach the contact record.
 */
export interface RouteAnswer {
  /** `found`: route below; `unknown`: number not in the table; `error`: lookup failed or timed out. */
  status: 'found' | 'unknown' | 'error';
  trackingNumber: string;
  trackingId: string;
  locationId: string;
  locationName: string;
  source: string;
  campaign: string;
  ringTo: string;
  ringTimeoutSeconds: string;
  open: 'true' | 'false';
  record: 'true' | 'false';
  /** `false`: the flow stops the recording before it rings the location (recordsStaffLeg). */
  recordStaffLeg: 'true' | 'false';
  disclosure: string;
  fallbackType: Fallback['type'] | 'none';
  fallbackNumber: string;
  fallbackQueueArn: string;
  menu: 'true' | 'false';
  menuPrompt: string;
  paymentsType: PaymentsTarget['type'] | 'none';
  paymentsNumber: string;
  paymentsQueueArn: string;
  /** For the agent's whisper and screen; the routing entry cannot say it, route-call asks the log. */
  firstTimeCaller: FirstTimeCaller;
}

export const NONE = 'none';

/** Connect rejects empty strings anywhere in a flow's data: never hand it one. */
const text = (value: string | undefined): string => (value?.trim() ? value : NONE);

/**
 * The answer for a call the table cannot route: the flow sends it to the portfolio's static
 * fallback number, which is baked into the flow at deploy and needs no lookup.
 */
export const unroutedAnswer = (
  status: 'unknown' | 'error',
  dialedNumber: string | undefined,
): RouteAnswer => ({
  status,
  trackingNumber: text(dialedNumber),
  trackingId: NONE,
  locationId: NONE,
  locationName: NONE,
  source: NONE,
  campaign: NONE,
  ringTo: NONE,
  ringTimeoutSeconds: NONE,
  open: 'false',
  record: 'false',
  recordStaffLeg: 'false',
  disclosure: NONE,
  fallbackType: 'none',
  fallbackNumber: NONE,
  fallbackQueueArn: NONE,
  menu: 'false',
  menuPrompt: NONE,
  paymentsType: 'none',
  paymentsNumber: NONE,
  paymentsQueueArn: NONE,
  firstTimeCaller: 'unknown',
});

/** The routing decision for a call to a known tracking number at instant `at`. */
export const routeAnswer = (entry: RoutingEntry, at: Date): RouteAnswer => {
  const { route } = entry;
  const { fallback } = route;
  const payments = route.menu?.payments;
  return {
    status: 'found',
    trackingNumber: entry.trackingNumber,
    trackingId: text(entry.trackingId),
    locationId: text(entry.locationId),
    locationName: text(entry.locationName),
    source: text(entry.source),
    campaign: text(entry.campaign),
    ringTo: route.ringTo,
    ringTimeoutSeconds: String(route.ringTimeoutSeconds),
    open: isOpenAt(route.hours, route.timeZone, at) ? 'true' : 'false',
    record: route.recording.enabled ? 'true' : 'false',
    recordStaffLeg: recordsStaffLeg(route) ? 'true' : 'false',
    disclosure: route.recording.enabled ? text(route.recording.disclosure) : NONE,
    fallbackType: fallback.type,
    fallbackNumber: fallbackNumberOf(fallback) ?? NONE,
    fallbackQueueArn: fallback.type === 'queue' ? fallback.queueArn : NONE,
    menu: route.menu ? 'true' : 'false',
    menuPrompt: text(route.menu?.prompt),
    paymentsType: payments?.type ?? 'none',
    paymentsNumber: payments?.type === 'number' ? payments.number : NONE,
    paymentsQueueArn: payments?.type === 'queue' ? payments.queueArn : NONE,
    firstTimeCaller: 'unknown',
  };
};
