import { createHash } from 'node:crypto';
import {
  BatchWriteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { type CallLogItem, callLogItem, rollupKeys } from '../../lambdas/domain/call-log-item.js';
import type { CallOutcome } from '../../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import type { RollupItem } from '../../lambdas/domain/rollup.js';
import type { UpdateLead } from '../../lambdas/handlers/api-calls.js';

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
}

export const seedCallItem = (call: SeedCall): CallLogItem => {
  const started = Date.parse(call.startedAt);
  const attributes: Record<string, string> = {};
  for (const key of ['locationId', 'locationName', 'source', 'campaign'] as const) {
    const value = call[key];
    if (value !== undefined) attributes[key] = value;
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
  return callLogItem(record, call.outcome, { firstTime: call.firstTime });
};

/**
 * The daily rollups of some calls, as the rollup writer (built elsewhere) is to keep them: one per
 * day × location × source × tracking number.
 */
export const rollupsOf = (items: readonly CallLogItem[]): RollupItem[] => {
  const rows = new Map<
    string,
    RollupItem & { callerHashes: string[]; hourly: Record<string, number> }
  >();
  for (const item of items) {
    const { pk, sk } = rollupKeys(item);
    let row = rows.get(`${pk}|${sk}`);
    if (!row) {
      row = {
        pk,
        sk,
        day: pk.slice('ROLLUP#'.length),
        ...(item.locationId ? { locationId: item.locationId } : {}),
        ...(item.source ? { source: item.source } : {}),
        ...(item.dialed ? { trackingNumber: item.dialed } : {}),
        calls: 0,
        answered: 0,
        missed: 0,
        voicemail: 0,
        abandoned: 0,
        leadCalls: 0,
        leadsActive: 0,
        conversions: 0,
        leadsLost: 0,
        spam: 0,
        durationSeconds: 0,
        value: 0,
        callerHashes: [],
        hourly: {},
      };
      rows.set(`${pk}|${sk}`, row);
    }
    const r = row as { -readonly [K in keyof RollupItem]: RollupItem[K] } & {
      callerHashes: string[];
      hourly: Record<string, number>;
    };
    r.calls += 1;
    if (item.answered) r.answered += 1;
    if (item.outcome === 'missed') r.missed += 1;
    if (item.outcome === 'voicemail') r.voicemail += 1;
    if (item.outcome === 'abandoned') r.abandoned += 1;
    if (item.firstTime) r.leadCalls += 1;
    if (item.leadStatus === 'active') r.leadsActive += 1;
    if (item.leadStatus === 'rented') r.conversions += 1;
    if (item.leadStatus === 'lost') r.leadsLost += 1;
    if (item.spam) r.spam += 1;
    r.durationSeconds += item.durationSeconds ?? 0;
    r.value += item.value ?? 0;
    if (item.caller) {
      const hash = createHash('sha256').update(item.caller).digest('hex').slice(0, 12);
      if (!r.callerHashes.includes(hash)) r.callerHashes.push(hash);
    }
    const hour = item.startedAt.slice(11, 13);
    r.hourly[hour] = (r.hourly[hour] ?? 0) + 1;
  }
  return [...rows.values()];
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

/**
 * A stand-in for the call-log writer's updateLead (built elsewhere): reads the call, applies the
 * update (null clears a field), writes it back.
 */
export const fakeUpdateLead =
  (client: DynamoDBClient, tableName: string): UpdateLead =>
  async (contactId, update) => {
    const key = { pk: { S: `CALL#${contactId}` }, sk: { S: 'CALL' } };
    const output = await client.send(new GetItemCommand({ TableName: tableName, Key: key }));
    if (!output.Item) return undefined;
    const item: Record<string, unknown> = { ...unmarshall(output.Item) };
    for (const [field, value] of Object.entries(update)) {
      if (value === null) delete item[field];
      else item[field] = value;
    }
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
    return item as unknown as CallLogItem;
  };
