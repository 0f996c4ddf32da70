import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { createCallLogReader } from '../../lambdas/adapters/call-log-reader.js';
import { createRecordingUrls } from '../../lambdas/adapters/recording-urls.js';
import type { RouteHandlers } from '../../lambdas/domain/api-contract.js';
import { createCursorCodec } from '../../lambdas/domain/cursor.js';
import {
  createCallsHandlers,
  type UpdateLead,
  updateLeadNotImplemented,
} from '../../lambdas/handlers/api-calls.js';
import {
  type Api,
  type ApiLog,
  createApi,
  withPlaceholders,
} from '../../lambdas/handlers/api-core.js';

export interface LocalApiWiring {
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  readonly s3: S3Client;
  readonly recordingsBucket: string;
  /** @default - PATCH /calls/{contactId} answers 501 */
  readonly updateLead?: UpdateLead;
  /** Handlers of the other routes. @default - each answers 501 */
  readonly handlers?: Partial<RouteHandlers>;
  /** The cursor signing key. @default - random bytes per start (cursors die with the process) */
  readonly cursorKey?: Uint8Array;
  /** @default Date.now */
  readonly now?: () => number;
  readonly log?: ApiLog;
  readonly maxItemsRead?: number;
}

/** The API as the Lambda builds it, on local clients (dynalite, s3rver). */
export const createLocalApiHandler = (wiring: LocalApiWiring): Api => {
  const calls = createCallsHandlers({
    reader: createCallLogReader({ client: wiring.dynamo, tableName: wiring.tableName }),
    // The signer signs with the system clock, so expiresAt does too (not `now`).
    recordingUrls: createRecordingUrls({ client: wiring.s3, bucket: wiring.recordingsBucket }),
    updateLead: wiring.updateLead ?? updateLeadNotImplemented,
    cursors: createCursorCodec(wiring.cursorKey ?? randomBytes(32)),
    ...(wiring.now ? { now: wiring.now } : {}),
    ...(wiring.maxItemsRead ? { maxItemsRead: wiring.maxItemsRead } : {}),
  });
  return createApi(withPlaceholders({ ...wiring.handlers, ...calls }), {
    ...(wiring.log ? { log: wiring.log } : {}),
  });
};
