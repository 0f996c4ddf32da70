import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { checkpointFileOf, saveCheckpoint } from '../../local/import-progress.js';
import { importContactRecords, jsonTextsOf } from '../../local/import-records.js';
import { importRecordsMain } from '../../local/import-records-cli.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { type CliRun, runInProcess } from '../support/cli.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { EXAMPLE_NUMBERS, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

/**
 * `npm run import-records`: a JSON-lines file of contact records (calls run through the shipped
 * flow and the real route-call, as Connect would record them) imported through the ingest.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let directory: string;
let file: string;
let tables = 0;
const records: Record<string, unknown>[] = [];

const newTable = async (): Promise<string> => {
  tables += 1;
  const tableName = `import-${tables}`;
  await dynamo.createTable(tableName, CALL_LOG_TABLE);
  return tableName;
};

const callItem = async (tableName: string, contactId: string) => {
  const { Item } = await dynamo.client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: `CALL#${contactId}` }, sk: { S: 'CALL' } },
      ConsistentRead: true,
    }),
  );
  return Item && unmarshall(Item);
};

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
  const calls = [
    { contactId: 'imp-1', dialed: EXAMPLE_NUMBERS.austinGoogle, ringTo: 'answer' as const },
    { contactId: 'imp-2', dialed: EXAMPLE_NUMBERS.roundRockMain, ringTo: 'no-answer' as const },
    { contactId: 'imp-3', dialed: EXAMPLE_NUMBERS.denverMain, ringTo: 'answer' as const },
    { contactId: 'imp-4', dialed: EXAMPLE_NUMBERS.unknown, ringTo: 'answer' as const },
  ];
  for (const { contactId, dialed, ringTo } of calls) {
    const result = await system.runCall(
      { contactId, dialed, caller: EXAMPLE_NUMBERS.caller, at: MONDAY_10AM },
      { ringTo },
    );
    records.push(JSON.parse(JSON.stringify(result.simulation.contactRecord)));
  }
  const [one, two, three, four] = records.map((r) => JSON.stringify(r));
  directory = await mkdtemp(join(tmpdir(), 'import-records-'));
  file = join(directory, 'records.jsonl');
  await writeFile(
    file,
    [
      one,
      '',
      `${two}${three}`, // Firehose writes records back to back
      'this is not json',
      JSON.stringify({ Channel: 'VOICE' }), // no ContactId
      four,
      '   ',
    ].join('\n'),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
  if (directory) await rm(directory, { recursive: true, force: true });
});

describe('jsonTextsOf', () => {
  it('keeps a line that parses, splits back-to-back objects, minding braces in strings', () => {
    expect(jsonTextsOf('{"a":1}')).toEqual(['{"a":1}']);
    expect(jsonTextsOf('{"a":"}{"}{"b":2} {"c":{"d":3}}')).toEqual([
      '{"a":"}{"}',
      '{"b":2}',
      '{"c":{"d":3}}',
    ]);
    expect(jsonTextsOf('{"a":1} trailing')).toEqual(['{"a":1} trailing']);
    expect(jsonTextsOf('{"a":1')).toEqual(['{"a":1']);
  });
});

describe('importContactRecords', () => {
  it('stores every usable record, names the line and reason of each refused one, and goes on', async () => {
    const tableName = await newTable();
    const { createReadStream } = await import('node:fs');
    const { createInterface } = await import('node:readline');
    const report = await importContactRecords(createInterface({ input: createReadStream(file) }), {
      client: dynamo.client,
      tableName,
      batchSize: 2,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    expect(report).toMatchObject({ lines: 5, records: 6, written: 4, unchanged: 0, failed: [] });
    expect(report.refused.map((r) => r.place)).toEqual(['line 4', 'line 5']);
    expect(report.refused[0]?.reason).toMatch(/not JSON/);
    expect(report.refused[1]?.reason).toMatch(/ContactId/);

    const imported = await Promise.all(
      ['imp-1', 'imp-2', 'imp-3', 'imp-4'].map((id) => callItem(tableName, id)),
    );
    expect(imported.map((c) => [c?.contactId, c?.outcome, c?.locationId, c?.source])).toEqual([
      ['imp-1', 'answered-location', 'austin-north', 'Google Ads'],
      // Round Rock takes a message itself; imported without its media stream, none is stored.
      ['imp-2', 'missed', 'round-rock', 'Main line'],
      ['imp-3', 'answered-location', 'denver-central', 'Main line'],
      ['imp-4', 'answered-fallback', undefined, undefined],
    ]);
  });

  it('importing the same records twice leaves the call log as it was', async () => {
    const tableName = await newTable();
    const lines = records.map((r) => JSON.stringify(r));
    const first = await importContactRecords(lines, {
      client: dynamo.client,
      tableName,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    const before = await Promise.all(['imp-1', 'imp-2'].map((id) => callItem(tableName, id)));
    const second = await importContactRecords(lines, {
      client: dynamo.client,
      tableName,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    expect(first).toMatchObject({ written: 4, unchanged: 0 });
    expect(second).toMatchObject({ written: 0, unchanged: 4, refused: [], failed: [] });
    expect(await Promise.all(['imp-1', 'imp-2'].map((id) => callItem(tableName, id)))).toEqual(
      before,
    );
  });

  it('attributes history with no route-call answer from the routing table, when given one', async () => {
    const tableName = 'history';
    await system.dynamo.ensureTable(tableName, CALL_LOG_TABLE);
    // imp-1 as a call from before the deploy: it never asked route-call, so no attributes.
    const history = { ...records[0], ContactId: 'hist-1', Attributes: {} };
    const report = await importContactRecords([JSON.stringify(history)], {
      client: system.dynamo.client,
      tableName,
      routingTableName: system.tableName,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    expect(report).toMatchObject({ written: 1, refused: [], failed: [] });
    const { Item } = await system.dynamo.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'CALL#hist-1' }, sk: { S: 'CALL' } },
      }),
    );
    expect(Item && unmarshall(Item)).toMatchObject({
      locationId: 'austin-north',
      source: 'Google Ads',
      outcome: 'answered-location',
      routeStatus: 'attributed',
    });
  });

  it('retries a record the table refuses for a while, and reports it failed when it never takes it', async () => {
    const lines = [JSON.stringify(records[0])];
    const report = await importContactRecords(lines, {
      client: dynamo.client,
      tableName: 'no-such-table',
      attempts: 2,
      callerHashKey: TEST_CALLER_HASH_KEY,
      retryDelayMs: 1,
    });
    expect(report).toMatchObject({ records: 1, written: 0, refused: [] });
    expect(report.failed).toEqual([
      { place: 'line 1', reason: expect.stringMatching(/ResourceNotFound/) },
    ]);
  });
});

/** In-process, through what scripts/import-records.ts runs. */
const runImport = (args: readonly string[]): Promise<CliRun> =>
  runInProcess(importRecordsMain, args);

/** As the npm script runs it, where its exit code and output as a process are what is tested. */
const runImportProcess = (args: readonly string[]): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/import-records.ts', ...args],
      { cwd: ROOT, env: { ...process.env, NODE_NO_WARNINGS: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout,
          stderr,
        });
      },
    );
  });

describe('npm run import-records', () => {
  it('imports into the table at --endpoint, prints the counts and each refused line, exits 1 (a process)', async () => {
    const tableName = await newTable();
    const run = await runImportProcess([file, '--endpoint', dynamo.endpoint, '--table', tableName]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('6 records on 5 lines');
    expect(run.stdout).toContain('4 stored or updated, 0 already in the call log');
    expect(run.stdout).toMatch(/refused line 4: the data is not JSON/);
    expect(run.stdout).toMatch(/refused line 5: .*ContactId/);
    expect((await callItem(tableName, 'imp-3'))?.outcome).toBe('answered-location');

    const again = await runImport([
      file,
      '--endpoint',
      dynamo.endpoint,
      '--table',
      tableName,
      '--json',
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, unchanged: 4 });
  }, 60_000);

  it('goes on after the last line an interrupted import finished, then forgets it; --restart starts over', async () => {
    const tableName = await newTable();
    const args = [file, '--endpoint', dynamo.endpoint, '--table', tableName, '--json'];
    const first = JSON.parse((await runImport(args)).stdout);
    expect(existsSync(checkpointFileOf(file))).toBe(false);
    // As an import stopped by Ctrl-C after line 3 leaves it.
    await saveCheckpoint(file, first.target, 3);

    const resumed = await runImport(args);
    expect(resumed.stderr).toContain('going on after line 3');
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      resumedAfterLine: 3,
      // Lines 4 to 7 (7 is blank): the refused two and the fourth call, already there.
      lines: 3,
      written: 0,
      unchanged: 1,
      refused: [{ place: 'line 4' }, { place: 'line 5' }],
    });
    expect(existsSync(checkpointFileOf(file))).toBe(false);

    await saveCheckpoint(file, first.target, 3);
    const restarted = JSON.parse((await runImport([...args, '--restart'])).stdout);
    expect(restarted).toMatchObject({ resumedAfterLine: 0, lines: 5, unchanged: 4 });
    // Another target's checkpoint is not this one's.
    await saveCheckpoint(file, 'another table', 3);
    expect(JSON.parse((await runImport(args)).stdout)).toMatchObject({ resumedAfterLine: 0 });
    await rm(checkpointFileOf(file), { force: true });
  }, 60_000);

  it('imports into the local system kept in a --data directory, with no system running', async () => {
    const data = await mkdtemp(join(tmpdir(), 'import-data-'));
    const run = await runImport([file, '--data', data, '--json']);
    const again = await runImport([file, '--data', data, '--json']);
    await rm(data, { recursive: true, force: true });
    expect(run.code).toBe(1); // lines 4 and 5 are refused
    expect(JSON.parse(run.stdout)).toMatchObject({ written: 4, unchanged: 0 });
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, unchanged: 4 });
  }, 60_000);

  it('keeps the imported calls --retention-days from the import (their TTL), and refuses a retention that is not whole days', async () => {
    const tableName = await newTable();
    const before = Math.floor(Date.now() / 1000);
    const run = await runImport([
      file,
      '--endpoint',
      dynamo.endpoint,
      '--table',
      tableName,
      '--retention-days',
      '30',
    ]);
    expect(run.code).toBe(1); // lines 4 and 5 are refused
    const ttl = (await callItem(tableName, 'imp-3'))?.expiresAt as number;
    expect(ttl).toBeGreaterThanOrEqual(before + 30 * 86_400);
    expect(ttl).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 30 * 86_400);
    for (const bad of ['0', '1.5', 'a year']) {
      const refused = await runImport([
        file,
        '--endpoint',
        dynamo.endpoint,
        '--retention-days',
        bad,
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--retention-days ${bad} is not a whole number of days`);
    }
  }, 60_000);

  it('refuses bad arguments with exit 2 and says why', async () => {
    const none = await runImport([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give exactly one file');
    const missing = await runImport(['/no/such/file.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read /no/such/file.jsonl');
    const region = await runImport([file, '--region', 'us-east-1']);
    expect(region.code).toBe(2);
    expect(region.stderr).toContain('give --table');
    // A deployed table counts unique callers by its own key: the import must hash with it.
    const keyless = await runImport([file, '--table', 'calls']);
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain(
      "a deployed --table needs --caller-hash-secret <arn>: the data stack's output CallerHashSecretArn",
    );
    const localSecret = await runImport([file, '--caller-hash-secret', 'arn:aws:secretsmanager:x']);
    expect(localSecret.code).toBe(2);
    expect(localSecret.stderr).toContain('--caller-hash-secret is for a deployed --table');
  }, 60_000);

  it('says so when the table does not exist, instead of failing every line', async () => {
    const run = await runImport([file, '--endpoint', dynamo.endpoint, '--table', 'missing']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/table missing at .* does not exist/);
  }, 60_000);
});
