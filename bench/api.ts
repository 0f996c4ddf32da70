/**
 * API under concurrent load: `GET /calls` (one page) and `GET /reports/summary?groupBy=location`,
 * p50 / p99 with 1,000 vs 20,000 calls in the log, autocannon on 127.0.0.1. The server side
 * (dynalite, the real API) runs in its own process (bench/api-target.ts), the load generator here.
 * Writes its section of BENCHMARKS.md. Run: `npx tsx bench/api.ts`. Exits 1 when a target is missed.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { API_PATHS, type ApiSize, type ApiTargetReady } from './api-target.js';
import { ms, percentile, publish, type Row, ratio, row } from './report.js';

const CONNECTIONS = 10;
const ROUNDS = 8;
const RATIO_TARGET = 1.2;

interface Route {
  readonly path: string;
  /** Requests per size per round (the summary is ~5x the work of a page: fewer of it). */
  readonly perRound: number;
  readonly warmUp: number;
  /**
   * The range holds the same calls in both logs (the last 30 days), so reads and latency must not
   * grow with history; a year's range holds more of the larger log's history: no such target.
   */
  readonly flatWithHistory: boolean;
}

const MONTH_SUMMARY = '/reports/summary?groupBy=location';
const YEAR_SUMMARY = API_PATHS[2];
/** A 365-day summary against a 30-day one, in requests and in p50. */
const YEAR_TARGET = 2;

const ROUTES: readonly Route[] = [
  { path: '/calls', perRound: 250, warmUp: 200, flatWithHistory: true },
  { path: MONTH_SUMMARY, perRound: 50, warmUp: 40, flatWithHistory: true },
  { path: YEAR_SUMMARY, perRound: 30, warmUp: 20, flatWithHistory: false },
];

const SIZES: readonly ApiSize[] = ['1k', '20k'];

interface Run {
  readonly latencies: number[];
  readonly failures: number;
  readonly seconds: number;
}

/** One bounded autocannon run; latencies of every response, in ms (autocannon's hrtime). */
const load = async (url: string, token: string, amount: number): Promise<Run> => {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        amount,
        timeout: 30,
        headers: { authorization: `Bearer ${token}` },
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  return {
    latencies,
    failures: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
  };
};

const target = spawn(process.execPath, ['--import', 'tsx', 'bench/api-target.ts'], {
  cwd: new URL('..', import.meta.url),
  stdio: ['pipe', 'pipe', 'inherit'],
  env: { ...process.env, NODE_NO_WARNINGS: '1' },
});
const exited = once(target, 'exit');
try {
  const [line] = (await Promise.race([
    once(createInterface({ input: target.stdout }), 'line'),
    exited.then(([code]) => {
      throw new Error(`bench/api-target.ts exited (${code}) before serving`);
    }),
  ])) as [string];
  const ready = JSON.parse(line) as ApiTargetReady;

  const rows: Row[] = [];
  const findings: string[] = [];
  const p50s = new Map<string, Record<ApiSize, number>>();
  for (const route of ROUTES) {
    const runs: Record<ApiSize, Run[]> = { '1k': [], '20k': [] };
    for (const size of SIZES)
      await load(`${ready.urls[size]}${route.path}`, ready.token, route.warmUp);
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternating which size goes first, so drift hits both alike.
      const order = round % 2 ? [...SIZES].reverse() : SIZES;
      for (const size of order) {
        runs[size].push(
          await load(`${ready.urls[size]}${route.path}`, ready.token, route.perRound),
        );
      }
    }
    const stats = (size: ApiSize) => {
      const latencies = runs[size].flatMap((r) => r.latencies);
      const seconds = runs[size].reduce((sum, r) => sum + r.seconds, 0);
      return {
        count: latencies.length,
        failures: runs[size].reduce((sum, r) => sum + r.failures, 0),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        perSecond: latencies.length / seconds,
      };
    };
    const small = stats('1k');
    const large = stats('20k');
    p50s.set(route.path, { '1k': small.p50, '20k': large.p50 });
    const p50Ratio = large.p50 / small.p50;
    const p99Ratio = large.p99 / small.p99;
    const name = `GET ${route.path}`;
    rows.push(
      {
        figure: `${name}, 20k calls, p50 / p99 of ${large.count}`,
        value: `${ms(large.p50)} / ${ms(large.p99)}`,
        baseline: `${ms(small.p50)} / ${ms(small.p99)} (1k calls)`,
        ratio: `${ratio(p50Ratio)} / ${ratio(p99Ratio)}`,
        target: route.flatWithHistory ? `<= ${RATIO_TARGET}x` : '-',
        met: route.flatWithHistory
          ? p50Ratio <= RATIO_TARGET && p99Ratio <= RATIO_TARGET && large.failures === 0
          : undefined,
      },
      row({
        figure: `${name}, throughput at ${CONNECTIONS} connections`,
        value: `${large.perSecond.toFixed(0)} req/s${large.failures ? `, ${large.failures} failed` : ''}`,
        baseline: `${small.perSecond.toFixed(0)} req/s (1k calls)${small.failures ? `, ${small.failures} failed` : ''}`,
        ratio: ratio(large.perSecond / small.perSecond),
      }),
    );
    const reads = (size: ApiSize) => ready.reads[size][route.path];
    rows.push(
      row({
        figure: `${name}, DynamoDB reads per request (items / requests)`,
        value: `${reads('20k')?.items} / ${reads('20k')?.requests} (20k calls)`,
        baseline: `${reads('1k')?.items} / ${reads('1k')?.requests} (1k calls)`,
        ratio: ratio((reads('20k')?.items ?? Number.NaN) / (reads('1k')?.items ?? Number.NaN)),
      }),
    );
    // Per-round p99s: a tail that one round alone makes is noise, not growth with history.
    const roundP99 = (size: ApiSize) => runs[size].map((r) => ms(percentile(r.latencies, 99), 0));
    const sameReads =
      JSON.stringify(ready.reads['1k'][route.path]) ===
      JSON.stringify(ready.reads['20k'][route.path]);
    if (route.flatWithHistory && p50Ratio > RATIO_TARGET) {
      findings.push(
        `${name}: the median grows with history (${ratio(p50Ratio)}) ${sameReads ? 'although DynamoDB reads the same items with the same requests for both logs, so the growth is in the local DynamoDB (dynalite keeps each table in a sorted in-memory LevelDB, memdown: every seek is O(log n) in the items of the table), not in what the API asks of DynamoDB' : 'and DynamoDB reads differ between the logs: the API reads more with more history'}.`,
      );
    }
    if (route.flatWithHistory && p99Ratio > RATIO_TARGET && p50Ratio <= RATIO_TARGET) {
      findings.push(
        `${name}: p99 misses (${ratio(p99Ratio)}) while the median does not (${ratio(p50Ratio)}) and DynamoDB reads ${sameReads ? 'are the same for both logs' : 'differ'}. The p99 of each round (1k: ${roundP99('1k').join(', ')}; 20k: ${roundP99('20k').join(', ')}) shows whether the tail comes from a few rounds (stalls of this shared machine: garbage collection, other processes) or from every round of the large log.`,
      );
    }
  }

  for (const size of SIZES) {
    const year = ready.reads[size][YEAR_SUMMARY];
    const month = ready.reads[size][MONTH_SUMMARY];
    const requestRatio = (year?.requests ?? Number.NaN) / (month?.requests ?? Number.NaN);
    const p50Ratio =
      (p50s.get(YEAR_SUMMARY)?.[size] ?? Number.NaN) /
      (p50s.get(MONTH_SUMMARY)?.[size] ?? Number.NaN);
    rows.push({
      figure: `GET /reports/summary?groupBy=location, 365 vs 30 days, ${size} calls: requests / p50`,
      value: `${year?.requests} / ${ms(p50s.get(YEAR_SUMMARY)?.[size] ?? Number.NaN)}`,
      baseline: `${month?.requests} / ${ms(p50s.get(MONTH_SUMMARY)?.[size] ?? Number.NaN)} (30 days)`,
      ratio: `${ratio(requestRatio)} / ${ratio(p50Ratio)}`,
      target: `<= ${YEAR_TARGET}x both`,
      met: requestRatio <= YEAR_TARGET && p50Ratio <= YEAR_TARGET,
    });
  }

  publish({
    name: 'api',
    title: 'API under concurrent load, 1,000 vs 20,000 calls',
    command: 'npx tsx bench/api.ts',
    notes: [
      `Two call logs, each on its own in-memory dynalite (${ready.seeded['1k']} and ${ready.seeded['20k']} items: 1,000 and 20,000 calls with their daily rollups and month rows, written with BatchWriteItem by the cost test's own seeding, local/seed-call-log.ts); the last 30 days hold the same 300 calls in both, the rest is older history. The real API (\`createLocalApiHandler\` behind \`startLocalApi\`, bearer token with the read scope) serves each on 127.0.0.1, in a separate process from the load generator, so each has a core.`,
      `autocannon, ${CONNECTIONS} connections, bounded by request count: ${ROUTES.map((r) => `${r.path} ${ROUNDS} rounds of ${r.perRound}`).join(', ')} per log, rounds alternating which log goes first, after a warm-up run each. Latency is autocannon's per-response time (hrtime), percentiles over every response of a log. With ${CONNECTIONS} connections on a single-threaded server, p50 is mostly queueing: ${CONNECTIONS}x the service time. The reads row is what one request read from DynamoDB, counted by a client middleware (the cost test asserts these are equal). The 365-day summary (2025-11-27 to 2026-11-26) reads each whole month as its month rows: 4 + 11 + 26 partitions instead of 365.`,
    ],
    rows,
    after: findings,
  });
} finally {
  // Closing its stdin makes the target close its servers and exit.
  target.stdin.end();
  await exited;
}
