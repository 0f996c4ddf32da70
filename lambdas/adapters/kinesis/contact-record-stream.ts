import type {
  KinesisStreamBatchResponse,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import type { ContactRecord } from '../../domain/contact-record.js';
import { parseContactRecord } from '../connect/contact-record.js';
import { describeError } from '../error-reason.js';

/**
 * The Kinesis side of the contact-record ingest: one CTR JSON per Kinesis record (base64 data),
 * batches in the shard's order, and the partial batch response that names the records Lambda
 * retries (`ReportBatchItemFailures`).
 */

/** A batch of the contact-record stream, as Lambda delivers it. */
export type ContactRecordBatch = KinesisStreamEvent;
/** The partial batch response: the sequence numbers of the records to retry. */
export type ContactRecordBatchResponse = KinesisStreamBatchResponse;
/** One stream record: its sequence number and data (base64). */
export type StreamRecord = KinesisStreamRecord['kinesis'];

/** The batch's records, in the shard's order. */
export const streamRecords = (event: ContactRecordBatch): readonly StreamRecord[] =>
  (event.Records ?? []).map(({ kinesis }) => kinesis);

/** The response reporting these records (by sequence number) as failed, so Lambda retries them. */
export const batchResponse = (
  failedSequenceNumbers: readonly string[],
): ContactRecordBatchResponse => ({
  batchItemFailures: failedSequenceNumbers.map((itemIdentifier) => ({ itemIdentifier })),
});

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export type Decoded =
  | { readonly ok: true; readonly record: ContactRecord }
  | { readonly ok: false; readonly reason: string };

/** Kinesis data (base64) → a parsed CTR, or the reason it is malformed. */
export const decodeContactRecord = (data: string): Decoded => {
  if (!BASE64.test(data)) return { ok: false, reason: 'the data is not valid base64' };
  let text: string;
  try {
    text = utf8.decode(Buffer.from(data, 'base64'));
  } catch {
    return { ok: false, reason: 'the data is not UTF-8 text' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `the data is not JSON (${describeError(error)})` };
  }
  const parsed = parseContactRecord(json);
  if (!parsed.ok) {
    return {
      ok: false,
      reason: `not a usable contact record: ${parsed.problems.join('; ')}`.slice(0, 1_000),
    };
  }
  return { ok: true, record: parsed.record };
};
