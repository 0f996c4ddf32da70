import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { callEventEntry } from '../../lambdas/adapters/eventbridge/call-events.js';
import {
  createWebhookQueue,
  parseWebhookMessage,
  queueMessages,
  type WebhookQueue,
} from '../../lambdas/adapters/sqs/webhook-queue.js';
import {
  callEventNotice,
  type DeliveryTask,
  WEBHOOK_MAX_ATTEMPTS,
} from '../../lambdas/domain/webhook-event.js';
import {
  createWebhookQueueConsumer,
  type DeliveryResult,
  type WebhookDelivery,
} from '../../lambdas/use-cases/webhook-delivery.js';

/**
 * The deployed consumer of the webhook queue: what the bus rule delivers (an EventBridge event
 * whose detail is a notice) is fanned out into task messages; a task's receive count is its
 * attempt; a failed attempt delays its message by the schedule and reports it failed.
 */

const notice = callEventNotice('call.completed', 'c-1', '2026-11-23T16:05:00.000Z', new Date());

/** The event EventBridge's SQS target writes for a PutEvents entry. */
const busEvent = () => {
  const entry = callEventEntry('bus', notice);
  return {
    version: '0',
    id: 'eb-1',
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '123456789012',
    time: notice.createdAt,
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(entry.Detail ?? ''),
  };
};

const task = { subscriptionId: 'wh_1', event: { ...notice, data: {} } } as unknown as DeliveryTask;

const sqsEvent = (...bodies: [string, number][]): SQSEvent =>
  ({
    Records: bodies.map(([body, count], i) => ({
      messageId: `m${i}`,
      receiptHandle: `r${i}`,
      body,
      attributes: { ApproximateReceiveCount: String(count) },
    })),
  }) as unknown as SQSEvent;

const fakeQueue = () => {
  const sent: DeliveryTask[] = [];
  const delays: [string, number][] = [];
  const queue: WebhookQueue = {
    send: async (tasks) => void sent.push(...tasks),
    delay: async (handle, seconds) => void delays.push([handle, seconds]),
  };
  return { queue, sent, delays };
};

const deliveryAnswering = (result: DeliveryResult, attempts: number[] = []): WebhookDelivery => ({
  fanOut: async () => [task, { ...task, subscriptionId: 'wh_2' }],
  deliver: async (_task, attempt) => {
    attempts.push(attempt);
    return result;
  },
});

describe('the webhook queue consumer', () => {
  it('reads the bus rule’s event as a notice and a task as a task; anything else is unreadable', () => {
    expect(parseWebhookMessage(JSON.stringify(busEvent()))).toEqual({ kind: 'notice', notice });
    expect(parseWebhookMessage(JSON.stringify(task))).toEqual({ kind: 'task', task });
    expect(parseWebhookMessage('{').kind).toBe('unreadable');
    expect(parseWebhookMessage('{"source":"elsewhere","detail":{}}').kind).toBe('unreadable');
  });

  it('fans a notice out into task messages', async () => {
    const { queue, sent } = fakeQueue();
    const consume = createWebhookQueueConsumer(deliveryAnswering({ outcome: 'delivered' }), queue);
    expect(await consume(queueMessages(sqsEvent([JSON.stringify(busEvent()), 1])))).toEqual([]);
    expect(sent.map((t) => t.subscriptionId)).toEqual(['wh_1', 'wh_2']);
  });

  it('attempts a task with its receive count, delays a failure by the schedule and reports it', async () => {
    const { queue, delays } = fakeQueue();
    const attempts: number[] = [];
    const retry = createWebhookQueueConsumer(
      deliveryAnswering(
        { outcome: 'retry', afterSeconds: 60, reason: 'the receiver answered 500' },
        attempts,
      ),
      queue,
      () => {},
    );
    expect(await retry(queueMessages(sqsEvent([JSON.stringify(task), 2])))).toEqual(['m0']);
    expect(attempts).toEqual([2]);
    expect(delays).toEqual([['r0', 60]]);
    const dead = createWebhookQueueConsumer(
      deliveryAnswering({ outcome: 'dead', reason: 'x' }),
      queue,
      () => {},
    );
    // Reported failed without a delay: its next receive exceeds maxReceiveCount (the DLQ).
    expect(
      await dead(queueMessages(sqsEvent([JSON.stringify(task), WEBHOOK_MAX_ATTEMPTS]))),
    ).toEqual(['m0']);
    expect(delays).toHaveLength(1);
    const done = createWebhookQueueConsumer(deliveryAnswering({ outcome: 'delivered' }), queue);
    expect(await done(queueMessages(sqsEvent([JSON.stringify(task), 1], ['nope', 1])))).toEqual([
      'm1',
    ]);
  });

  it('sends tasks ten at a time and caps a delay at 12 hours', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = createWebhookQueue(sqs as unknown as SQSClient, 'https://sqs/q');
    await queue.send(Array.from({ length: 12 }, () => task));
    expect(
      sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length),
    ).toEqual([10, 2]);
    await queue.delay('r', 100_000);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]?.args[0].input).toEqual({
      QueueUrl: 'https://sqs/q',
      ReceiptHandle: 'r',
      VisibilityTimeout: 43_200,
    });
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Failed: [{ Id: '0', Code: 'Throttled', SenderFault: false }] });
    await expect(queue.send([task])).rejects.toThrow(/refused 1 delivery tasks: Throttled/);
  });
});
