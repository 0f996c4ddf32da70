import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { TranscribeClient } from '@aws-sdk/client-transcribe';
import middy from '@middy/core';
import { createBoundedDynamoClient } from '../adapters/dynamodb/bounded-client.js';
import { getRoutingEntry } from '../adapters/dynamodb/routing-items.js';
import { createEventBridgePublisher } from '../adapters/eventbridge/call-events.js';
import { jsonLog } from '../adapters/json-log.js';
import type {
  ContactRecordBatch,
  ContactRecordBatchResponse,
} from '../adapters/kinesis/contact-record-stream.js';
import { createKinesisVideoAudio } from '../adapters/kinesis-video/customer-audio.js';
import { createPutObject } from '../adapters/s3/put-object.js';
import { readSecretKey } from '../adapters/secrets-manager/secret-key.js';
import { createSesMailer } from '../adapters/ses/mailer.js';
import { createFailureQueueClient, createQueueSink } from '../adapters/sqs/failure-queue.js';
import { createTranscription } from '../adapters/transcribe/transcription.js';
import { ingestEnvironment, type VoicemailSettings } from '../contracts/environment.js';
import { MIN_CALLER_HASH_KEY_BYTES } from '../domain/caller-hash.js';
import { createIngest, type Ingest } from '../use-cases/ingest-contact-records.js';
import { createPackageVoicemail, type PackageVoicemail } from '../use-cases/package-voicemail.js';

/**
 * ingest-contact-records: the Kinesis stream of contact trace records → the call log. The ingest
 * itself (ordering, retries, the malformed sink) is use-cases/ingest-contact-records.ts; the
 * decoding of the stream's records is adapters/kinesis/contact-record-stream.ts; the messages
 * callers leave are packaged by use-cases/package-voicemail.ts. This module only wires them to
 * the deployed table, routing table, failure queue, recordings bucket, Transcribe and SES.
 */

/**
 * Per-attempt limits of the ingest's DynamoDB client: a hung request ends after 5 s and is retried
 * (4 attempts), so one stuck write cannot hold a batch for the function's whole timeout; a write
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

const voicemailPackager = (settings: VoicemailSettings): PackageVoicemail => {
  const { recordingsBucket, recordingsKeyArn, fromEmail, emails, linkBase } = settings;
  const ses = fromEmail ? createSesMailer(new SESv2Client({}), fromEmail) : undefined;
  return createPackageVoicemail({
    readAudio: createKinesisVideoAudio(),
    putObject: createPutObject(new S3Client({}), recordingsBucket),
    startTranscription: createTranscription({
      client: new TranscribeClient({}),
      bucket: recordingsBucket,
      kmsKeyArn: recordingsKeyArn,
    }),
    notify: async (email) => ses?.(email),
    // No sender, no email: the map is only read when SES can send.
    emailFor: (locationId) =>
      ses && Object.hasOwn(emails, locationId) ? emails[locationId] : undefined,
    ...(linkBase ? { linkBase } : {}),
    log: jsonLog,
  });
};

/**
 * The Lambda handler. The settings are read once, on the container's first (cold-start)
 * invocation, so a bad deploy fails there with a message; reading them on load would make this
 * module unusable to tests, which build their own ingest with {@link createIngest}.
 */
export const handler = middy<ContactRecordBatch, ContactRecordBatchResponse>().handler(
  async (event) => {
    if (!production) {
      const {
        tableName,
        failureQueueUrl,
        routingTableName,
        voicemail,
        prices,
        eventBusName,
        retentionDays,
        callerHashSecretArn,
      } = ingestEnvironment.read(process.env);
      production = createIngest({
        client,
        tableName,
        callerHashKey: await readSecretKey(new SecretsManagerClient({}), callerHashSecretArn, {
          minBytes: MIN_CALLER_HASH_KEY_BYTES,
          purpose: "the callers' hash",
        }),
        ...(retentionDays ? { retentionDays } : {}),
        ...(prices ? { prices } : {}),
        ...(routingTableName
          ? { lookupEntry: (number: string) => getRoutingEntry(client, routingTableName, number) }
          : {}),
        ...(failureQueueUrl
          ? { reportMalformed: createQueueSink({ client: sqs, queueUrl: failureQueueUrl }) }
          : {}),
        ...(voicemail ? { packageVoicemail: voicemailPackager(voicemail) } : {}),
        ...(eventBusName ? { publishEvents: createEventBridgePublisher(eventBusName) } : {}),
      });
    }
    return production(event);
  },
);
