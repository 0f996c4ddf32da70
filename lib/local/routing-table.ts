import {
  type AttributeValue,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  paginateScan,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { routingKey, toRoutingItem } from '../../lambdas/adapters/routing-items.js';
import {
  type Portfolio,
  publishedNumbersOf,
  routingEntriesOf,
  routingEntryLoops,
} from '../../lambdas/domain/portfolio.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { parseRoutingEntry } from '../../lambdas/domain/routing-entry.js';
import { type LocalStandIn, localDeployedNames } from './names.js';

/**
 * The portfolio's routing entries as a deploy would write them (owner `portfolio`), with the local
 * names filled in, and checked as the deploy checks them: each entry by the routing-entry validator
 * route-call reads with, and all of them for ring-to loops. Throws with every problem.
 */
export const localRoutingEntries = (
  portfolio: Portfolio,
  standIns: readonly LocalStandIn[],
): RoutingEntry[] => {
  const entries = routingEntriesOf(portfolio, localDeployedNames(portfolio, standIns));
  const problems = entries.flatMap((entry) => {
    const parsed = parseRoutingEntry(entry);
    return parsed.ok ? [] : parsed.problems.map((p) => `${entry.trackingId}: ${p}`);
  });
  problems.push(...routingEntryLoops(entries, publishedNumbersOf(portfolio)));
  if (problems.length > 0) {
    throw new Error(`the local routing entries are not valid:\n  - ${problems.join('\n  - ')}`);
  }
  return entries;
};

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 5;

/**
 * Writes the entries (put: a repeat leaves the same items), then deletes the items the portfolio
 * owned before but no longer declares (a persisted table from an earlier run); items owned by the
 * API stay. Returns how many items were written and removed.
 */
export const writeRoutingEntries = async (
  client: DynamoDBClient,
  tableName: string,
  entries: readonly RoutingEntry[],
  updatedAt: string = new Date().toISOString(),
): Promise<{ written: number; removed: number }> => {
  for (let i = 0; i < entries.length; i += BATCH_SIZE) {
    let pending: WriteRequest[] = entries
      .slice(i, i + BATCH_SIZE)
      .map((entry) => ({ PutRequest: { Item: toRoutingItem(entry, updatedAt) } }));
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      if (attempt > MAX_BATCH_ATTEMPTS) {
        throw new Error(`${pending.length} routing item(s) stayed unprocessed by ${tableName}`);
      }
      const result = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = result.UnprocessedItems?.[tableName] ?? [];
    }
  }

  const declared = new Set(entries.map((e) => e.trackingNumber));
  const stale: string[] = [];
  const pages = paginateScan(
    { client },
    {
      TableName: tableName,
      ProjectionExpression: 'trackingNumber, #owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? ([] as Record<string, AttributeValue>[])) {
      const number = item.trackingNumber?.S;
      if (number && item.owner?.S === 'portfolio' && !declared.has(number)) stale.push(number);
    }
  }
  let removed = 0;
  for (const number of stale) {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: routingKey(number),
          ConditionExpression: '#owner = :portfolio',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':portfolio': { S: 'portfolio' } },
        }),
      );
      removed += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return { written: entries.length, removed };
};
