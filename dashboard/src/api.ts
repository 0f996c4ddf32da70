/**
 * The public API as the dashboard sees it: every shape it reads or sends, and one typed function per
 * route. Nothing else in the dashboard knows a path or a field name of the wire format.
 */

import type { components, operations, paths } from './generated/api-schema.js';

// Every type below is openapi.yaml's, through the types openapi-typescript generates from it
// (`npm run typecheck` writes them to generated/, git-ignored): a change of the document that the
// dashboard does not follow fails tsc. The imports are types only, so the bundle does not need them.

type Schemas = components['schemas'];
type Operation = keyof operations;
type Responses<Op extends Operation> = operations[Op]['responses'];
type Json<R> = R extends { readonly content: { readonly 'application/json': infer T } } ? T : never;
/** What an operation answers when it succeeds: its 200's JSON, or nothing for a 204. */
type Answer<Op extends Operation> = 200 extends keyof Responses<Op>
  ? Json<Responses<Op>[200]>
  : undefined;
/** The JSON request body of an operation (never for one without a body). */
type Body<Op extends Operation> = Json<NonNullable<operations[Op]['requestBody']>>;
type QueryOf<Op extends Operation> = NonNullable<operations[Op]['parameters']['query']>;
type PathParamsOf<Op extends Operation> = NonNullable<operations[Op]['parameters']['path']>;

/**
 * Every member of the union `T`, listed at run time: `allOf<Outcome>()([...])` fails to compile
 * when the list misses a member (`missing` names it) or holds something else.
 */
const allOf =
  <T extends string>() =>
  <const L extends readonly T[]>(
    list: L &
      ([Exclude<T, L[number]>] extends [never]
        ? unknown
        : { readonly missing: Exclude<T, L[number]> }),
  ): L =>
    list;

export type Call = Schemas['Call'];
export type Outcome = Call['outcome'];
export type LeadStatus = Schemas['LeadStatus'];

export const OUTCOMES = allOf<Outcome>()([
  'answered-location',
  'answered-agent',
  'answered-fallback',
  'voicemail',
  'callback',
  'voicemail-box',
  'missed',
  'abandoned',
]);

export const LEAD_STATUSES = allOf<LeadStatus>()(['active', 'rented', 'lost']);

export type CallDetail = Schemas['CallDetail'];
export type Recording = CallDetail['recordings'][number];
/** PATCH /calls/{contactId}: `null` clears a field. */
export type LeadUpdate = Schemas['LeadUpdate'];
export type CallFilters = QueryOf<'listCalls'>;
export type CallPage = Answer<'listCalls'>;

// GET /calls?outcome= takes the calls' own outcomes: each can be filtered on, and only those.
allOf<NonNullable<CallFilters['outcome']>>()(OUTCOMES);

export type SummaryGroupBy = NonNullable<QueryOf<'getSummary'>['groupBy']>;
/** The figures of a group of calls (a summary's totals have no `group`). */
export type SummaryFigures = Schemas['SummaryFigures'];
export type Summary = Answer<'getSummary'>;
/** One group's figures; `group` is null for calls without a value. */
export type SummaryRow = Summary['rows'][number];

/** The filters both reports take. */
export type ReportFilters = Omit<QueryOf<'getSummary'>, 'groupBy'> &
  Omit<QueryOf<'getTimeseries'>, 'interval' | 'groupBy'>;

export type TimeseriesInterval = NonNullable<QueryOf<'getTimeseries'>['interval']>;
export type TimeseriesGroupBy = NonNullable<QueryOf<'getTimeseries'>['groupBy']>;
export type Timeseries = Answer<'getTimeseries'>;

export type Weekday = keyof Schemas['Hours'];
export const WEEKDAYS = allOf<Weekday>()(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

export type Fallback = Schemas['Fallback'];
export type MenuTarget = NonNullable<Schemas['LocationFields']['menu']>['payments'];
/** PUT /locations/{id}: a portfolio location without its id. */
export type LocationInput = Body<'putLocation'>;
export type Location = Schemas['Location'];
export type Owner = Location['owner'];
export type LocationList = Answer<'listLocations'>;

export type TrackingNumber = Schemas['TrackingNumber'];
/** PUT /tracking-numbers/{number}. */
export type TrackingNumberInput = Body<'putTrackingNumber'>;
export type TrackingNumberList = Answer<'listTrackingNumbers'>;

type Method = 'get' | 'put' | 'patch' | 'delete';
/** The method and path template openapi.yaml gives the operation `Op`. */
type RouteOf<Op extends Operation> = {
  [P in keyof paths]: {
    [M in Method]: [paths[P][M]] extends [operations[Op]]
      ? [operations[Op]] extends [paths[P][M]]
        ? readonly [Uppercase<M>, P]
        : never
      : never;
  }[Method];
}[keyof paths];

/** The operations the dashboard calls, each at its documented method and path. */
const ROUTES = {
  listCalls: ['GET', '/calls'],
  getCall: ['GET', '/calls/{contactId}'],
  updateCall: ['PATCH', '/calls/{contactId}'],
  getSummary: ['GET', '/reports/summary'],
  getTimeseries: ['GET', '/reports/timeseries'],
  listLocations: ['GET', '/locations'],
  putLocation: ['PUT', '/locations/{id}'],
  deleteLocation: ['DELETE', '/locations/{id}'],
  listTrackingNumbers: ['GET', '/tracking-numbers'],
  putTrackingNumber: ['PUT', '/tracking-numbers/{number}'],
  deleteTrackingNumber: ['DELETE', '/tracking-numbers/{number}'],
} as const satisfies { readonly [Op in Operation]?: RouteOf<Op> };
type Called = keyof typeof ROUTES;

/** A refused request, in the API's own words (`{ error: { status, code, message, problems? } }`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: readonly string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const errorFrom = async (response: Response): Promise<ApiError> => {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as {
      error?: { status?: number; code?: string; message?: string; problems?: unknown };
    };
    const e = parsed.error;
    if (e && typeof e.message === 'string') {
      const problems = Array.isArray(e.problems)
        ? e.problems.filter((p): p is string => typeof p === 'string')
        : [];
      return new ApiError(response.status, e.code ?? 'error', e.message, problems);
    }
  } catch {
    // not JSON: fall through to the status line
  }
  const what = response.statusText || 'request failed';
  return new ApiError(response.status, 'http', `The API answered ${response.status} (${what}).`);
};

type Query = Readonly<Record<string, string | number | undefined>>;

/**
 * A query string with every value percent-encoded (a space is %20, a + is %2B): the API reads `+`
 * as a plus, so E.164 numbers can be typed as they are, and URLSearchParams' `+` for a space
 * would turn "Google Ads" into "Google+Ads".
 */
const queryString = (query: Query): string => {
  const pairs = Object.entries(query)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
};

/** A path segment, encoded (`+` becomes `%2B`). */
const segment = (value: string): string => encodeURIComponent(value);

/** A path template of openapi.yaml with each `{name}` replaced by its encoded value. */
const fill = (template: string, params: Readonly<Record<string, string>>): string =>
  template.replace(/\{(\w+)\}/g, (_, name: string) => segment(params[name] ?? ''));

export interface Api {
  listCalls(filters: CallFilters): Promise<CallPage>;
  getCall(contactId: string): Promise<CallDetail>;
  updateCall(contactId: string, update: LeadUpdate): Promise<Call>;
  summary(groupBy: SummaryGroupBy, filters: ReportFilters): Promise<Summary>;
  timeseries(
    interval: TimeseriesInterval,
    groupBy: TimeseriesGroupBy,
    filters: ReportFilters,
  ): Promise<Timeseries>;
  listLocations(): Promise<LocationList>;
  putLocation(id: string, location: LocationInput): Promise<Location>;
  deleteLocation(id: string): Promise<void>;
  listTrackingNumbers(): Promise<TrackingNumberList>;
  putTrackingNumber(number: string, input: TrackingNumberInput): Promise<TrackingNumber>;
  deleteTrackingNumber(number: string): Promise<void>;
}

/** What a request of the operation `Op` carries besides the token. */
type RequestOf<Op extends Called> = ([PathParamsOf<Op>] extends [never]
  ? { readonly path?: undefined }
  : { readonly path: PathParamsOf<Op> }) &
  ([QueryOf<Op>] extends [never]
    ? { readonly query?: undefined }
    : { readonly query: QueryOf<Op> }) &
  ([Body<Op>] extends [never] ? { readonly body?: undefined } : { readonly body: Body<Op> });

/**
 * A client of the API at `baseUrl` (relative paths by default: the dashboard shares the API's
 * origin). Every request carries `Authorization: Bearer <token>`; a refusal rejects with ApiError.
 */
export const createApi = (token: string, baseUrl = '', fetchImpl: typeof fetch = fetch): Api => {
  const request = async <Op extends Called>(
    operation: Op,
    { path, query, body }: RequestOf<Op>,
  ): Promise<Answer<Op>> => {
    const [method, template] = ROUTES[operation];
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const init: RequestInit & { cache: 'no-store' } = {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      // Figures change as calls come in and leads are edited: never an old answer.
      cache: 'no-store',
    };
    const url = `${baseUrl}${fill(template, path ?? {})}${queryString(query ?? {})}`;
    let response: Response;
    try {
      response = await fetchImpl(url, init);
    } catch {
      throw new ApiError(0, 'network', 'The API could not be reached. Is the server running?');
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return undefined as Answer<Op>;
    return (await response.json()) as Answer<Op>;
  };
  return {
    listCalls: (filters) => request('listCalls', { query: { ...filters } }),
    getCall: (contactId) => request('getCall', { path: { contactId } }),
    updateCall: (contactId, update) => request('updateCall', { path: { contactId }, body: update }),
    summary: (groupBy, filters) => request('getSummary', { query: { groupBy, ...filters } }),
    timeseries: (interval, groupBy, filters) =>
      request('getTimeseries', { query: { interval, groupBy, ...filters } }),
    listLocations: () => request('listLocations', {}),
    putLocation: (id, location) => request('putLocation', { path: { id }, body: location }),
    deleteLocation: (id) => request('deleteLocation', { path: { id } }),
    listTrackingNumbers: () => request('listTrackingNumbers', {}),
    putTrackingNumber: (number, input) =>
      request('putTrackingNumber', { path: { number }, body: input }),
    deleteTrackingNumber: (number) => request('deleteTrackingNumber', { path: { number } }),
  };
};
