import middy from '@middy/core';
import { createBoundedDynamoClient } from '../adapters/dynamodb/bounded-client.js';
import { getRoutingEntry } from '../adapters/dynamodb/routing-items.js';
import type {
  ContactRecordBatch,
  ContactRecordBatchResponse,
} from '../adapters/kinesis/contact-record-stream.js';
import { createFailureQueueClient, createQueueSink } from '../adapters/sqs/failure-queue.js';
import { ingestEnvironment } from '../contracts/environment.js';
import { createIngest, type Ingest } from '../use-cases/ingest-contact-records.js';

/**
 * ingest-contact-records: the Kinesis stream of contact trace records → the call log. The ingest
 * itself (ordering, retries, the malformed sink) is use-cases/ingest-contact-records.ts; the
 * decoding of the stream's records is adapters/kinesis/contact-record-stream.ts. This module only
 * wires them to the deployed table, routing table and failure queue.
 */

/**
 * Per-attempt limits of the ingest's DynamoDB client: a hung request ends after 5 s and is retried
 * (4 attempts), so one stuck write cannot hold a batch for the function's whole 60 s; a write
 * that still fails makes the record a batch item failure, retried by the event source.
 */
export const INGEST_DYNAMO_LIMITS = {
  maxAttempts: 4,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 5_000,
} as const;

// Module scope: one client of each per container, reused across invocations.
const client = createBoundedDynamoClient(INGEST_DYNAMO_LIMITS);
const sqs = createFailureQueueClient();
let production: Ingest | undefined;

/**
 * The Lambda handler. The settings are read once, on the container's first (cold-start)
 * invocation, so a bad deploy fails there with a message; reading them on load would make this
 * module unusable to tests, which build their own ingest with {@link createIngest}.
 */
export const handler = middy<ContactRecordBatch, ContactRecordBatchResponse>().handler((event) => {
  if (!production) {
    const { tableName, failureQueueUrl, routingTableName } = ingestEnvironment.read(process.env);
    production = createIngest({
      client,
      tableName,
      ...(routingTableName
        ? { lookupEntry: (number: string) => getRoutingEntry(client, routingTableName, number) }
        : {}),
      ...(failureQueueUrl
        ? { reportMalformed: createQueueSink({ client: sqs, queueUrl: failureQueueUrl }) }
        : {}),
    });
  }
  return production(event);
});
