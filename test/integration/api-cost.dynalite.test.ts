import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../lambdas/adapters/http/api-gateway.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { createLocalApiHandler } from '../../local/api.js';
import { type LocalS3, startLocalS3 } from '../../local/s3.js';
import {
  batchPut,
  historyCallLog as callLog,
  readCountingClient as countingClient,
  HISTORY_LOCATIONS as LOCATIONS,
  HISTORY_NOW as NOW,
  RECENT_CALLS as RECENT,
  type Reads,
  rollupsOf,
} from '../../local/seed-call-log.js';
import { apiEvent } from '../support/api-events.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';

/**
 * Cost flat with history: the same last 30 days of calls under 1,000 and under 20,000 calls of
 * history. A page of calls and a 30-day summary must read the same items from both tables, and a
 * page filtered only by index keys must read what it returns.
 */

let dynamo: LocalDynamo;
let s3: LocalS3;
const apis: Record<string, { api: Api; reads: Reads; client: DynamoDBClient }> = {};
const SIZES = { '1k': 1_000, '20k': 20_000 } as const;

beforeAll(async () => {
  dynamo = await startDynalite();
  s3 = await startLocalS3({ bucket: 'recordings' });
  for (const [name, size] of Object.entries(SIZES)) {
    const tableName = `cost-${name}`;
    await dynamo.createTable(tableName, CALL_LOG_TABLE);
    const items = callLog(size);
    await batchPut(dynamo.client, tableName, [...items, ...rollupsOf(items)]);
    const { client, reads } = countingClient(dynamo.endpoint);
    const api = createLocalApiHandler({
      dynamo: client,
      callLogTableName: tableName,
      // The cost of the call and report routes only: no management route is called.
      routingTableName: 'routing-unused',
      s3: s3.client,
      recordingsBucket: 'recordings',
      now: () => NOW,
      log: () => {},
    });
    apis[name] = { api, reads, client };
  }
}, 120_000);

afterAll(async () => {
  for (const { client } of Object.values(apis)) client.destroy();
  await s3?.close();
  await dynamo?.close();
});

/** Status, body and items read of one request against each log. */
const measure = async (path: string, query = '') => {
  const results: Record<string, { status: number; returned: number; reads: Reads; body: any }> = {};
  for (const [name, { api, reads }] of Object.entries(apis)) {
    reads.items = 0;
    reads.requests = 0;
    const result = await api(apiEvent({ path, query }));
    const body = JSON.parse(result.body ?? 'null');
    results[name] = {
      status: result.statusCode ?? 0,
      returned: body.items?.length ?? 0,
      reads: { ...reads },
      body,
    };
  }
  return results as Record<keyof typeof SIZES, (typeof results)[string]>;
};

describe('cost flat with history (1,000 vs 20,000 calls)', () => {
  it('a default page of GET /calls reads exactly the calls it returns', async () => {
    const m = await measure('/calls');
    console.log('GET /calls', JSON.stringify({ '1k': m['1k'].reads, '20k': m['20k'].reads }));
    for (const size of ['1k', '20k'] as const) {
      expect(m[size].status).toBe(200);
      expect(m[size].returned).toBe(100);
      expect(m[size].reads.items).toBe(100);
    }
    expect(m['20k'].body.items).toEqual(m['1k'].body.items);
    expect(m['20k'].reads).toEqual(m['1k'].reads);
  });

  it('a page filtered by location reads exactly the calls it returns, and so does the next page', async () => {
    const m = await measure('/calls', 'locationId=loc-2&limit=40');
    console.log(
      'GET /calls?locationId',
      JSON.stringify({ '1k': m['1k'].reads, '20k': m['20k'].reads }),
    );
    for (const size of ['1k', '20k'] as const) {
      expect(m[size].returned).toBe(40);
      expect(m[size].reads.items).toBe(40);
    }
    expect(m['20k'].reads).toEqual(m['1k'].reads);
    const cursor = encodeURIComponent(m['1k'].body.nextCursor);
    const next = await measure('/calls', `locationId=loc-2&limit=40&cursor=${cursor}`);
    // The 1k cursor is signed by the 1k API only: the 20k API refuses it.
    expect(next['1k'].returned).toBe(RECENT / LOCATIONS.length - 40);
    expect(next['1k'].reads.items).toBe(next['1k'].returned);
    expect(next['20k'].status).toBe(400);
  });

  it('a 30-day summary reads the same rollup rows whatever the history, one query per day', async () => {
    const m = await measure('/reports/summary', 'groupBy=location');
    console.log(
      'GET /reports/summary',
      JSON.stringify({ '1k': m['1k'].reads, '20k': m['20k'].reads }),
    );
    expect(m['1k'].body.totals.calls).toBe(RECENT);
    expect(m['20k'].body).toEqual(m['1k'].body);
    expect(m['1k'].reads.requests).toBe(30);
    expect(m['20k'].reads).toEqual(m['1k'].reads);
    // At most one row per day × location × source × number, never one per call.
    expect(m['1k'].reads.items).toBeLessThanOrEqual(RECENT);
  });

  it('a 365-day summary reads each whole month as one partition: 41 requests, and the totals of reading every day', async () => {
    const range = 'from=2025-11-27&to=2026-11-26';
    const year = await measure('/reports/summary', `groupBy=location&${range}`);
    const everyDay = await measure('/reports/summary', `groupBy=day&${range}`);
    const month = await measure('/reports/summary', 'groupBy=location');
    console.log(
      'GET /reports/summary 365 days',
      JSON.stringify({ '1k': year['1k'].reads, '20k': year['20k'].reads }),
    );
    for (const size of ['1k', '20k'] as const) {
      expect(year[size].status).toBe(200);
      // 4 days of November 2025, December to October as 11 month rows, 26 days of November.
      expect(year[size].reads.requests).toBe(4 + 11 + 26);
      expect(year[size].reads.requests).toBeLessThanOrEqual(2 * month[size].reads.requests);
      // By day, every day is read: the same totals from 365 partitions.
      expect(everyDay[size].reads.requests).toBe(365);
      expect(year[size].body.totals).toEqual(everyDay[size].body.totals);
      expect(year[size].body.totals.calls).toBeGreaterThan(month[size].body.totals.calls);
    }
    // The time series by month reads the same partitions; its points add up to the year's calls.
    const byMonth = await measure('/reports/timeseries', `interval=month&${range}`);
    for (const size of ['1k', '20k'] as const) {
      expect(byMonth[size].reads.requests).toBe(41);
      const points = byMonth[size].body.series[0].points as { t: string; calls: number }[];
      expect(points.map((p) => p.t)).toEqual([
        '2025-11-27',
        ...Array.from({ length: 12 }, (_, i) =>
          new Date(Date.UTC(2025, 11 + i, 1)).toISOString().slice(0, 10),
        ),
      ]);
      expect(points.reduce((n, p) => n + p.calls, 0)).toBe(year[size].body.totals.calls);
    }
  });

  it('a sparse filter stops at the read cap and answers with a cursor', async () => {
    // loc-1 (i % 5 = 0) is never dialed on +15125550101 (i % 10 = 1): the filter matches nothing,
    // so the tracking-number index is read until the range or the cap of 1,000 items ends.
    const query = 'from=2026-01-01&trackingNumber=%2B15125550101&locationId=loc-1';
    const m = await measure('/calls', query);
    const inRange = (size: number) =>
      callLog(size).filter((c) => c.dialed === '+15125550101' && c.startedAt >= '2026-01-01')
        .length;
    console.log(
      'GET /calls sparse',
      JSON.stringify({ '1k': m['1k'].reads, '20k': m['20k'].reads }),
    );
    for (const size of ['1k', '20k'] as const) expect(m[size].returned).toBe(0);
    expect(m['1k'].reads.items).toBe(inRange(1_000));
    expect(m['1k'].body.nextCursor).toBeUndefined();
    expect(m['20k'].reads.items).toBe(1_000);
    const cursor = encodeURIComponent(m['20k'].body.nextCursor);
    const { api, reads } = apis['20k'] as (typeof apis)[string];
    reads.items = 0;
    const next = await api(apiEvent({ path: '/calls', query: `${query}&cursor=${cursor}` }));
    expect(next.statusCode).toBe(200);
    expect(reads.items).toBe(inRange(20_000) - 1_000);
  });
});
