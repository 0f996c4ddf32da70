import { SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { MalformedSink } from '../../domain/malformed-record.js';

/**
 * The failure queue of the contact-record ingest as a sink for malformed records: one SQS message
 * per record, holding the record's data as received (base64) and why it was refused, so it is kept
 * for an operator (the queue's retention) instead of being retried until it ages out of the
 * stream. A send that fails throws, so the ingest reports the record as a batch item failure and
 * it is retried: nothing is lost.
 */

/** What a message's body holds (JSON). */
export interface FailureMessageBody {
  readonly reason: string;
  readonly sequenceNumber: string;
  /** The Kinesis record's data, base64, as received (cut short only when `dataTruncated`). */
  readonly data: string;
  /** When the sink got the record (ISO 8601). */
  readonly receivedAt: string;
  /** Present (true) only when the data had to be cut to fit the message size limit. */
  readonly dataTruncated?: true;
  /** The full data's length (base64 characters), present with `dataTruncated`. */
  readonly dataLength?: number;
}

/** `kind` message attribute: tells these messages from the event source's on-failure ones. */
export const MALFORMED_KIND = 'malformed-contact-record';
/** Message attributes have room for a short reason; the body has the whole one. */
export const ATTRIBUTE_REASON_MAX = 256;
/** SQS's smallest maximum message size (256 KiB), less room for the attributes. */
export const MAX_BODY_BYTES = 256 * 1024 - 2 * 1024;

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** The body, with the data cut (and flagged) if the whole would not fit in one message. */
export const failureMessageBody = (
  record: { readonly reason: string; readonly sequenceNumber: string; readonly data: string },
  receivedAt: string,
): string => {
  const { reason, sequenceNumber, data } = record;
  const whole: FailureMessageBody = { reason, sequenceNumber, data, receivedAt };
  const body = JSON.stringify(whole);
  if (Buffer.byteLength(body) <= MAX_BODY_BYTES) return body;
  const room = MAX_BODY_BYTES - Buffer.byteLength(JSON.stringify({ ...whole, data: '' })) - 64;
  const cut: FailureMessageBody = {
    reason,
    sequenceNumber,
    data: data.slice(0, Math.max(0, room)),
    receivedAt,
    dataTruncated: true,
    dataLength: data.length,
  };
  return JSON.stringify(cut);
};

export interface QueueSinkOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export const createQueueSink =
  ({ client, queueUrl, now = () => new Date() }: QueueSinkOptions): MalformedSink =>
  async (record) => {
    await client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: failureMessageBody(record, now().toISOString()),
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: MALFORMED_KIND },
          reason: {
            DataType: 'String',
            StringValue: truncate(record.reason, ATTRIBUTE_REASON_MAX) || '(none)',
          },
          sequenceNumber: { DataType: 'String', StringValue: record.sequenceNumber },
        },
      }),
    );
  };

/** Attempts per send (the first and two retries). */
export const FAILURE_QUEUE_MAX_ATTEMPTS = 3;

/**
 * The SQS client of the failure sink: three attempts at most, with connection and request timeouts
 * that really throw (without `throwOnRequestTimeout` a request timeout only logs), so a slow queue
 * fails the record (retried) instead of holding the whole batch to the function's timeout.
 */
export const createFailureQueueClient = (
  config: Pick<SQSClientConfig, 'region' | 'endpoint' | 'credentials'> = {},
): SQSClient =>
  new SQSClient({
    ...config,
    maxAttempts: FAILURE_QUEUE_MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: 1_000,
      requestTimeout: 2_000,
      throwOnRequestTimeout: true,
    }),
  });
