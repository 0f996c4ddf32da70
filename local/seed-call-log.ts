import { BatchWriteItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  type StoredCallLogItem,
  storedCallLogItem,
} from '../lambdas/adapters/dynamodb/call-log-keys.js';
import {
  monthCompleteKey,
  monthRollupKey,
  type RollupKey,
  rollupKey,
  storedMonthRow,
} from '../lambdas/adapters/dynamodb/rollup-keys.js';
import { type CallLogItem, callLogItem, rollupGroupId } from '../lambdas/domain/call-log-item.js';
import { CALL_OUTCOMES, type CallOutcome } from '../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../lambdas/domain/contact-record.js';
import {
  aggregate,
  monthOf,
  monthRollup,
  type Rollup,
  rollupMember,
} from '../lambdas/domain/rollup.js';
import { LOCAL_AWS } from './names.js';

/** A call to seed the call log with; the item is built by the project's own callLogItem. */
export interface SeedCall {
  readonly contactId: string;
  readonly startedAt: string;
  readonly durationSeconds?: number;
  readonly caller?: string;
  readonly dialed?: string;
  readonly locationId?: string;
  readonly locationName?: string;
  readonly source?: string;
  readonly campaign?: string;
  readonly outcome: CallOutcome;
  readonly firstTime: boolean;
  readonly recordings?: readonly string[];
  /** The message's key in the recordings bucket, as the voicemail work's attribute gives it. */
  readonly voicemailKey?: string;
  readonly voicemailDurationSeconds?: number;
}

/** The key of the seeded calls' caller hashes: they are fictional calls, so any fixed key will do. */
export const SEED_CALLER_HASH_KEY: Uint8Array = Buffer.alloc(32, 1);

export const seedCallItem = (
  call: SeedCall,
  callerHashKey: Uint8Array = SEED_CALLER_HASH_KEY,
): StoredCallLogItem => {
  const started = Date.parse(call.startedAt);
  const attributes: Record<string, string> = {};
  for (const key of ['locationId', 'locationName', 'source', 'campaign', 'voicemailKey'] as const) {
    const value = call[key];
    if (value !== undefined) attributes[key] = value;
  }
  if (call.voicemailDurationSeconds !== undefined) {
    attributes.voicemailDurationSeconds = String(call.voicemailDurationSeconds);
  }
  const record: ContactRecord = {
    contactId: call.contactId,
    initiationTimestamp: new Date(started).toISOString(),
    ...(call.durationSeconds !== undefined
      ? { disconnectTimestamp: new Date(started + call.durationSeconds * 1000).toISOString() }
      : {}),
    lastUpdateTimestamp: new Date(started + 3_600_000).toISOString(),
    ...(call.dialed ? { systemAddress: call.dialed } : {}),
    ...(call.caller ? { customerAddress: call.caller } : {}),
    attributes,
    recordings: (call.recordings ?? []).map((location) => ({ location })),
  };
  return storedCallLogItem(
    callLogItem(record, call.outcome, { firstTime: call.firstTime, callerHashKey }),
  );
};

/**
 * The daily rollups of some calls and their month rows, computed by the rollup writer's own pure
 * functions (each call's member, aggregated per group; a group's days added up per month), so
 * seeded rollups are the ones the ingest would keep.
 */
export const rollupsOf = (items: readonly CallLogItem[]): (RollupKey & object)[] => {
  const groups = new Map<string, CallLogItem[]>();
  for (const item of items) {
    const group = rollupGroupId(item);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  const days = [...groups].flatMap(([group, calls]) => {
    const rollup = aggregate(group, calls.map(rollupMember));
    return rollup ? [{ ...rollupKey(group), ...rollup }] : [];
  });
  const months = new Map<string, Rollup[]>();
  for (const day of days) {
    const id = `${monthOf(day.day)}#${day.sk}`;
    months.set(id, [...(months.get(id) ?? []), day]);
  }
  return [
    ...days,
    ...[...months].flatMap(([id, rows]) => {
      const month = id.slice(0, 7);
      const row = monthRollup(month, rows);
      return row ? [storedMonthRow({ ...monthRollupKey(month, id.slice(8)), ...row })] : [];
    }),
    // Every group of each month has its row: reports may read the months whole.
    ...[...new Set([...months.keys()].map((id) => id.slice(0, 7)))].map(monthCompleteKey),
  ];
};

/** Writes items 25 at a time with BatchWriteItem, resending what DynamoDB left unprocessed. */
export const batchPut = async (
  client: DynamoDBClient,
  tableName: string,
  items: readonly object[],
): Promise<void> => {
  const chunks: object[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  const writeChunk = async (chunk: object[]) => {
    let requests = chunk.map((item) => ({
      PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) },
    }));
    while (requests.length > 0) {
      const output = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (output.UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  };
  // A few batches in flight at once: dynalite is single-threaded, more does not help.
  for (let i = 0; i < chunks.length; i += 4)
    await Promise.all(chunks.slice(i, i + 4).map(writeChunk));
};

// A call log with a history: the cost test (test/integration/api-cost.dynalite.test.ts) and the
// API benchmark (bench/api.ts) seed the same calls, so both measure the same data.

/** The "now" of the history call log. */
export const HISTORY_NOW = Date.parse('2026-11-26T12:00:00.000Z');
const DAY = 86_400_000;
/** Calls in the last 30 days, the same in every history call log whatever its size. */
export const RECENT_CALLS = 300;
export const HISTORY_LOCATIONS = ['loc-1', 'loc-2', 'loc-3', 'loc-4', 'loc-5'];
const SOURCES = ['google', 'yelp', 'bing', 'direct'];

/** A deterministic pseudo-random sequence (the same calls on every run). */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

/** `count` calls: RECENT_CALLS in the last 30 days before HISTORY_NOW, the rest older history. */
export const historyCallLog = (count: number): StoredCallLogItem[] => {
  const next = random(7);
  return Array.from({ length: count }, (_, i) => {
    const recent = i < RECENT_CALLS;
    // History ends 36 days ago, so part of it shares the current months' partitions.
    const ageMs = recent ? next() * 29 * DAY : 36 * DAY + next() * 330 * DAY;
    const location = i % HISTORY_LOCATIONS.length;
    return seedCallItem({
      contactId: `${recent ? 'r' : 'h'}${String(i).padStart(6, '0')}`,
      startedAt: new Date(HISTORY_NOW - Math.floor(ageMs / 1000) * 1000).toISOString(),
      durationSeconds: 10 + (i % 200),
      caller: `+1512555${String(1000 + (i % 3000)).padStart(4, '0')}`,
      dialed: `+1512555010${i % 10}`,
      locationId: HISTORY_LOCATIONS[location] as string,
      source: SOURCES[i % SOURCES.length] as string,
      outcome: CALL_OUTCOMES[i % CALL_OUTCOMES.length] as (typeof CALL_OUTCOMES)[number],
      firstTime: i % 3 === 0,
    });
  });
};

/** What DynamoDB read for the API: items (ScannedCount of a Query, 1 per GetItem) and requests. */
export interface Reads {
  items: number;
  requests: number;
}

/** A client on `endpoint` that counts what DynamoDB read; a Scan throws (the API never scans). */
export const readCountingClient = (endpoint: string): { client: DynamoDBClient; reads: Reads } => {
  const reads: Reads = { items: 0, requests: 0 };
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const output = result.output as { ScannedCount?: number; Item?: unknown };
      reads.requests += 1;
      if (context.commandName === 'QueryCommand') reads.items += output.ScannedCount ?? 0;
      if (context.commandName === 'GetItemCommand' && output.Item) reads.items += 1;
      if (context.commandName === 'ScanCommand') throw new Error('the API must never Scan');
      return result;
    },
    { step: 'initialize', name: 'countReads' },
  );
  return { client, reads };
};
