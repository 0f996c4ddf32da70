import { type CallCost, estimateCost, type PriceTable } from './call-cost.js';
import {
  callJourney,
  type RoutedTo,
  routedTo,
  type StoredJourneyStep,
  storedStep,
} from './call-journey.js';
import { attribute, type CallOutcome, isAnswered } from './call-outcome.js';
import { callerHash } from './caller-hash.js';
import type { ContactRecord } from './contact-record.js';
import { QUEUE_OUTCOME_ATTRIBUTES } from './queue-outcome-attributes.js';

/**
 * One call of the call log: its attributes, without the keys it is stored under
 * (adapters/dynamodb/call-log-keys.ts).
 */
export interface CallLogItem {
  readonly contactId: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  /** DisconnectTimestamp − InitiationTimestamp, whole seconds; absent without a disconnect. */
  readonly durationSeconds?: number;
  readonly caller?: string;
  /** The caller's keyed hash (caller-hash.ts), which the rollups count unique callers by. */
  readonly callerHash?: string;
  /** The number dialed (SystemEndpoint), else the tracking number route-call saw. */
  readonly dialed?: string;
  readonly locationId?: string;
  readonly locationName?: string;
  readonly source?: string;
  readonly campaign?: string;
  readonly trackingId?: string;
  readonly outcome: CallOutcome;
  readonly answered: boolean;
  /** First call from this caller to this location (a lead); decided by the ingest. */
  readonly firstTime: boolean;
  /** The number of a completed transfer, else the queue ARN; absent when the call reached neither. */
  readonly endpoint?: string;
  /** Recording locations (`bucket/key`) as the record gives them; never constructed. */
  readonly recordings: readonly string[];
  /** LastUpdateTimestamp, normalised: the ordering the ingest's conditional write enforces. */
  readonly lastUpdate: string;
  /** route-call's status (found, unknown, error); absent when the flow never set it. */
  readonly routeStatus?: string;
  /** The recorded message's S3 key in the recordings bucket (attribute voicemailKey). */
  readonly voicemailKey?: string;
  /** The message's length, whole seconds (attribute voicemailDurationSeconds). */
  readonly voicemailDurationSeconds?: number;
  /** Where the call went (call-journey.ts); absent on items stored before it existed. */
  readonly routedTo?: RoutedTo;
  /** The steps the caller went through; absent on items stored before it existed. */
  readonly journey?: readonly StoredJourneyStep[];
  /** The Connect cost estimate (call-cost.ts); absent before the call ended or it existed. */
  readonly estimatedCost?: CallCost;
  // Set through the API (PATCH /calls/{contactId}); a contact record never changes them.
  readonly leadStatus?: LeadStatus;
  /** What the call was worth (e.g. the first month's rent), in the account's currency. */
  readonly value?: number;
  readonly note?: string;
  readonly tags?: readonly string[];
  readonly spam?: boolean;
  /** Someone dealt with the call's message or callback (the dashboard's "handled" mark). */
  readonly handled?: boolean;
  // Bookkeeping of the adapters (call-log-writer.ts, rollup-writer.ts), never set by a record.
  /** Bumped by every change to the item: a rollup member is never replaced by an older one. */
  readonly revision?: number;
  /** Every rollup group (`rollupGroupId`) the call ever belonged to, so a move leaves none behind. */
  readonly rollupGroups?: ReadonlySet<string>;
}

/** A lead's status, as a person sets it: `rented` is a conversion. */
export const LEAD_STATUSES = ['active', 'rented', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** The fields PATCH /calls/{contactId} may change; `null` clears one. */
export interface LeadUpdate {
  readonly leadStatus?: LeadStatus | null;
  readonly value?: number | null;
  readonly note?: string | null;
  readonly tags?: readonly string[] | null;
  readonly spam?: boolean;
  readonly handled?: boolean;
}

type Bookkeeping = 'revision' | 'rollupGroups';

/** The attributes a contact record decides (everything but the lead fields and bookkeeping). */
export type RecordField = Exclude<keyof CallLogItem, keyof LeadUpdate | Bookkeeping>;

// A Record, so the compiler refuses a field added to CallLogItem and forgotten here.
const RECORD_FIELD_SET: Readonly<Record<RecordField, true>> = {
  contactId: true,
  startedAt: true,
  endedAt: true,
  durationSeconds: true,
  caller: true,
  callerHash: true,
  dialed: true,
  locationId: true,
  locationName: true,
  source: true,
  campaign: true,
  trackingId: true,
  outcome: true,
  answered: true,
  firstTime: true,
  endpoint: true,
  recordings: true,
  lastUpdate: true,
  routeStatus: true,
  voicemailKey: true,
  voicemailDurationSeconds: true,
  routedTo: true,
  journey: true,
  estimatedCost: true,
};

/**
 * The attributes the ingest writes from a contact record (with the index keys): set when the
 * record has them, removed when it does not, the others (lead fields, bookkeeping) left as they
 * are.
 */
export const RECORD_FIELDS = Object.keys(RECORD_FIELD_SET) as readonly RecordField[];

/** `yyyy-mm` (UTC) of an ISO timestamp. */
export const monthOf = (iso: string): string => new Date(iso).toISOString().slice(0, 7);

/** `yyyy-mm-dd` (UTC) of an ISO timestamp. */
export const dayOf = (iso: string): string => new Date(iso).toISOString().slice(0, 10);

/** A whole number of seconds ≥ 0 from an attribute; undefined when it is not one. */
const secondsOf = (value: string | undefined): number | undefined => {
  const seconds = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : undefined;
};

/** Drops undefined values, so an item never carries an attribute set to undefined. */
export const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export const callLogItem = (
  record: ContactRecord,
  outcome: CallOutcome,
  {
    firstTime,
    prices,
    callerHashKey,
  }: {
    readonly firstTime: boolean;
    readonly prices?: PriceTable;
    /** The key of the caller's hash (caller-hash.ts); without it the call counts no caller. */
    readonly callerHashKey?: Uint8Array;
  },
): CallLogItem => {
  const { contactId, initiationTimestamp: startedAt, disconnectTimestamp: endedAt } = record;
  const dialed = record.systemAddress ?? attribute(record, 'trackingNumber');
  const locationId = attribute(record, 'locationId');
  const source = attribute(record, 'source');
  const durationSeconds =
    endedAt === undefined
      ? undefined
      : Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));
  const endpoint =
    record.transferCompletedTimestamp !== undefined
      ? record.transferredToAddress
      : record.queue?.arn;
  return defined<CallLogItem>({
    contactId,
    startedAt,
    endedAt,
    durationSeconds,
    caller: record.customerAddress,
    callerHash:
      record.customerAddress === undefined || callerHashKey === undefined
        ? undefined
        : callerHash(callerHashKey, record.customerAddress),
    dialed,
    locationId,
    locationName: attribute(record, 'locationName'),
    source,
    campaign: attribute(record, 'campaign'),
    trackingId: attribute(record, 'trackingId'),
    outcome,
    answered: isAnswered(outcome),
    firstTime,
    endpoint,
    recordings: record.recordings.map((r) => r.location),
    lastUpdate: record.lastUpdateTimestamp,
    routeStatus: attribute(record, 'status'),
    voicemailKey: attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemailKey),
    voicemailDurationSeconds: secondsOf(
      attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemailDurationSeconds),
    ),
    routedTo: routedTo(record),
    journey: callJourney(record).map(storedStep),
    estimatedCost: estimateCost(record, prices),
  });
};

/** Stands in a rollup sort key for a call without a location, a source or a tracking number. */
export const ROLLUP_ABSENT = '-';

/**
 * The rollup group a call counts in (its UTC day, location, ad source and tracking number), as one
 * string: `<yyyy-mm-dd>#<locationId>#<source>#<trackingNumber>`, ROLLUP_ABSENT for a missing part.
 * The day has a fixed width, so it comes back from the id whatever the rest holds.
 */
export const rollupGroupId = (
  item: Pick<CallLogItem, 'startedAt' | 'locationId' | 'source' | 'dialed'>,
): string =>
  [dayOf(item.startedAt), item.locationId, item.source, item.dialed]
    .map((part) => part ?? ROLLUP_ABSENT)
    .join('#');
