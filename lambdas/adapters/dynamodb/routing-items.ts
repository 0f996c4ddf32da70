import { type AttributeValue, type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { RoutingEntry } from '../../domain/route.js';

/** The routing table's key of a tracking number. */
export const routingKey = (trackingNumber: string): Record<string, AttributeValue> => ({
  pk: { S: `TN#${trackingNumber}` },
});

/** A routing entry as stored: the entry itself plus its keys. */
export const toRoutingItem = (
  entry: RoutingEntry,
  updatedAt: string,
): Record<string, AttributeValue> =>
  marshall(
    { pk: `TN#${entry.trackingNumber}`, kind: 'tracking-number', ...entry, updatedAt },
    { removeUndefinedValues: true },
  );

/** The entry of a stored routing item (keys and bookkeeping dropped). */
export const fromRoutingItem = (item: Record<string, AttributeValue>): RoutingEntry => {
  const { pk: _pk, kind: _kind, updatedAt: _updatedAt, ...entry } = unmarshall(item);
  return entry as RoutingEntry;
};

/** The stored entry of a tracking number (a consistent read), or undefined when none. */
export const getRoutingEntry = async (
  client: DynamoDBClient,
  tableName: string,
  trackingNumber: string,
): Promise<RoutingEntry | undefined> => {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: routingKey(trackingNumber),
      ConsistentRead: true,
    }),
  );
  return Item ? fromRoutingItem(Item) : undefined;
};
