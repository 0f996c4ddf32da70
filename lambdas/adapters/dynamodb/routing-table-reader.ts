import {
  type AttributeValue,
  DynamoDBClient,
  type DynamoDBClientConfig,
  type GetItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { RoutingEntry } from '../../domain/route.js';
import { parseRoutingEntry } from '../../domain/routing-entry.js';
import { describeError } from '../error-reason.js';
import { getItemWithin } from './bounded-get-item.js';
import { fromRoutingItem, routingKey } from './routing-items.js';

/**
 * The routing table as route-call reads it: one GetItem per tracking number, bounded in time, with a
 * short in-memory cache so a warm container answers repeated numbers without any read.
 */

/**
 * The outcome of one lookup. `error` is never cached; `found` and `unknown` are. `stale` marks a
 * found entry served past its cache life because the re-read failed (`reason` says why).
 */
export type LookupResult =
  | {
      readonly kind: 'found';
      readonly entry: RoutingEntry;
      readonly cacheHit: boolean;
      readonly stale?: { readonly ageMs: number; readonly reason: string };
    }
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
  /**
   * How long past its cache life a found entry may still be served when the re-read fails (a
   * DynamoDB outage must not forget every route a warm container knew); 0 turns it off.
   * @default 86_400_000 (24 h)
   */
  readonly maxStaleMs?: number;
  /** Entries kept at most; the oldest goes first. @default 1_000 */
  readonly cacheMaxEntries?: number;
  /** Clock for cache expiry, epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

export const DEFAULT_CACHE_TTL_MS = 60_000;
export const DEFAULT_NEGATIVE_CACHE_TTL_MS = 10_000;
export const DEFAULT_MAX_STALE_MS = 86_400_000;

export const ROUTING_MAX_ATTEMPTS = 2;

interface CacheSlot {
  readonly entry: RoutingEntry | undefined;
  /** When the slot stops being served as fresh. */
  readonly expiresAt: number;
  /** When the read that filled it happened. */
  readonly readAt: number;
}

/**
 * The entry of a stored item, checked by the shared routing-entry validator and against the key it
 * was read under; or what is wrong with it.
 */
const readEntry = (
  item: Record<string, AttributeValue>,
  trackingNumber: string,
): RoutingEntry | string => {
  let value: unknown;
  try {
    value = fromRoutingItem(item);
  } catch (error) {
    return `cannot be unmarshalled (${describeError(error)})`;
  }
  const parsed = parseRoutingEntry(value);
  if (!parsed.ok) return parsed.problems.join('; ').slice(0, 500);
  if (parsed.entry.trackingNumber !== trackingNumber) {
    return `trackingNumber ${parsed.entry.trackingNumber} does not match the key ${trackingNumber}`;
  }
  return parsed.entry;
};

export const createRoutingLookup = (options: RoutingLookupOptions): RoutingLookup => {
  const {
    client,
    tableName,
    budgetMs,
    cacheTtlMs = DEFAULT_CACHE_TTL_MS,
    negativeCacheTtlMs = DEFAULT_NEGATIVE_CACHE_TTL_MS,
    maxStaleMs = DEFAULT_MAX_STALE_MS,
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
    const readAt = now();
    cache.set(trackingNumber, { entry, expiresAt: readAt + ttl, readAt });
  };

  const getItem = (trackingNumber: string): Promise<GetItemCommandOutput> =>
    getItemWithin(
      client,
      { TableName: tableName, Key: routingKey(trackingNumber), ConsistentRead: false },
      budgetMs,
      'routing lookup',
    );

  return {
    async lookup(trackingNumber) {
      const cached = cache.get(trackingNumber);
      if (cached && cached.expiresAt > now()) {
        return cached.entry
          ? { kind: 'found', entry: cached.entry, cacheHit: true }
          : { kind: 'unknown', cacheHit: true };
      }
      // An expired found entry stays until the re-read succeeds or it is too old to serve: it is
      // the answer when DynamoDB fails. "Not in the table" is not kept: an error is as good.
      const fallback =
        cached?.entry !== undefined && now() - cached.expiresAt < maxStaleMs
          ? { entry: cached.entry, readAt: cached.readAt }
          : undefined;
      if (fallback === undefined) cache.delete(trackingNumber);

      let output: GetItemCommandOutput;
      try {
        output = await getItem(trackingNumber);
      } catch (error) {
        const reason = describeError(error);
        if (fallback !== undefined) {
          const stale = { ageMs: now() - fallback.readAt, reason };
          return { kind: 'found', entry: fallback.entry, cacheHit: true, stale };
        }
        return { kind: 'error', reason, cacheHit: false };
      }
      if (!output.Item) {
        remember(trackingNumber, undefined);
        return { kind: 'unknown', cacheHit: false };
      }
      const parsed = readEntry(output.Item, trackingNumber);
      if (typeof parsed === 'string') {
        return { kind: 'error', reason: `corrupt routing item: ${parsed}`, cacheHit: false };
      }
      remember(trackingNumber, parsed);
      return { kind: 'found', entry: parsed, cacheHit: false };
    },
  };
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
