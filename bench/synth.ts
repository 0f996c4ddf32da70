/**
 * `cdk synth` wall time (the repo's cdk.json: the app, every Lambda bundled with esbuild, the
 * validation gates), against the CDK CLI starting and doing nothing (`cdk --version`), interleaved.
 * Writes its section of BENCHMARKS.md. Run: `npx tsx bench/synth.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE_INSTANCE_ARN } from '../lib/config/deploy-target.js';
import { median, ms, publish, ratio, row, wallTime } from './report.js';

const RUNS = 3;

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
