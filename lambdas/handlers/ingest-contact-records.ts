import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
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

// Module scope: one client of each per container, reused across invocations.
const client = new DynamoDBClient({});
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
