import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { CALL_LOG_EXPIRY_ATTRIBUTE } from '../../contracts/tables.js';
import type { StoredWebhook, WebhookEventType } from '../../domain/webhook-event.js';

/**
 * Webhook subscriptions and their delivery attempts, in the call log table (CALL_LOG_TABLE):
 * subscriptions under `pk = WEBHOOK, sk = <id>` (one partition: an account has a handful), each
 * one's attempts under `pk = WEBHOOK#<id>, sk = ATTEMPT#<time>#<event id>#<attempt>`, expiring
 * after 30 days. None carries an index key, so the call queries never see them.
 *
 * The secret is kept in the item, so the delivery function can sign: the table is encrypted at rest
 * and only the API and the delivery function may read it (README, Webhooks).
 */

const SUBSCRIPTIONS_PK = 'WEBHOOK';
const attemptsPk = (id: string): string => `WEBHOOK#${id}`;

/** How long a delivery attempt is kept. */
export const ATTEMPT_RETENTION_SECONDS = 30 * 86_400;

/** One try to deliver an event to a subscription. */
export interface DeliveryAttempt {
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  /** ISO time the attempt started. */
  readonly at: string;
  /** 1 for the first try. */
  readonly attempt: number;
  readonly ok: boolean;
  /** The receiver's HTTP status; null when it did not answer. */
  readonly status: number | null;
  /** Why it failed; null when it succeeded. */
  readonly error: string | null;
}

export interface WebhookStore {
  put(webhook: StoredWebhook): Promise<void>;
  get(id: string): Promise<StoredWebhook | undefined>;
  list(): Promise<StoredWebhook[]>;
  /** False when there was none. */
  remove(id: string): Promise<boolean>;
  recordAttempt(subscriptionId: string, attempt: DeliveryAttempt): Promise<void>;
  /** The newest first. */
  recentAttempts(subscriptionId: string, limit: number): Promise<DeliveryAttempt[]>;
}

const webhookOf = (item: Record<string, unknown>): StoredWebhook => ({
  id: String(item.sk),
  url: String(item.url),
  events: item.events as WebhookEventType[],
  secret: String(item.secret),
  createdAt: String(item.createdAt),
});

const attemptOf = (item: Record<string, unknown>): DeliveryAttempt => ({
  eventId: String(item.eventId),
  eventType: item.eventType as WebhookEventType,
  at: String(item.at),
  attempt: Number(item.attempt),
  ok: item.ok === true,
  status: typeof item.status === 'number' ? item.status : null,
  error: typeof item.error === 'string' ? item.error : null,
});

export const createWebhookStore = (
  client: DynamoDBClient,
  tableName: string,
  now: () => number = Date.now,
): WebhookStore => ({
  async put({ id, ...webhook }) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({ pk: SUBSCRIPTIONS_PK, sk: id, ...webhook }),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async get(id) {
    const output = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: marshall({ pk: SUBSCRIPTIONS_PK, sk: id }),
        ConsistentRead: true,
      }),
    );
    return output.Item ? webhookOf(unmarshall(output.Item)) : undefined;
  },

  async list() {
    const webhooks: StoredWebhook[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: SUBSCRIPTIONS_PK } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of output.Items ?? []) webhooks.push(webhookOf(unmarshall(item)));
      start = output.LastEvaluatedKey;
    } while (start);
    return webhooks;
  },

  async remove(id) {
    try {
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: marshall({ pk: SUBSCRIPTIONS_PK, sk: id }),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async recordAttempt(subscriptionId, attempt) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall({
          pk: attemptsPk(subscriptionId),
          sk: `ATTEMPT#${attempt.at}#${attempt.eventId}#${attempt.attempt}`,
          ...attempt,
          [CALL_LOG_EXPIRY_ATTRIBUTE]: Math.floor(now() / 1000) + ATTEMPT_RETENTION_SECONDS,
        }),
      }),
    );
  },

  async recentAttempts(subscriptionId, limit) {
    const output = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :attempt)',
        ExpressionAttributeValues: {
          ':pk': { S: attemptsPk(subscriptionId) },
          ':attempt': { S: 'ATTEMPT#' },
        },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (output.Items ?? []).map((item) => attemptOf(unmarshall(item)));
  },
});
