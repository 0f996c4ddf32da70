import { isPriceTable, type PriceTable } from '../domain/call-cost.js';
import { isRetentionDaysText } from '../domain/retention.js';

/**
 * The environment of every deployed function, in one place: the constructs in lib/ set the
 * variables with `variables(...)`, the handlers read them once at cold start with `read(...)`, so a
 * renamed variable cannot reach one side only. A missing or bad value throws a message naming the
 * function, the variable and what to set, so a bad deploy fails at its first invocation.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** A function's environment: its variables' names, how to set them and how to read them. */
export interface FunctionEnvironment<Settings, Names extends Record<string, string>> {
  /** Setting → environment variable name. */
  readonly names: Names;
  /** The variables a construct gives the function (optional settings left out when unset). */
  variables(settings: { readonly [K in keyof Names]: string | undefined }): Record<string, string>;
  /** Reads the settings from `process.env` (or a test's record); throws on a missing or bad one. */
  read(env: Env): Settings;
}

const variablesOf =
  <Names extends Record<string, string>>(names: Names) =>
  (settings: { readonly [K in keyof Names]: string | undefined }): Record<string, string> =>
    Object.fromEntries(
      Object.entries(names).flatMap(([key, name]) => {
        const value = settings[key as keyof Names];
        return value === undefined ? [] : [[name, value]];
      }),
    );

const readerFor = (fn: string, env: Env) => ({
  required(name: string, what: string): string {
    const value = env[name]?.trim();
    if (!value) {
      throw new Error(`${fn}: environment variable ${name} is missing or empty: set it to ${what}`);
    }
    return value;
  },
  optional(name: string): string | undefined {
    return env[name]?.trim() || undefined;
  },
});

/** route-call's lookup budget when ROUTE_BUDGET_MS is not set, in milliseconds. */
export const DEFAULT_ROUTE_BUDGET_MS = 1_500;

/** How long past its cache life a known route is served while DynamoDB fails, by default: 24 h. */
export const DEFAULT_ROUTE_MAX_STALE_SECONDS = 86_400;
/** The longest staleness allowed: a week (a route changed since is served wrong for that long). */
export const MAX_ROUTE_MAX_STALE_SECONDS = 604_800;

export interface RouteCallSettings {
  readonly tableName: string;
  /** The call log, read for the first-time-caller item only; without it that answer is unknown. */
  readonly callLogTableName?: string;
  readonly budgetMs: number;
  readonly maxStaleSeconds: number;
}

const ROUTE_CALL_NAMES = {
  routingTableName: 'ROUTING_TABLE_NAME',
  callLogTableName: 'CALL_LOG_TABLE_NAME',
  budgetMs: 'ROUTE_BUDGET_MS',
  maxStaleSeconds: 'ROUTE_MAX_STALE_SECONDS',
};

/** A whole number in [min, max] from an optional variable, or the fallback; else a message. */
const boundedInteger = (
  fn: string,
  name: string,
  raw: string | undefined,
  range: {
    readonly min: number;
    readonly max: number;
    readonly fallback: number;
    readonly unit: string;
  },
): number => {
  if (raw === undefined) return range.fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new Error(
      `${fn}: ${name} must be a whole number of ${range.unit} from ${range.min} to ${range.max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

/**
 * route-call: ROUTING_TABLE_NAME (required), CALL_LOG_TABLE_NAME (optional: the first-time
 * caller's item), ROUTE_BUDGET_MS (100 to 8000, default 1500),
 * ROUTE_MAX_STALE_SECONDS (0 to 604800, default 86400; 0 never serves an expired route).
 */
export const routeCallEnvironment: FunctionEnvironment<RouteCallSettings, typeof ROUTE_CALL_NAMES> =
  {
    names: ROUTE_CALL_NAMES,
    variables: variablesOf(ROUTE_CALL_NAMES),
    read(env) {
      const vars = readerFor('route-call', env);
      const tableName = vars.required(ROUTE_CALL_NAMES.routingTableName, 'the routing table name');
      const budgetMs = boundedInteger(
        'route-call',
        ROUTE_CALL_NAMES.budgetMs,
        vars.optional(ROUTE_CALL_NAMES.budgetMs),
        { min: 100, max: 8_000, fallback: DEFAULT_ROUTE_BUDGET_MS, unit: 'milliseconds' },
      );
      const maxStaleSeconds = boundedInteger(
        'route-call',
        ROUTE_CALL_NAMES.maxStaleSeconds,
        vars.optional(ROUTE_CALL_NAMES.maxStaleSeconds),
        {
          min: 0,
          max: MAX_ROUTE_MAX_STALE_SECONDS,
          fallback: DEFAULT_ROUTE_MAX_STALE_SECONDS,
          unit: 'seconds',
        },
      );
      const callLogTableName = vars.optional(ROUTE_CALL_NAMES.callLogTableName);
      return {
        tableName,
        budgetMs,
        maxStaleSeconds,
        ...(callLogTableName === undefined ? {} : { callLogTableName }),
      };
    },
  };

/** Where the ingest keeps the messages callers leave (the system's own voicemail). */
export interface VoicemailSettings {
  readonly recordingsBucket: string;
  /** The recordings key's ARN: Transcribe encrypts the transcripts with it. */
  readonly recordingsKeyArn: string;
  /** The SES identity emails are sent from; without it no email is sent. */
  readonly fromEmail?: string;
  /** Location id → the address its voicemail emails go to. */
  readonly emails: Readonly<Record<string, string>>;
  /** Where a call's page is (`<base>/calls/<id>`), for the email's link. */
  readonly linkBase?: string;
}

export interface IngestSettings {
  readonly tableName: string;
  /** Where malformed records are sent; without it they are logged and fail (the default sink). */
  readonly failureQueueUrl?: string;
  /** Where calls that never asked route-call are attributed from; without it they keep none. */
  readonly routingTableName?: string;
  /** Without it a record with voicemail = recording is logged as it is (no message is stored). */
  readonly voicemail?: VoicemailSettings;
  /** The rates the calls' costs are estimated with; the default table without PRICE_TABLE. */
  readonly prices?: PriceTable;
  /** The EventBridge bus call events go to (webhooks); without it none is published. */
  readonly eventBusName?: string;
  /** Days the call log keeps a call and its caller item (TTL); without it they never expire. */
  readonly retentionDays?: number;
  /** The secret holding the key of the callers' hashes the rollups count (caller-hash.ts). */
  readonly callerHashSecretArn: string;
}

const INGEST_NAMES = {
  callerHashSecretArn: 'CALLER_HASH_SECRET_ARN',
  callDataRetentionDays: 'CALL_DATA_RETENTION_DAYS',
  callLogTableName: 'CALL_LOG_TABLE_NAME',
  routingTableName: 'ROUTING_TABLE_NAME',
  failureQueueUrl: 'FAILURE_QUEUE_URL',
  recordingsBucketName: 'RECORDINGS_BUCKET_NAME',
  recordingsKeyArn: 'RECORDINGS_KEY_ARN',
  voicemailFromEmail: 'VOICEMAIL_FROM_EMAIL',
  voicemailEmails: 'VOICEMAIL_EMAILS',
  voicemailLinkBase: 'VOICEMAIL_LINK_BASE',
  priceTable: 'PRICE_TABLE',
  eventBusName: 'EVENT_BUS_NAME',
};

/** PRICE_TABLE: the price table as JSON, built at synth from the portfolio's `pricing`. */
export const priceTableVariable = (table: PriceTable): string => JSON.stringify(table);

const parsePriceTable = (raw: string | undefined): PriceTable | undefined => {
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  if (!isPriceTable(parsed)) {
    throw new Error(
      `ingest-contact-records: ${INGEST_NAMES.priceTable} must be a price table as JSON (currency USD, date, lines of micro-units per minute), got ${JSON.stringify(raw)}`,
    );
  }
  return parsed;
};

/** VOICEMAIL_EMAILS: the location → address map as JSON, built at synth from the portfolio. */
export const voicemailEmailsVariable = (emails: Readonly<Record<string, string>>): string =>
  JSON.stringify(emails);

const parseEmails = (raw: string | undefined): Readonly<Record<string, string>> => {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const valid =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => typeof v === 'string');
  if (!valid) {
    throw new Error(
      `ingest-contact-records: ${INGEST_NAMES.voicemailEmails} must be a JSON object of location id to email address, got ${JSON.stringify(raw)}`,
    );
  }
  return parsed as Record<string, string>;
};

/**
 * ingest-contact-records: CALL_LOG_TABLE_NAME and CALLER_HASH_SECRET_ARN (required),
 * FAILURE_QUEUE_URL, ROUTING_TABLE_NAME;
 * the voicemail with RECORDINGS_BUCKET_NAME and RECORDINGS_KEY_ARN (both or neither), and
 * VOICEMAIL_FROM_EMAIL, VOICEMAIL_EMAILS, VOICEMAIL_LINK_BASE for its emails; PRICE_TABLE for the
 * cost estimates; EVENT_BUS_NAME for the call events of webhooks; CALL_DATA_RETENTION_DAYS for
 * the calls' TTL.
 */
export const ingestEnvironment: FunctionEnvironment<IngestSettings, typeof INGEST_NAMES> = {
  names: INGEST_NAMES,
  variables: variablesOf(INGEST_NAMES),
  read(env) {
    const vars = readerFor('ingest-contact-records', env);
    const failureQueueUrl = vars.optional(INGEST_NAMES.failureQueueUrl);
    const routingTableName = vars.optional(INGEST_NAMES.routingTableName);
    const recordingsBucket = vars.optional(INGEST_NAMES.recordingsBucketName);
    const recordingsKeyArn = recordingsBucket
      ? vars.required(INGEST_NAMES.recordingsKeyArn, 'the ARN of the recordings KMS key')
      : undefined;
    const fromEmail = vars.optional(INGEST_NAMES.voicemailFromEmail);
    const linkBase = vars.optional(INGEST_NAMES.voicemailLinkBase);
    const prices = parsePriceTable(vars.optional(INGEST_NAMES.priceTable));
    const eventBusName = vars.optional(INGEST_NAMES.eventBusName);
    const retention = vars.optional(INGEST_NAMES.callDataRetentionDays);
    if (retention !== undefined && !isRetentionDaysText(retention)) {
      throw new Error(
        `ingest-contact-records: ${INGEST_NAMES.callDataRetentionDays} must be a whole number of days from 1 to 99999, got ${JSON.stringify(retention)}`,
      );
    }
    return {
      ...(eventBusName ? { eventBusName } : {}),
      ...(retention ? { retentionDays: Number(retention) } : {}),
      tableName: vars.required(INGEST_NAMES.callLogTableName, 'the call log table name'),
      callerHashSecretArn: vars.required(
        INGEST_NAMES.callerHashSecretArn,
        "the ARN of the secret holding the callers' hash key",
      ),
      ...(prices ? { prices } : {}),
      ...(failureQueueUrl ? { failureQueueUrl } : {}),
      ...(routingTableName ? { routingTableName } : {}),
      ...(recordingsBucket && recordingsKeyArn
        ? {
            voicemail: {
              recordingsBucket,
              recordingsKeyArn,
              emails: parseEmails(vars.optional(INGEST_NAMES.voicemailEmails)),
              ...(fromEmail ? { fromEmail } : {}),
              ...(linkBase ? { linkBase } : {}),
            },
          }
        : {}),
    };
  },
};

export interface ApiSettings {
  readonly tableName: string;
  readonly routingTableName: string;
  readonly recordingsBucket: string;
  readonly cursorSecretArn: string;
  /** Where lead changes are published (call.updated); without it none is. */
  readonly eventBusName?: string;
  /** The contact-record archive an erasure rewrites; without it erasures leave it alone. */
  readonly contactRecordArchiveBucket?: string;
}

const API_NAMES = {
  callLogTableName: 'CALL_LOG_TABLE_NAME',
  routingTableName: 'ROUTING_TABLE_NAME',
  recordingsBucketName: 'RECORDINGS_BUCKET_NAME',
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  eventBusName: 'EVENT_BUS_NAME',
  contactRecordArchiveBucketName: 'CONTACT_RECORD_ARCHIVE_BUCKET_NAME',
};

/** api: CALL_LOG_TABLE_NAME, ROUTING_TABLE_NAME, RECORDINGS_BUCKET_NAME, CURSOR_SECRET_ARN; EVENT_BUS_NAME, CONTACT_RECORD_ARCHIVE_BUCKET_NAME. */
export const apiEnvironment: FunctionEnvironment<ApiSettings, typeof API_NAMES> = {
  names: API_NAMES,
  variables: variablesOf(API_NAMES),
  read(env) {
    const vars = readerFor('api', env);
    const eventBusName = vars.optional(API_NAMES.eventBusName);
    const archive = vars.optional(API_NAMES.contactRecordArchiveBucketName);
    return {
      ...(eventBusName ? { eventBusName } : {}),
      ...(archive ? { contactRecordArchiveBucket: archive } : {}),
      tableName: vars.required(API_NAMES.callLogTableName, 'the call log table name'),
      routingTableName: vars.required(API_NAMES.routingTableName, 'the routing table name'),
      recordingsBucket: vars.required(API_NAMES.recordingsBucketName, 'the recordings bucket name'),
      cursorSecretArn: vars.required(
        API_NAMES.cursorSecretArn,
        'the ARN of the cursor signing secret',
      ),
    };
  },
};

/**
 * The tag that lets the association detach a number from its flow: its value is the telephony
 * stack's name. Numbers the stack claims carry it; numbers brought in are tagged by the team.
 */
export const NUMBER_OWNER_TAG = 'CallTrackingStack';

/** Connect's default quota for AssociatePhoneNumberContactFlow, requests a second per account. */
export const DEFAULT_ASSOCIATION_RATE_LIMIT = 2;

/**
 * The share of that quota the association uses: the rest is headroom for the console and every
 * other caller in the account, which draw on the same quota.
 */
export const ASSOCIATION_RATE_SHARE = 0.8;

/**
 * How long an association request may take in all, from its onEvent: under CloudFormation's hour
 * for a custom resource, so the request fails with its own message first. The provider's
 * totalTimeout is set to it too, though that one bounds attempts, not wall-clock time.
 */
export const ASSOCIATION_TOTAL_TIMEOUT_MS = 55 * 60_000;

/**
 * What is wrong with an AssociatePhoneNumberContactFlow quota given as a rate limit (`shown` is
 * how the value was written), or undefined when it is a rate: checked at synth and at cold start.
 */
export const associationRateLimitProblem = (value: number, shown: string): string | undefined =>
  Number.isFinite(value) && value >= 0.1 && value <= 100
    ? undefined
    : `must be the account's AssociatePhoneNumberContactFlow quota in requests a second, from 0.1 to 100, got ${shown}`;

export interface AssociatePhoneNumbersSettings {
  readonly progressTableName: string;
  /** The account's AssociatePhoneNumberContactFlow quota, requests a second. */
  readonly rateLimitPerSecond: number;
}

const ASSOCIATE_NAMES = {
  progressTableName: 'PROGRESS_TABLE_NAME',
  rateLimitPerSecond: 'ASSOCIATION_RATE_LIMIT',
};

/** associate-phone-numbers: PROGRESS_TABLE_NAME (required), ASSOCIATION_RATE_LIMIT (0.1 to 100, default 2). */
export const associatePhoneNumbersEnvironment: FunctionEnvironment<
  AssociatePhoneNumbersSettings,
  typeof ASSOCIATE_NAMES
> = {
  names: ASSOCIATE_NAMES,
  variables: variablesOf(ASSOCIATE_NAMES),
  read(env) {
    const vars = readerFor('associate-phone-numbers', env);
    const progressTableName = vars.required(
      ASSOCIATE_NAMES.progressTableName,
      'the association progress table name',
    );
    const raw = vars.optional(ASSOCIATE_NAMES.rateLimitPerSecond);
    if (raw === undefined) {
      return { progressTableName, rateLimitPerSecond: DEFAULT_ASSOCIATION_RATE_LIMIT };
    }
    const rateLimitPerSecond = Number(raw);
    const problem = associationRateLimitProblem(rateLimitPerSecond, JSON.stringify(raw));
    if (problem)
      throw new Error(`associate-phone-numbers: ${ASSOCIATE_NAMES.rateLimitPerSecond} ${problem}`);
    return { progressTableName, rateLimitPerSecond };
  },
};

export interface WebhookDeliverySettings {
  readonly tableName: string;
  readonly recordingsBucket: string;
  readonly queueUrl: string;
}

const WEBHOOK_DELIVERY_NAMES = {
  callLogTableName: 'CALL_LOG_TABLE_NAME',
  recordingsBucketName: 'RECORDINGS_BUCKET_NAME',
  queueUrl: 'WEBHOOK_QUEUE_URL',
};

/**
 * deliver-webhooks: CALL_LOG_TABLE_NAME (subscriptions, attempts, the calls), RECORDINGS_BUCKET_NAME
 * (an event's links, as GET /calls/{id} gives them), WEBHOOK_QUEUE_URL (its own queue: the tasks
 * it fans out, the retries it delays).
 */
export const webhookDeliveryEnvironment: FunctionEnvironment<
  WebhookDeliverySettings,
  typeof WEBHOOK_DELIVERY_NAMES
> = {
  names: WEBHOOK_DELIVERY_NAMES,
  variables: variablesOf(WEBHOOK_DELIVERY_NAMES),
  read(env) {
    const vars = readerFor('deliver-webhooks', env);
    return {
      tableName: vars.required(WEBHOOK_DELIVERY_NAMES.callLogTableName, 'the call log table name'),
      recordingsBucket: vars.required(
        WEBHOOK_DELIVERY_NAMES.recordingsBucketName,
        'the recordings bucket name',
      ),
      queueUrl: vars.required(WEBHOOK_DELIVERY_NAMES.queueUrl, 'the webhook queue URL'),
    };
  },
};
