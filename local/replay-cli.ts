/**
 * `npm run replay` without its process (scripts/replay.ts runs it on the process's streams): puts
 * contact records back through the same idempotent ingest as the live stream, from the archive
 * (a range of days), the ingest's failure queue, or a JSON-lines file, into the local system or a
 * deployed table. Exit 0 when every record was stored (or was already there), 1 when some were
 * refused, failed or could not be read back (each named with where it came from and why), 2 for
 * bad arguments.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CONTACT_RECORD_ARCHIVE_PREFIX } from '../lambdas/contracts/contact-record-archive.js';
import type { CliOutput } from './cli-output.js';
import { type ImportProblem, importContactRecords, problemLines } from './import-records.js';
import {
  checkTable,
  checkTargetArguments,
  openTarget,
  routingTableOf,
  TARGET_OPTIONS,
  TARGET_USAGE,
  UsageError,
} from './record-target.js';
import { archiveBatches, archiveDays, queueBatches, type RecordBatch } from './replay-sources.js';
import { localS3Client } from './s3.js';

const DEFAULT_ARCHIVE_PREFIX = CONTACT_RECORD_ARCHIVE_PREFIX;

const USAGE = `Usage: npm run replay -- <source> [options]

Puts contact records back through the same ingest as the live stream (idempotent: replaying
twice changes nothing), with progress on stderr and the reason for every refusal.

Source (exactly one):
  --archive <bucket>[/<prefix>]
                       the contact-record archive (the data stack's ContactRecordArchiveBucketName
                       output; prefix default ${DEFAULT_ARCHIVE_PREFIX}), with
    --from <YYYY-MM-DD>  the first day (UTC) to replay
    --to <YYYY-MM-DD>    the last day (default: --from)
    --s3-endpoint <url>  a local S3 (s3rver) instead of AWS
  --queue <url>        the ingest's failure queue (the telephony stack's ingest Failures queue):
                       malformed records, and batches read back from the stream while it still
                       holds them (7 days); a message is deleted once all its records are stored
  --file <path>        a JSON-lines file of contact records (as import-records)

${TARGET_USAGE}
Output:
  --json               print the report as one JSON object
  -h, --help           print this help
`;

type Source =
  | {
      readonly kind: 'archive';
      readonly bucket: string;
      readonly prefix: string;
      readonly days: string[];
    }
  | { readonly kind: 'queue'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string };

const sourceOf = (values: {
  archive?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  queue?: string | undefined;
  file?: string | undefined;
}): Source => {
  const given = [values.archive, values.queue, values.file].filter((v) => v !== undefined);
  if (given.length !== 1) {
    throw new UsageError('give exactly one source: --archive, --queue or --file');
  }
  if (values.archive !== undefined) {
    if (values.from === undefined) throw new UsageError('--archive needs --from <YYYY-MM-DD>');
    const [bucket, ...rest] = values.archive.replace(/^s3:\/\//, '').split('/');
    if (!bucket) throw new UsageError(`--archive ${values.archive} names no bucket`);
    const prefix = rest.join('/');
    let days: string[];
    try {
      days = archiveDays(values.from, values.to ?? values.from);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return {
      kind: 'archive',
      bucket,
      prefix: prefix === '' ? DEFAULT_ARCHIVE_PREFIX : prefix.endsWith('/') ? prefix : `${prefix}/`,
      days,
    };
  }
  if (values.from !== undefined || values.to !== undefined) {
    throw new UsageError('--from and --to go with --archive');
  }
  if (values.queue !== undefined) {
    if (!/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/[\w-]+$/.test(values.queue)) {
      throw new UsageError(
        `--queue ${values.queue} is not an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/name`,
      );
    }
    return { kind: 'queue', url: values.queue };
  }
  return { kind: 'file', path: values.file as string };
};

const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      archive: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      's3-endpoint': { type: 'string' },
      queue: { type: 'string' },
      file: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length > 0) {
    throw new UsageError(`unexpected ${positionals.join(' ')}: name the source with --file`);
  }
  checkTargetArguments(values);
  const source = sourceOf(values);
  if (values['s3-endpoint'] !== undefined && source.kind !== 'archive') {
    throw new UsageError('--s3-endpoint goes with --archive');
  }
  return { help: false as const, source, ...values };
};

type Arguments = Exclude<ReturnType<typeof parse>, { help: true }>;

/** The AWS clients the source needs, and how it reads. */
const batchesOf = async (
  args: Arguments,
): Promise<{ batches: AsyncIterable<RecordBatch>; close: () => void }> => {
  const region = args.region ? { region: args.region } : {};
  if (args.profile) process.env.AWS_PROFILE = args.profile;
  const { source } = args;
  if (source.kind === 'file') {
    await access(source.path).catch(() => {
      throw new UsageError(`cannot read ${source.path}: check the path`);
    });
    const lines = createInterface({
      input: createReadStream(source.path, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    return {
      batches: (async function* () {
        yield { source: source.path, lines };
      })(),
      close: () => {},
    };
  }
  if (source.kind === 'archive') {
    const endpoint = args['s3-endpoint'];
    const s3 = endpoint ? localS3Client(endpoint) : new S3Client(region);
    return {
      batches: archiveBatches(s3, source.bucket, source.prefix, source.days),
      close: () => s3.destroy(),
    };
  }
  // The queue's region is in its URL; the stream it points to is in the same region.
  const queueRegion = { region: source.url.split('.')[1] as string };
  const sqs = new SQSClient(queueRegion);
  const kinesis = new KinesisClient(queueRegion);
  return {
    batches: queueBatches({ sqs, queueUrl: source.url, kinesis }),
    close: () => {
      sqs.destroy();
      kinesis.destroy();
    },
  };
};

export interface ReplayReport {
  readonly target: string;
  readonly sources: number;
  readonly records: number;
  readonly written: number;
  readonly unchanged: number;
  readonly refused: readonly ImportProblem[];
  readonly failed: readonly ImportProblem[];
  /** Sources that could not be read back at all, with why. */
  readonly unreadable: readonly { readonly source: string; readonly reason: string }[];
}

const formatReport = (report: ReplayReport): string => {
  const lines = [
    `Replayed into ${report.target}:`,
    `  ${report.records} records from ${report.sources} sources`,
    `  ${report.written} stored or updated, ${report.unchanged} already in the call log`,
    `  ${report.refused.length} refused, ${report.failed.length} failed, ${report.unreadable.length} unreadable`,
    ...problemLines(report),
  ];
  for (const { source, reason } of report.unreadable) {
    lines.push(`  unreadable ${source}: ${reason}`);
  }
  return lines.join('\n');
};

const run = async (argv: readonly string[], output: CliOutput): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    output.stderr.write(`replay: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    output.stdout.write(USAGE);
    return 0;
  }
  let reading: Awaited<ReturnType<typeof batchesOf>>;
  try {
    reading = await batchesOf(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr.write(`replay: ${error.message}\n`);
    return 2;
  }
  const target = await openTarget(args);
  try {
    await checkTable(target);
    const routingTableName = await routingTableOf(args, target);
    const report = {
      target: target.description,
      sources: 0,
      records: 0,
      written: 0,
      unchanged: 0,
      refused: [] as ImportProblem[],
      failed: [] as ImportProblem[],
      unreadable: [] as { source: string; reason: string }[],
    };
    for await (const batch of reading.batches) {
      report.sources += 1;
      if (batch.unreadable !== undefined) {
        report.unreadable.push({ source: batch.source, reason: batch.unreadable });
      }
      const part = await importContactRecords(batch.lines, {
        client: target.client,
        tableName: target.tableName,
        ...(target.retentionDays ? { retentionDays: target.retentionDays } : {}),
        callerHashKey: target.callerHashKey,
        ...(routingTableName ? { routingTableName } : {}),
        ...(target.publishEvents ? { publishEvents: target.publishEvents } : {}),
      });
      report.records += part.records;
      report.written += part.written;
      report.unchanged += part.unchanged;
      const placed = (p: ImportProblem) => ({
        place: `${batch.source} ${p.place}`,
        reason: p.reason,
      });
      report.refused.push(...part.refused.map(placed));
      report.failed.push(...part.failed.map(placed));
      // A source is finished (a queue message deleted) only when nothing of it is left to retry.
      if (batch.unreadable === undefined && part.refused.length + part.failed.length === 0) {
        await batch.done?.();
      }
      output.stderr.write(
        `replay: ${report.sources} sources, ${report.records} records: ${report.written} stored, ${report.unchanged} already there, ${report.refused.length + report.failed.length + report.unreadable.length} problems\n`,
      );
    }
    output.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
    return report.refused.length + report.failed.length + report.unreadable.length === 0 ? 0 : 1;
  } finally {
    reading.close();
    await target.close();
  }
};

/** The exit code; the report on `output.stdout`, progress and problems on `output.stderr`. */
export const replayMain = (argv: readonly string[], output: CliOutput): Promise<number> =>
  run(argv, output).catch((error: unknown) => {
    output.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  });
