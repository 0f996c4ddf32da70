import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';

/** Keys a BatchGetItem may ask for at once. */
const BATCH_GET_KEYS = 100;

/**
 * The items of `keys` (those that exist, in no particular order), read consistently in one
 * BatchGetItem per 100 keys; what DynamoDB leaves unprocessed (throttling, the 16 MB answer
 * limit) is asked for again.
 */
export const batchGetItems = async (
  client: DynamoDBClient,
  tableName: string,
  keys: readonly Record<string, AttributeValue>[],
): Promise<Record<string, AttributeValue>[]> => {
  const items: Record<string, AttributeValue>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) {
    let pending: Record<string, AttributeValue>[] | undefined = keys.slice(i, i + BATCH_GET_KEYS);
    while (pending && pending.length > 0) {
      const output: BatchGetItemCommandOutput = await client.send(
        new BatchGetItemCommand({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
        }),
      );
      items.push(...(output.Responses?.[tableName] ?? []));
      pending = output.UnprocessedKeys?.[tableName]?.Keys;
    }
  }
  return items;
};

/** Writes a BatchWriteItem may carry at once. */
const BATCH_WRITE_REQUESTS = 25;

/**
 * Puts and deletes in one BatchWriteItem per 25 (unconditional, so only for items recomputed from
 * others); what DynamoDB leaves unprocessed is sent again.
 */
export const batchWriteItems = async (
  client: DynamoDBClient,
  tableName: string,
  requests: readonly WriteRequest[],
): Promise<void> => {
  for (let i = 0; i < requests.length; i += BATCH_WRITE_REQUESTS) {
    let pending: WriteRequest[] | undefined = requests.slice(i, i + BATCH_WRITE_REQUESTS);
    while (pending && pending.length > 0) {
      const output: BatchWriteItemCommandOutput = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }),
      );
      pending = output.UnprocessedItems?.[tableName];
    }
  }
};
