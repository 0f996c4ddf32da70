import {
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  type GetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { isE164 } from '../domain/phone-number.js';
import type { RoutingEntry } from '../domain/route.js';
import { DAYS, isKnownTimeZone } from '../domain/weekly-hours.js';
import { fromRoutingItem, routingKey } from './routing-items.js';

/**
 * The routing table as route-call reads it: one GetItem per tracking number, bounded in time, with a
 * short in-memory cache so a warm container answers repeated numbers without any read.
 */

/** The outcome of one lookup. `error` is never cached; `found` and `unknown` are. */
export type LookupResult =
  | { readonly kind: 'found'; readonly entry: RoutingEntry; readonly cacheHit: boolean }
  | { readonly kind: 'unknown'; readonly cacheHit: boolean }
  | { readonly kind: 'error'; readonly reason: string; readonly cacheHit: false };

export interface RoutingLookup {
  /** Looks up an E.164 tracking number. Never rejects: failures come back as `kind: 'error'`. */
  lookup(trackingNumber: string): Promise<LookupResult>;
}

export interface RoutingLookupOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Hard limit on one lookup, retries included; past it the lookup answers `error`. */
  readonly budgetMs: number;
  /** How long a found entry is served from memory. @default 60_000 */
  readonly cacheTtlMs?: number;
  /** How long "not in the table" is served from memory. @default 10_000 */
  readonly negativeCacheTtlMs?: number;
  /** Entries kept at most; the oldest goes first. @default 1_000 */
  readonly cacheMaxEntries?: number;
  /** Clock for cache expiry, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_NEGATIVE_CACHE_TTL_MS = 10_000;
export const DEFAULT_ROUTE_BUDGET_MS = 1_500;
export const ROUTING_MAX_ATTEMPTS = 2;

interface CacheSlot {
  readonly entry: RoutingEntry | undefined;
  readonly expiresAt: number;
}

class BudgetExceededError extends Error {
  constructor(budgetMs: number) {
    super(`routing lookup exceeded its budget of ${budgetMs} ms`);
    this.name = 'BudgetExceededError';
  }
}

/** A short, single-line reason for logs: the error's name and the start of its message. */
const describeError = (error: unknown): string => {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return `non-error thrown: ${String(error)}`.slice(0, 300);
};

export const createRoutingLookup = (options: RoutingLookupOptions): RoutingLookup => {
  const {
    client,
    tableName,
    budgetMs,
    cacheTtlMs = DEFAULT_CACHE_TTL_MS,
    negativeCacheTtlMs = DEFAULT_NEGATIVE_CACHE_TTL_MS,
    cacheMaxEntries = 1_000,
    now = Date.now,
  } = options;
  const cache = new Map<string, CacheSlot>();

  const remember = (trackingNumber: string, entry: RoutingEntry | undefined): void => {
    const ttl = entry ? cacheTtlMs : negativeCacheTtlMs;
    if (ttl <= 0) return;
    cache.delete(trackingNumber);
    if (cache.size >= cacheMaxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(trackingNumber, { entry, expiresAt: now() + ttl });
  };

  /** One GetItem that settles within the budget, whatever the SDK or the network does. */
  const getItem = async (trackingNumber: string): Promise<GetItemCommandOutput> => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        // Abort frees the socket and stops retries; the rejection answers even if the SDK ignores it.
        controller.abort();
        reject(new BudgetExceededError(budgetMs));
      }, budgetMs);
    });
    try {
      const command = new GetItemCommand({
        TableName: tableName,
        Key: routingKey(trackingNumber),
        ConsistentRead: false,
      });
      return await Promise.race([
        client.send(command, { abortSignal: controller.signal }),
        expired,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    async lookup(trackingNumber) {
      const cached = cache.get(trackingNumber);
      if (cached && cached.expiresAt > now()) {
        return cached.entry
          ? { kind: 'found', entry: cached.entry, cacheHit: true }
          : { kind: 'unknown', cacheHit: true };
      }
      cache.delete(trackingNumber);

      let output: GetItemCommandOutput;
      try {
        output = await getItem(trackingNumber);
      } catch (error) {
        return { kind: 'error', reason: describeError(error), cacheHit: false };
      }
      if (!output.Item) {
        remember(trackingNumber, undefined);
        return { kind: 'unknown', cacheHit: false };
      }
      let parsed: RoutingEntry | string;
      try {
        parsed = parseRoutingEntry(fromRoutingItem(output.Item), trackingNumber);
      } catch (error) {
        parsed = `cannot be unmarshalled (${describeError(error)})`;
      }
      if (typeof parsed === 'string') {
        return { kind: 'error', reason: `corrupt routing item: ${parsed}`, cacheHit: false };
      }
      remember(trackingNumber, parsed);
      return { kind: 'found', entry: parsed, cacheHit: false };
    },
  };
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

const isE164Value = (value: unknown): value is string => typeof value === 'string' && isE164(value);

/** Checks a queue-or-number target; returns a problem or undefined. */
const targetProblem = (
  value: unknown,
  name: string,
  types: readonly string[],
): string | undefined => {
  if (!isRecord(value) || typeof value.type !== 'string' || !types.includes(value.type)) {
    return `${name}.type must be one of ${types.join(', ')}`;
  }
  if (value.type === 'queue') {
    return nonEmptyString(value.queueArn) ? undefined : `${name}.queueArn must be a queue ARN`;
  }
  return isE164Value(value.number) ? undefined : `${name}.number must be an E.164 number`;
};

/**
 * Checks that a stored item has the shape route-call relies on, so that a hand-edited or
 * half-migrated item becomes an `error` answer instead of a crash or an empty string sent to the
 * flow. Returns the entry, or a description of the first problem found.
 */
export const parseRoutingEntry = (
  value: unknown,
  trackingNumber: string,
): RoutingEntry | string => {
  if (!isRecord(value)) return 'item is not a map';
  if (value.trackingNumber !== trackingNumber) {
    return `trackingNumber ${JSON.stringify(value.trackingNumber)} does not match the key ${trackingNumber}`;
  }
  for (const field of ['trackingId', 'locationId', 'locationName', 'source', 'campaign']) {
    if (typeof value[field] !== 'string') return `${field} must be a string`;
  }
  if (value.owner !== 'portfolio' && value.owner !== 'api') return 'owner must be portfolio or api';
  const route = value.route;
  if (!isRecord(route)) return 'route must be a map';
  if (!isE164Value(route.ringTo)) return 'route.ringTo must be an E.164 number';
  const timeout = route.ringTimeoutSeconds;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 1 || timeout > 600) {
    return 'route.ringTimeoutSeconds must be a whole number from 1 to 600';
  }
  if (typeof route.timeZone !== 'string' || !isKnownTimeZone(route.timeZone)) {
    return 'route.timeZone must be an IANA time zone';
  }
  const hours = route.hours;
  if (!isRecord(hours) || !DAYS.every((day) => typeof hours[day] === 'string')) {
    return `route.hours must hold a string for each of ${DAYS.join(', ')}`;
  }
  const recording = route.recording;
  if (
    !isRecord(recording) ||
    typeof recording.enabled !== 'boolean' ||
    (recording.disclosure !== undefined && typeof recording.disclosure !== 'string')
  ) {
    return 'route.recording must be {enabled: boolean, disclosure: string}';
  }
  const fallbackProblem = targetProblem(route.fallback, 'route.fallback', [
    'queue',
    'number',
    'voicemail',
  ]);
  if (fallbackProblem) return fallbackProblem;
  if (route.menu !== undefined) {
    const menu = route.menu;
    if (!isRecord(menu) || typeof menu.prompt !== 'string') {
      return 'route.menu must be {prompt: string, payments}';
    }
    const paymentsProblem = targetProblem(menu.payments, 'route.menu.payments', [
      'queue',
      'number',
    ]);
    if (paymentsProblem) return paymentsProblem;
  }
  return value as unknown as RoutingEntry;
};

/** Per-attempt socket limits derived from the lookup budget, so two attempts fit inside it. */
export const routingTimeouts = (
  budgetMs: number,
): { connectionTimeoutMs: number; requestTimeoutMs: number } => {
  const requestTimeoutMs = Math.max(100, Math.floor(budgetMs / ROUTING_MAX_ATTEMPTS) - 50);
  return { connectionTimeoutMs: Math.min(requestTimeoutMs, 500), requestTimeoutMs };
};

export interface RoutingClientOptions
  extends Pick<DynamoDBClientConfig, 'region' | 'endpoint' | 'credentials'> {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * The DynamoDB client of the route-call path: two attempts at most, and per-attempt connection and
 * request timeouts that really throw (without `throwOnRequestTimeout` a request timeout only logs).
 */
export const createRoutingClient = (options: RoutingClientOptions): DynamoDBClient => {
  const { connectionTimeoutMs, requestTimeoutMs, ...config } = options;
  return new DynamoDBClient({
    ...config,
    maxAttempts: ROUTING_MAX_ATTEMPTS,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
};

export interface RouteCallConfig {
  readonly tableName: string;
  readonly budgetMs: number;
}

/**
 * Reads route-call's settings: `ROUTING_TABLE_NAME` (required) and `ROUTE_BUDGET_MS` (optional,
 * default 1500). Throws a message that says what to set, so a bad deploy fails at cold start.
 */
export const readRouteCallConfig = (env: Record<string, string | undefined>): RouteCallConfig => {
  const tableName = env.ROUTING_TABLE_NAME?.trim();
  if (!tableName) {
    throw new Error(
      'route-call: environment variable ROUTING_TABLE_NAME is missing or empty: set it to the routing table name',
    );
  }
  const rawBudget = env.ROUTE_BUDGET_MS?.trim();
  if (!rawBudget) return { tableName, budgetMs: DEFAULT_ROUTE_BUDGET_MS };
  const budgetMs = Number(rawBudget);
  if (!Number.isInteger(budgetMs) || budgetMs < 100 || budgetMs > 8_000) {
    throw new Error(
      `route-call: ROUTE_BUDGET_MS must be a whole number of milliseconds from 100 to 8000, got ${JSON.stringify(rawBudget)}`,
    );
  }
  return { tableName, budgetMs };
};
