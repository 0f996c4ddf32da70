import { isDeepStrictEqual } from 'node:util';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type CallLogItem, rollupGroupId } from '../../domain/call-log-item.js';
import {
  aggregate,
  daysOfMonth,
  goneMember,
  monthOf,
  monthRollup,
  type Rollup,
  type RollupMember,
  rollupDay,
  rollupMember,
} from '../../domain/rollup.js';
import { batchGetItems, batchWriteItems } from './batch-items.js';
import { callKey } from './call-log-keys.js';
import {
  memberKey,
  membersPartition,
  monthCompleteKey,
  monthRollupKey,
  rollupKey,
  storedMonthRow,
} from './rollup-keys.js';

/**
 * Keeping the daily rollups (CALL_LOG_TABLE) without increments, so no replay can count twice.
 * Each call has one member item in its rollup group (`pk = MEMBERS#<rollupGroupId>`,
 * `sk = CALL#<contactId>`), derived from the stored call; the rollup item is recomputed from the
 * group's members. Every step reads what is stored and writes what follows from it, so a settle
 * repeated, or retried after a crash at any point, ends in the same items.
 */

/** Recompute rounds before giving up (each lost round means another writer just changed the group). */
const RECOMPUTE_ATTEMPTS = 5;

/** Puts `member` unless the stored one is of a later revision; false when it is. */
const putMember = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
  member: RollupMember,
): Promise<boolean> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(
          { ...memberKey(groupId, member.contactId), ...member },
          { removeUndefinedValues: true },
        ),
        // A tombstone replaces only an earlier revision: one of the same revision is this very
        // tombstone, from a repeated settle (a live member never shares the revision it left at).
        ConditionExpression:
          member.gone === true
            ? 'attribute_not_exists(pk) OR revision < :rev'
            : 'attribute_not_exists(pk) OR revision <= :rev',
        ExpressionAttributeValues: { ':rev': { N: String(member.revision) } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

/** Every item of a partition, read consistently (paged), unmarshalled. */
const readPartition = async <T>(
  client: DynamoDBClient,
  tableName: string,
  pk: string,
): Promise<T[]> => {
  const items: T[] = [];
  let start: QueryCommandOutput['LastEvaluatedKey'];
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => unmarshall(item) as T));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
};

/** Every member of a group, read consistently. */
const readMembers = (client: DynamoDBClient, tableName: string, membersPk: string) =>
  readPartition<RollupMember>(client, tableName, membersPk);

const writeRollup = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
  rollup: Rollup | undefined,
): Promise<void> => {
  if (rollup === undefined) {
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: marshall(rollupKey(groupId)) }),
    );
    return;
  }
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: marshall({ ...rollupKey(groupId), ...rollup }, { removeUndefinedValues: true }),
    }),
  );
};

/**
 * Recomputes a group's rollup: read the members, write their aggregate, read again, and stop when
 * the second read gives what was written. Why this converges with concurrent writers: every member
 * write is followed by its writer's recompute, which writes at least once after it. Take the last
 * rollup write in time: its writer read the members again after it, so after every member write,
 * and stopped only because that read gave what it wrote. So the final rollup is the aggregate of
 * the final members, unless some writer gave up (then it throws and its caller retries).
 */
export const recomputeRollup = async (
  client: DynamoDBClient,
  tableName: string,
  groupId: string,
): Promise<void> => {
  const membersPk = membersPartition(groupId);
  let rollup = aggregate(groupId, await readMembers(client, tableName, membersPk));
  for (let attempt = 1; attempt <= RECOMPUTE_ATTEMPTS; attempt += 1) {
    await writeRollup(client, tableName, groupId, rollup);
    const again = aggregate(groupId, await readMembers(client, tableName, membersPk));
    if (isDeepStrictEqual(again, rollup)) return;
    rollup = again;
  }
  throw new RollupContentionError(groupId, RECOMPUTE_ATTEMPTS);
};

/** A group's month row: `yyyy-mm` and the groups' sort key. */
interface MonthGroup {
  readonly month: string;
  readonly sk: string;
}

const monthGroupOf = (groupId: string): MonthGroup => ({
  month: monthOf(rollupDay(groupId)),
  sk: rollupKey(groupId).sk,
});

const monthGroupId = ({ month, sk }: MonthGroup): string => `${month}#${sk}`;

/** Each month row as its days add up now (one read of every day row of them, consistent). */
const readMonths = async (
  client: DynamoDBClient,
  tableName: string,
  months: readonly MonthGroup[],
): Promise<Map<string, Rollup | undefined>> => {
  const keys = months.flatMap(({ month, sk }) =>
    daysOfMonth(month).map((day) => marshall({ pk: `ROLLUP#${day}`, sk })),
  );
  const days = new Map<string, Rollup[]>(months.map((m) => [monthGroupId(m), []]));
  for (const item of await batchGetItems(client, tableName, keys)) {
    const { pk, sk, ...row } = unmarshall(item) as Rollup & { pk: string; sk: string };
    days.get(`${monthOf(pk.slice('ROLLUP#'.length))}#${sk}`)?.push(row);
  }
  return new Map(
    months.map((m) => {
      const rows = (days.get(monthGroupId(m)) ?? []).sort((a, b) => a.day.localeCompare(b.day));
      return [monthGroupId(m), monthRollup(m.month, rows)];
    }),
  );
};

/** A group's month row as stored (its hashes packed). */
const monthRowItem = (month: string, sk: string, row: Rollup) =>
  marshall(storedMonthRow({ ...monthRollupKey(month, sk), ...row }), {
    removeUndefinedValues: true,
  });

/** A day partition's rows, read consistently. */
const readDayRows = (client: DynamoDBClient, tableName: string, day: string) =>
  readPartition<Rollup & { sk: string }>(client, tableName, `ROLLUP#${day}`);

/**
 * Makes sure every group of `month` has its month row, once per month: a table from before month
 * rows has none for groups no call touched since. Reads the month's days, puts each group's sum
 * where no row is yet (a row already there was written by a settle, which keeps it right), then
 * marks the month complete, so reports read it as one partition from then on.
 */
const completeMonth = async (client: DynamoDBClient, tableName: string, month: string) => {
  const marked = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(monthCompleteKey(month)),
      ConsistentRead: true,
    }),
  );
  if (marked.Item) return;
  const groups = new Map<string, Rollup[]>();
  for (const day of daysOfMonth(month)) {
    for (const { sk, ...row } of await readDayRows(client, tableName, day)) {
      groups.set(sk, [...(groups.get(sk) ?? []), row]);
    }
  }
  for (const [sk, days] of groups) {
    const row = monthRollup(month, days);
    if (row === undefined) continue;
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: monthRowItem(month, sk, row),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: marshall(monthCompleteKey(month)) }),
  );
};

/**
 * Recomputes the month rows of the day groups `groupIds` (each month row once): read their days,
 * write the sums, read again, and stop for each when the second read gives what was written, as
 * {@link recomputeRollup} does for a day, and for the same reason (every day write is followed by
 * its writer's month recompute). Reads and writes go in batches: a settle of a Kinesis batch
 * costs a few requests for all its months.
 */
export const recomputeMonths = async (
  client: DynamoDBClient,
  tableName: string,
  groupIds: Iterable<string>,
): Promise<void> => {
  const all = new Map<string, MonthGroup>();
  for (const groupId of groupIds) {
    const month = monthGroupOf(groupId);
    all.set(monthGroupId(month), month);
  }
  let pending = [...all.values()];
  for (const month of new Set(pending.map((m) => m.month))) {
    await completeMonth(client, tableName, month);
  }
  let target = await readMonths(client, tableName, pending);
  for (let attempt = 1; attempt <= RECOMPUTE_ATTEMPTS; attempt += 1) {
    await batchWriteItems(
      client,
      tableName,
      pending.map((m) => {
        const row = target.get(monthGroupId(m));
        return row === undefined
          ? { DeleteRequest: { Key: marshall(monthRollupKey(m.month, m.sk)) } }
          : { PutRequest: { Item: monthRowItem(m.month, m.sk, row) } };
      }),
    );
    const again = await readMonths(client, tableName, pending);
    pending = pending.filter(
      (m) => !isDeepStrictEqual(again.get(monthGroupId(m)), target.get(monthGroupId(m))),
    );
    if (pending.length === 0) return;
    target = again;
  }
  throw new RollupContentionError(monthGroupId(pending[0] as MonthGroup), RECOMPUTE_ATTEMPTS);
};

/** The stored call, read consistently; undefined when there is none. */
export const getCall = async (
  client: DynamoDBClient,
  tableName: string,
  contactId: string,
): Promise<CallLogItem | undefined> => {
  const output = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: marshall(callKey(contactId)),
      ConsistentRead: true,
    }),
  );
  return output.Item ? (unmarshall(output.Item) as CallLogItem) : undefined;
};

/**
 * Puts the stored call's member in its current group and a tombstone in every other group it was
 * ever in (`rollupGroups`); returns those groups, which are then to be recomputed.
 */
const putMembersOf = async (
  client: DynamoDBClient,
  tableName: string,
  call: CallLogItem,
): Promise<string[]> => {
  const current = rollupGroupId(call);
  // A failed put means a settle of a later revision got there first: its member stands.
  await putMember(client, tableName, current, rollupMember(call));
  const left = [...(call.rollupGroups ?? [])].filter((group) => group !== current).sort();
  for (const group of left) {
    await putMember(client, tableName, group, goneMember(call.contactId, call.revision ?? 0));
  }
  return [...left, current];
};

/**
 * Brings the rollups in line with the stored call: its member in its current group, a tombstone in
 * every other group it was ever in (`rollupGroups`), and each of those groups recomputed. Run after
 * every change to the call; `absent` when there is no such call (nothing counts it).
 */
export const settleCall = async (
  client: DynamoDBClient,
  tableName: string,
  contactId: string,
): Promise<'settled' | 'absent'> => {
  const call = await getCall(client, tableName, contactId);
  if (call === undefined) return 'absent';
  await settleStored(client, tableName, [call]);
  return 'settled';
};

/**
 * The settle of stored calls: every member put, then each group they touch recomputed once,
 * however many of the calls count in it (the groups a call left before the one it is in), then
 * the groups' month rows.
 */
const settleStored = async (
  client: DynamoDBClient,
  tableName: string,
  calls: readonly CallLogItem[],
): Promise<void> => {
  const groups = new Set<string>();
  for (const call of calls) {
    for (const group of await putMembersOf(client, tableName, call)) groups.add(group);
  }
  for (const group of groups) await recomputeRollup(client, tableName, group);
  await recomputeMonths(client, tableName, groups);
};

/** The stored calls of `contactIds` (absent ones left out), read together. */
const getCalls = async (
  client: DynamoDBClient,
  tableName: string,
  contactIds: readonly string[],
): Promise<CallLogItem[]> =>
  (
    await batchGetItems(
      client,
      tableName,
      contactIds.map((id) => marshall(callKey(id))),
    )
  ).map((item) => unmarshall(item) as CallLogItem);

/**
 * {@link settleCall} for many calls at once, as the ingest does for a batch of records: the calls
 * read together, every member put, then each group they touch recomputed once, however many of
 * the calls count in it (a group of ten calls costs one recompute, not ten).
 */
export const settleCalls = async (
  client: DynamoDBClient,
  tableName: string,
  contactIds: readonly string[],
): Promise<void> =>
  settleStored(client, tableName, await getCalls(client, tableName, [...new Set(contactIds)]));

/** A group's members kept changing under the recompute: retry later (the work is idempotent). */
export class RollupContentionError extends Error {
  constructor(
    readonly groupId: string,
    readonly attempts: number,
  ) {
    super(`rollup of ${groupId} changed during ${attempts} recomputes: retry`);
    this.name = 'RollupContentionError';
  }
}
