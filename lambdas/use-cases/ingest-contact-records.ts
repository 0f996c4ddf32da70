import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { isRefusedItem, isTransient } from '../adapters/aws-errors.js';
import {
  type CallWriteResult,
  isStillFirst,
  type KnownCallerItems,
  markNotFirstTime,
  readCallerItems,
  recordFirstTimeCaller,
  writeCallIfNewer,
} from '../adapters/dynamodb/call-log-writer.js';
import { settleCalls } from '../adapters/dynamodb/rollup-writer.js';
import { describeError } from '../adapters/error-reason.js';
import { jsonLog, type Log } from '../adapters/json-log.js';
import {
  batchResponse,
  type ContactRecordBatch,
  type ContactRecordBatchResponse,
  decodeContactRecord,
  type StreamRecord,
  streamRecords,
} from '../adapters/kinesis/contact-record-stream.js';
import { callOutcomeMetricFields } from '../contracts/metrics.js';
import { attributeFromEntry, numberToAttribute } from '../domain/attribution.js';
import type { PriceTable } from '../domain/call-cost.js';
import { callLogItem } from '../domain/call-log-item.js';
import { attribute, type CallOutcome, classifyCall } from '../domain/call-outcome.js';
import type { ContactRecord } from '../domain/contact-record.js';
import type { MalformedSink } from '../domain/malformed-record.js';
import { maskDigitRuns, maskPhoneNumber } from '../domain/phone-number.js';
import { expiresAtOf } from '../domain/retention.js';
import type { RoutingEntry } from '../domain/route.js';
import { type PublishCallEvents, recordWriteNotices } from '../domain/webhook-event.js';
import type { PackageVoicemail } from './package-voicemail.js';

/**
 * The contact-record ingest: the Kinesis stream of contact trace records (one CTR JSON per Kinesis
 * record) → the call log. For each record, in the shard's order: decode, parse, classify, decide
 * whether it is the caller's first call at the location (every caller item of the batch read
 * ahead at once), and write the call if it is newer than the stored one. Then, once for the
 * batch, settle the rollups of every call it wrote or displaced as a caller's first: each group
 * recomputed once, however many of the calls count in it. Every write is conditional or
 * recomputed from stored items, so a batch retried whole or in part (Lambda retries from the
 * lowest failed sequence number, records after it included) leaves the same items.
 *
 * Failures:
 * - a write that fails (throttling, 5xx, timeouts, a missing table or permission) is reported in
 *   `batchItemFailures`, so Lambda retries it (bisect-on-error and the retry limit are the event
 *   source mapping's, in CDK);
 * - a malformed record (bad base64, not UTF-8, not JSON, a CTR the parser refuses, an item
 *   DynamoDB refuses as invalid) is never retried by this code: it goes to `reportMalformed` with
 *   the reason. When the sink returns, the record is done; when it throws, the record is reported
 *   as a batch item failure, so it is retried and finally reaches the on-failure destination.
 *   Deployed, the sink is the failure queue (`FAILURE_QUEUE_URL`): the record is kept there with
 *   its reason and data, and only a failed send makes it a batch item failure.
 */

/** The default sink's error: the record fails as a batch item. */
export class MalformedRecordError extends Error {
  constructor(
    readonly sequenceNumber: string,
    readonly reason: string,
  ) {
    super(`malformed contact record ${sequenceNumber}: ${reason}`);
    this.name = 'MalformedRecordError';
  }
}

/**
 * The sink when none is given: logs an error line (the reason and the sequence number; never the
 * data, which holds the caller's number) and throws, so the record is reported as a batch item
 * failure and, once the event source's retries are spent, reaches its on-failure destination.
 *
 * Note: a Kinesis event source's on-failure destination receives the batch's shard and sequence
 * numbers, not the data; the record itself stays readable in the stream for its retention period
 * only. The queue sink (`createQueueSink`, used when `FAILURE_QUEUE_URL` is set) keeps the data
 * and does not hold the shard back through retries.
 */
export const failingMalformedSink =
  (log: Log = jsonLog): MalformedSink =>
  ({ sequenceNumber, reason, data }) => {
    log('error', {
      message: 'malformed contact record',
      sequenceNumber,
      reason,
      dataLength: data.length,
    });
    throw new MalformedRecordError(sequenceNumber, reason);
  };

export interface IngestDependencies {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** @default failingMalformedSink */
  readonly reportMalformed?: MalformedSink;
  readonly log?: Log;
  /** Told what happened to each record, in the batch's order (the import command's report). */
  readonly onRecord?: (sequenceNumber: string, outcome: RecordOutcome) => void;
  /**
   * The routing entry of a tracking number: attributes a call whose record carries no route-call
   * answer (history from before the deploy, another flow). Without it such calls keep no location.
   */
  readonly lookupEntry?: (trackingNumber: string) => Promise<RoutingEntry | undefined>;
  /**
   * Stores the message of a record whose flow took one (voicemail = recording) and returns the
   * record as the call log should see it (voicemail = left or empty). It throws when the audio
   * cannot be read or stored: the record fails and is retried, the call not logged before its
   * message is kept. Without it such records are logged as they are.
   */
  readonly packageVoicemail?: PackageVoicemail;
  /** The rates each call's cost is estimated with. @default DEFAULT_PRICE_TABLE */
  readonly prices?: PriceTable;
  /**
   * Tells other systems (webhooks) what a written record did: call.completed, call.updated,
   * voicemail.received. A failed publish is logged, not retried: the call is stored, and a retry of
   * the record would find it stale. Without it nothing is published.
   */
  readonly publishEvents?: PublishCallEvents;
  /**
   * Days the call log keeps a call and its caller item (their TTL, domain/retention.ts).
   * @default - no TTL: kept until erased
   */
  readonly retentionDays?: number;
  /**
   * The key of the callers' hashes the rollups count unique callers by (domain/caller-hash.ts): the
   * deployment's secret, the local system's key file. Every writer of one table uses the same key.
   */
  readonly callerHashKey: Uint8Array;
  /** @default Date.now */
  readonly now?: () => number;
}

/** What happened to one record. */
export type RecordOutcome =
  | {
      readonly status: 'stored';
      readonly contactId: string;
      readonly outcome: CallOutcome;
      readonly write: CallWriteResult;
      readonly firstTime: boolean;
    }
  | { readonly status: 'malformed'; readonly reason: string }
  | { readonly status: 'failed'; readonly reason: string };

export type Ingest = (event: ContactRecordBatch) => Promise<ContactRecordBatchResponse>;

export const createIngest = ({
  client,
  tableName,
  reportMalformed,
  log = jsonLog,
  onRecord,
  lookupEntry,
  packageVoicemail,
  prices,
  publishEvents,
  retentionDays,
  callerHashKey,
  now = Date.now,
}: IngestDependencies): Ingest => {
  const sink = reportMalformed ?? failingMalformedSink(log);

  const attributed = async (record: ContactRecord): Promise<ContactRecord> => {
    const number = lookupEntry ? numberToAttribute(record) : undefined;
    const entry = number === undefined ? undefined : await lookupEntry?.(number);
    return entry ? attributeFromEntry(record, entry) : record;
  };

  const publish = async (notices: Parameters<PublishCallEvents>[0]): Promise<void> => {
    if (notices.length === 0 || !publishEvents) return;
    try {
      await publishEvents(notices);
    } catch (error) {
      log('error', {
        message: 'call events not published',
        events: notices.map((n) => `${n.type} ${n.id}`),
        reason: describeError(error),
      });
    }
  };

  /** A record whose call is written: what is left once the batch's rollups are settled. */
  interface Written {
    readonly status: 'written';
    readonly stored: Extract<RecordOutcome, { status: 'stored' }>;
    readonly notices: Parameters<PublishCallEvents>[0];
    readonly logFields: Record<string, unknown>;
  }

  /** What a batch's records share: the calls to settle, the caller items read ahead. */
  interface BatchState {
    readonly settle: Set<string>;
    readonly callers: KnownCallerItems;
  }

  /** Writes the record's call (and marks the calls it displaced); `settle` gets what to settle. */
  const store = async (received: ContactRecord, batch: BatchState): Promise<Written> => {
    const { settle } = batch;
    // Attributed first: the packager tells the record's location by email.
    const located = await attributed(received);
    const record = packageVoicemail ? await packageVoicemail(located) : located;
    const { contactId } = record;
    const outcome = classifyCall(record);
    const call = {
      contactId,
      startedAt: record.initiationTimestamp,
      locationId: attribute(record, 'locationId'),
      caller: record.customerAddress,
    };
    const expiresAt =
      retentionDays === undefined ? undefined : expiresAtOf(call.startedAt, now(), retentionDays);
    const first = await recordFirstTimeCaller(client, tableName, call, expiresAt, batch.callers);
    if (first.first) {
      for (const displaced of first.displaced) {
        if (displaced === contactId) continue;
        await markNotFirstTime(client, tableName, displaced);
        // Settled on every replay too: a settle lost to a crash after the marking is redone.
        settle.add(displaced);
      }
    }
    const item = callLogItem(record, outcome, { firstTime: first.first, prices, callerHashKey });
    const { write, previous } = await writeCallIfNewer(client, tableName, item, expiresAt);
    let firstTime = first.first;
    if (first.first && call.locationId !== undefined && call.caller !== undefined) {
      // An earlier call may have displaced this one before its item existed to be marked.
      const still = await isStillFirst(client, tableName, {
        contactId,
        locationId: call.locationId,
        caller: call.caller,
      });
      if (!still) {
        await markNotFirstTime(client, tableName, contactId);
        firstTime = false;
      }
    }
    // Also when stale: a retry after a crash between the call's write and its settle finishes it.
    settle.add(contactId);
    return {
      status: 'written',
      stored: { status: 'stored', contactId, outcome, write, firstTime },
      notices:
        write === 'written' && publishEvents
          ? recordWriteNotices({ ...item, firstTime }, previous, new Date())
          : [],
      logFields: {
        message: 'contact record ingested',
        contactId,
        outcome,
        write,
        firstTime,
        ...(first.first ? { displaced: first.displaced.length } : { notFirst: first.reason }),
        locationId: call.locationId ?? 'none',
        caller: maskPhoneNumber(call.caller),
      },
    };
  };

  const malformed = async (kinesis: StreamRecord, quoted: string): Promise<RecordOutcome> => {
    const { sequenceNumber, data } = kinesis;
    // The reason may quote the record (a caller's number): the log and the queue outlive the call.
    const reason = maskDigitRuns(quoted);
    try {
      await sink({ sequenceNumber, reason, data });
    } catch (error) {
      return {
        status: 'failed',
        reason: `malformed, and its sink failed: ${describeError(error)}`,
      };
    }
    log('warn', { message: 'malformed contact record reported', sequenceNumber, reason });
    return { status: 'malformed', reason };
  };

  const ingestOne = async (
    kinesis: StreamRecord,
    decoded: ReturnType<typeof decodeContactRecord>,
    batch: BatchState,
  ): Promise<RecordOutcome | Written> => {
    if (!decoded.ok) return malformed(kinesis, decoded.reason);
    try {
      return await store(decoded.record, batch);
    } catch (error) {
      if (isRefusedItem(error)) {
        return malformed(kinesis, `DynamoDB refused the call item: ${describeError(error)}`);
      }
      log('error', {
        message: 'contact record not stored: it will be retried',
        sequenceNumber: kinesis.sequenceNumber,
        contactId: decoded.record.contactId,
        transient: isTransient(error),
        reason: describeError(error),
      });
      return { status: 'failed', reason: describeError(error) };
    }
  };

  return async (event) => {
    const records = streamRecords(event);
    const failed: string[] = [];
    const counts = { stored: 0, written: 0, stale: 0, malformed: 0, failed: 0 };
    const outcomes: Partial<Record<CallOutcome, number>> = {};
    // One at a time, in the shard's order: records of one contact arrive in order, and the
    // conditional writes keep the result right whatever the order of a retry.
    const decoded = records.map((kinesis) => decodeContactRecord(kinesis.data));
    const settle = new Set<string>();
    const results: (RecordOutcome | Written)[] = [];
    let callers: KnownCallerItems = new Map();
    try {
      // Every caller item the batch asks about, in one read (records attributed by their
      // number's routing entry are read one by one, as their location is not known yet).
      callers = await readCallerItems(
        client,
        tableName,
        decoded.flatMap((d) =>
          d.ok
            ? [{ locationId: attribute(d.record, 'locationId'), caller: d.record.customerAddress }]
            : [],
        ),
      );
    } catch (error) {
      // Not needed for correctness: each record then reads its own.
      log('warn', { message: 'caller items not read ahead', reason: describeError(error) });
    }
    for (const [index, kinesis] of records.entries()) {
      results.push(
        await ingestOne(kinesis, decoded[index] as ReturnType<typeof decodeContactRecord>, {
          settle,
          callers,
        }),
      );
    }
    // Then the rollups of every call the batch wrote, each group recomputed once. If that fails,
    // every written record of the batch is retried: its write is then stale and settles again.
    let settleFailure: string | undefined;
    try {
      await settleCalls(client, tableName, [...settle]);
    } catch (error) {
      settleFailure = describeError(error);
      log('error', {
        message: 'rollups of the batch not settled: its records will be retried',
        calls: settle.size,
        transient: isTransient(error),
        reason: settleFailure,
      });
    }
    for (const [index, kinesis] of records.entries()) {
      const written = results[index] as RecordOutcome | Written;
      let result: RecordOutcome;
      if (written.status !== 'written') result = written;
      else if (settleFailure !== undefined) result = { status: 'failed', reason: settleFailure };
      else {
        await publish(written.notices);
        log('info', written.logFields);
        result = written.stored;
      }
      onRecord?.(kinesis.sequenceNumber, result);
      counts[result.status] += 1;
      if (result.status === 'stored') counts[result.write] += 1;
      if (result.status === 'stored' && result.firstTime) {
        outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
      }
      if (result.status === 'failed') failed.push(kinesis.sequenceNumber);
    }
    log(failed.length > 0 ? 'warn' : 'info', {
      message: 'contact record batch done',
      records: records.length,
      ...counts,
      ...callOutcomeMetricFields(outcomes, Date.now()),
    });
    return batchResponse(failed);
  };
};
