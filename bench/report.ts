/**
 * What every benchmark shares: statistics, the results table, the machine line and the writing of
 * one marked section of BENCHMARKS.md per benchmark (so each can run alone and keep the others).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCHMARKS_FILE = path.join(PROJECT_ROOT, 'BENCHMARKS.md');

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
};

/** Nearest-rank percentile (p in 0..100): a value that was really measured. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
};

export const ms = (value: number, digits = 1): string => `${value.toFixed(digits)} ms`;
export const ratio = (value: number, digits = 2): string => `${value.toFixed(digits)}x`;

export interface Row {
  readonly figure: string;
  readonly value: string;
  readonly baseline: string;
  readonly ratio: string;
  readonly target: string;
  /** undefined: a reference figure with no target. */
  readonly met: boolean | undefined;
}

/** A reference row: no baseline ratio or target unless given. */
export const row = (fields: Partial<Row> & Pick<Row, 'figure' | 'value'>): Row => ({
  baseline: '-',
  ratio: '-',
  target: '-',
  met: undefined,
  ...fields,
});

export const table = (rows: readonly Row[]): string => {
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
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...lines.map(line),
  ].join('\n');
};

export const machine = (): string => {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${cpu} x ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`;
};

/**
 * Replaces the section between `<!-- name:start -->` and `<!-- name:end -->`; a new one is
 * appended, or put right under the title with `first`.
 */
export const writeSection = (name: string, content: string, { first = false } = {}): void => {
  const startMark = `<!-- ${name}:start -->`;
  const endMark = `<!-- ${name}:end -->`;
  let existing = '';
  try {
    existing = readFileSync(BENCHMARKS_FILE, 'utf8');
  } catch {
    existing = '# Benchmarks\n';
  }
  const section = `${startMark}\n${content}\n${endMark}`;
  const start = existing.indexOf(startMark);
  const end = existing.indexOf(endMark);
  const next =
    start >= 0 && end > start
      ? `${existing.slice(0, start)}${section}${existing.slice(end + endMark.length)}`
      : first
        ? existing.replace(
            /^(# [^\n]*\n)?/,
            (title) => `${title || '# Benchmarks\n'}\n${section}\n`,
          )
        : `${existing.trimEnd()}\n\n${section}\n`;
  writeFileSync(BENCHMARKS_FILE, next);
};

export interface Report {
  /** The section's marker name, e.g. `route-call`. */
  readonly name: string;
  readonly title: string;
  /** The command that measures this section alone. */
  readonly command: string;
  /** How the figures were measured, one paragraph each. */
  readonly notes: readonly string[];
  readonly rows: readonly Row[];
  /** Lines after the table (findings, explanations). */
  readonly after?: readonly string[];
}

/**
 * Prints the table, writes the section, and sets exit code 1 when a target is missed (the
 * section still records the miss: it is never hidden).
 */
export const publish = (report: Report): void => {
  const rendered = table(report.rows);
  const missed = report.rows.filter((r) => r.met === false).length;
  const met = report.rows.filter((r) => r.met === true).length;
  console.log(`\n${report.title}\n${rendered}`);
  for (const line of report.after ?? []) console.log(line);
  // bench/all.ts reads this line to tell a missed target from a crash.
  console.log(`targets: ${met} met, ${missed} MISSED`);
  writeSection(
    report.name,
    [
      `## ${report.title}`,
      '',
      `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\` on ${machine()}.`,
      '',
      report.notes.join('\n\n'),
      '',
      rendered,
      ...(report.after?.length ? ['', ...report.after] : []),
    ].join('\n'),
  );
  if (missed > 0) process.exitCode = 1;
};

/** Swaps console.log for a no-op while `run` runs: handlers log one line per call. */
export const withoutConsoleLog = async <T>(run: () => Promise<T>): Promise<T> => {
  const original = console.log;
  console.log = () => {};
  try {
    return await run();
  } finally {
    console.log = original;
  }
};

/** Wall time of one `npx` command in the project root; throws with its output when it fails. */
export const wallTime = (args: readonly string[], timeoutMs = 180_000): number =>
  timedRun(args, timeoutMs).ms;

/** Wall time and standard error of one `npx` command; throws with its output when it fails. */
export const timedRun = (
  args: readonly string[],
  timeoutMs = 180_000,
): { readonly ms: number; readonly stderr: string } => {
  const started = performance.now();
  const child = spawnSync('npx', args, {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
    timeout: timeoutMs,
  });
  const elapsed = performance.now() - started;
  if (child.status !== 0) {
    throw new Error(`npx ${args.join(' ')} failed (${child.status}): ${child.stderr}`);
  }
  return { ms: elapsed, stderr: child.stderr };
};
