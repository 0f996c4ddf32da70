import { CALLER_ITEM_PREFIX } from '../../contracts/tables.js';
import {
  type CallLogItem,
  defined,
  monthOf,
  RECORD_FIELDS,
  type RecordField,
} from '../../domain/call-log-item.js';

/**
 * The keys of a call in CALL_LOG_TABLE (see its comment in contracts/tables.ts): `pk = CALL#<id>`,
 * `sk = CALL`, listed under its month, location, tracking number, ad source and caller by
 * `startedKey`.
 * Index keys are absent (not `none`) when the call has no such value, so the sparse indexes hold
 * only calls that do.
 */
export interface CallLogKeys {
  readonly pk: `CALL#${string}`;
  readonly sk: 'CALL';
  readonly monthKey: string;
  readonly startedKey: string;
  readonly locationKey?: `LOC#${string}`;
  readonly trackingNumberKey?: `TN#${string}`;
  readonly sourceKey?: `SRC#${string}`;
  readonly callerNumberKey?: `CLR#${string}`;
}

/** A call as stored: its attributes, its keys and its TTL (epoch seconds) when it has one. */
export type StoredCallLogItem = CallLogKeys & CallLogItem & { readonly expiresAt?: number };

/** A caller's partition of the byCaller index (GET /calls?caller=, an erasure). */
export const callerIndexKey = (caller: string): `CLR#${string}` => `CLR#${caller}`;

/** The key of a call item. */
export const callKey = (contactId: string): Pick<CallLogKeys, 'pk' | 'sk'> => ({
  pk: `CALL#${contactId}`,
  sk: 'CALL',
});

/**
 * The first-time-caller item of a caller at a location: `CALLER#<locationId>#<caller>`, sk `FIRST`.
 * The ingest writes it when it logs the caller's first call there; route-call reads it.
 */
export const callerKey = (
  locationId: string,
  caller: string,
): { pk: { S: string }; sk: { S: string } } => ({
  pk: { S: `${CALLER_ITEM_PREFIX}${locationId}#${caller}` },
  sk: { S: 'FIRST' },
});

type IndexKey = Exclude<keyof CallLogKeys, 'pk' | 'sk'>;

// A Record, so the compiler refuses an index key added to CallLogKeys and forgotten here.
const INDEX_KEY_SET: Readonly<Record<IndexKey, true>> = {
  monthKey: true,
  startedKey: true,
  locationKey: true,
  trackingNumberKey: true,
  sourceKey: true,
  callerNumberKey: true,
};

/** The index keys, which the ingest writes (or removes) with the record's fields. */
export const INDEX_KEYS = Object.keys(INDEX_KEY_SET) as readonly IndexKey[];

/**
 * The attributes the ingest writes from a contact record: the index keys, then the record fields
 * (domain/call-log-item.ts's RECORD_FIELDS).
 */
export const STORED_RECORD_FIELDS: readonly (IndexKey | RecordField)[] = [
  ...INDEX_KEYS,
  ...RECORD_FIELDS,
];

/** The call with its keys, built from its own attributes. */
export const storedCallLogItem = (item: CallLogItem): StoredCallLogItem => {
  const { contactId, startedAt, locationId, dialed, source, caller } = item;
  return defined<StoredCallLogItem>({
    ...callKey(contactId),
    monthKey: monthOf(startedAt),
    startedKey: `${startedAt}#${contactId}`,
    locationKey: locationId === undefined ? undefined : `LOC#${locationId}`,
    trackingNumberKey: dialed === undefined ? undefined : `TN#${dialed}`,
    sourceKey: source === undefined ? undefined : `SRC#${source}`,
    callerNumberKey: caller === undefined ? undefined : callerIndexKey(caller),
    ...item,
  });
};
