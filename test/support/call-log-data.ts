import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import {
  type CallLogItem,
  callLogItem,
  rollupGroupId,
} from '../../lambdas/domain/call-log-item.js';
import type { CallOutcome } from '../../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { aggregate, type RollupItem, rollupMember } from '../../lambdas/domain/rollup.js';

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
 * The daily rollups of some calls, computed by the rollup writer's own pure functions (each call's
 * member, aggregated per group), so seeded rollups are the ones the ingest would keep.
 */
export const rollupsOf = (items: readonly CallLogItem[]): RollupItem[] => {
  const groups = new Map<string, CallLogItem[]>();
  for (const item of items) {
    const group = rollupGroupId(item);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return [...groups].flatMap(([group, calls]) => aggregate(group, calls.map(rollupMember)) ?? []);
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
