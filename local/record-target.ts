/**
 * Where contact records are written by the CLIs that feed the ingest (import-records, replay):
 * the running `npm start`, the local system's data, another DynamoDB endpoint, or a deployed table.
 * One set of options, one usage text, one set of checks, so the two CLIs cannot drift apart.
 */
import { fileURLToPath } from 'node:url';
import {
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretKey } from '../lambdas/adapters/secrets-manager/secret-key.js';
import { CALL_LOG_TABLE } from '../lambdas/contracts/tables.js';
import type { PriceTable } from '../lambdas/domain/call-cost.js';
import { MIN_CALLER_HASH_KEY_BYTES } from '../lambdas/domain/caller-hash.js';
import { isRetentionDaysText } from '../lambdas/domain/retention.js';
import type { PublishCallEvents } from '../lambdas/domain/webhook-event.js';
import { localCallerHashKey } from './caller-hash-key.js';
import { connectLocalDynamo, startLocalDynamo } from './dynamo.js';
import {
  LOCAL_CALL_LOG_TABLE_NAME,
  LOCAL_ROUTING_TABLE_NAME,
  localDataDirectory,
} from './names.js';
import { credentialsOf, readRunningSystem, runningFileIn } from './running-record.js';
import { publishToBus } from './webhooks.js';

export const TARGET_USAGE = `Target (default: the local system's data in .local/, or the running \`npm start\`):
  --data <dir>         the local system's data directory instead of .local/
  --endpoint <url>     a DynamoDB endpoint (e.g. a local DynamoDB), signed with AWS_ACCESS_KEY_ID
                       and AWS_SECRET_ACCESS_KEY when set, else dummy credentials (a running
                       \`npm start\` needs none of this: its credentials are in its running.json)
  --table <name>       the call-log table; without --endpoint this means the deployed table in
                       AWS, reached with the usual credentials (AWS_PROFILE, environment, SSO)
  --routing-table <name>
                       the routing table: records with no route-call answer (history from before
                       the deploy) take the location and source of the number they dialed
                       (default: the local system's, when it has one)
  --region <region>    the table's region (default: AWS_REGION or the profile's)
  --profile <name>     the AWS profile to use
  --retention-days <n> days the calls are kept from the import (their TTL): the deployment's
                       callDataRetentionDays (default 365)
  --caller-hash-secret <arn>
                       with a deployed --table: the secret of the callers' hash key (the data
                       stack's output CallerHashSecretArn), so unique callers count as the
                       deployment's ingest counts them (local targets use the data's key file)`;

/** The parseArgs options of a target. */
export const TARGET_OPTIONS = {
  endpoint: { type: 'string' },
  table: { type: 'string' },
  'routing-table': { type: 'string' },
  data: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  'retention-days': { type: 'string' },
  'caller-hash-secret': { type: 'string' },
} as const;

export interface TargetArguments {
  readonly endpoint?: string | undefined;
  readonly table?: string | undefined;
  readonly 'routing-table'?: string | undefined;
  readonly data?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly 'retention-days'?: string | undefined;
  readonly 'caller-hash-secret'?: string | undefined;
}

/** A usage mistake in the target options: the CLI prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** Refuses target options that do not go together. */
export const checkTargetArguments = (values: TargetArguments): void => {
  const retention = values['retention-days'];
  if (retention !== undefined && !isRetentionDaysText(retention)) {
    throw new UsageError(
      `--retention-days ${retention} is not a whole number of days from 1 to 99999`,
    );
  }
  if (values.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(values.endpoint)) {
    throw new UsageError(
      `--endpoint ${values.endpoint} is not a URL such as http://127.0.0.1:8000`,
    );
  }
  const deployed = values.table !== undefined && values.endpoint === undefined;
  if (deployed && values['caller-hash-secret'] === undefined) {
    throw new UsageError(
      "a deployed --table needs --caller-hash-secret <arn>: the data stack's output CallerHashSecretArn (the key unique callers are counted by)",
    );
  }
  if (!deployed && values['caller-hash-secret'] !== undefined) {
    throw new UsageError(
      "--caller-hash-secret is for a deployed --table: a local target uses its data's key file",
    );
  }
  if ((values.region || values.profile) && (values.table === undefined || values.endpoint)) {
    throw new UsageError(
      '--region and --profile are for a deployed table: give --table, no --endpoint',
    );
  }
};

export interface Target {
  readonly description: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** The routing table to attribute records with, when there is one. */
  readonly routingTableName?: string;
  /** The running system's price table, for the costs of what is written there. */
  readonly prices?: PriceTable;
  /** The running system's webhooks: what the records change is published there. */
  readonly publishEvents?: PublishCallEvents;
  /** Days the written calls are kept (--retention-days). @default - the import's default */
  readonly retentionDays?: number;
  /** The key of the callers' hashes: the deployment's secret, or the local data's key file. */
  readonly callerHashKey: Uint8Array;
  close(): Promise<void>;
}

export const openTarget = async (args: TargetArguments): Promise<Target> => {
  const retention = args['retention-days'];
  const target = await openStore(args);
  return retention === undefined ? target : { ...target, retentionDays: Number(retention) };
};

const openStore = async (args: TargetArguments): Promise<Target> => {
  if (args.endpoint) {
    const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
    const { client, close } = connectLocalDynamo(
      args.endpoint,
      accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    );
    return {
      description: `${args.table ?? LOCAL_CALL_LOG_TABLE_NAME} at ${args.endpoint}`,
      client,
      tableName: args.table ?? LOCAL_CALL_LOG_TABLE_NAME,
      callerHashKey: localCallerHashKey(localDataDirectory(args.data)),
      close,
    };
  }
  if (args.table) {
    if (args.profile) process.env.AWS_PROFILE = args.profile;
    const client = new DynamoDBClient(args.region ? { region: args.region } : {});
    const region = await client.config.region().catch(() => undefined);
    if (!region) throw new Error('no AWS region: pass --region or set AWS_REGION');
    const secrets = new SecretsManagerClient({ region });
    const callerHashKey = await readSecretKey(secrets, String(args['caller-hash-secret']), {
      minBytes: MIN_CALLER_HASH_KEY_BYTES,
      purpose: "the callers' hash",
    }).finally(() => secrets.destroy());
    return {
      description: `${args.table} in ${region}${args.profile ? ` (profile ${args.profile})` : ''}`,
      client,
      tableName: args.table,
      callerHashKey,
      close: async () => client.destroy(),
    };
  }
  const dataDirectory = localDataDirectory(args.data);
  const running = readRunningSystem(runningFileIn(dataDirectory));
  if (running) {
    const { client, close } = connectLocalDynamo(running.dynamodbEndpoint, credentialsOf(running));
    return {
      description: `the running local system (pid ${running.pid})`,
      client,
      tableName: running.callLogTableName ?? LOCAL_CALL_LOG_TABLE_NAME,
      callerHashKey: localCallerHashKey(dataDirectory),
      ...(running.routingTableName ? { routingTableName: running.routingTableName } : {}),
      ...(running.prices ? { prices: running.prices } : {}),
      ...(running.eventBusUrl ? { publishEvents: publishToBus(running.eventBusUrl) } : {}),
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
    callerHashKey: localCallerHashKey(dataDirectory),
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
export const checkTable = async ({ client, tableName, description }: Target): Promise<void> => {
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
export const routingTableOf = async (
  args: TargetArguments,
  target: Target,
): Promise<string | undefined> => {
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
