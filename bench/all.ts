/**
 * Every benchmark, one after the other, each in its own process (as it runs alone), then a summary
 * section at the top of BENCHMARKS.md. Exits 1 when any benchmark missed a target or failed.
 * Run: `npx tsx bench/all.ts` (`npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { machine, PROJECT_ROOT, writeSection } from './report.js';

const BENCHMARKS = ['route-call', 'ingest', 'api', 'synth', 'synth-scale'] as const;

const loadAtStart = os.loadavg()[0] ?? 0;
const started = performance.now();
const results = BENCHMARKS.map((name) => {
  const t0 = performance.now();
  // stdout is read for the `targets:` line, then passed on; stderr goes straight through.
  const child = spawnSync(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
    cwd: PROJECT_ROOT,
    stdio: ['inherit', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  process.stdout.write(child.stdout ?? '');
  const targets = /^targets: (\d+) met, (\d+) MISSED$/m.exec(child.stdout ?? '');
  const outcome =
    child.status === 0 && targets
      ? targets[1] === '0'
        ? 'measured (no target)'
        : `${targets[1]} target(s) met`
      : child.status === 1 && targets && targets[2] !== '0'
        ? `${targets[2]} target(s) MISSED, ${targets[1]} met (see its table)`
        : `FAILED (exit ${child.status ?? child.signal})`;
  return { name, ok: child.status === 0, outcome, seconds: (performance.now() - t0) / 1000 };
});
const totalMs = performance.now() - started;

const lines = results.map(
  ({ name, outcome, seconds }) => `- \`bench/${name}.ts\`: ${outcome}, ${seconds.toFixed(0)} s`,
);
console.log(`\n${lines.join('\n')}\ntotal ${(totalMs / 1000).toFixed(0)} s`);
writeSection(
  'all',
  [
    '## Summary',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npx tsx bench/all.ts\` (\`npm run bench\`) on ${machine()}; ${(totalMs / 1000).toFixed(0)} s in all; 1-minute load average ${loadAtStart.toFixed(1)} at the start and ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end (other processes share the machine). Each benchmark runs in its own process and can run alone (\`npx tsx bench/<name>.ts\`). Every figure stands beside a baseline measured in the same run, interleaved with it; the machine is a shared 2-core VM, so ratios are the figures to compare, not absolute times.`,
    '',
    ...lines,
  ].join('\n'),
  { first: true },
);
if (results.some((r) => !r.ok)) process.exitCode = 1;
