import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import { realSleep } from '../lambdas/adapters/cloudformation/custom-resource.js';
import { getRoutingEntry } from '../lambdas/adapters/dynamodb/routing-items.js';
import type { Log } from '../lambdas/adapters/json-log.js';
import type { PriceTable } from '../lambdas/domain/call-cost.js';
import type { MalformedSink } from '../lambdas/domain/malformed-record.js';
import { DEFAULT_RETENTION_DAYS } from '../lambdas/domain/retention.js';
import type { PublishCallEvents } from '../lambdas/domain/webhook-event.js';
import { createIngest, type RecordOutcome } from '../lambdas/use-cases/ingest-contact-records.js';
import type { PackageVoicemail } from '../lambdas/use-cases/package-voicemail.js';

/**
 * Backfill: contact records from a JSON-lines file (one CTR per line, as Connect writes them to
 * Kinesis; Firehose's back-to-back objects on one line are split too) go through the ingest the
 * Kinesis stream feeds, so an imported call is classified, rolled up and deduplicated exactly like
 * a live one. Importing a file twice changes nothing the second time.
 */

/** Where a record sits in the file: `line 12`, or `line 12, record 2` for a line holding several. */
export type RecordPlace = string;

export interface ImportProblem {
  readonly place: RecordPlace;
  readonly reason: string;
}

export interface ImportReport {
  /** Non-blank lines read. */
  readonly lines: number;
  readonly records: number;
  /** Calls stored or updated. */
  readonly written: number;
  /** Records the call log already held (as new or newer): a re-import lands here. */
  readonly unchanged: number;
  /** Records that are not usable contact records, with why; the import went on past them. */
  readonly refused: readonly ImportProblem[];
  /** Records that could not be stored after every attempt (e.g. throttling that never ended). */
  readonly failed: readonly ImportProblem[];
  /** Stopped by its signal: every line up to this one is imported, none after it. */
  readonly interruptedAfterLine?: number;
}

/** The report's lines naming each refused and failed record, for a CLI's text output. */
export const problemLines = (report: Pick<ImportReport, 'refused' | 'failed'>): string[] => [
  ...report.refused.map(({ place, reason }) => `  refused ${place}: ${reason}`),
  ...report.failed.map(({ place, reason }) => `  failed ${place}: ${reason}`),
];

export interface ImportOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Records per ingest call, like a Kinesis batch. @default 100 */
  readonly batchSize?: number;
  /** Tries per record before it is reported as failed. @default 3 */
  readonly attempts?: number;
  /** Pause between tries, doubled each time. @default 200 */
  readonly retryDelayMs?: number;
  /** Called after each batch with the counts so far. */
  readonly onProgress?: (report: ImportReport) => void;
  /**
   * Batches in flight at once. The result is the same in any order (the ingest's writes are
   * conditional or recomputed from stored items: the replay property), but batches whose calls
   * share a rollup group contend on its recompute, and at scale that costs more than it saves
   * (2,000 records: 35 s one at a time, 78 s four at once, with records failing their retries).
   * @default 1
   */
  readonly concurrency?: number;
  /** Lines (1-based, blank ones included) already imported by an interrupted run: skipped. */
  readonly skipLines?: number;
  /**
   * Called when every line up to `line` is imported (batches finish out of order: this is the
   * last line before the first one still in flight), to resume from after an interruption.
   */
  readonly onCheckpoint?: (line: number) => void;
  /** Stops reading once aborted; the batches in flight finish, the report says where it stopped. */
  readonly signal?: AbortSignal;
  /**
   * The routing table, to attribute records that carry no route-call answer (history from before
   * the deploy) to the location and source of the number they dialed.
   */
  readonly routingTableName?: string;
  /** Stores the message of a record with voicemail = recording before it is logged (the ingest's). */
  readonly packageVoicemail?: PackageVoicemail;
  /** The rates the calls' costs are estimated with (the portfolio's). @default DEFAULT_PRICE_TABLE */
  readonly prices?: PriceTable;
  /** Where the ingest publishes call events (the local system's webhooks). */
  readonly publishEvents?: PublishCallEvents;
  /** Days the imported calls are kept (their TTL counts from the import). @default 365 */
  readonly retentionDays?: number;
  /** The key of the callers' hashes: the target's (its deployment's secret, its data's key file). */
  readonly callerHashKey: Uint8Array;
}

/**
 * The JSON texts of one line: the line itself when it parses, else its top-level objects when it
 * holds several back to back (`{…}{…}`, as Firehose writes them), else the line as it is, for the
 * ingest to refuse with its reason.
 */
export const jsonTextsOf = (line: string): string[] => {
  try {
    JSON.parse(line);
    return [line];
  } catch {
    const objects = splitTopLevelObjects(line);
    return objects.length > 1 ? objects : [line];
  }
};

/** Cuts `{…}{…}` at depth 0, minding strings; returns [] when the text is not only objects. */
const splitTopLevelObjects = (text: string): string[] => {
  const objects: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      if (depth === 0) start = i;
      depth += 1;
    } else if (c === '}') {
      depth -= 1;
      if (depth < 0) return [];
      if (depth === 0) objects.push(text.slice(start, i + 1));
    } else if (depth === 0 && !/\s/.test(c ?? '')) {
      return [];
    }
  }
  return depth === 0 ? objects : [];
};

interface PendingRecord {
  readonly place: RecordPlace;
  readonly data: string;
}

const kinesisRecord = ({ place, data }: PendingRecord): KinesisStreamRecord =>
  ({
    eventSource: 'aws:kinesis',
    kinesis: { sequenceNumber: place, data, partitionKey: 'import' },
  }) as KinesisStreamRecord;

/** Imports every record of `lines` (an async iterable of the file's lines) into the call log. */
export const importContactRecords = async (
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions,
): Promise<ImportReport> => {
  const { batchSize = 100, attempts = 3, retryDelayMs = 200 } = options;
  const counts = { lines: 0, records: 0, written: 0, unchanged: 0 };
  const refused: ImportProblem[] = [];
  const failed: ImportProblem[] = [];
  const report = (): ImportReport => ({ ...counts, refused, failed });

  const reasons = new Map<RecordPlace, string>();
  const outcomes = new Map<RecordPlace, RecordOutcome>();
  const collectMalformed: MalformedSink = ({ sequenceNumber, reason }) => {
    reasons.set(sequenceNumber, reason);
  };
  const quiet: Log = () => {};
  const ingest = createIngest({
    client: options.client,
    tableName: options.tableName,
    reportMalformed: collectMalformed,
    log: quiet,
    onRecord: (place, outcome) => outcomes.set(place, outcome),
    ...(options.packageVoicemail ? { packageVoicemail: options.packageVoicemail } : {}),
    ...(options.prices ? { prices: options.prices } : {}),
    retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
    callerHashKey: options.callerHashKey,
    ...(options.publishEvents ? { publishEvents: options.publishEvents } : {}),
    ...(options.routingTableName
      ? {
          lookupEntry: (number: string) =>
            getRoutingEntry(options.client, options.routingTableName as string, number),
        }
      : {}),
  });

  const importBatch = async (batch: readonly PendingRecord[]): Promise<void> => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt += 1) {
      outcomes.clear();
      await ingest({ Records: pending.map(kinesisRecord) });
      const retry: PendingRecord[] = [];
      for (const record of pending) {
        const outcome = outcomes.get(record.place);
        if (outcome?.status === 'stored') {
          if (outcome.write === 'written') counts.written += 1;
          else counts.unchanged += 1;
        } else if (outcome?.status === 'malformed') {
          refused.push({
            place: record.place,
            reason: reasons.get(record.place) ?? outcome.reason,
          });
        } else if (attempt < attempts) {
          retry.push(record);
        } else {
          failed.push({ place: record.place, reason: outcome?.reason ?? 'not ingested' });
        }
      }
      pending = retry;
      if (pending.length > 0) await realSleep(retryDelayMs * 2 ** (attempt - 1));
    }
    options.onProgress?.(report());
  };

  const { concurrency = 1, skipLines = 0 } = options;
  // Batches in flight, by the last line each holds; finished ones wait in `finished` until every
  // batch before them has finished too.
  const inFlight = new Map<number, Promise<void>>();
  let finished: number[] = [];
  let checkpoint = skipLines;
  const start = (records: readonly PendingRecord[], lastLine: number) => {
    const work = importBatch(records).then(() => {
      inFlight.delete(lastLine);
      finished.push(lastLine);
      const firstOpen = Math.min(Number.POSITIVE_INFINITY, ...inFlight.keys());
      const done = finished.filter((last) => last < firstOpen);
      if (done.length === 0) return;
      finished = finished.filter((last) => last >= firstOpen);
      checkpoint = Math.max(checkpoint, ...done);
      options.onCheckpoint?.(checkpoint);
    });
    inFlight.set(lastLine, work);
  };
  const drainTo = async (limit: number) => {
    while (inFlight.size > limit) await Promise.race(inFlight.values());
  };

  let batch: PendingRecord[] = [];
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      // Stopped (Ctrl-C): what is in flight finishes, so the checkpoint covers it.
      if (options.signal?.aborted) break;
      lineNumber += 1;
      if (lineNumber <= skipLines || line.trim() === '') continue;
      counts.lines += 1;
      const texts = jsonTextsOf(line.trim());
      texts.forEach((text, i) => {
        const place =
          texts.length === 1 ? `line ${lineNumber}` : `line ${lineNumber}, record ${i + 1}`;
        batch.push({ place, data: Buffer.from(text, 'utf8').toString('base64') });
      });
      counts.records += texts.length;
      if (batch.length >= batchSize) {
        start(batch, lineNumber);
        batch = [];
        await drainTo(concurrency - 1);
      }
    }
  } catch (error) {
    // The file could not be read on: the batches already sent finish first, checkpoint included.
    await drainTo(0).catch(() => {});
    throw error;
  }
  if (options.signal?.aborted) {
    await drainTo(0);
    return { ...report(), interruptedAfterLine: checkpoint };
  }
  if (batch.length > 0) start(batch, lineNumber);
  await drainTo(0);
  return report();
};
