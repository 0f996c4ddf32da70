import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { ApiLog } from '../lambdas/adapters/http/api-gateway.js';
import type { Scope } from '../lambdas/contracts/api-routes.js';
import { CALL_LOG_TABLE } from '../lambdas/contracts/tables.js';
import { priceTableOf } from '../lambdas/domain/call-cost.js';
import { MIN_CALLER_HASH_KEY_BYTES } from '../lambdas/domain/caller-hash.js';
import type { SimulatedCall } from '../lambdas/flow/simulator/types.js';
import { createLocalApiHandler } from './api.js';
import { type LocalApi, startLocalApi } from './api-server.js';
import { CALLER_HASH_KEY_FILE, localCallerHashKey } from './caller-hash-key.js';
import { buildDashboard, serveDashboard } from './dashboard.js';
import { type LocalDynamo, startLocalDynamo } from './dynamo.js';
import type { ImportReport } from './import-records.js';
import { createLocalCallLog } from './local-call-log.js';
import {
  LOCAL_CALL_LOG_TABLE_NAME,
  LOCAL_DATA_DIRECTORY,
  LOCAL_RECORDINGS_BUCKET,
} from './names.js';
import {
  type LocalCallOptions,
  type LocalCallResult,
  type LocalRoutingSystem,
  startLocalRoutingSystem,
} from './routing-system.js';
import { announceRunningSystem, readRunningSystem, runningFileIn } from './running-record.js';
import { type LocalS3, startLocalS3 } from './s3.js';
import { newLocalCredentials } from './store-gate.js';
import { createOutboxMailer } from './voicemail-stand-ins.js';
import { LOCAL_WEBHOOK_URL_RULES, type LocalWebhooks, startLocalWebhooks } from './webhooks.js';

/**
 * The whole system on one machine (`npm start`): local DynamoDB and S3 with their data kept under
 * a directory, the tables the stacks deploy (from the same definitions), the portfolio through the
 * same validation as synth, the reporting API (the real handlers behind the local HTTP adapter,
 * with bearer tokens) and the dashboard, on 127.0.0.1.
 */

export interface LocalSystemOptions {
  /** Where DynamoDB and S3 keep their data; `memory` keeps nothing. @default .local/ */
  readonly dataDirectory?: URL | 'memory';
  /** Wipe the data directory first. */
  readonly reset?: boolean;
  /** The API and dashboard's port; 0 for any free one. @default 8787 */
  readonly port?: number;
  /** @default config/portfolio.yaml */
  readonly portfolioPath?: string;
  /** Where the API's request lines go. @default the Lambda's: one JSON line to stdout */
  readonly log?: ApiLog;
  /**
   * Multiplies the webhook retry delays (1: the deployed schedule, first retry after 20 s).
   * @default 1
   */
  readonly webhookRetryScale?: number;
}

export interface LocalSystem {
  /** `http://127.0.0.1:<port>`: the API, and the dashboard at `/`. */
  readonly url: string;
  /** The dashboard, signed in with the admin token (kept in the URL fragment, never sent). */
  readonly dashboardUrl: string;
  /** Bearer tokens of this run: `admin` may change calls, locations and numbers; `read` may not. */
  readonly tokens: Readonly<Record<Scope, string>>;
  readonly routing: LocalRoutingSystem;
  readonly dynamo: LocalDynamo;
  readonly callLogTableName: string;
  readonly s3Endpoint: string;
  readonly storage: string;
  /** The webhook fan-out: deliveries to the registered URLs, its dead letters. */
  readonly webhooks: LocalWebhooks;
  /** Places a call through the flow and logs it as Connect would (recording, contact record). */
  placeCall(call: SimulatedCall, options?: LocalCallOptions): Promise<PlacedCall>;
  /** Logs a contact record as Connect would deliver it (e.g. a call's later record). */
  logContactRecord(record: Readonly<Record<string, unknown>>): Promise<ImportReport>;
  close(): Promise<void>;
}

export interface PlacedCall {
  readonly result: LocalCallResult;
  readonly logged: ImportReport;
}

export const DEFAULT_PORT = 8787;

/** Another `npm start` holds the data (LevelDB allows one process). */
export class LocalSystemRunningError extends Error {
  constructor(
    readonly pid: number,
    readonly apiUrl: string | undefined,
  ) {
    super(
      `the local system is already running (pid ${pid}${apiUrl ? `, ${apiUrl}` : ''}): use it, or stop it (Ctrl-C in its terminal) first`,
    );
    this.name = 'LocalSystemRunningError';
  }
}

/** The port is taken by another program. */
export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(
      `port ${port} on 127.0.0.1 is in use: stop what uses it, or pass another port (npm start -- --port 8788)`,
    );
    this.name = 'PortInUseError';
  }
}

/** What the local system keeps in its data directory: nothing else is ever wiped by --reset. */
const LOCAL_DATA_ENTRIES = new Set([
  'dynamodb',
  's3',
  'running.json',
  'demo.json',
  'outbox.jsonl',
  // A new key with the new data: nothing hashed under the old one is left.
  CALLER_HASH_KEY_FILE,
]);

/** `--data` named a directory that holds more than the local system's data. */
export class NotLocalDataError extends Error {
  constructor(
    readonly directory: string,
    readonly others: readonly string[],
  ) {
    super(
      `--reset refuses to wipe ${directory}: it holds ${others.slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}, which the local system did not write. Give --data a directory of its own`,
    );
    this.name = 'NotLocalDataError';
  }
}

/** Wipes the local system's data, and only that: a directory holding anything else is refused. */
const resetDataDirectory = async (directory: URL): Promise<void> => {
  const path = fileURLToPath(directory);
  const entries = await readdir(path).catch(() => [] as string[]);
  const others = entries.filter((entry) => !LOCAL_DATA_ENTRIES.has(entry));
  if (others.length > 0) throw new NotLocalDataError(path, others);
  await Promise.all(
    entries.map((entry) => rm(new URL(entry, directory), { recursive: true, force: true })),
  );
};

const isAddressInUse = (error: unknown): boolean =>
  (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';

/** Starts the parts in order, closing what started if a later part fails. */
export const startLocalSystem = async (options: LocalSystemOptions = {}): Promise<LocalSystem> => {
  const dataDirectory = options.dataDirectory ?? LOCAL_DATA_DIRECTORY;
  const persisted = dataDirectory !== 'memory';
  if (persisted) {
    const running = readRunningSystem(runningFileIn(dataDirectory));
    if (running) throw new LocalSystemRunningError(running.pid, running.apiUrl);
    if (options.reset) await resetDataDirectory(dataDirectory);
    await mkdir(dataDirectory, { recursive: true });
  }
  const pathIn = (name: string) => fileURLToPath(new URL(`${name}/`, dataDirectory as URL));

  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
  };
  try {
    // Both stores answer only requests signed with this run's credentials (store-gate.ts).
    const credentials = newLocalCredentials();
    const dynamo: LocalDynamo = await startLocalDynamo({
      credentials,
      ...(persisted ? { path: pathIn('dynamodb') } : {}),
    });
    cleanup.push(() => dynamo.close());
    const routing = await startLocalRoutingSystem({
      sharedDynamo: dynamo,
      callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
      ...(options.portfolioPath ? { portfolioPath: options.portfolioPath } : {}),
    });
    cleanup.push(() => routing.close());
    await dynamo.ensureTable(LOCAL_CALL_LOG_TABLE_NAME, CALL_LOG_TABLE);
    // A location's voicemail email lands in the data directory's outbox, linking to the dashboard.
    const voicemailEmails: Record<string, string> = Object.fromEntries(
      routing.portfolio.locations.flatMap((l) =>
        l.voicemailEmail ? [[l.id, l.voicemailEmail]] : [],
      ),
    );
    // The portfolio's price table, for the calls run here and for import-records into this system.
    const prices = priceTableOf(routing.portfolio.pricing);
    const s3: LocalS3 = await startLocalS3({
      bucket: LOCAL_RECORDINGS_BUCKET,
      credentials,
      ...(persisted ? { directory: pathIn('s3') } : {}),
    });
    cleanup.push(() => s3.close());
    const webhooks = await startLocalWebhooks({
      dynamo: dynamo.client,
      callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
      s3: s3.client,
      recordingsBucket: LOCAL_RECORDINGS_BUCKET,
      ...(options.webhookRetryScale === undefined ? {} : { retryScale: options.webhookRetryScale }),
    });
    cleanup.push(() => webhooks.close());

    const tokens = {
      admin: randomBytes(18).toString('base64url'),
      read: randomBytes(18).toString('base64url'),
    };
    const dashboard = await buildDashboard();
    let server: LocalApi;
    const port = options.port ?? DEFAULT_PORT;
    try {
      server = await startLocalApi({
        api: createLocalApiHandler({
          dynamo: dynamo.client,
          callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
          routingTableName: routing.tableName,
          s3: s3.client,
          recordingsBucket: LOCAL_RECORDINGS_BUCKET,
          publishEvents: webhooks.publish,
          // The local system's setting: receivers on this machine, over plain HTTP.
          webhookUrlRules: LOCAL_WEBHOOK_URL_RULES,
          ...(options.log ? { log: options.log } : {}),
        }),
        tokens: { [tokens.admin]: 'admin', [tokens.read]: 'read' },
        port,
        staticFiles: serveDashboard(dashboard.files, { mediaSources: [s3.endpoint] }),
      });
    } catch (error) {
      throw isAddressInUse(error) ? new PortInUseError(port) : error;
    }
    cleanup.push(() => server.close());
    if (persisted) {
      const withdraw = announceRunningSystem(
        {
          dynamodbEndpoint: dynamo.endpoint,
          routingTableName: routing.tableName,
          callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
          s3Endpoint: s3.endpoint,
          recordingsBucket: LOCAL_RECORDINGS_BUCKET,
          apiUrl: server.url,
          eventBusUrl: webhooks.busUrl,
          voicemailEmails,
          prices,
          ...credentials,
        },
        runningFileIn(dataDirectory),
      );
      cleanup.push(async () => withdraw());
    }

    const pipeline = createLocalCallLog(
      dynamo,
      { endpoint: s3.endpoint, credentials },
      LOCAL_CALL_LOG_TABLE_NAME,
      LOCAL_RECORDINGS_BUCKET,
      {
        // In memory nothing is kept, emails and the callers' hash key included.
        callerHashKey: persisted
          ? localCallerHashKey(dataDirectory as URL)
          : randomBytes(MIN_CALLER_HASH_KEY_BYTES),
        ...(persisted
          ? { mailer: createOutboxMailer(new URL('outbox.jsonl', dataDirectory as URL)) }
          : {}),
        emailFor: (id) => (Object.hasOwn(voicemailEmails, id) ? voicemailEmails[id] : undefined),
        linkBase: `${server.url}/#`,
        prices,
        publishEvents: webhooks.publish,
      },
    );
    cleanup.push(async () => pipeline.close());
    let closed: Promise<void> | undefined;
    return {
      url: server.url,
      dashboardUrl: `${server.url}/#token=${tokens.admin}`,
      tokens,
      routing,
      dynamo,
      callLogTableName: LOCAL_CALL_LOG_TABLE_NAME,
      s3Endpoint: s3.endpoint,
      storage: persisted ? fileURLToPath(dataDirectory) : 'memory',
      webhooks,
      async placeCall(call, callOptions) {
        const result = await routing.runCall(call, callOptions);
        const { contactRecord, voicemail } = result.simulation;
        return { result, logged: await pipeline.record(contactRecord, voicemail?.durationSeconds) };
      },
      logContactRecord: (record) => pipeline.record(record),
      close() {
        closed ??= closeAll();
        return closed;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
