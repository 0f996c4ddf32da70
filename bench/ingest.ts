/**
 * ingest-contact-records: records per second through the real ingest (createIngest, via the
 * backfill's importContactRecords, in Kinesis-sized batches) against raw PutItem of the call items
 * the same records become, on the same local DynamoDB. Writes its section of BENCHMARKS.md.
 * Run: `npx tsx bench/ingest.ts`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { parseContactRecord } from '../lambdas/adapters/connect/contact-record.js';
import {
  type StoredCallLogItem,
  storedCallLogItem,
} from '../lambdas/adapters/dynamodb/call-log-keys.js';
import { CALL_LOG_TABLE } from '../lambdas/contracts/tables.js';
import { callLogItem } from '../lambdas/domain/call-log-item.js';
import { classifyCall } from '../lambdas/domain/call-outcome.js';
import type { ThirdPartyBehaviour } from '../lambdas/flow/simulator/types.js';
import { importContactRecords } from '../local/import-records.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../local/routing-system.js';
import { ms, PROJECT_ROOT, publish, ratio, row } from './report.js';

/** Distinct simulated calls; each is reused under several contact ids. */
const DISTINCT_CALLS = 200;
const RECORDS = 1_000;
/** Records per round; rounds alternate which side goes first. */
const ROUND = 200;
/** Records per ingest call, the Kinesis event source's default batch size. */
const KINESIS_BATCH = 100;
const WARM_UP = 100;
/** Averaged over Kinesis batches of 100. */
const REQUESTS_PER_RECORD_TARGET = 4;
/** Of raw PutItem throughput. */
const THROUGHPUT_TARGET = 0.3;
/** Records of the backfill measured through `npm run import-records`, process start included. */
const BACKFILL_RECORDS = 5_000;
/** Of raw PutItem throughput: the 2,000-record import within 5x the raw writes. */
const BACKFILL_TARGET = 0.2;

type Ctr = Record<string, unknown>;

const RING_TO: readonly ThirdPartyBehaviour[] = ['answer', 'no-answer', 'busy', 'answer'];

/**
 * Contact records of calls run through the shipped inbound flow and the real route-call (the local
 * system): a spread of tracking numbers, callers (some calling back), times and ring-to answers.
 */
const simulatedRecords = async (system: LocalRoutingSystem): Promise<Ctr[]> => {
  const records: Ctr[] = [];
  const start = Date.parse('2026-11-02T14:00:00.000Z');
  for (let i = 0; i < DISTINCT_CALLS; i += 1) {
    const entry = system.entries[i % system.entries.length];
    if (!entry) throw new Error('the portfolio has no tracking number');
    const result = await system.runCall(
      {
        contactId: `sim-${i}`,
        dialed: entry.trackingNumber,
        caller: `+1737555${String(1000 + (i % 150)).padStart(4, '0')}`,
        at: new Date(start + i * 37 * 60_000),
      },
      { ringTo: RING_TO[i % RING_TO.length] as ThirdPartyBehaviour },
    );
    records.push(JSON.parse(JSON.stringify(result.simulation.contactRecord)) as Ctr);
  }
  return records;
};

/** Record `n`: a simulated record under its own contact id (so every record is a new call). */
const recordAt = (records: readonly Ctr[], n: number): Ctr => ({
  ...(records[n % records.length] as Ctr),
  ContactId: `bench-${n}`,
});

/** The call item the ingest would store for a record, by the project's own domain functions. */
const itemOf = (ctr: Ctr): StoredCallLogItem => {
  const parsed = parseContactRecord(ctr);
  if (!parsed.ok) throw new Error(`a simulated record does not parse: ${parsed.problems[0]}`);
  return storedCallLogItem(
    callLogItem(parsed.record, classifyCall(parsed.record), { firstTime: false }),
  );
};

const ingest = async (client: DynamoDBClient, tableName: string, records: readonly Ctr[]) => {
  const report = await importContactRecords(
    records.map((r) => JSON.stringify(r)),
    { client, tableName, batchSize: KINESIS_BATCH, callerHashKey: randomBytes(32) },
  );
  if (report.written !== records.length) {
    throw new Error(
      `ingest stored ${report.written} of ${records.length}: ${JSON.stringify(report)}`,
    );
  }
};

/** One PutItem per item, one at a time: the ingest also handles a shard's records in order. */
const rawPut = async (
  client: DynamoDBClient,
  tableName: string,
  items: readonly StoredCallLogItem[],
) => {
  for (const item of items) {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
      }),
    );
  }
};

/** DynamoDB requests sent through `client`, by command (retries not counted). */
const countRequests = (client: DynamoDBClient): Map<string, number> => {
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => (args) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'benchCountRequests' },
  );
  return counts;
};

const system = await startLocalRoutingSystem();
try {
  const { dynamo } = system;
  const simulated = await simulatedRecords(system);
  await dynamo.ensureTable('bench-ingest', CALL_LOG_TABLE);
  await dynamo.ensureTable('bench-raw', CALL_LOG_TABLE);
  const client = dynamo.client;

  // Warm-up: JIT and dynalite's first writes, on records not measured.
  const warm = Array.from({ length: WARM_UP }, (_, i) => recordAt(simulated, RECORDS + i));
  await ingest(client, 'bench-ingest', warm);
  await rawPut(client, 'bench-raw', warm.map(itemOf));

  const counts = countRequests(client);
  let ingestMs = 0;
  let rawMs = 0;
  for (let from = 0, round = 0; from < RECORDS; from += ROUND, round += 1) {
    const records = Array.from({ length: ROUND }, (_, i) => recordAt(simulated, from + i));
    const items = records.map(itemOf);
    const sides = [
      async () => {
        const started = performance.now();
        await ingest(client, 'bench-ingest', records);
        ingestMs += performance.now() - started;
      },
      async () => {
        const started = performance.now();
        await rawPut(client, 'bench-raw', items);
        rawMs += performance.now() - started;
      },
    ];
    if (round % 2) sides.reverse();
    // The counter sees both sides: the raw side's PutItems are subtracted below.
    for (const side of sides) await side();
  }
  // A backfill as a team runs it: the CLI in its own process, into a fresh local data directory.
  const backfillDir = mkdtempSync(path.join(os.tmpdir(), 'bench-backfill-'));
  const backfillFile = path.join(backfillDir, 'records.jsonl');
  writeFileSync(
    backfillFile,
    `${Array.from({ length: BACKFILL_RECORDS }, (_, i) => JSON.stringify(recordAt(simulated, 10 * RECORDS + i))).join('\n')}\n`,
  );
  const backfillStarted = performance.now();
  const backfill = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'scripts/import-records.ts',
      backfillFile,
      '--data',
      path.join(backfillDir, 'data'),
      '--json',
    ],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 600_000,
    },
  );
  const backfillMs = performance.now() - backfillStarted;
  rmSync(backfillDir, { recursive: true, force: true });
  if (backfill.status !== 0) throw new Error(`import-records failed: ${backfill.stderr}`);
  const backfillReport = JSON.parse(backfill.stdout) as { written: number };
  if (backfillReport.written !== BACKFILL_RECORDS) {
    throw new Error(`import-records stored ${backfillReport.written} of ${BACKFILL_RECORDS}`);
  }
  const backfillPerSecond = BACKFILL_RECORDS / (backfillMs / 1000);

  const ingestPerSecond = RECORDS / (ingestMs / 1000);
  const rawPerSecond = RECORDS / (rawMs / 1000);
  const putItems = (counts.get('PutItemCommand') ?? 0) - RECORDS;
  counts.set('PutItemCommand', putItems);
  const ingestRequests = [...counts.values()].reduce((a, b) => a + b, 0);
  const perRecord = [...counts]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name.replace(/Command$/, '')} ${(n / RECORDS).toFixed(2)}`)
    .join(', ');

  publish({
    name: 'ingest',
    title: 'ingest-contact-records',
    command: 'npx tsx bench/ingest.ts',
    notes: [
      `${RECORDS} contact records: ${DISTINCT_CALLS} distinct calls run through the shipped inbound flow and the real route-call by the local system (local/routing-system.ts, config/portfolio.yaml; ring-to answering, not answering, busy), each reused under distinct contact ids, so every record is a new call; 150 callers, so many are repeat callers.`,
      `Ingest: \`importContactRecords\` (local/import-records.ts) feeding the real \`createIngest\` in batches of ${KINESIS_BATCH} (a Kinesis batch), one record at a time in order, as a shard is processed. Raw: one PutItem per call item (the item \`callLogItem\` builds for the same record), one at a time. Both on the same dynalite in this process, in rounds of ${ROUND} alternating which side goes first, after ${WARM_UP} warm-up records each.`,
      `Backfill: \`npm run import-records -- <file> --data <fresh dir> --json\` (scripts/import-records.ts) of ${BACKFILL_RECORDS} more such records, timed from its process start to its exit (its own dynalite, on disk, in that process), against the raw PutItem rate above.`,
    ],
    rows: [
      row({
        figure: `ingest, records per second (${RECORDS} records)`,
        value: `${ingestPerSecond.toFixed(0)} records/s`,
        baseline: `${rawPerSecond.toFixed(0)} items/s (raw PutItem)`,
        ratio: ratio(ingestPerSecond / rawPerSecond),
        target: `>= ${THROUGHPUT_TARGET}x`,
        met: ingestPerSecond / rawPerSecond >= THROUGHPUT_TARGET,
      }),
      row({
        figure: `npm run import-records of ${BACKFILL_RECORDS} records, process start included`,
        value: `${backfillPerSecond.toFixed(0)} records/s (${ms(backfillMs, 0)})`,
        baseline: `${rawPerSecond.toFixed(0)} items/s (raw PutItem)`,
        ratio: ratio(backfillPerSecond / rawPerSecond),
        target: `>= ${BACKFILL_TARGET}x`,
        met: backfillPerSecond / rawPerSecond >= BACKFILL_TARGET,
      }),
      row({
        figure: 'DynamoDB requests per record, ingest',
        value: (ingestRequests / RECORDS).toFixed(2),
        baseline: '1 (raw PutItem)',
        ratio: ratio(ingestRequests / RECORDS),
        target: `<= ${REQUESTS_PER_RECORD_TARGET}`,
        met: ingestRequests / RECORDS <= REQUESTS_PER_RECORD_TARGET,
      }),
    ],
    after: [
      `Requests per record by command: ${perRecord}.`,
      "Per record the ingest compare-and-swaps the caller item when the call may be its caller's first at the location (the batch reads every caller item ahead in one BatchGetItem), writes the call only if newer (a conditional update), re-checks that a first call is still the first, and puts the call's rollup member (conditional on its revision). Then, once per batch, it reads the calls it wrote in one BatchGetItem and recomputes each rollup group they touch once (query the members, write the aggregate, query again), however many of the batch's calls count in it. So a replayed, retried or reordered batch leaves the same items (the replay property). Queries and conditional writes also cost dynalite more than a blind PutItem, hence a throughput ratio below 1/requests-per-record.",
    ],
  });
} finally {
  await system.close();
}
