/**
 * `cdk synth` wall time (the repo's cdk.json: the app, every Lambda bundled with esbuild, the
 * validation gates), against the CDK CLI starting and doing nothing (`cdk --version`), interleaved:
 * cold (a fresh output directory, every function bundled) and warm (again into the output of a
 * cold run, as the README's `cdk synth` into cdk.out is: bundles are reused by their inputs' hash,
 * lib/bundling.ts). Writes its section of BENCHMARKS.md. Run: `npx tsx bench/synth.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_INSTANCE_ARN } from '../lib/config/deploy-target.js';
import { median, ms, publish, ratio, row, timedRun, wallTime } from './report.js';

const RUNS = 3;
/** The developer loop: a synth after a change outside lambdas/, into the same cdk.out. */
const WARM_TARGET_MS = 12_000;

const workDir = mkdtempSync(path.join(os.tmpdir(), 'synth-bench-'));
try {
  const synth = (outDir: string) =>
    timedRun([
      'cdk',
      'synth',
      '--quiet',
      '-c',
      `connectInstanceArn=${EXAMPLE_INSTANCE_ARN}`,
      '--output',
      path.join(workDir, outDir),
    ]);
  const bundled = (stderr: string) => (stderr.match(/^Bundling asset /gm) ?? []).length;
  const cold: number[] = [];
  const warm: number[] = [];
  const floor: number[] = [];
  const warmBundles: number[] = [];
  let coldBundles = 0;
  for (let i = 0; i < RUNS; i += 1) {
    // Alternating which goes first; each warm run synthesizes into the cold run's output.
    const pair = [
      () => {
        const first = synth(`out-${i}`);
        cold.push(first.ms);
        coldBundles = bundled(first.stderr);
        const again = synth(`out-${i}`);
        warm.push(again.ms);
        warmBundles.push(bundled(again.stderr));
      },
      () => floor.push(wallTime(['cdk', '--version'])),
    ];
    if (i % 2) pair.reverse();
    for (const run of pair) run();
  }
  const coldMs = median(cold);
  const warmMs = median(warm);
  const floorMs = median(floor);
  const rebundled = Math.max(...warmBundles);
  publish({
    name: 'synth',
    title: 'cdk synth',
    command: 'npx tsx bench/synth.ts',
    notes: [
      `Wall time of \`npx cdk synth --quiet -c connectInstanceArn=<example instance> --output <dir>\` in the project root (cdk.json's app, \`node --import tsx bin/app.ts\`; offline: no lookups), median of ${RUNS}, interleaved with \`npx cdk --version\` (the CLI starting and doing nothing). Cold: a fresh output directory, so every Lambda is bundled with esbuild (lib/bundling.ts). Warm: again into that directory, as the README's synth into cdk.out runs after the first: each bundle's asset hash is the hash of its inputs (lambdas/, package-lock.json, tsconfig.json, the bundling settings), so an unchanged bundle is not built again. Both run the CloudFormation validation and cdk-nag gates.`,
    ],
    rows: [
      row({
        figure: `cdk synth --quiet, cold (${coldBundles} bundles built), median of ${RUNS}`,
        value: ms(coldMs, 0),
        baseline: `${ms(floorMs, 0)} (cdk --version)`,
        ratio: ratio(coldMs / floorMs, 1),
      }),
      row({
        figure: `cdk synth --quiet, warm (${rebundled} bundles built), median of ${RUNS}`,
        value: ms(warmMs, 0),
        baseline: `${ms(coldMs, 0)} (cold)`,
        ratio: ratio(warmMs / coldMs, 2),
        target: `≤ ${WARM_TARGET_MS / 1000} s, no bundle built`,
        met: warmMs <= WARM_TARGET_MS && rebundled === 0,
      }),
    ],
    after: [
      `Runs: cold ${cold.map((t) => ms(t, 0)).join(', ')}; warm ${warm.map((t) => ms(t, 0)).join(', ')}.`,
    ],
  });
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
