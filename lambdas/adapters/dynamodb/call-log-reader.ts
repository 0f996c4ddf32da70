import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { CALL_LOG_TABLE } from '../../contracts/tables.js';
import type { CallFilters } from '../../domain/api-query.js';
import type { CallLogItem } from '../../domain/call-log-item.js';
import type { CallIndex, CallsQueryPlan } from '../../domain/call-query.js';
import { isExpired } from '../../domain/retention.js';
import { daysOfMonth, monthOf, type Rollup } from '../../domain/rollup.js';
import { callKey, type StoredCallLogItem } from './call-log-keys.js';
import { MONTH_COMPLETE_SK, rollupFromStored } from './rollup-keys.js';

/**
 * Reading the call log (CALL_LOG_TABLE) for the API: one call by id, a page of calls along one
 * index, the rollup rows of some days. Queries only, never a Scan.
 */

/** Where a page stopped: the partition and, inside it, the last key read. */
export interface CallsPosition {
  readonly partition: string;
  readonly key?: Readonly<Record<string, string>>;
}

export interface CallsPageRequest {
  readonly plan: CallsQueryPlan;
  readonly limit: number;
  /** Where the previous page stopped; absent: from the newest call. */
  readonly start?: CallsPosition;
  /** Items read at most (before the filter): a sparse filter returns a cursor, not a long wait. */
  readonly maxItemsRead: number;
}

export interface CallsPage {
  readonly items: readonly CallLogItem[];
  /** Absent when the range is exhausted. */
  readonly next?: CallsPosition;
  /** Items DynamoDB read (ScannedCount), for the request log. */
  readonly itemsRead: number;
}

export interface CallLogReader {
  getCall(contactId: string): Promise<CallLogItem | undefined>;
  listCalls(request: CallsPageRequest): Promise<CallsPage>;
  /**
   * The rollup rows of each day; with `locationId`, only that location's rows. With `wholeMonths`,
   * a month whose every day is asked for comes as its month rows (each a group's days added up,
   * `day` the month) instead: 1 partition read instead of 28 to 31.
   */
  readRollups(
    days: readonly string[],
    options?: { locationId?: string; wholeMonths?: boolean },
  ): Promise<Rollup[]>;
}

/** The days as partitions to read: each month all of whose days are there as `yyyy-mm`. */
export const wholeMonthsOf = (days: readonly string[]): string[] => {
  const asked = new Set(days);
  const periods: string[] = [];
  const seen = new Set<string>();
  for (const day of days) {
    const month = monthOf(day);
    if (daysOfMonth(month).every((d) => asked.has(d))) {
      if (!seen.has(month)) periods.push(month);
      seen.add(month);
    } else {
      periods.push(day);
    }
  }
  return periods;
};

/** Items a filtered Query reads at least per round trip, so a sparse filter needs few of them. */
const FILTERED_BATCH = 100;
/** Day partitions read at once by a report. */
const ROLLUP_CONCURRENCY = 16;

/** The call item attribute each filter compares (a tracking number is the number dialed). */
const FILTER_ATTRIBUTES: Readonly<Record<keyof CallFilters, string>> = {
  locationId: 'locationId',
  trackingNumber: 'dialed',
  source: 'source',
  outcome: 'outcome',
  firstTime: 'firstTime',
  leadStatus: 'leadStatus',
  caller: 'caller',
};

/** The FilterExpression of the filters the index key does not cover; undefined when none. */
export const filterExpression = (
  residual: CallFilters,
):
  | { expression: string; values: Record<string, AttributeValue>; names: Record<string, string> }
  | undefined => {
  const entries = Object.entries(residual).filter(([, v]) => v !== undefined) as [
    keyof CallFilters,
    string | boolean,
  ][];
  if (entries.length === 0) return undefined;
  return {
    expression: entries.map(([name]) => `#${name} = :${name}`).join(' AND '),
    // Names through placeholders: `source` is a DynamoDB reserved word.
    names: Object.fromEntries(entries.map(([name]) => [`#${name}`, FILTER_ATTRIBUTES[name]])),
    values: Object.fromEntries(
      entries.map(([name, v]) => [`:${name}`, typeof v === 'boolean' ? { BOOL: v } : { S: v }]),
    ),
  };
};

const partitionAttribute = (index: CallIndex): string => {
  const definition = CALL_LOG_TABLE.indexes[index];
  if (!definition) throw new Error(`call log index ${index} is not in CALL_LOG_TABLE`);
  return definition.partitionKey;
};

const stringKey = (key: Record<string, AttributeValue>): Record<string, string> =>
  Object.fromEntries(Object.entries(key).map(([k, v]) => [k, v.S ?? '']));

const attributeKey = (key: Readonly<Record<string, string>>): Record<string, AttributeValue> =>
  Object.fromEntries(Object.entries(key).map(([k, v]) => [k, { S: v }]));

export const createCallLogReader = ({
  client,
  tableName,
  now = Date.now,
}: {
  client: DynamoDBClient;
  tableName: string;
  /** The clock a call's TTL is compared with. @default Date.now */
  now?: () => number;
}): CallLogReader => {
  // DynamoDB deletes an expired item days later, not at once: until then it is already gone.
  const live = <T extends { expiresAt?: number }>(item: T | undefined): item is T =>
    item !== undefined && !isExpired(item, now());
  /**
   * A rollup partition: a day's rows (`yyyy-mm-dd`) or a month's (`yyyy-mm`), and whether the
   * month's mark that every group has its row is there (a month partition is read whole for it,
   * the location filtered after).
   */
  const readRollupPartition = async (
    period: string,
    locationId: string | undefined,
  ): Promise<{ rows: Rollup[]; complete: boolean }> => {
    const month = period.length === 'yyyy-mm'.length;
    const rows: Rollup[] = [];
    let complete = false;
    let start: Record<string, AttributeValue> | undefined;
    do {
      const location: Record<string, AttributeValue> =
        locationId === undefined ? {} : { ':location': { S: `${locationId}#` } };
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression:
            locationId === undefined || month
              ? 'pk = :pk'
              : 'pk = :pk AND begins_with(sk, :location)',
          ...(locationId !== undefined && month
            ? { FilterExpression: 'begins_with(sk, :location) OR sk = :complete' }
            : {}),
          ExpressionAttributeValues: {
            ':pk': { S: `ROLLUP#${period}` },
            ...location,
            ...(locationId !== undefined && month ? { ':complete': { S: MONTH_COMPLETE_SK } } : {}),
          },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) {
        if (item.sk?.S === MONTH_COMPLETE_SK) complete = true;
        else rows.push(rollupFromStored(unmarshall(item)) as unknown as Rollup);
      }
      start = output.LastEvaluatedKey;
    } while (start);
    return { rows, complete };
  };

  /** Partitions read at once, at most {@link ROLLUP_CONCURRENCY}; their rows in order. */
  const readPartitions = async (periods: readonly string[], locationId: string | undefined) => {
    const rows: Rollup[] = [];
    for (let i = 0; i < periods.length; i += ROLLUP_CONCURRENCY) {
      const batch = periods.slice(i, i + ROLLUP_CONCURRENCY);
      const read = await Promise.all(
        batch.map(async (period) => {
          const partition = await readRollupPartition(period, locationId);
          // A month not marked complete is read as its days (e.g. history from before months).
          return period.length === 'yyyy-mm'.length && !partition.complete
            ? readPartitions(daysOfMonth(period), locationId)
            : partition.rows;
        }),
      );
      for (const periodRows of read) rows.push(...periodRows);
    }
    return rows;
  };

  return {
    async getCall(contactId) {
      const output = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: marshall(callKey(contactId)),
        }),
      );
      const item = output.Item ? (unmarshall(output.Item) as StoredCallLogItem) : undefined;
      return live(item) ? item : undefined;
    },

    async listCalls({ plan, limit, start, maxItemsRead }) {
      const partitionKey = partitionAttribute(plan.index);
      const filter = filterExpression(plan.residual);
      const items: CallLogItem[] = [];
      let itemsRead = 0;
      let p = start ? plan.partitions.indexOf(start.partition) : 0;
      if (p < 0) throw new Error(`partition ${start?.partition} is not in the query plan`);
      let key = start?.key ? attributeKey(start.key) : undefined;
      for (;;) {
        const partition = plan.partitions[p] as string;
        const wanted = limit - items.length;
        const budget = maxItemsRead - itemsRead;
        if (wanted === 0 || budget === 0) {
          return { items, next: { partition, ...(key ? { key: stringKey(key) } : {}) }, itemsRead };
        }
        // Without a filter every item read is returned: read exactly what the page still needs.
        const queryLimit = Math.min(budget, filter ? Math.max(wanted, FILTERED_BATCH) : wanted);
        const output = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: plan.index,
            KeyConditionExpression: '#pk = :pk AND startedKey BETWEEN :low AND :high',
            ExpressionAttributeNames: { '#pk': partitionKey, ...filter?.names },
            ExpressionAttributeValues: {
              ':pk': { S: partition },
              ':low': { S: plan.low },
              ':high': { S: plan.high },
              ...filter?.values,
            },
            ...(filter ? { FilterExpression: filter.expression } : {}),
            ScanIndexForward: false,
            Limit: queryLimit,
            ...(key ? { ExclusiveStartKey: key } : {}),
          }),
        );
        itemsRead += output.ScannedCount ?? 0;
        const found = (output.Items ?? [])
          .map((item) => unmarshall(item) as StoredCallLogItem)
          .filter(live);
        if (found.length > wanted) {
          // A filtered read found more than the page holds: continue after the last one shown.
          const kept = found.slice(0, wanted);
          items.push(...kept);
          const last = kept[kept.length - 1] as StoredCallLogItem;
          const lastKey = {
            pk: last.pk,
            sk: last.sk,
            startedKey: last.startedKey,
            [partitionKey]: partition,
          };
          return { items, next: { partition, key: lastKey }, itemsRead };
        }
        items.push(...found);
        key = output.LastEvaluatedKey;
        if (!key) {
          p += 1;
          if (p >= plan.partitions.length) return { items, itemsRead };
        }
      }
    },

    async readRollups(days, options = {}) {
      return readPartitions(options.wholeMonths ? wholeMonthsOf(days) : days, options.locationId);
    },
  };
};
