/**
 * `npm run erase-caller`: erases one caller's data on request, the same use case as
 * POST /privacy/erasures (use-cases/erase-caller.ts) without the API's 30 s limit. Locally: the
 * running `npm start` (its running.json gives the stores and their credentials). Deployed: the
 * data stack's table and buckets, with the usual AWS credentials. Exit 0 when done, 1 when it
 * failed (run it again: a half-done erasure is finished by the next), 2 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { isE164, NOT_E164 } from '../lambdas/domain/phone-number.js';
import { eraseCallerOn } from '../lambdas/handlers/api-routes.js';
import { type CliOutput, CliUsageError, runCommand } from './cli-output.js';
import { connectLocalDynamo } from './dynamo.js';
import { localDataDirectory } from './names.js';
import { credentialsOf, readRunningSystem, runningFileIn } from './running-record.js';
import { localS3Client } from './s3.js';

const USAGE = `Usage: npm run erase-caller -- --caller <E.164> [options]

Erases one caller's data: their calls at every location (with lead data), every version of their
recordings and voicemails, their first-time items and their archived contact records. Rollup
counts stay. Writes an audit entry without the number. Running it again removes nothing more.

  --caller <E.164>            the caller's number, e.g. +15125550123 (required)
  (no target option)          the running npm start (of .local/, or --data)
  --data <dir>                the local system's data directory instead of .local/
  --table <name>              deployed: the data stack's CallLogTableName output
  --recordings-bucket <name>  deployed: its RecordingsBucketName output
  --archive-bucket <name>     deployed: its ContactRecordArchiveBucketName output (without it the
                              archive is left alone, and the result says so)
  --by <name>                 who asks, for the audit entry (default: $USER)
  --region <region>           the table's region (default: AWS_REGION or the profile's)
  --profile <name>            the AWS profile to use
  --json                      print the result as one JSON object
  -h, --help                  print this help
`;

interface Stores {
  readonly dynamo: DynamoDBClient;
  readonly callLogTableName: string;
  readonly s3: S3Client;
  readonly recordingsBucket: string;
  readonly archiveBucket?: string;
  close(): void;
}

const deployedStores = (values: Record<string, string | boolean | undefined>): Stores => {
  const table = values.table as string | undefined;
  const recordingsBucket = values['recordings-bucket'] as string | undefined;
  if (table === undefined || recordingsBucket === undefined) {
    throw new CliUsageError('a deployed erasure needs both --table and --recordings-bucket');
  }
  if (values.data !== undefined) throw new CliUsageError('--data is for the local system only');
  if (values.profile) process.env.AWS_PROFILE = values.profile as string;
  const config = values.region ? { region: values.region as string } : {};
  const dynamo = new DynamoDBClient(config);
  const s3 = new S3Client(config);
  const archiveBucket = values['archive-bucket'] as string | undefined;
  return {
    dynamo,
    callLogTableName: table,
    s3,
    recordingsBucket,
    ...(archiveBucket ? { archiveBucket } : {}),
    close: () => {
      dynamo.destroy();
      s3.destroy();
    },
  };
};

const localStores = (data: string | undefined): Stores | undefined => {
  const running = readRunningSystem(runningFileIn(localDataDirectory(data)));
  const credentials = running && credentialsOf(running);
  if (!running?.callLogTableName || !running.s3Endpoint || !running.recordingsBucket) {
    return undefined;
  }
  const dynamo = connectLocalDynamo(running.dynamodbEndpoint, credentials);
  const s3 = localS3Client(running.s3Endpoint, credentials);
  return {
    dynamo: dynamo.client,
    callLogTableName: running.callLogTableName,
    s3,
    recordingsBucket: running.recordingsBucket,
    close: () => {
      dynamo.client.destroy();
      s3.destroy();
    },
  };
};

const run = async (argv: readonly string[], output: CliOutput): Promise<number> => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      caller: { type: 'string' },
      data: { type: 'string' },
      table: { type: 'string' },
      'recordings-bucket': { type: 'string' },
      'archive-bucket': { type: 'string' },
      by: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    output.stdout.write(USAGE);
    return 0;
  }
  if (values.caller === undefined) throw new CliUsageError('--caller is required');
  // The number is not repeated: a wrong number is still somebody's.
  if (!isE164(values.caller)) throw new CliUsageError(`--caller ${NOT_E164}`);
  const deployed =
    values.table !== undefined ||
    values['recordings-bucket'] !== undefined ||
    values['archive-bucket'] !== undefined;
  if (!deployed && (values.region || values.profile)) {
    throw new CliUsageError('--region and --profile go with --table and --recordings-bucket');
  }
  const stores = deployed ? deployedStores(values) : localStores(values.data);
  if (!stores) {
    output.stderr.write(
      'erase-caller: the local system is not running: start it (npm start), or give --table and --recordings-bucket for a deployed system\n',
    );
    return 1;
  }
  try {
    const result = await eraseCallerOn({
      dynamo: stores.dynamo,
      callLogTableName: stores.callLogTableName,
      s3: stores.s3,
      recordingsBucket: stores.recordingsBucket,
      ...(stores.archiveBucket ? { archive: { s3: stores.s3, bucket: stores.archiveBucket } } : {}),
    }).erase({ caller: values.caller, by: values.by ?? process.env.USER ?? 'erase-caller' });
    if (values.json) {
      output.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }
    const r = result.removed;
    output.stdout.write(
      [
        `Erasure ${result.erasureId} (${result.at}, by ${result.by}): removed ${r.calls} call(s) (${r.leads} with lead data), ${r.recordings} recording(s), ${r.voicemails} voicemail(s), ${r.callerHistory} first-time item(s), ${r.archiveRecords} archived record(s).`,
        'Not reached:',
        ...result.notReached.map((line) => `  - ${line}`),
        '',
      ].join('\n'),
    );
    return 0;
  } finally {
    stores.close();
  }
};

export const eraseCallerMain = (argv: readonly string[], output: CliOutput): Promise<number> =>
  runCommand('erase-caller', USAGE, output, () => run(argv, output));
