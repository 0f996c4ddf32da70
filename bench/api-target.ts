/**
 * The server side of bench/api.ts, in its own process (so the load generator has the other core):
 * two local DynamoDBs with a call log each (1,000 and 20,000 calls with their rollups, seeded as the cost
 * test seeds them), and the real API on each, over HTTP on 127.0.0.1. Prints one JSON line (the
 * URLs, the token and what one request of each route read from DynamoDB), then serves until its
 * stdin closes.
 */
import { CALL_LOG_TABLE } from '../lambdas/contracts/tables.js';
import { createLocalApiHandler } from '../local/api.js';
import { type LocalApi, startLocalApi } from '../local/api-server.js';
import { type LocalDynamo, startLocalDynamo } from '../local/dynamo.js';
import { startLocalS3 } from '../local/s3.js';
import {
  batchPut,
  HISTORY_NOW,
  historyCallLog,
  type Reads,
  readCountingClient,
  rollupsOf,
} from '../local/seed-call-log.js';

const API_SIZES = { '1k': 1_000, '20k': 20_000 } as const;
export type ApiSize = keyof typeof API_SIZES;
/** The routes the benchmark loads (bench/api.ts ROUTES): their reads are counted once here. */
export const API_PATHS = [
  '/calls',
  '/reports/summary?groupBy=location',
  // The history's year: 2025-11-27 to HISTORY_NOW's day.
  '/reports/summary?groupBy=location&from=2025-11-27&to=2026-11-26',
] as const;
const API_TOKEN = 'bench-read';

/** What the target prints when it serves; bench/api.ts imports only this type (no side effect). */
export interface ApiTargetReady {
  readonly urls: Record<ApiSize, string>;
  /** A bearer token with the read scope. */
  readonly token: string;
  /** DynamoDB reads of one request, by size then path. */
  readonly reads: Record<ApiSize, Record<string, Reads>>;
  /** Items seeded (calls and rollups), by size. */
  readonly seeded: Record<ApiSize, number>;
}

const s3 = await startLocalS3({ bucket: 'recordings' });
const servers: LocalApi[] = [];
const clients: { destroy(): void }[] = [];
const dynamos: LocalDynamo[] = [];
const urls = {} as Record<ApiSize, string>;
const reads = {} as ApiTargetReady['reads'];
const seeded = {} as Record<ApiSize, number>;
try {
  for (const [size, count] of Object.entries(API_SIZES) as [ApiSize, number][]) {
    // One dynalite per log: they share one LevelDB otherwise, and the small log would pay for
    // the large one's items.
    const dynamo = await startLocalDynamo();
    dynamos.push(dynamo);
    const tableName = `bench-calls-${size}`;
    await dynamo.ensureTable(tableName, CALL_LOG_TABLE);
    const calls = historyCallLog(count);
    const items = [...calls, ...rollupsOf(calls)];
    await batchPut(dynamo.client, tableName, items);
    seeded[size] = items.length;
    const counting = readCountingClient(dynamo.endpoint);
    clients.push(counting.client);
    const api = createLocalApiHandler({
      dynamo: counting.client,
      callLogTableName: tableName,
      // Only the call and report routes are loaded: no management route reads it.
      routingTableName: 'routing-unused',
      s3: s3.client,
      recordingsBucket: 'recordings',
      // The history's clock: the last 30 days hold the same calls in both logs.
      now: () => HISTORY_NOW,
      log: () => {},
    });
    const server = await startLocalApi({ api, tokens: { [API_TOKEN]: 'read' } });
    servers.push(server);
    urls[size] = server.url;
    reads[size] = {};
    for (const path of API_PATHS) {
      counting.reads.items = 0;
      counting.reads.requests = 0;
      const response = await fetch(`${server.url}${path}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      });
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      await response.arrayBuffer();
      reads[size][path] = { ...counting.reads };
    }
  }
  const ready: ApiTargetReady = { urls, token: API_TOKEN, reads, seeded };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  // Serve until the benchmark closes our stdin (or dies).
  process.stdin.resume();
  await new Promise<void>((resolve) => process.stdin.once('end', resolve));
} finally {
  await Promise.allSettled(servers.map((s) => s.close()));
  for (const client of clients) client.destroy();
  await s3.close();
  await Promise.allSettled(dynamos.map((d) => d.close()));
}
