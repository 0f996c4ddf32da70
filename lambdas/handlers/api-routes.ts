import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { type CallLogReader, createCallLogReader } from '../adapters/dynamodb/call-log-reader.js';
import { updateLead } from '../adapters/dynamodb/call-log-writer.js';
import { createCallerErasureStore } from '../adapters/dynamodb/caller-erasure-store.js';
import { createWebhookStore } from '../adapters/dynamodb/webhook-store.js';
import type { RouteHandlers } from '../adapters/http/api-contract.js';
import { createCallsCursors } from '../adapters/http/calls-cursor.js';
import { type CursorKeys, createCursorCodec } from '../adapters/http/cursor.js';
import { deleteEveryVersion, rewriteArchiveObjects } from '../adapters/s3/erase-objects.js';
import { readObjectText } from '../adapters/s3/object-text.js';
import { createRecordingKeyUrl, createRecordingUrls } from '../adapters/s3/recording-urls.js';
import { CONTACT_RECORD_ARCHIVE_PREFIX } from '../contracts/contact-record-archive.js';
import type { PublishCallEvents, WebhookUrlRules } from '../domain/webhook-event.js';
import { type CallDetails, createCallDetails } from '../use-cases/call-details.js';
import { createCallReports } from '../use-cases/call-reports.js';
import { createEraseCaller, type EraseCaller } from '../use-cases/erase-caller.js';
import { createListCalls } from '../use-cases/list-calls.js';
import { createManageWebhooks } from '../use-cases/manage-webhooks.js';
import { createCallsHandlers } from './api-calls.js';
import { createManagementHandlers } from './api-management.js';
import { createPrivacyHandlers } from './api-privacy.js';
import { createWebhooksHandlers } from './api-webhooks.js';

/**
 * Every route's handler on the given clients and tables: the one wiring the Lambda (api.ts) and
 * the local system (local/api.ts) share, so the two serve the same API.
 */
export interface ApiDependencies {
  readonly dynamo: DynamoDBClient;
  readonly callLogTableName: string;
  readonly routingTableName: string;
  readonly s3: S3Client;
  readonly recordingsBucket: string;
  /** The HMAC key of page cursors, or the current and previous keys of a rotated secret. */
  readonly cursorKey: Uint8Array | CursorKeys;
  /** @default Date.now */
  readonly now?: () => number;
  /** Items one GET /calls may read before it returns a cursor. */
  readonly maxItemsRead?: number;
  /** Where lead changes are published (call.updated). @default - nowhere */
  readonly publishEvents?: PublishCallEvents;
  /** The rules of a webhook's URL (the local system also allows http://127.0.0.1). */
  readonly webhookUrlRules?: WebhookUrlRules;
  /** The contact-record archive an erasure rewrites. @default - none (the local system) */
  readonly archive?: ContactRecordArchive;
}

/** Where Firehose archives contact records: `<prefix>YYYY/MM/DD/…` in `bucket`. */
export interface ContactRecordArchive {
  readonly s3: S3Client;
  readonly bucket: string;
  /** @default CONTACT_RECORD_ARCHIVE_PREFIX */
  readonly prefix?: string;
}

/**
 * An erasure's use case on the given clients: the API's (POST /privacy/erasures) and the CLI's
 * (npm run erase-caller), so both erase the same things.
 */
export const eraseCallerOn = (
  deps: Pick<
    ApiDependencies,
    'dynamo' | 'callLogTableName' | 's3' | 'recordingsBucket' | 'archive'
  >,
): EraseCaller => {
  const { archive } = deps;
  return createEraseCaller({
    store: createCallerErasureStore(deps.dynamo, deps.callLogTableName),
    recordingsBucket: deps.recordingsBucket,
    deleteObject: (key) => deleteEveryVersion(deps.s3, deps.recordingsBucket, key),
    ...(archive
      ? {
          eraseArchiveDay: (day, rewrite) =>
            rewriteArchiveObjects(
              archive.s3,
              archive.bucket,
              `${archive.prefix ?? CONTACT_RECORD_ARCHIVE_PREFIX}${day}/`,
              rewrite,
            ),
        }
      : {}),
  });
};

/**
 * GET /calls/{contactId}'s use case on the given clients: the API's, and the webhook fan-out's
 * (an event's `data` is what that route answers).
 */
export const callDetailsOn = (
  deps: Pick<
    ApiDependencies,
    'dynamo' | 'callLogTableName' | 's3' | 'recordingsBucket' | 'publishEvents'
  >,
  reader: CallLogReader = createCallLogReader({
    client: deps.dynamo,
    tableName: deps.callLogTableName,
  }),
): CallDetails =>
  createCallDetails({
    reader,
    // The signer signs with the system clock, so expiresAt does too (not `now`).
    recordingUrls: createRecordingUrls({ client: deps.s3, bucket: deps.recordingsBucket }),
    recordingKeyUrl: createRecordingKeyUrl({ client: deps.s3, bucket: deps.recordingsBucket }),
    updateLead: (contactId, update) =>
      updateLead(deps.dynamo, deps.callLogTableName, contactId, update),
    readObjectText: (key) => readObjectText(deps.s3, deps.recordingsBucket, key),
    ...(deps.publishEvents ? { publishEvents: deps.publishEvents } : {}),
  });

export const createRouteHandlers = (deps: ApiDependencies): RouteHandlers => {
  const reader = createCallLogReader({
    client: deps.dynamo,
    tableName: deps.callLogTableName,
    ...(deps.now ? { now: deps.now } : {}),
  });
  return {
    ...createCallsHandlers({
      listCalls: createListCalls({
        reader,
        ...(deps.maxItemsRead ? { maxItemsRead: deps.maxItemsRead } : {}),
      }),
      calls: callDetailsOn(deps, reader),
      reports: createCallReports(reader),
      cursors: createCallsCursors(
        createCursorCodec(deps.cursorKey, deps.now ? { now: deps.now } : {}),
      ),
      ...(deps.now ? { now: deps.now } : {}),
    }),
    ...createWebhooksHandlers(
      createManageWebhooks({
        store: createWebhookStore(deps.dynamo, deps.callLogTableName),
        ...(deps.webhookUrlRules ? { urlRules: deps.webhookUrlRules } : {}),
      }),
    ),
    ...createPrivacyHandlers(eraseCallerOn(deps)),
    ...createManagementHandlers({
      client: deps.dynamo,
      routingTableName: deps.routingTableName,
      ...(deps.now ? { clock: () => new Date((deps.now as () => number)()) } : {}),
    }),
  };
};
