import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE } from '../../contracts/tables.js';
import {
  type AssociationProgress,
  type AssociationProgressStore,
  ProgressTakenOverError,
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

/**
 * The condition that the stored item belongs to `owner`, or that there is none. An item written
 * before the request id had its own attribute has a `pk` but no `requestId`: it may be replaced
 * too (only a start replaces another request's item; a missing item must stay missing).
 */
const ownedBy = (owner: string | undefined) =>
  owner === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression:
          'requestId = :owner OR (attribute_exists(pk) AND attribute_not_exists(requestId))',
        ExpressionAttributeValues: { ':owner': { S: owner } },
      };

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
  async write(resourceId, progress, owner) {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: resourceId },
            // Its own attribute, so the condition can compare it.
            requestId: { S: progress.requestId },
            progress: { S: JSON.stringify(progress) },
            [ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE]: {
              N: String(Math.floor(now() / 1000) + KEEP_UNFINISHED_SECONDS),
            },
          },
          ...ownedBy(owner),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ProgressTakenOverError(resourceId, progress.requestId);
      }
      throw error;
    }
  },
  async remove(resourceId, owner) {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: { pk: { S: resourceId } },
          // A stale request must not delete the progress a newer one depends on.
          ConditionExpression: 'requestId = :owner',
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ProgressTakenOverError(resourceId, owner);
      }
      throw error;
    }
  },
});
