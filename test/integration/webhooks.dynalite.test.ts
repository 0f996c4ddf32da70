import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookStore } from '../../lambdas/adapters/dynamodb/webhook-store.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { WEBHOOK_MAX_ATTEMPTS } from '../../lambdas/domain/webhook-event.js';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynamo.js';
import { importContactRecords } from '../../local/import-records.js';
import { listenOnLoopback } from '../../local/listen.js';
import { replayWebhooksMain } from '../../local/replay-webhooks-cli.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { announceRunningSystem, runningFileIn } from '../../local/running-record.js';
import { type LocalS3, startLocalS3 } from '../../local/s3.js';
import { type LocalWebhooks, startLocalWebhooks } from '../../local/webhooks.js';
import { runInProcess } from '../support/cli.js';
import { TEST_CALLER_HASH_KEY } from '../support/fixtures.js';
import { ctrOf, messageLeft } from '../support/ingestion.js';

/**
 * The local webhook fan-out on dynalite with a real receiver: every attempt of the schedule (scaled
 * down 100 000×, so 32.6 hours take about a second) sends the same event, the last makes a dead
 * letter, `npm run replay-webhooks` redelivers it; a later record is call.updated with the fields it
 * changed and, its message stored, voicemail.received.
 */

const TABLE = 'webhook-calls';
const BUCKET = 'webhook-recordings';

let dynamo: LocalDynamo;
let s3: LocalS3;
let routing: LocalRoutingSystem;
let webhooks: LocalWebhooks;
let server: Server;
let url: string;
let status = 500;
const received: { type: string; id: string; changedFields?: string[] }[] = [];

const waitUntil = async (test: () => boolean, what: string, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  await dynamo.ensureTable(TABLE, CALL_LOG_TABLE);
  s3 = await startLocalS3({ bucket: BUCKET });
  routing = await startLocalRoutingSystem({ sharedDynamo: dynamo });
  webhooks = await startLocalWebhooks({
    dynamo: dynamo.client,
    callLogTableName: TABLE,
    s3: s3.client,
    recordingsBucket: BUCKET,
    retryScale: 1e-5,
  });
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.writeHead(status).end();
    });
  });
  url = `${await listenOnLoopback(server)}/hooks`;
  await createWebhookStore(dynamo.client, TABLE).put({
    id: 'wh_all',
    url,
    events: ['call.completed', 'call.updated', 'voicemail.received'],
    secret: 'whsec_test',
    createdAt: new Date().toISOString(),
  });
}, 60_000);

afterAll(async () => {
  await webhooks?.close();
  await new Promise((resolve) => server?.close(resolve));
  await routing?.close();
  await s3?.close();
  await dynamo?.close();
});

const ingest = (record: Record<string, unknown>) =>
  importContactRecords([JSON.stringify(record)], {
    client: dynamo.client,
    tableName: TABLE,
    publishEvents: webhooks.publish,
    callerHashKey: TEST_CALLER_HASH_KEY,
  });

describe('local webhooks: retries, dead letters, replay, updates', () => {
  let record: Record<string, unknown>;

  it('tries a failing receiver on every step of the schedule with the same event, then keeps it dead', async () => {
    record = await ctrOf(routing, {
      contactId: 'wh-call-1',
      dialed: '+15125550151',
      caller: '+15125559876',
      at: new Date('2026-11-23T10:00:00-06:00'),
    });
    await ingest(record);
    await waitUntil(() => received.length >= WEBHOOK_MAX_ATTEMPTS, 'every attempt');
    // None after the last: it is a dead letter now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);
    expect(new Set(received.map((e) => e.id)).size).toBe(1);
    expect(received[0]?.type).toBe('call.completed');
    const attempts = await createWebhookStore(dynamo.client, TABLE).recentAttempts('wh_all', 50);
    expect(attempts.map((a) => a.attempt).sort((a, b) => a - b)).toEqual(
      Array.from({ length: WEBHOOK_MAX_ATTEMPTS }, (_, i) => i + 1),
    );
  });

  it('npm run replay-webhooks redelivers the dead letter to the running system’s receiver', async () => {
    status = 204;
    const data = await mkdtemp(join(tmpdir(), 'replay-webhooks-'));
    const withdraw = announceRunningSystem(
      { dynamodbEndpoint: dynamo.endpoint, eventBusUrl: webhooks.busUrl },
      runningFileIn(pathToFileURL(`${data}/`)),
    );
    try {
      const run = await runInProcess(replayWebhooksMain, ['--data', data, '--json']);
      expect(run).toMatchObject({ code: 0, stdout: '{"replayed":1}\n' });
      await waitUntil(() => received.length === WEBHOOK_MAX_ATTEMPTS + 1, 'the redelivery');
      expect(received.at(-1)?.id).toBe(received[0]?.id);
      // Delivered: nothing is left to replay.
      const again = await runInProcess(replayWebhooksMain, ['--data', data, '--json']);
      expect(again.stdout).toBe('{"replayed":0}\n');
    } finally {
      withdraw();
      await rm(data, { recursive: true, force: true });
    }
    const refused = await runInProcess(replayWebhooksMain, ['--dead-letter-queue', 'nope']);
    expect(refused.code).toBe(2);
  });

  it('a later record with the message stored is call.updated with its changes, and voicemail.received', async () => {
    received.length = 0;
    await ingest(messageLeft(record, 'connect/voicemail/wh-call-1.wav', 12));
    await waitUntil(() => received.length === 2, 'two events');
    const byType = Object.fromEntries(received.map((e) => [e.type, e]));
    expect(byType['call.updated']?.changedFields).toEqual(expect.arrayContaining(['outcome']));
    expect(byType['voicemail.received']).toBeDefined();
    // The same record again changes nothing and tells nobody.
    await ingest(messageLeft(record, 'connect/voicemail/wh-call-1.wav', 12));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(2);
  });
});
