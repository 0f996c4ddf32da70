import {
  type AttributeValue,
  BatchGetItemCommand,
  type BatchGetItemCommandOutput,
  type DynamoDBClient,
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
