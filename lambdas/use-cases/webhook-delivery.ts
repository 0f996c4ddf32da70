import type { DeliveryAttempt, WebhookStore } from '../adapters/dynamodb/webhook-store.js';
import { describeError } from '../adapters/error-reason.js';
import type { PostWebhook } from '../adapters/http/webhook-post.js';
import { jsonLog, type Log } from '../adapters/json-log.js';
import type { QueueMessage, WebhookQueue } from '../adapters/sqs/webhook-queue.js';
import { NotFoundError } from '../domain/request-errors.js';
import {
  type CallEvent,
  type CallEventNotice,
  callEvent,
  type DeliveryTask,
  EVENT_HEADER,
  retryDelaySeconds,
  SIGNATURE_HEADER,
  wantsEvent,
  webhookSignature,
} from '../domain/webhook-event.js';
import type { CallDetails } from './call-details.js';

/**
 * The webhook fan-out and delivery, the same deployed (an SQS queue feeding a function) and in the
 * local system (an in-process queue): a notice becomes one task per subscription that chose its
 * type, carrying the event built once (so every retry sends the same id and body); a task is one
 * signed POST, its attempt recorded, and its result says whether and when to try again.
 */

export type DeliveryResult =
  | { readonly outcome: 'delivered' }
  /** The subscription was deleted: nothing to deliver. */
  | { readonly outcome: 'unsubscribed' }
  | { readonly outcome: 'retry'; readonly afterSeconds: number; readonly reason: string }
  /** Every attempt failed: the task belongs in the dead-letter store. */
  | { readonly outcome: 'dead'; readonly reason: string };

export interface WebhookDeliveryDependencies {
  readonly store: WebhookStore;
  /** Reads the call as GET /calls/{contactId} answers it. */
  readonly calls: Pick<CallDetails, 'get'>;
  readonly post: PostWebhook;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default jsonLog */
  readonly log?: Log;
}

export interface WebhookDelivery {
  /** The tasks a notice makes; none when its call is gone or nobody subscribed to its type. */
  fanOut(notice: CallEventNotice): Promise<DeliveryTask[]>;
  /** Attempt `attempt` (1-based) of a task. */
  deliver(task: DeliveryTask, attempt: number): Promise<DeliveryResult>;
}

export const createWebhookDelivery = ({
  store,
  calls,
  post,
  now = Date.now,
  log = jsonLog,
}: WebhookDeliveryDependencies): WebhookDelivery => ({
  async fanOut(notice) {
    const subscribers = (await store.list()).filter((w) => wantsEvent(w, notice.type));
    if (subscribers.length === 0) return [];
    let event: CallEvent;
    try {
      event = callEvent(notice, await calls.get(notice.contactId));
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      log('warn', { message: 'call event of a call not stored', event: notice.id });
      return [];
    }
    return subscribers.map((w) => ({ subscriptionId: w.id, event }));
  },

  async deliver({ subscriptionId, event }, attempt) {
    const webhook = await store.get(subscriptionId);
    if (!webhook) return { outcome: 'unsubscribed' };
    const body = JSON.stringify(event);
    const at = now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      ({ status } = await post(webhook.url, body, {
        'Content-Type': 'application/json',
        [EVENT_HEADER]: event.type,
        [SIGNATURE_HEADER]: webhookSignature(webhook.secret, body, at / 1000),
      }));
      if (status < 200 || status > 299) error = `the receiver answered ${status}`;
    } catch (failure) {
      error = `no answer: ${describeError(failure)}`;
    }
    const record: DeliveryAttempt = {
      eventId: event.id,
      eventType: event.type,
      at: new Date(at).toISOString(),
      attempt,
      ok: error === null,
      status,
      error,
    };
    await store.recordAttempt(subscriptionId, record);
    log(error === null ? 'info' : 'warn', {
      message: error === null ? 'webhook delivered' : 'webhook delivery failed',
      subscriptionId,
      event: event.id,
      type: event.type,
      attempt,
      status,
      ...(error === null ? {} : { reason: error }),
    });
    if (error === null) return { outcome: 'delivered' };
    const afterSeconds = retryDelaySeconds(attempt);
    return afterSeconds === undefined
      ? { outcome: 'dead', reason: error }
      : { outcome: 'retry', afterSeconds, reason: error };
  },
});

/**
 * The deployed queue's consumer: a notice (from the bus rule) is fanned out into task messages;
 * a task is attempted with its receive count as the attempt number. A failed attempt delays its
 * message by the schedule (ChangeMessageVisibility) and reports it failed, so SQS brings it back
 * then; after the last, the queue's redrive policy (maxReceiveCount = WEBHOOK_MAX_ATTEMPTS) moves
 * it to the dead-letter queue. Answers the ids of the messages that failed.
 */
export const createWebhookQueueConsumer =
  (delivery: WebhookDelivery, queue: WebhookQueue, log: Log = jsonLog) =>
  async (messages: readonly QueueMessage[]): Promise<string[]> => {
    const failed: string[] = [];
    for (const { messageId, receiptHandle, receiveCount, message } of messages) {
      try {
        if (message.kind === 'unreadable') {
          // Kept, not dropped: after its receives it waits in the dead-letter queue for a look.
          log('error', {
            message: 'unreadable webhook message',
            messageId,
            reason: message.reason,
          });
          failed.push(messageId);
        } else if (message.kind === 'notice') {
          await queue.send(await delivery.fanOut(message.notice));
        } else {
          const result = await delivery.deliver(message.task, receiveCount);
          if (result.outcome === 'retry') {
            await queue.delay(receiptHandle, result.afterSeconds);
            failed.push(messageId);
          } else if (result.outcome === 'dead') {
            failed.push(messageId);
          }
        }
      } catch (error) {
        log('error', {
          message: 'webhook message failed',
          messageId,
          reason: describeError(error),
        });
        failed.push(messageId);
      }
    }
    return failed;
  };
