import { createReadStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { SingleBar } from 'cli-progress';

/**
 * What a long import shows and keeps: a progress bar with its rate and ETA on a terminal (plain
 * lines, at most one every 5 s, when the output is a file or a pipe), and a checkpoint beside the
 * imported file so that a run interrupted part-way goes on from where it stopped.
 */

/** Lines of a file (newlines, and a last line without one), counted without holding the file. */
export const countLines = async (file: string): Promise<number> => {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (const byte of chunk) if (byte === 10) lines += 1;
    last = chunk.at(-1) ?? last;
  }
  return last === 10 ? lines : lines + 1;
};

export interface ProgressView {
  /** `line` of `total` lines read and imported, `records` records so far. */
  update(line: number, records: number): void;
  stop(): void;
}

const PLAIN_EVERY_MS = 5_000;

const eta = (seconds: number): string =>
  !Number.isFinite(seconds)
    ? '?'
    : seconds < 90
      ? `${Math.round(seconds)} s`
      : `${Math.round(seconds / 60)} min`;

/** The progress of an import on `stream`: a bar on a terminal, plain lines elsewhere. */
export const progressView = (
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  total: number | undefined,
  startLine: number,
  now: () => number = Date.now,
): ProgressView => {
  const started = now();
  /** Per second since the start. */
  const rate = (count: number) => count / Math.max((now() - started) / 1000, 0.001);
  /** The time left to read the lines after `line`, at the pace since the start. */
  const left = (line: number, of: number) => eta((of - line) / rate(line - startLine));
  if (stream.isTTY && total !== undefined) {
    const bar = new SingleBar({
      stream,
      format: 'import |{bar}| {percentage}% | {value}/{total} lines | {rate} records/s | ETA {eta}',
      hideCursor: true,
      etaBuffer: 50,
    });
    bar.start(total, startLine, { rate: '0', eta: '?' });
    return {
      update: (line, records) => {
        bar.update(line, { rate: rate(records).toFixed(0), eta: left(line, total) });
      },
      stop: () => bar.stop(),
    };
  }
  let lastShown = started;
  return {
    update: (line, records) => {
      if (now() - lastShown < PLAIN_EVERY_MS) return;
      lastShown = now();
      const of = total === undefined ? '' : `/${total}`;
      const time = total === undefined ? '' : `, ETA ${left(line, total)}`;
      stream.write(
        `import-records: line ${line}${of}, ${records} records, ${rate(records).toFixed(0)} records/s${time}\n`,
      );
    },
    stop: () => {},
  };
};

/** Where an import of `file` into `target` keeps how far it got, and what it must match. */
export interface Checkpoint {
  readonly file: string;
  readonly size: number;
  readonly modifiedMs: number;
  readonly target: string;
  /** Every line up to this one is imported. */
  readonly line: number;
}

export const checkpointFileOf = (file: string): string => `${file}.import-progress.json`;

/** The line to go on after: the checkpoint's, when it is of this very file and target; else 0. */
export const resumeLine = async (file: string, target: string): Promise<number> => {
  const saved = await readFile(checkpointFileOf(file), 'utf8').catch(() => undefined);
  if (saved === undefined) return 0;
  const info = await stat(file);
  try {
    const checkpoint = JSON.parse(saved) as Checkpoint;
    const same =
      checkpoint.size === info.size &&
      checkpoint.modifiedMs === info.mtimeMs &&
      checkpoint.target === target &&
      Number.isInteger(checkpoint.line);
    return same ? checkpoint.line : 0;
  } catch {
    return 0;
  }
};

/** Saves how far the import got (a whole file replaced at once: never half written). */
export const saveCheckpoint = async (file: string, target: string, line: number): Promise<void> => {
  const info = await stat(file);
  const checkpoint: Checkpoint = {
    file,
    size: info.size,
    modifiedMs: info.mtimeMs,
    target,
    line,
  };
  const path = checkpointFileOf(file);
  await writeFile(`${path}.tmp`, `${JSON.stringify(checkpoint)}\n`);
  await rename(`${path}.tmp`, path);
};

export const removeCheckpoint = (file: string): Promise<void> =>
  rm(checkpointFileOf(file), { force: true });
