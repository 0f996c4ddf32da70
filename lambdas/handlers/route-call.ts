import middy from '@middy/core';
import type { ConnectContactFlowEvent, ConnectContactFlowResult } from 'aws-lambda';
import { createCallerHistory } from '../adapters/dynamodb/caller-history-reader.js';
import {
  createRoutingClient,
  createRoutingLookup,
  routingTimeouts,
} from '../adapters/dynamodb/routing-table-reader.js';
import { routeCallEnvironment } from '../contracts/environment.js';
import { unroutedAnswer } from '../domain/route.js';
import { createRouteCall, log, toResult } from '../use-cases/route-call.js';

/**
 * The route-call Lambda: the wiring of the route-call use case (use-cases/route-call.ts) to this
 * function's environment. Loading it reads the settings, so tests and the local system import the
 * use case instead.
 */

// Cold start: read the settings once and fail fast on a bad deploy; build the client once.
const config = routeCallEnvironment.read(process.env);
const client = createRoutingClient(routingTimeouts(config.budgetMs));
const productionLookup = createRoutingLookup({
  client,
  tableName: config.tableName,
  budgetMs: config.budgetMs,
  maxStaleMs: config.maxStaleSeconds * 1000,
});
const callerHistory =
  config.callLogTableName === undefined
    ? undefined
    : createCallerHistory({ client, tableName: config.callLogTableName });

export const handler = middy<ConnectContactFlowEvent, ConnectContactFlowResult>({
  // Last line of defence if the function timeout is set below the lookup budget: still answer.
  timeoutEarlyInMillis: 100,
  timeoutEarlyResponse: () => {
    log('error', { status: 'error', reason: 'function timeout reached before an answer' });
    return toResult(unroutedAnswer('error', undefined));
  },
}).handler(
  createRouteCall({ lookup: productionLookup, ...(callerHistory ? { callerHistory } : {}) }),
);
