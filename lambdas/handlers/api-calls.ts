import { ApiError, type ApiRequest, type RouteHandler } from '../adapters/http/api-contract.js';
import type { CallsCursors } from '../adapters/http/calls-cursor.js';
import { filterFingerprint } from '../adapters/http/cursor.js';
import {
  parseLeadUpdate,
  parseListCallsQuery,
  parseSummaryQuery,
  parseTimeseriesQuery,
} from '../domain/api-query.js';
import type { CallDetails } from '../use-cases/call-details.js';
import type { CallReports } from '../use-cases/call-reports.js';
import type { ListCalls } from '../use-cases/list-calls.js';

/**
 * The calls and reports routes: parse the request (domain/api-query.ts), run the use case
 * (use-cases/list-calls.ts, call-details.ts, call-reports.ts), answer with its result.
 */

export type CallsOperation =
  | 'listCalls'
  | 'getCall'
  | 'updateCall'
  | 'getSummary'
  | 'getTimeseries';

export interface CallsApiDependencies {
  readonly listCalls: ListCalls;
  readonly calls: CallDetails;
  readonly reports: CallReports;
  readonly cursors: CallsCursors;
  /** @default Date.now */
  readonly now?: () => number;
}

/** Connect's contact ids are at most 256 characters (its API reference's ContactId). */
export const MAX_CONTACT_ID_LENGTH = 256;

const contactIdOf = (request: ApiRequest): string => {
  const contactId = request.pathParameters.contactId;
  if (!contactId) throw new ApiError(400, 'invalid-path', 'the path names no contactId');
  // Checked before it becomes a key: DynamoDB refuses a key over 2,048 bytes with an error (a 500).
  if (contactId.length > MAX_CONTACT_ID_LENGTH) {
    throw new ApiError(
      400,
      'invalid-path',
      `contactId: ${contactId.length} characters is longer than a contact id (at most ${MAX_CONTACT_ID_LENGTH}): give the contactId of a call`,
    );
  }
  return contactId;
};

export const createCallsHandlers = ({
  listCalls,
  calls,
  reports,
  cursors,
  now = Date.now,
}: CallsApiDependencies): Readonly<Record<CallsOperation, RouteHandler>> => ({
  async listCalls(request) {
    const query = parseListCallsQuery(request.query, now());
    const fingerprint = filterFingerprint(request.query);
    // The cursor keeps the range of the first page, so a default range does not slide.
    const resumed =
      query.cursor === undefined ? undefined : cursors.read(query.cursor, fingerprint);
    const range = resumed?.range ?? query.range;
    const page = await listCalls({
      filters: query.filters,
      range,
      limit: query.limit,
      ...(resumed ? { start: resumed.start } : {}),
    });
    const nextCursor = page.next && cursors.write(fingerprint, { range, start: page.next });
    return { statusCode: 200, body: { items: page.items, ...(nextCursor ? { nextCursor } : {}) } };
  },

  async getCall(request) {
    return { statusCode: 200, body: await calls.get(contactIdOf(request)) };
  },

  async updateCall(request) {
    const contactId = contactIdOf(request);
    const update = parseLeadUpdate(request.body);
    return { statusCode: 200, body: await calls.updateLead(contactId, update) };
  },

  async getSummary(request) {
    const query = parseSummaryQuery(request.query, now());
    return { statusCode: 200, body: await reports.summary(query) };
  },

  async getTimeseries(request) {
    const query = parseTimeseriesQuery(request.query, now());
    return { statusCode: 200, body: await reports.timeseries(query) };
  },
});
