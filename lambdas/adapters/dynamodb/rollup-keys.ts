import { type CallLogItem, rollupGroupId } from '../../domain/call-log-item.js';
import { rollupDay } from '../../domain/rollup.js';

/**
 * Where rollups live in the call-log table (contracts/tables.ts): a group's rollup at
 * `pk = ROLLUP#<yyyy-mm-dd>`, `sk = <locationId>#<source>#<trackingNumber>`, so a report over N
 * days reads N partitions; its members at `pk = MEMBERS#<group id>`, one `sk = CALL#<contactId>`
 * per call.
 */

export interface RollupKey {
  readonly pk: `ROLLUP#${string}`;
  readonly sk: string;
}

export interface MemberKey {
  readonly pk: `MEMBERS#${string}`;
  readonly sk: `CALL#${string}`;
}

/** The key of a group's rollup item. */
export const rollupKey = (groupId: string): RollupKey => {
  const day = rollupDay(groupId);
  // The day is fixed-width (`yyyy-mm-dd#`), so the sort key is the rest, `#` in it or not.
  return { pk: `ROLLUP#${day}`, sk: groupId.slice(day.length + 1) };
};

/**
 * The key of a group's month row (the month's day rows added up): `pk = ROLLUP#<yyyy-mm>`, the
 * same sort key as its day rows, so a report over a whole month reads one partition, not 31.
 */
export const monthRollupKey = (month: string, sk: string): RollupKey => ({
  pk: `ROLLUP#${month}`,
  sk,
});

/**
 * The mark in a month's partition that every group of the month has its month row (sorts after
 * every group's sort key). Without it, as in a table from before month rows, a report reads the
 * month's days instead: a month row is kept by each settle, so a group no call touched since
 * would have none.
 */
export const MONTH_COMPLETE_SK = '~complete';

export const monthCompleteKey = (month: string): RollupKey => ({
  pk: `ROLLUP#${month}`,
  sk: MONTH_COMPLETE_SK,
});

/** The key of the rollup a call counts in. */
export const rollupKeys = (
  item: Pick<CallLogItem, 'startedAt' | 'locationId' | 'source' | 'dialed'>,
): RollupKey => rollupKey(rollupGroupId(item));

/** The partition holding a group's members. */
export const membersPartition = (groupId: string): MemberKey['pk'] => `MEMBERS#${groupId}`;

/** The key of a call's member in a group. */
export const memberKey = (groupId: string, contactId: string): MemberKey => ({
  pk: membersPartition(groupId),
  sk: `CALL#${contactId}`,
});

/** The width of a caller hash (domain/caller-hash.ts: 16 hex digits). */
const HASH_WIDTH = 16;

/**
 * A month row as stored: its callers' hashes in one string (each 16 hex digits, back to back)
 * rather than a list, since a month holds thousands: one attribute to read, not one per caller.
 */
export const storedMonthRow = <T extends { readonly callerHashes: readonly string[] }>(
  row: T,
): Omit<T, 'callerHashes'> & { callerHashes: string } => ({
  ...row,
  callerHashes: row.callerHashes.join(''),
});

/** A rollup row as read: a month row's packed hashes back into a list (a day row's stay). */
export const rollupFromStored = <T extends { readonly callerHashes?: unknown }>(
  item: T,
): Omit<T, 'callerHashes'> & { callerHashes: string[] } => {
  const packed = item.callerHashes;
  if (typeof packed !== 'string') {
    return { ...item, callerHashes: (packed as string[] | undefined) ?? [] };
  }
  const hashes: string[] = [];
  for (let i = 0; i < packed.length; i += HASH_WIDTH) hashes.push(packed.slice(i, i + HASH_WIDTH));
  return { ...item, callerHashes: hashes };
};
