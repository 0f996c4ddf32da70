/**
 * `npm run import-records -- <file>` without its process (scripts/import-records.ts runs it on the
 * process's streams): backfills the call log from a JSON-lines file of contact records through the
 * same ingest code as the Kinesis stream. Exit 0 when every record was stored (or was already
 * there), 1 when some were refused or failed (each named with its line and reason) or the target
 * cannot be used, 2 for bad arguments.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { CliOutput } from './cli-output.js';
import {
  checkpointFileOf,
  countLines,
  progressView,
  removeCheckpoint,
  resumeLine,
  saveCheckpoint,
} from './import-progress.js';
import { type ImportReport, importContactRecords, problemLines } from './import-records.js';
import {
  checkTable,
  checkTargetArguments,
  openTarget,
  routingTableOf,
  TARGET_OPTIONS,
  TARGET_USAGE,
  UsageError,
} from './record-target.js';

const USAGE = `Usage: npm run import-records -- <file> [options]

Imports contact records (one JSON record per line, as Amazon Connect writes them to Kinesis or,
back to back, to Firehose) into the call log, through the same ingest as the live stream.
Importing a file again changes nothing. <file> may be - for standard input.
Records are imported in batches of 100, one batch at a time. Progress goes to standard error: a
bar with the rate and the time left on a terminal, a line every 5 s otherwise. An interrupted
import of a file goes on after the last line it finished when run again with the same file and
target (it keeps <file>.import-progress.json until it is done); --restart starts from the top.

${TARGET_USAGE}
Import:
  --restart            ignore the progress of an interrupted import and start from line 1
Output:
  --json               print the report as one JSON object
  -h, --help           print this help
`;

const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      json: { type: 'boolean' },
      restart: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError('give exactly one file to import (or -)');
  checkTargetArguments(values);
  return { help: false as const, file: positionals[0] as string, ...values };
};

const linesOf = (file: string): AsyncIterable<string> =>
  createInterface({
    input: file === '-' ? process.stdin : createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });

const formatReport = (report: ImportReport, target: string, resumedAfter: number): string => {
  const lines = [
    `Imported into ${target}${resumedAfter > 0 ? ` (the lines after ${resumedAfter})` : ''}:`,
    `  ${report.records} records on ${report.lines} lines`,
    `  ${report.written} stored or updated, ${report.unchanged} already in the call log`,
    `  ${report.refused.length} refused, ${report.failed.length} failed`,
    ...problemLines(report),
  ];
  return lines.join('\n');
};

const run = async (argv: readonly string[], output: CliOutput): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    output.stderr.write(`import-records: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    output.stdout.write(USAGE);
    return 0;
  }
  if (args.file !== '-') {
    try {
      await access(args.file);
    } catch {
      output.stderr.write(`import-records: cannot read ${args.file}: check the path\n`);
      return 2;
    }
  }
  const target = await openTarget(args);
  const fromFile = args.file !== '-';
  // Ctrl-C stops reading; the batches in flight finish and the checkpoint is kept.
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once('SIGINT', interrupt);
  try {
    await checkTable(target);
    const routingTableName = await routingTableOf(args, target);
    const skipLines =
      fromFile && !args.restart ? await resumeLine(args.file, target.description) : 0;
    if (skipLines > 0) {
      output.stderr.write(
        `import-records: going on after line ${skipLines}, where an interrupted import of this file stopped (${checkpointFileOf(args.file)}; --restart starts from line 1)\n`,
      );
    }
    const view = progressView(
      output.stderr as NodeJS.WritableStream & { isTTY?: boolean },
      fromFile ? await countLines(args.file) : undefined,
      skipLines,
    );
    let doneLine = skipLines;
    let doneRecords = 0;
    // Saved one after the other, each after the one before it.
    let saving = Promise.resolve();
    const report = await importContactRecords(linesOf(args.file), {
      client: target.client,
      tableName: target.tableName,
      skipLines,
      signal: stop.signal,
      onProgress: (sofar) => {
        doneRecords = sofar.written + sofar.unchanged + sofar.refused.length + sofar.failed.length;
        view.update(doneLine, doneRecords);
      },
      onCheckpoint: (line) => {
        doneLine = line;
        view.update(doneLine, doneRecords);
        if (fromFile)
          saving = saving.then(() => saveCheckpoint(args.file, target.description, line));
      },
      ...(target.retentionDays ? { retentionDays: target.retentionDays } : {}),
      callerHashKey: target.callerHashKey,
      ...(routingTableName ? { routingTableName } : {}),
      ...(target.prices ? { prices: target.prices } : {}),
      ...(target.publishEvents ? { publishEvents: target.publishEvents } : {}),
    });
    view.stop();
    const printReport = () =>
      output.stdout.write(
        args.json
          ? `${JSON.stringify({ target: target.description, ...report, resumedAfterLine: skipLines })}\n`
          : `${formatReport(report, target.description, skipLines)}\n`,
      );
    await saving;
    if (report.interruptedAfterLine !== undefined) {
      output.stderr.write(
        `import-records: interrupted; every line up to ${report.interruptedAfterLine} is imported${fromFile ? ': run the same command again to go on from there' : ''}\n`,
      );
      printReport();
      return 130;
    }
    // Done: refused and failed records are reported, and importing again retries them anyway.
    if (fromFile) await removeCheckpoint(args.file);
    printReport();
    return report.refused.length + report.failed.length === 0 ? 0 : 1;
  } finally {
    process.removeListener('SIGINT', interrupt);
    await target.close();
  }
};

/** The exit code; the report on `output.stdout`, problems on `output.stderr`. */
export const importRecordsMain = (argv: readonly string[], output: CliOutput): Promise<number> =>
  run(argv, output).catch((error: unknown) => {
    output.stderr.write(
      `import-records: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  });
