/**
 * `cdk synth` wall time (the repo's cdk.json: the app, every Lambda bundled with esbuild, the
 * validation gates), against the CDK CLI starting and doing nothing (`cdk --version`), interleaved.
 * Writes its section of BENCHMARKS.md. Run: `npx tsx bench/synth.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_INSTANCE_ARN } from '../lib/config/deploy-target.js';
import { median, ms, PROJECT_ROOT, publish, ratio, row } from './report.js';

const RUNS = 3;

/** Wall time of one command in the project root; throws with its output when it fails. */
const wallTime = (args: readonly string[]): number => {
  const started = performance.now();
  const child = spawnSync('npx', args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    timeout: 180_000,
  });
  const elapsed = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(`npx ${args.join(' ')} failed (${child.status}): ${child.stderr}`);
  }
  return elapsed;
};

const workDir = mkdtempSync(path.join(os.tmpdir(), 'synth-bench-'));
try {
  // A fresh output directory per run: CDK skips bundling an asset already staged there.
  const synth = (run: number) => [
    'cdk',
    'synth',
    '--quiet',
    '-c',
    `connectInstanceArn=${EXAMPLE_INSTANCE_ARN}`,
    '--output',
    path.join(workDir, `out-${run}`),
  ];
  const floor = ['cdk', '--version'];
  const synthTimes: number[] = [];
  const floorTimes: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Alternating which goes first; the first synth also warms the disk cache for the second.
    const pair = [
      () => synthTimes.push(wallTime(synth(i))),
      () => floorTimes.push(wallTime(floor)),
    ];
    if (i % 2) pair.reverse();
    for (const run of pair) run();
  }
  const synthMs = median(synthTimes);
  const floorMs = median(floorTimes);
  publish({
    name: 'synth',
    title: 'cdk synth',
    command: 'npx tsx bench/synth.ts',
    notes: [
      `Wall time of \`npx cdk synth --quiet -c connectInstanceArn=<example instance> --output <fresh tmp dir>\` in the project root (cdk.json's app, \`node --import tsx bin/app.ts\`; offline: no lookups), median of ${RUNS}, interleaved with \`npx cdk --version\` (the CLI starting and doing nothing). Synth bundles every Lambda with esbuild (lib/bundling.ts) and runs the CloudFormation validation and cdk-nag gates; there is no target.`,
    ],
    rows: [
      row({
        figure: `cdk synth --quiet, median of ${RUNS}`,
        value: ms(synthMs, 0),
        baseline: `${ms(floorMs, 0)} (cdk --version)`,
        ratio: ratio(synthMs / floorMs, 1),
      }),
    ],
    after: [`Runs: synth ${synthTimes.map((t) => ms(t, 0)).join(', ')}.`],
  });
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
