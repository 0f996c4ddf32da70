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
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CALL_LOG_TABLE } from '../lambdas/contracts/tables.js';
import type { CliOutput } from './cli-output.js';
import { connectLocalDynamo, startLocalDynamo } from './dynamo.js';
import { type ImportReport, importContactRecords } from './import-records.js';
import {
  LOCAL_CALL_LOG_TABLE_NAME,
  LOCAL_ROUTING_TABLE_NAME,
  localDataDirectory,
} from './names.js';
import { readRunningSystem, runningFileIn } from './running-record.js';

const USAGE = `Usage: npm run import-records -- <file> [options]

Imports contact records (one JSON record per line, as Amazon Connect writes them to Kinesis or,
back to back, to Firehose) into the call log, through the same ingest as the live stream.
Importing a file again changes nothing. <file> may be - for standard input.

Target (default: the local system's data in .local/, or the running \`npm start\`):
  --data <dir>         the local system's data directory instead of .local/
  --endpoint <url>     a DynamoDB endpoint with dummy credentials (e.g. another local system)
  --table <name>       the call-log table; without --endpoint this means the deployed table in
                       AWS, reached with the usual credentials (AWS_PROFILE, environment, SSO)
  --routing-table <name>
                       the routing table: records with no route-call answer (history from before
                       the deploy) take the location and source of the number they dialed
                       (default: the local system's, when it has one)
  --region <region>    the table's region (default: AWS_REGION or the profile's)
  --profile <name>     the AWS profile to use
Output:
  --json               print the report as one JSON object
  -h, --help           print this help
`;

class UsageError extends Error {}

interface Target {
  readonly description: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The routing table to attribute records with, when there is one. */
  readonly routingTableName?: string;
  close(): Promise<void>;
}

const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      table: { type: 'string' },
      'routing-table': { type: 'string' },
      data: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length !== 1) throw new UsageError('give exactly one file to import (or -)');
  if (values.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(values.endpoint)) {
    throw new UsageError(
      `--endpoint ${values.endpoint} is not a URL such as http://127.0.0.1:8000`,
    );
  }
  if ((values.region || values.profile) && (values.table === undefined || values.endpoint)) {
    throw new UsageError(
      '--region and --profile are for a deployed table: give --table, no --endpoint',
    );
  }
  return { help: false as const, file: positionals[0] as string, ...values };
};

type Arguments = Exclude<ReturnType<typeof parse>, { help: true }>;

const openTarget = async (args: Arguments): Promise<Target> => {
  if (args.endpoint) {
    const { client, close } = connectLocalDynamo(args.endpoint);
    return {
      description: `${args.table ?? LOCAL_CALL_LOG_TABLE_NAME} at ${args.endpoint}`,
      client,
      tableName: args.table ?? LOCAL_CALL_LOG_TABLE_NAME,
      close,
    };
  }
  if (args.table) {
    if (args.profile) process.env.AWS_PROFILE = args.profile;
    const client = new DynamoDBClient(args.region ? { region: args.region } : {});
    const region = await client.config.region().catch(() => undefined);
    if (!region) throw new Error('no AWS region: pass --region or set AWS_REGION');
    return {
      description: `${args.table} in ${region}${args.profile ? ` (profile ${args.profile})` : ''}`,
      client,
      tableName: args.table,
      close: async () => client.destroy(),
    };
  }
  const dataDirectory = localDataDirectory(args.data);
  const running = readRunningSystem(runningFileIn(dataDirectory));
  if (running) {
    const { client, close } = connectLocalDynamo(running.dynamodbEndpoint);
    return {
      description: `the running local system (pid ${running.pid})`,
      client,
      tableName: running.callLogTableName ?? LOCAL_CALL_LOG_TABLE_NAME,
      ...(running.routingTableName ? { routingTableName: running.routingTableName } : {}),
      close,
    };
  }
  const dynamo = await startLocalDynamo({
    path: fileURLToPath(new URL('dynamodb/', dataDirectory)),
  });
  await dynamo.ensureTable(LOCAL_CALL_LOG_TABLE_NAME, CALL_LOG_TABLE);
  return {
    description: `the local system's data (${dynamo.storage})`,
    client: dynamo.client,
    tableName: LOCAL_CALL_LOG_TABLE_NAME,
    close: () => dynamo.close(),
  };
};

const tableExists = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
};

/** Fails early, with a message, when the table is not there: better than one failure per line. */
const checkTable = async ({ client, tableName, description }: Target): Promise<void> => {
  if (!(await tableExists(client, tableName))) {
    throw new Error(
      `table ${description} does not exist: check --table (the call-log table of the data stack) and the region`,
    );
  }
};

/**
 * The routing table to attribute records with: the one named, which must exist; else the local
 * system's, when there is one; else none.
 */
const routingTableOf = async (args: Arguments, target: Target): Promise<string | undefined> => {
  const named = args['routing-table'];
  if (named !== undefined) {
    if (!(await tableExists(target.client, named))) {
      throw new Error(
        `routing table ${named} does not exist: check --routing-table and the region`,
      );
    }
    return named;
  }
  if (args.table !== undefined && args.endpoint === undefined) return undefined;
  const local = target.routingTableName ?? LOCAL_ROUTING_TABLE_NAME;
  return (await tableExists(target.client, local)) ? local : undefined;
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
  ];
  for (const { place, reason } of report.refused) lines.push(`  refused ${place}: ${reason}`);
  for (const { place, reason } of report.failed) lines.push(`  failed ${place}: ${reason}`);
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
      ...(routingTableName ? { routingTableName } : {}),
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
