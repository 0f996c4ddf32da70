import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE } from '../../contracts/tables.js';
import type {
  AssociationProgress,
  AssociationProgressStore,
} from '../../domain/association-progress.js';

/**
 * The association's progress in its own small table (one item per association resource, `pk` =
 * its physical id), so it survives between isComplete invocations. An item is removed when its
 * request completes; one left by a request that failed expires after a week (the table's TTL
 * attribute) should no rollback or retry ever read it.
 */

const KEEP_UNFINISHED_SECONDS = 7 * 24 * 3600;

/** The stored item could not be read: a bug or a hand edit, never a state to guess around. */
export class UnreadableProgressError extends Error {
  constructor(resourceId: string, table: string) {
    super(
      `the association progress of ${resourceId} in table ${table} is unreadable: delete that item and retry the deploy (every number is then associated again)`,
    );
    this.name = 'UnreadableProgressError';
  }
}

export const dynamoDbProgressStore = (
  client: DynamoDBClient,
  tableName: string,
  now: () => number = Date.now,
): AssociationProgressStore => ({
  async read(resourceId) {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: resourceId } },
        ConsistentRead: true,
      }),
    );
    const json = Item?.progress?.S;
    if (json === undefined) return undefined;
    try {
      return JSON.parse(json) as AssociationProgress;
    } catch {
      throw new UnreadableProgressError(resourceId, tableName);
    }
  },
  async write(resourceId, progress) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          pk: { S: resourceId },
          progress: { S: JSON.stringify(progress) },
          [ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE]: {
            N: String(Math.floor(now() / 1000) + KEEP_UNFINISHED_SECONDS),
          },
        },
      }),
    );
  },
  async remove(resourceId) {
    await client.send(
      new DeleteItemCommand({ TableName: tableName, Key: { pk: { S: resourceId } } }),
    );
  },
});
