/**
 * Where a replay reads contact records from, each as batches of JSON-lines text named by where
 * they came from: the archive Firehose writes (gzip objects under `<prefix>YYYY/MM/DD/`), the
 * ingest's failure queue (malformed records carry their data; the event source's on-failure
 * messages only point into the stream, which is read back while it still holds the records), or
 * a file. The ingest they go through is the same, idempotent one: replaying twice changes nothing.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { archiveObjectText } from '../lambdas/adapters/s3/archive-object.js';
import type { FailureMessageBody } from '../lambdas/adapters/sqs/failure-queue.js';
import { isRecord } from '../lambdas/domain/is-record.js';

/** Records from one place: an archive object, a queue message, a file. */
export interface RecordBatch {
  /** Where the lines came from, e.g. `s3://archive/contact-records/2026/11/20/x.gz`. */
  readonly source: string;
  readonly lines: AsyncIterable<string> | Iterable<string>;
  /** Called once every record of the batch is stored (a queue message is deleted then). */
  readonly done?: () => Promise<void>;
  /** Why some of the source could not be read back at all (e.g. the stream no longer holds it). */
  readonly unreadable?: string;
}

/** The days from `from` to `to` (inclusive, UTC), as archive prefixes `YYYY/MM/DD/`. */
export const archiveDays = (from: string, to: string): string[] => {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(from) || !day.test(to)) {
    throw new Error(`days are YYYY-MM-DD: got ${from} and ${to}`);
  }
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end)) throw new Error(`no such day: ${from} or ${to}`);
  if (end < start) throw new Error(`--to ${to} is before --from ${from}`);
  const days: string[] = [];
  for (let t = start; t <= end; t += 86_400_000) {
    days.push(`${new Date(t).toISOString().slice(0, 10).replaceAll('-', '/')}/`);
  }
  if (days.length > 3_660) throw new Error('a replay covers at most ten years of days');
  return days;
};

const linesOf = (text: string): string[] => text.split(/\r?\n/);

/** Every archive object of the days, in key order (Firehose's names sort by time). */
export async function* archiveBatches(
  s3: S3Client,
  bucket: string,
  prefix: string,
  days: readonly string[],
): AsyncGenerator<RecordBatch> {
  for (const day of days) {
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: bucket, Prefix: `${prefix}${day}` },
    )) {
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    }
    for (const key of keys.sort()) {
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await object.Body?.transformToByteArray();
      yield {
        source: `s3://${bucket}/${key}`,
        lines: linesOf(archiveObjectText(body ?? new Uint8Array())),
      };
    }
  }
}

/** The pointer an event source's on-failure message holds (Lambda's Kinesis failure record). */
interface KinesisBatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly streamArn: string;
  readonly approximateArrivalOfFirstRecord?: string;
}

const batchInfoOf = (body: unknown): KinesisBatchInfo | undefined => {
  const info = isRecord(body) ? body.KinesisBatchInfo : undefined;
  if (!isRecord(info)) return undefined;
  const { shardId, startSequenceNumber, endSequenceNumber, streamArn } = info;
  return typeof shardId === 'string' &&
    typeof startSequenceNumber === 'string' &&
    typeof endSequenceNumber === 'string' &&
    typeof streamArn === 'string'
    ? (info as unknown as KinesisBatchInfo)
    : undefined;
};

const isMalformedBody = (body: unknown): body is FailureMessageBody =>
  isRecord(body) && typeof body.data === 'string' && typeof body.reason === 'string';

/** Sequence numbers are decimal strings of up to 128 bits: compare them as BigInts. */
const afterEnd = (sequenceNumber: string, end: string): boolean =>
  BigInt(sequenceNumber) > BigInt(end);

/** The records a pointer names, read back from the stream (while it still holds them). */
export const readPointedRecords = async (
  kinesis: KinesisClient,
  info: KinesisBatchInfo,
  maxReads = 1_000,
): Promise<string[]> => {
  const iterator = await kinesis.send(
    new GetShardIteratorCommand({
      StreamARN: info.streamArn,
      ShardId: info.shardId,
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: info.startSequenceNumber,
    }),
  );
  const texts: string[] = [];
  let next = iterator.ShardIterator;
  for (let reads = 0; next !== undefined && reads < maxReads; reads += 1) {
    const page = await kinesis.send(
      new GetRecordsCommand({ StreamARN: info.streamArn, ShardIterator: next }),
    );
    for (const record of page.Records ?? []) {
      if (record.SequenceNumber && afterEnd(record.SequenceNumber, info.endSequenceNumber)) {
        return texts;
      }
      texts.push(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8'));
    }
    // An empty page at the tip of the shard: nothing more was written after the batch.
    if ((page.Records ?? []).length === 0 && page.MillisBehindLatest === 0) return texts;
    next = page.NextShardIterator;
  }
  return texts;
};

export interface QueueSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** To read back the records an on-failure message points to; without it they are unreadable. */
  readonly kinesis?: KinesisClient;
  /** Seconds a received message stays hidden while it is replayed. @default 300 */
  readonly visibilityTimeoutSeconds?: number;
}

/**
 * Every message of the failure queue, until a receive comes back empty. A message is deleted only
 * once all its records are stored (RecordBatch.done); one that fails shows up again after its
 * visibility timeout, for the next replay.
 */
export async function* queueBatches(options: QueueSourceOptions): AsyncGenerator<RecordBatch> {
  const { sqs, queueUrl, kinesis, visibilityTimeoutSeconds = 300 } = options;
  for (;;) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: visibilityTimeoutSeconds,
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return;
    for (const message of messages) {
      const source = `message ${message.MessageId ?? '?'}`;
      const done = async () => {
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      };
      let body: unknown;
      try {
        body = JSON.parse(message.Body ?? '');
      } catch {
        yield { source, lines: [], unreadable: 'the message body is not JSON' };
        continue;
      }
      if (isMalformedBody(body)) {
        if (body.dataTruncated) {
          yield {
            source,
            lines: [],
            unreadable: `the queue kept only part of this record (${body.dataLength} base64 characters); refused first because: ${body.reason}`,
          };
          continue;
        }
        yield { source, lines: [Buffer.from(body.data, 'base64').toString('utf8')], done };
        continue;
      }
      const info = batchInfoOf(body);
      if (info === undefined) {
        yield { source, lines: [], unreadable: 'neither a malformed record nor a stream pointer' };
        continue;
      }
      if (kinesis === undefined) {
        yield { source, lines: [], unreadable: 'it points into the stream: give --stream-region' };
        continue;
      }
      try {
        yield { source, lines: await readPointedRecords(kinesis, info), done };
      } catch (error) {
        const day = info.approximateArrivalOfFirstRecord?.slice(0, 10);
        yield {
          source,
          lines: [],
          unreadable: `the stream no longer gives these records (${error instanceof Error ? error.name : String(error)}): replay --archive${day ? ` --from ${day} --to ${day}` : ''} instead`,
        };
      }
    }
  }
}
