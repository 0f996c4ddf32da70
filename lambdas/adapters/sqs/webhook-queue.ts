import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { CALL_EVENT_SOURCE } from '../../contracts/webhooks.js';
import { isRecord } from '../../domain/is-record.js';
import {
  type CallEventNotice,
  type DeliveryTask,
  isWebhookEventType,
} from '../../domain/webhook-event.js';

/**
 * The webhook queue's wire format. Two kinds of message share it: the bus rule's (an EventBridge
 * event whose detail is a notice) and the fan-out's (one delivery task: a subscription and the
 * event built once). Its own receive count is a task's attempt number; a retry waits by the
 * message's visibility timeout, not by a loop of ours.
 */

export type WebhookMessage =
  | { readonly kind: 'notice'; readonly notice: CallEventNotice }
  | { readonly kind: 'task'; readonly task: DeliveryTask }
  | { readonly kind: 'unreadable'; readonly reason: string };

export interface QueueMessage {
  readonly messageId: string;
  readonly receiptHandle: string;
  /** 1 on the first receive. */
  readonly receiveCount: number;
  readonly message: WebhookMessage;
}

export const parseWebhookMessage = (body: string): WebhookMessage => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'the body is not JSON' };
  }
  if (!isRecord(parsed)) return { kind: 'unreadable', reason: 'the body is not an object' };
  const { source, detail, subscriptionId, event } = parsed;
  if (source === CALL_EVENT_SOURCE && isRecord(detail) && isWebhookEventType(detail.type)) {
    return { kind: 'notice', notice: detail as unknown as CallEventNotice };
  }
  if (typeof subscriptionId === 'string' && isRecord(event) && isWebhookEventType(event.type)) {
    return { kind: 'task', task: parsed as unknown as DeliveryTask };
  }
  return { kind: 'unreadable', reason: 'neither a call event nor a delivery task' };
};

export const queueMessages = (event: SQSEvent): QueueMessage[] =>
  event.Records.map((record) => ({
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
    message: parseWebhookMessage(record.body),
  }));

/** SendMessageBatch takes at most 10 messages. */
const MESSAGES_PER_BATCH = 10;

export interface WebhookQueue {
  /** Enqueues tasks for their first attempt; rejects when any is not accepted. */
  send(tasks: readonly DeliveryTask[]): Promise<void>;
  /** The message comes back after `seconds` (at most 12 h). */
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

export const createWebhookQueue = (client: SQSClient, queueUrl: string): WebhookQueue => ({
  async send(tasks) {
    for (let i = 0; i < tasks.length; i += MESSAGES_PER_BATCH) {
      const batch = tasks.slice(i, i + MESSAGES_PER_BATCH);
      const output = await client.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((task, n) => ({ Id: String(n), MessageBody: JSON.stringify(task) })),
        }),
      );
      if ((output.Failed ?? []).length > 0) {
        throw new Error(
          `SQS refused ${output.Failed?.length} delivery tasks: ${output.Failed?.map((f) => f.Code).join(', ')}`,
        );
      }
    }
  },
  async delay(receiptHandle, seconds) {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.min(43_200, Math.max(0, Math.round(seconds))),
      }),
    );
  },
});
