import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportOptions, importContactRecords } from '../../local/import-records.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { deliveryIndependent, replayRecords } from '../reliability/records.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { TEST_CALLER_HASH_KEY } from '../support/fixtures.js';
import { type Item, newIngestion } from '../support/ingestion.js';

/**
 * A backfill in concurrent batches, and one interrupted and resumed, end in the very call log and
 * rollups of a one-by-one import of the same file (the records of the replay suite, each twice,
 * so batches in flight hold the same contacts and groups at once).
 */

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let lines: string[];

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
  const records = await replayRecords(system);
  lines = [...records, '', ...[...records].reverse()].map((r) =>
    r === '' ? '' : JSON.stringify(r),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
});

/** The table's items that must not depend on how the file was imported (the TTL counts from now). */
const importedState = (items: readonly Item[]) =>
  deliveryIndependent(items).map(({ expiresAt: _e, ...item }) => item);

const importInto = async (
  source: Iterable<string> | AsyncIterable<string>,
  options: Partial<ImportOptions> = {},
) => {
  const log = await newIngestion(dynamo);
  const report = await importContactRecords(source, {
    client: dynamo.client,
    tableName: log.tableName,
    callerHashKey: TEST_CALLER_HASH_KEY,
    ...options,
  });
  return { log, report };
};

/** The file's lines until `line`, then the interruption (a read error, a Ctrl-C). */
async function* interruptedAfter(all: readonly string[], line: number) {
  for (const [i, text] of all.entries()) {
    if (i === line) throw new Error('interrupted');
    yield text;
  }
}

describe('importContactRecords, concurrent and resumed', () => {
  it('in batches of 2, 4 at once, ends as a one-by-one import', async () => {
    const one = await importInto(lines, { batchSize: 1, concurrency: 1 });
    const concurrent = await importInto(lines, { batchSize: 2, concurrency: 4 });
    expect(concurrent.report.failed).toEqual([]);
    expect(concurrent.report.records).toBe(one.report.records);
    expect(importedState(await concurrent.log.scan())).toEqual(importedState(await one.log.scan()));
  });

  it('goes on after the checkpoint of an interrupted run without counting anything twice', async () => {
    const one = await importInto(lines, { batchSize: 1, concurrency: 1 });
    const log = await newIngestion(dynamo);
    const checkpoints: number[] = [];
    const options = {
      client: dynamo.client,
      tableName: log.tableName,
      callerHashKey: TEST_CALLER_HASH_KEY,
      batchSize: 2,
      concurrency: 3,
    };
    await expect(
      importContactRecords(interruptedAfter(lines, 9), {
        ...options,
        onCheckpoint: (line) => checkpoints.push(line),
      }),
    ).rejects.toThrow('interrupted');
    const checkpoint = Math.max(0, ...checkpoints);
    // Checkpoints only move forward, and stop short of the line that was never read.
    expect(checkpoints).toEqual([...checkpoints].sort((a, b) => a - b));
    expect(checkpoint).toBeGreaterThan(0);
    expect(checkpoint).toBeLessThanOrEqual(9);
    const resumed = await importContactRecords(lines, { ...options, skipLines: checkpoint });
    expect(resumed.lines).toBe(lines.slice(checkpoint).filter((l) => l !== '').length);
    expect(importedState(await log.scan())).toEqual(importedState(await one.log.scan()));
  });
});
