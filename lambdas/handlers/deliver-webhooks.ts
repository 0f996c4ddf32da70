import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createBoundedDynamoClient } from '../adapters/dynamodb/bounded-client.js';
import { createWebhookStore } from '../adapters/dynamodb/webhook-store.js';
import { createWebhookPost } from '../adapters/http/webhook-post.js';
import { createWebhookQueue, queueMessages } from '../adapters/sqs/webhook-queue.js';
import { webhookDeliveryEnvironment } from '../contracts/environment.js';
import {
  createWebhookDelivery,
  createWebhookQueueConsumer,
} from '../use-cases/webhook-delivery.js';
import { callDetailsOn } from './api-routes.js';

/**
 * deliver-webhooks: the webhook queue (fed by the call-event bus's rule) → signed POSTs to the
 * subscribed URLs. The fan-out, the signature and the retry schedule are
 * use-cases/webhook-delivery.ts; the queue's wire format is adapters/sqs/webhook-queue.ts. Failed
 * messages are reported as batch item failures, their return delayed by the schedule.
 */

/** Per-attempt limits: a hung DynamoDB request ends, so a batch is not held for the timeout. */
export const DELIVERY_DYNAMO_LIMITS = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
} as const;

const dynamo = createBoundedDynamoClient(DELIVERY_DYNAMO_LIMITS);
const s3 = new S3Client({});
const sqs = new SQSClient({});
let production: ((event: SQSEvent) => Promise<SQSBatchResponse>) | undefined;

const build = () => {
  const { tableName, recordingsBucket, queueUrl } = webhookDeliveryEnvironment.read(process.env);
  const consume = createWebhookQueueConsumer(
    createWebhookDelivery({
      store: createWebhookStore(dynamo, tableName),
      calls: callDetailsOn({ dynamo, callLogTableName: tableName, s3, recordingsBucket }),
      post: createWebhookPost(),
    }),
    createWebhookQueue(sqs, queueUrl),
  );
  return async (event: SQSEvent): Promise<SQSBatchResponse> => ({
    batchItemFailures: (await consume(queueMessages(event))).map((itemIdentifier) => ({
      itemIdentifier,
    })),
  });
};

/** The Lambda handler; settings read on the first invocation (tests build their own consumer). */
export const handler = middy<SQSEvent, SQSBatchResponse>().handler((event) => {
  production ??= build();
  return production(event);
});
