/**
 * route-call: cold start (the handler bundled exactly as it is deployed, lib/bundling.ts: its
 * size, and loading it in a fresh Node process against an empty handler module), warm latency of
 * the real core and lookup on local DynamoDB against a raw GetItem on the same table, and the time
 * to the fallback answer when DynamoDB hangs. Writes its section of BENCHMARKS.md.
 * Run: `npx tsx bench/route-call.ts`. Exits 1 when a target is missed.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { routingKey } from '../lambdas/adapters/dynamodb/routing-items.js';
import {
  createRoutingClient,
  createRoutingLookup,
  type RoutingLookup,
  routingTimeouts,
} from '../lambdas/adapters/dynamodb/routing-table-reader.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../lambdas/contracts/environment.js';
import { createRouteCall } from '../lambdas/use-cases/route-call.js';
import { LAMBDA_ESBUILD, ROUTE_CALL_BUNDLE_LIMIT_KB, ROUTE_CALL_ENTRY } from '../lib/bundling.js';
import { LOCAL_AWS } from '../local/dynamo.js';
import { startLocalRoutingSystem } from '../local/routing-system.js';
import { startSilentServer } from '../local/silent-server.js';
import {
  median,
  ms,
  PROJECT_ROOT,
  percentile,
  publish,
  type Row,
  ratio,
  row,
  withoutConsoleLog,
} from './report.js';

const RUNS = 31;
const WARMUP_RUNS = 2;
/** route-call's own share: its process (import) and its first answer against the SDK floor's. */
const OWN_COST_TARGET = 1.05;
const COLD_RUNS = 15;
const IMPORT_MS_TARGET = 100;
/** Warm calls measured per variant (after WARM_UP each), interleaved. */
const WARM_CALLS = 5_000;
const WARM_UP = 500;
const WARM_OVERHEAD_P99_TARGET_MS = 1;
const HANG_RUNS = 3;
const FALLBACK_TARGET_MS = 2_000;

/** Code that must not reach the bundle: the node credential chain the alias replaces. */
const FORBIDDEN_INPUTS = [
  'credential-provider-node',
  'credential-provider-ini',
  'credential-provider-sso',
  'credential-provider-process',
  'credential-provider-imds',
];

const workDir = mkdtempSync(path.join(os.tmpdir(), 'route-call-bench-'));
const bundleFile = path.join(workDir, 'index.mjs');
const emptyFile = path.join(workDir, 'empty.mjs');
const floorFile = path.join(workDir, 'floor.mjs');

/** The SDK floor: the least a GetItem handler with a module-scope client can load. */
const FLOOR_SOURCE = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = (key: Record<string, { S: string }>) =>
  client.send(new GetItemCommand({ TableName: process.env.ROUTING_TABLE_NAME, Key: key }));
`;

const childEnv = {
  PATH: process.env.PATH ?? '',
  NODE_NO_WARNINGS: '1',
  ROUTING_TABLE_NAME: 'bench-routing',
  AWS_REGION: 'us-east-1',
  // Lambda hands credentials over in these; the aliased provider reads nothing else.
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

interface ImportSample {
  readonly processMs: number;
  readonly importMs: number;
}

/** One fresh Node process that imports `file`: wall time of the process and time of the import. */
const importOnce = (file: string): ImportSample => {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t0));`;
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 10_000,
  });
  const processMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) {
    throw new Error(`importing ${file} failed (exit ${child.status}): ${child.stderr}`);
  }
  return { processMs, importMs: Number(child.stdout) };
};

/** The part of a Connect contact-flow event route-call reads: a call to `dialed`. */
const contactFlowEvent = (dialed: string) => ({
  Name: 'ContactFlowEvent',
  Details: {
    ContactData: {
      ContactId: 'bench',
      SystemEndpoint: { Address: dialed, Type: 'TELEPHONE_NUMBER' },
      CustomerEndpoint: { Address: '+15551230000', Type: 'TELEPHONE_NUMBER' },
    },
    Parameters: {},
  },
});

/** route-call's DynamoDB client and budget as the Lambda builds them, on `endpoint`. */
const routingClient = (endpoint: string): DynamoDBClient =>
  createRoutingClient({ ...routingTimeouts(DEFAULT_ROUTE_BUDGET_MS), ...LOCAL_AWS, endpoint });

interface WarmResult {
  readonly samples: Record<'uncached' | 'cached' | 'raw', number[]>;
  readonly status: string;
}

/**
 * Warm latency on dynalite (the portfolio's routing table): the real core over the real lookup
 * with its cache off (one GetItem per call, what the issue compares) and on (the default), against
 * a raw GetItem of the same key through the same client. Interleaved call by call, rotating order.
 */
const warmLatency = async (): Promise<WarmResult> => {
  const system = await startLocalRoutingSystem();
  const client = routingClient(system.dynamo.endpoint);
  try {
    const entry = system.entries[0];
    if (!entry) throw new Error('the portfolio has no tracking number');
    const event = contactFlowEvent(entry.trackingNumber) as unknown as ConnectContactFlowEvent;
    const lookupOf = (cacheTtlMs: number): RoutingLookup =>
      createRoutingLookup({
        client,
        tableName: system.tableName,
        budgetMs: DEFAULT_ROUTE_BUDGET_MS,
        cacheTtlMs,
        negativeCacheTtlMs: cacheTtlMs,
      });
    const uncached = createRouteCall({ lookup: lookupOf(0) });
    const cached = createRouteCall({ lookup: lookupOf(60_000) });
    const getItem = new GetItemCommand({
      TableName: system.tableName,
      Key: routingKey(entry.trackingNumber),
      ConsistentRead: false,
    });
    const status = String((await withoutConsoleLog(() => uncached(event))).status);
    const variants = {
      uncached: () => uncached(event),
      cached: () => cached(event),
      raw: () => client.send(getItem),
    };
    const names = Object.keys(variants) as (keyof typeof variants)[];
    const samples: WarmResult['samples'] = { uncached: [], cached: [], raw: [] };
    await withoutConsoleLog(async () => {
      for (let i = 0; i < WARM_UP + WARM_CALLS; i += 1) {
        for (let j = 0; j < names.length; j += 1) {
          const name = names[(i + j) % names.length] as keyof typeof variants;
          const started = performance.now();
          await variants[name]();
          if (i >= WARM_UP) samples[name].push(performance.now() - started);
        }
      }
    });
    return { samples, status };
  } finally {
    client.destroy();
    await system.close();
  }
};

/**
 * Time to the answer with DynamoDB hanging (a server that accepts and never answers): the real core,
 * lookup, client and budget; a fresh client per run, as a fresh container would have.
 */
const hangFallback = async (): Promise<{ statuses: string[]; times: number[] }> => {
  const silent = await startSilentServer();
  const statuses: string[] = [];
  const times: number[] = [];
  try {
    for (let i = 0; i < HANG_RUNS; i += 1) {
      const client = routingClient(silent.endpoint);
      const routeCall = createRouteCall({
        lookup: createRoutingLookup({
          client,
          tableName: 'routing',
          budgetMs: DEFAULT_ROUTE_BUDGET_MS,
        }),
      });
      const started = performance.now();
      const answer = await withoutConsoleLog(() =>
        routeCall(contactFlowEvent('+15125550100') as unknown as ConnectContactFlowEvent),
      );
      times.push(performance.now() - started);
      statuses.push(String(answer.status));
      client.destroy();
    }
  } finally {
    await silent.close();
  }
  return { statuses, times };
};

/** The first Intl.DateTimeFormat with a time zone in a fresh process: ICU loading its zone data. */
const timeZoneDataMs = (): number => {
  const script = `const t0 = performance.now(); new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: '2-digit' }).format(new Date()); process.stdout.write(String(performance.now() - t0));`;
  const times = Array.from({ length: RUNS }, () => {
    const child = spawnSync(process.execPath, ['-e', script], { env: childEnv, encoding: 'utf8' });
    return Number(child.stdout);
  });
  return median(times);
};

const execFileAsync = promisify(execFile);

/** Wall time of one fresh process that imports `file` and awaits `handler(argument)` once. */
const firstAnswerOnce = async (
  file: string,
  argument: unknown,
  env: Record<string, string>,
): Promise<{ ms: number; answer: string }> => {
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});
const answer = await handler(${JSON.stringify(argument)}, {});
process.stdout.write('\\n' + JSON.stringify(answer));`;
  const started = process.hrtime.bigint();
  // Asynchronous: the local DynamoDB answering it runs in this process.
  const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeout: 10_000,
  });
  return {
    ms: Number(process.hrtime.bigint() - started) / 1e6,
    answer: stdout.trim().split('\n').at(-1) ?? '',
  };
};

/**
 * Cold start to the first answer: process start, import, the first DynamoDB request on a new
 * connection and the answer, for the route-call bundle (a call to a tracking number of the
 * portfolio) and the SDK floor (a GetItem of the same routing entry), interleaved on one local
 * DynamoDB holding config/portfolio.yaml's routing table.
 */
const coldFirstAnswer = async (): Promise<{
  routeCall: number[];
  floor: number[];
  status: string;
  found: boolean;
}> => {
  const system = await startLocalRoutingSystem();
  try {
    const entry = system.entries[0];
    if (!entry) throw new Error('the portfolio has no tracking number');
    const env = {
      ...childEnv,
      ROUTING_TABLE_NAME: system.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: system.dynamo.endpoint,
      AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    };
    const variants = {
      routeCall: () => firstAnswerOnce(bundleFile, contactFlowEvent(entry.trackingNumber), env),
      floor: () => firstAnswerOnce(floorFile, routingKey(entry.trackingNumber), env),
    };
    const times = { routeCall: [] as number[], floor: [] as number[] };
    let status = '';
    let found = false;
    for (let i = 0; i < WARMUP_RUNS + COLD_RUNS; i += 1) {
      const order = i % 2 ? (['floor', 'routeCall'] as const) : (['routeCall', 'floor'] as const);
      for (const name of order) {
        const { ms: elapsed, answer } = await variants[name]();
        if (name === 'routeCall') status = String(JSON.parse(answer).status);
        else found = JSON.parse(answer).Item !== undefined;
        if (i >= WARMUP_RUNS) times[name].push(elapsed);
      }
    }
    return { ...times, status, found };
  } finally {
    await system.close();
  }
};

/**
 * Smoke test of the bundle itself: with DynamoDB unreachable it must still answer a call, with an
 * `error` status, through the aliased credential provider and the real SDK code paths.
 */
const smokeTest = (): { status: string; ms: number } => {
  const event = contactFlowEvent('+15125550100');
  const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundleFile).href)});
const t0 = performance.now();
const answer = await handler(${JSON.stringify(event)}, {});
process.stdout.write(JSON.stringify({ status: answer.status, ms: performance.now() - t0 }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    env: { ...childEnv, AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' },
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (child.status !== 0) throw new Error(`bundle smoke test failed: ${child.stderr}`);
  const lastLine = child.stdout.trim().split('\n').at(-1) ?? '';
  const marker = lastLine.lastIndexOf('{"status"');
  return JSON.parse(lastLine.slice(marker)) as { status: string; ms: number };
};

try {
  const result = await build({
    ...LAMBDA_ESBUILD,
    entryPoints: [ROUTE_CALL_ENTRY],
    outfile: bundleFile,
    metafile: true,
    logLevel: 'warning',
  });
  await build({
    ...LAMBDA_ESBUILD,
    stdin: { contents: FLOOR_SOURCE, resolveDir: PROJECT_ROOT, loader: 'ts' },
    outfile: floorFile,
    logLevel: 'warning',
  });
  writeFileSync(emptyFile, 'export const handler = async () => ({});\n');

  const inputs = Object.keys(result.metafile.inputs);
  const leaked = FORBIDDEN_INPUTS.filter((name) => inputs.some((input) => input.includes(name)));
  const sizeKb = statSync(bundleFile).size / 1024;

  const files = [bundleFile, emptyFile, floorFile];
  for (let i = 0; i < WARMUP_RUNS; i += 1) for (const file of files) importOnce(file);
  const samples = new Map<string, ImportSample[]>(files.map((file) => [file, []]));
  for (let i = 0; i < RUNS; i += 1) {
    // Interleaved, rotating which goes first, so drift and caching hit all of them alike.
    for (let j = 0; j < files.length; j += 1) {
      const file = files[(i + j) % files.length] ?? bundleFile;
      samples.get(file)?.push(importOnce(file));
    }
  }
  const medianOf = (file: string, pick: (s: ImportSample) => number) =>
    median((samples.get(file) ?? []).map(pick));
  const bundleProcess = medianOf(bundleFile, (s) => s.processMs);
  const emptyProcess = medianOf(emptyFile, (s) => s.processMs);
  const floorProcess = medianOf(floorFile, (s) => s.processMs);
  const bundleImport = medianOf(bundleFile, (s) => s.importMs);
  const emptyImport = medianOf(emptyFile, (s) => s.importMs);
  const floorImport = medianOf(floorFile, (s) => s.importMs);
  const floorSizeKb = statSync(floorFile).size / 1024;
  const ownImport = bundleProcess / floorProcess;
  const smoke = smokeTest();
  const cold = await coldFirstAnswer();
  const coldRouteCall = median(cold.routeCall);
  const coldFloor = median(cold.floor);
  const ownFirstAnswer = coldRouteCall / coldFloor;
  const zoneDataMs = timeZoneDataMs();

  const rows: Row[] = [
    {
      figure: 'bundle size, minified ESM',
      value: `${sizeKb.toFixed(1)} KB`,
      baseline: '-',
      ratio: '-',
      target: `<= ${ROUTE_CALL_BUNDLE_LIMIT_KB} KB`,
      met: sizeKb <= ROUTE_CALL_BUNDLE_LIMIT_KB,
    },
    {
      figure: `fresh node process importing it, median of ${RUNS}`,
      value: `${bundleProcess.toFixed(1)} ms`,
      baseline: `${floorProcess.toFixed(1)} ms (bare GetItem handler)`,
      ratio: `${ownImport.toFixed(3)}x`,
      target: `<= ${OWN_COST_TARGET}x`,
      met: ownImport <= OWN_COST_TARGET,
    },
    {
      figure: `import() alone in that process, median of ${RUNS}`,
      value: `${bundleImport.toFixed(1)} ms`,
      baseline: `${emptyImport.toFixed(1)} ms (empty handler)`,
      ratio: `${(bundleImport / emptyImport).toFixed(1)}x`,
      target: `<= ${IMPORT_MS_TARGET} ms`,
      met: bundleImport <= IMPORT_MS_TARGET,
    },
    {
      figure: 'for reference: bare GetItem handler, same settings (SDK floor)',
      value: `${floorProcess.toFixed(1)} ms process, ${floorImport.toFixed(1)} ms import`,
      baseline: `${emptyProcess.toFixed(1)} ms (empty handler)`,
      ratio: `${(floorProcess / emptyProcess).toFixed(2)}x`,
      target: `- (${floorSizeKb.toFixed(1)} KB)`,
      met: undefined,
    },
    {
      figure: `cold start to the first answer (process start to answer), median of ${COLD_RUNS}`,
      value: `${ms(coldRouteCall, 1)} (status=${cold.status})`,
      baseline: `${ms(coldFloor, 1)} (bare GetItem handler, item ${cold.found ? 'found' : 'MISSING'})`,
      ratio: `${ownFirstAnswer.toFixed(3)}x`,
      target: `<= ${OWN_COST_TARGET}x`,
      met: ownFirstAnswer <= OWN_COST_TARGET && cold.status === 'found' && cold.found,
    },
    {
      figure: 'node credential chain in bundle',
      value: leaked.length ? leaked.join(', ') : 'none',
      baseline: '-',
      ratio: '-',
      target: 'none',
      met: leaked.length === 0,
    },
    {
      figure: 'bundle answers with DynamoDB unreachable (connection refused)',
      value: `status=${smoke.status} in ${smoke.ms.toFixed(0)} ms`,
      baseline: '-',
      ratio: '-',
      target: 'status=error, < 2000 ms',
      met: smoke.status === 'error' && smoke.ms < 2000,
    },
  ];

  const warm = await warmLatency();
  const hang = await hangFallback();
  const p = (name: keyof WarmResult['samples'], at: number) => percentile(warm.samples[name], at);
  const overheadP50 = p('uncached', 50) - p('raw', 50);
  const overheadP99 = p('uncached', 99) - p('raw', 99);
  const hangMs = median(hang.times);
  rows.push(
    {
      figure: `warm route-call, cache off (1 GetItem per call), p50 / p99 of ${WARM_CALLS}`,
      value: `${ms(p('uncached', 50), 2)} / ${ms(p('uncached', 99), 2)} (status=${warm.status})`,
      baseline: `${ms(p('raw', 50), 2)} / ${ms(p('raw', 99), 2)} (raw GetItem)`,
      ratio: `+${overheadP50.toFixed(2)} / +${overheadP99.toFixed(2)} ms`,
      target: `p99 overhead <= ${WARM_OVERHEAD_P99_TARGET_MS} ms`,
      met: overheadP99 <= WARM_OVERHEAD_P99_TARGET_MS,
    },
    row({
      figure: `warm route-call, cache on (the default), p50 / p99 of ${WARM_CALLS}`,
      value: `${ms(p('cached', 50), 3)} / ${ms(p('cached', 99), 3)}`,
      baseline: `${ms(p('raw', 50), 2)} / ${ms(p('raw', 99), 2)} (raw GetItem)`,
      ratio: ratio(p('cached', 50) / p('raw', 50), 3),
    }),
    {
      figure: `fallback answer with DynamoDB hanging, median of ${HANG_RUNS}`,
      value: `status=${hang.statuses.join(',')} in ${ms(hangMs, 0)}`,
      baseline: `${DEFAULT_ROUTE_BUDGET_MS} ms (lookup budget)`,
      ratio: ratio(hangMs / DEFAULT_ROUTE_BUDGET_MS),
      target: `status=error, <= ${FALLBACK_TARGET_MS} ms`,
      met: hang.statuses.every((s) => s === 'error') && hangMs <= FALLBACK_TARGET_MS,
    },
  );

  publish({
    name: 'route-call',
    title: 'route-call',
    command: 'npx tsx bench/route-call.ts',
    notes: [
      'Bundle settings: `LAMBDA_ESBUILD` in lib/bundling.ts (esbuild JS API, minify, ESM, target node22, mainFields module/main, credential-provider-node aliased to an env-only provider).',
      `Process time is spawn to exit of \`node -e "await import(bundle)"\`, interleaved with the bare GetItem handler (the same bundling: the SDK floor) and an empty handler module, after ${WARMUP_RUNS} warm-up runs each; a local proxy for Lambda INIT, not INIT itself. Cold start to the first answer is spawn to exit of a process that imports the bundle and awaits one answer (route-call: a call to the portfolio's first tracking number; the floor: a GetItem of the same routing entry) on a local DynamoDB in the bench process, interleaved, after ${WARMUP_RUNS} warm-up runs each.`,
      `Warm latency: the real core (\`createRouteCall\`) over the real lookup and client (\`createRoutingLookup\`, \`createRoutingClient\`) on dynalite in this process, holding config/portfolio.yaml's routing table, one tracking number. The honest comparison with a raw GetItem is the uncached path (cache TTL 0: one GetItem per call, as on a cold key); the cached path (the deployed default, 60 s) is shown for reference. The three variants are interleaved call by call, after ${WARM_UP} warm-up calls each; the raw GetItem reads the same key through the same client. route-call's log line is built (JSON.stringify) but console.log is a no-op while measuring. The overhead is p50(route-call) - p50(raw) and p99(route-call) - p99(raw).`,
      `Fallback: DynamoDB is a local server that accepts connections and never answers (local/silent-server.ts); route-call's client and ${DEFAULT_ROUTE_BUDGET_MS} ms budget are the deployed ones.`,
    ],
    rows,
    after: [
      `route-call costs ${(bundleProcess - floorProcess).toFixed(1)} ms of process time over the SDK floor (${ownImport.toFixed(3)}x) and ${(coldRouteCall - coldFloor).toFixed(1)} ms to its first answer (${ownFirstAnswer.toFixed(3)}x). Against an empty handler the floor itself is ${(floorProcess / emptyProcess).toFixed(2)}x and route-call ${(bundleProcess / emptyProcess).toFixed(2)}x: that share is the SDK's, which the targets leave out.`,
      `Of route-call's first answer, ${zoneDataMs.toFixed(1)} ms (median of ${RUNS} fresh processes) is ICU loading its time zone data on the first \`Intl.DateTimeFormat\` with a \`timeZone\`: route-call needs it to tell a location's hours in its zone, the bare GetItem handler never loads it. Starting it while the GetItem is in flight (setImmediate) did not help: it blocks the event loop the request needs. Next step: routing entries that carry their zone's UTC offsets for the coming months, computed when the entry is written, so the call path needs no ICU.`,
    ],
  });
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
