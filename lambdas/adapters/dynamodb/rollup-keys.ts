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
