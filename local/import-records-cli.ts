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

${TARGET_USAGE}
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

const formatReport = (report: ImportReport, target: string): string => {
  const lines = [
    `Imported into ${target}:`,
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
  try {
    await checkTable(target);
    const routingTableName = await routingTableOf(args, target);
    const report = await importContactRecords(linesOf(args.file), {
      client: target.client,
      tableName: target.tableName,
      ...(target.retentionDays ? { retentionDays: target.retentionDays } : {}),
      callerHashKey: target.callerHashKey,
      ...(routingTableName ? { routingTableName } : {}),
      ...(target.prices ? { prices: target.prices } : {}),
      ...(target.publishEvents ? { publishEvents: target.publishEvents } : {}),
    });
    output.stdout.write(
      args.json
        ? `${JSON.stringify({ target: target.description, ...report })}\n`
        : `${formatReport(report, target.description)}\n`,
    );
    return report.refused.length + report.failed.length === 0 ? 0 : 1;
  } finally {
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
