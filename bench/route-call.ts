/**
 * route-call cold-start proxy: bundles the handler exactly as it is deployed (lambdas/bundling.ts),
 * then measures the bundle size and the cost of loading it in a fresh Node process against an empty
 * handler module. Writes the table to BENCHMARKS.md. Run: `npx tsx bench/route-call.ts`.
 * Exits 1 when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import {
  LAMBDA_ESBUILD,
  ROUTE_CALL_BUNDLE_LIMIT_KB,
  ROUTE_CALL_ENTRY,
} from '../lambdas/bundling.js';

const RUNS = 15;
const WARMUP_RUNS = 2;
const PROCESS_RATIO_TARGET = 1.6;
const IMPORT_MS_TARGET = 100;
const COMMAND = 'npx tsx bench/route-call.ts';
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHMARKS_FILE = path.join(PROJECT_ROOT, 'BENCHMARKS.md');
const SECTION_START = '<!-- route-call:start -->';
const SECTION_END = '<!-- route-call:end -->';

/** Code that must not reach the bundle: the node credential chain the alias replaces. */
const FORBIDDEN_INPUTS = [
  'credential-provider-node',
  'credential-provider-ini',
  'credential-provider-sso',
  'credential-provider-process',
  'credential-provider-imds',
];

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
};

const workDir = mkdtempSync(path.join(os.tmpdir(), 'route-call-bench-'));
const bundleFile = path.join(workDir, 'index.mjs');
const emptyFile = path.join(workDir, 'empty.mjs');
const floorFile = path.join(workDir, 'floor.mjs');

/** The SDK floor: the least a GetItem handler with a module-scope client can load. */
const FLOOR_SOURCE = `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = (number: string) =>
  client.send(new GetItemCommand({ TableName: 'x', Key: { pk: { S: number } } }));
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

/**
 * Smoke test of the bundle itself: with DynamoDB unreachable it must still answer a call, with an
 * `error` status, through the aliased credential provider and the real SDK code paths.
 */
const smokeTest = (): { status: string; ms: number } => {
  const event = {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        ContactId: 'bench',
        SystemEndpoint: { Address: '+15125550100', Type: 'TELEPHONE_NUMBER' },
        CustomerEndpoint: { Address: '+15551230000', Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: {},
    },
  };
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

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** undefined: a reference figure with no target. */
  readonly met: boolean | undefined;
}

const table = (rows: readonly Row[]): string => {
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', 'met/missed'];
  const lines = rows.map((r) => [
    r.figure,
    r.value,
    r.baseline,
    r.ratio,
    r.target,
    r.met === undefined ? '-' : r.met ? 'met' : 'MISSED',
  ]);
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((cells) => (cells[i] ?? '').length)));
  const row = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    row(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...lines.map(row),
  ].join('\n');
};

const writeSection = (content: string): void => {
  let existing = '';
  try {
    existing = readFileSync(BENCHMARKS_FILE, 'utf8');
  } catch {
    existing = '# Benchmarks\n';
  }
  const section = `${SECTION_START}\n${content}\n${SECTION_END}`;
  const start = existing.indexOf(SECTION_START);
  const end = existing.indexOf(SECTION_END);
  const next =
    start >= 0 && end > start
      ? `${existing.slice(0, start)}${section}${existing.slice(end + SECTION_END.length)}`
      : `${existing.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS_FILE, next);
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
  const processRatio = bundleProcess / emptyProcess;
  const smoke = smokeTest();

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
      baseline: `${emptyProcess.toFixed(1)} ms (empty handler)`,
      ratio: `${processRatio.toFixed(2)}x`,
      target: `<= ${PROCESS_RATIO_TARGET}x`,
      met: processRatio <= PROCESS_RATIO_TARGET,
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
      figure: 'node credential chain in bundle',
      value: leaked.length ? leaked.join(', ') : 'none',
      baseline: '-',
      ratio: '-',
      target: 'none',
      met: leaked.length === 0,
    },
    {
      figure: 'bundle answers with DynamoDB unreachable',
      value: `status=${smoke.status} in ${smoke.ms.toFixed(0)} ms`,
      baseline: '-',
      ratio: '-',
      target: 'status=error, < 2000 ms',
      met: smoke.status === 'error' && smoke.ms < 2000,
    },
  ];

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `Node ${process.version}, ${cpu} x ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`;
  const rendered = table(rows);
  const overFloor = `route-call costs ${(bundleProcess - floorProcess).toFixed(1)} ms of process time over the SDK floor (${(bundleProcess / floorProcess).toFixed(2)}x).`;
  console.log(rendered);
  console.log(`\n${overFloor}\n${machine}`);

  writeSection(
    [
      '## route-call cold-start proxy',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`${COMMAND}\` on ${machine}.`,
      `Bundle settings: \`LAMBDA_ESBUILD\` in lambdas/bundling.ts (esbuild JS API, minify, ESM, target node22, mainFields module/main, credential-provider-node aliased to an env-only provider).`,
      `Process time is spawn to exit of \`node -e "await import(bundle)"\`, interleaved with an empty handler module, after ${WARMUP_RUNS} warm-up runs each; a local proxy for Lambda INIT, not INIT itself.`,
      '',
      rendered,
      '',
      overFloor,
    ].join('\n'),
  );

  if (rows.some((r) => r.met === false)) process.exitCode = 1;
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
