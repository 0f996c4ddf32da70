import type { CallLogReader, CallsPosition } from '../adapters/dynamodb/call-log-reader.js';
import type { RecordingUrls } from '../adapters/s3/recording-urls.js';
import { ApiError, type ApiRequest, type RouteHandler } from '../domain/api-contract.js';
import {
  parseLeadUpdate,
  parseListCallsQuery,
  parseSummaryQuery,
  parseTimeseriesQuery,
  type TimeRange,
} from '../domain/api-query.js';
import type { CallLogItem, LeadUpdate } from '../domain/call-log-item.js';
import { planCallsQuery } from '../domain/call-query.js';
import { toCall } from '../domain/call-view.js';
import { type CursorCodec, filterFingerprint, invalidCursor } from '../domain/cursor.js';
import { summarize, timeseries } from '../domain/report.js';

/**
 * The calls and reports routes: parse the request (domain/api-query.ts), read the call log
 * (adapters/dynamodb/call-log-reader.ts), shape the answer (domain/call-view.ts, domain/report.ts).
 */

export type CallsOperation =
  | 'listCalls'
  | 'getCall'
  | 'updateCall'
  | 'getSummary'
  | 'getTimeseries';

/** Sets lead fields of a stored call; undefined when there is no such call (call-log-writer.ts). */
export type UpdateLead = (
  contactId: string,
  update: LeadUpdate,
) => Promise<CallLogItem | undefined>;

export interface CallsApiDependencies {
  readonly reader: CallLogReader;
  readonly recordingUrls: RecordingUrls;
  readonly updateLead: UpdateLead;
  readonly cursors: CursorCodec;
  /** @default Date.now */
  readonly now?: () => number;
  /** Items one GET /calls reads at most before it answers with a cursor. @default 1000 */
  readonly maxItemsRead?: number;
}

export const DEFAULT_MAX_ITEMS_READ = 1_000;

/** What a GET /calls cursor holds: the filters it belongs to, the range, where to go on. */
interface CallsCursor {
  readonly v: 1;
  readonly f: string;
  readonly from: number;
  readonly to: number;
  readonly p: string;
  readonly k?: Record<string, string>;
}

const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every((v) => typeof v === 'string');

const readCallsCursor = (state: Record<string, unknown>): CallsCursor => {
  const { v, f, from, to, p, k } = state;
  if (
    v !== 1 ||
    typeof f !== 'string' ||
    typeof from !== 'number' ||
    typeof to !== 'number' ||
    typeof p !== 'string' ||
    (k !== undefined && !isStringRecord(k))
  ) {
    throw invalidCursor('not a cursor of GET /calls');
  }
  return { v, f, from, to, p, ...(k ? { k } : {}) };
};

const notFound = (contactId: string): ApiError =>
  new ApiError(404, 'not-found', `no call with contactId ${contactId}`);

const contactIdOf = (request: ApiRequest): string => {
  const contactId = request.pathParameters.contactId;
  if (!contactId) throw new ApiError(400, 'invalid-path', 'the path names no contactId');
  return contactId;
};

export const createCallsHandlers = ({
  reader,
  recordingUrls,
  updateLead,
  cursors,
  now = Date.now,
  maxItemsRead = DEFAULT_MAX_ITEMS_READ,
}: CallsApiDependencies): Readonly<Record<CallsOperation, RouteHandler>> => ({
  async listCalls(request) {
    const query = parseListCallsQuery(request.query, now());
    const fingerprint = filterFingerprint(request.query);
    let range: TimeRange = query.range;
    let start: CallsPosition | undefined;
    if (query.cursor !== undefined) {
      const cursor = readCallsCursor(cursors.decode(query.cursor));
      if (cursor.f !== fingerprint) {
        throw invalidCursor('it belongs to other filters than these');
      }
      // The cursor keeps the range of the first page, so a default range does not slide.
      range = { fromMs: cursor.from, toMs: cursor.to };
      start = { partition: cursor.p, ...(cursor.k ? { key: cursor.k } : {}) };
    }
    const plan = planCallsQuery(query.filters, range);
    if (start && !plan.partitions.includes(start.partition)) {
      throw invalidCursor('not a cursor of this list');
    }
    const page = await reader.listCalls({
      plan,
      limit: query.limit,
      maxItemsRead,
      ...(start ? { start } : {}),
    });
    const nextCursor = page.next
      ? cursors.encode({
          v: 1,
          f: fingerprint,
          from: range.fromMs,
          to: range.toMs,
          p: page.next.partition,
          ...(page.next.key ? { k: page.next.key } : {}),
        } satisfies CallsCursor)
      : undefined;
    return {
      statusCode: 200,
      body: { items: page.items.map(toCall), ...(nextCursor ? { nextCursor } : {}) },
    };
  },

  async getCall(request) {
    const contactId = contactIdOf(request);
    const item = await reader.getCall(contactId);
    if (!item) throw notFound(contactId);
    const recordings = await recordingUrls(item.recordings ?? []);
    return { statusCode: 200, body: { ...toCall(item), recordings } };
  },

  async updateCall(request) {
    const contactId = contactIdOf(request);
    const update = parseLeadUpdate(request.body);
    const item = await updateLead(contactId, update);
    if (!item) throw notFound(contactId);
    return { statusCode: 200, body: toCall(item) };
  },

  async getSummary(request) {
    const query = parseSummaryQuery(request.query, now());
    const rows = await reader.readRollups(query.days, {
      ...(query.filters.locationId !== undefined ? { locationId: query.filters.locationId } : {}),
    });
    return { statusCode: 200, body: summarize(rows, query) };
  },

  async getTimeseries(request) {
    const query = parseTimeseriesQuery(request.query, now());
    const rows = await reader.readRollups(query.days, {
      ...(query.filters.locationId !== undefined ? { locationId: query.filters.locationId } : {}),
    });
    return { statusCode: 200, body: timeseries(rows, query) };
  },
});
