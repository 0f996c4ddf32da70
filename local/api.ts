import { randomBytes } from 'node:crypto';
import { type Api, type ApiLog, createApi } from '../lambdas/adapters/http/api-gateway.js';
import { type ApiDependencies, createRouteHandlers } from '../lambdas/handlers/api-routes.js';

export interface LocalApiWiring extends Omit<ApiDependencies, 'cursorKey'> {
  /** The cursor signing key. @default - random bytes per start (cursors die with the process) */
  readonly cursorKey?: Uint8Array;
  readonly log?: ApiLog;
}

/** The API as the Lambda builds it, on local clients (dynalite, s3rver). */
export const createLocalApiHandler = ({ log, cursorKey, ...wiring }: LocalApiWiring): Api =>
  createApi(createRouteHandlers({ ...wiring, cursorKey: cursorKey ?? randomBytes(32) }), {
    ...(log ? { log } : {}),
  });
