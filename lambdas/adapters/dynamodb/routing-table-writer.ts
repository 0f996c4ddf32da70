import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  paginateScan,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { RoutingEntry } from '../../domain/route.js';
import { routingKey, toRoutingItem } from './routing-items.js';

/**
 * Writing the routing table: the batched put of routing entries and the owner-guarded delete of
 * the entries the portfolio owns. Used by the sync-routing-table custom resource at deploy and by
 * the local routing system (local/routing-table.ts), so both write the table the same way.
 */

/** DynamoDB kept refusing part of a batch (throttling) after every retry. */
export class UnprocessedWritesError extends Error {
  constructor(
    readonly tableName: string,
    readonly unprocessed: number,
    readonly attempts: number,
  ) {
    super(
      `${unprocessed} routing item(s) were still unprocessed by table ${tableName} after ${attempts} attempts (throttled): retry the deploy; the write is idempotent`,
    );
    this.name = 'UnprocessedWritesError';
  }
}

/** BatchWriteItem's limit per request. */
const BATCH_SIZE = 25;

export interface WriteOptions {
  readonly updatedAt: string;
  /** The pause between retries of unprocessed items. */
  readonly sleep: (ms: number) => Promise<void>;
  /** BatchWriteItem calls per chunk, the first included. @default 8 */
  readonly maxAttempts?: number;
}

const DEFAULT_WRITE_ATTEMPTS = 8;

/** Exponential backoff with jitter, as AWS advises for UnprocessedItems: 100 ms doubling, ≤ 5 s. */
const backoffMs = (retry: number): number => {
  const ceiling = Math.min(5_000, 100 * 2 ** retry);
  return ceiling / 2 + Math.random() * (ceiling / 2);
};

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * Puts every entry's item. A put replaces the whole item, so writing the same entries twice leaves
 * the same items; retries only the requests DynamoDB hands back as unprocessed, with backoff, a
 * bounded number of times (then throws {@link UnprocessedWritesError}).
 */
export const putRoutingEntries = async (
  client: DynamoDBClient,
  tableName: string,
  entries: readonly RoutingEntry[],
  { updatedAt, sleep, maxAttempts = DEFAULT_WRITE_ATTEMPTS }: WriteOptions,
): Promise<void> => {
  for (const chunk of chunks(entries, BATCH_SIZE)) {
    let pending: WriteRequest[] = chunk.map((entry) => ({
      PutRequest: { Item: toRoutingItem(entry, updatedAt) },
    }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > maxAttempts) {
        throw new UnprocessedWritesError(tableName, pending.length, maxAttempts);
      }
      if (attempt > 1) await sleep(backoffMs(attempt - 2));
      const result = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  }
};

/**
 * Deletes the items of these tracking numbers, but only where the stored owner is still the
 * portfolio: a number handed over to the API keeps its item. Returns how many were deleted, and
 * how many were left alone (absent, or owned by the API).
 */
export const deletePortfolioEntries = async (
  client: DynamoDBClient,
  tableName: string,
  trackingNumbers: readonly string[],
): Promise<{ deleted: number; skipped: number }> => {
  let deleted = 0;
  // Sequential: a portfolio change removes a handful of numbers, and a stack delete a few hundred
  // at most; one at a time never meets throttling and keeps the count exact.
  for (const trackingNumber of trackingNumbers) {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: routingKey(trackingNumber),
          ConditionExpression: '#owner = :portfolio',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':portfolio': { S: 'portfolio' } },
        }),
      );
      deleted += 1;
    } catch (error) {
      // Absent, or owned by the API: either way not ours to delete.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return { deleted, skipped: trackingNumbers.length - deleted };
};

/**
 * Deletes the items the portfolio owns in the table whose tracking numbers `keep` does not list
 * (through {@link deletePortfolioEntries}, so an item handed over to the API meanwhile survives).
 * The table is the record of what earlier deploys wrote: a scan of a few thousand small items
 * costs a few reads, and needs no earlier document.
 */
export const deleteUnlistedPortfolioEntries = async (
  client: DynamoDBClient,
  tableName: string,
  keep: ReadonlySet<string>,
): Promise<{ deleted: number; skipped: number }> => {
  const unlisted: string[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      // A rollback right after a failed deploy must see the entries that deploy just wrote.
      ConsistentRead: true,
      FilterExpression: '#owner = :portfolio AND #kind = :trackingNumber',
      ProjectionExpression: 'trackingNumber',
      ExpressionAttributeNames: { '#owner': 'owner', '#kind': 'kind' },
      ExpressionAttributeValues: {
        ':portfolio': { S: 'portfolio' },
        ':trackingNumber': { S: 'tracking-number' },
      },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const number = item.trackingNumber?.S;
      if (number !== undefined && !keep.has(number)) unlisted.push(number);
    }
  }
  return deletePortfolioEntries(client, tableName, unlisted);
};
