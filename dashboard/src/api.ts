/**
 * The public API as the dashboard sees it: every shape it reads or sends, and one typed function per
 * route. Nothing else in the dashboard knows a path or a field name of the wire format.
 */

export const OUTCOMES = [
  'answered-location',
  'answered-fallback',
  'voicemail',
  'missed',
  'abandoned',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const LEAD_STATUSES = ['active', 'rented', 'lost'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export interface Call {
  readonly contactId: string;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly durationSeconds?: number;
  readonly caller?: string;
  readonly trackingNumber?: string;
  readonly locationId?: string;
  readonly locationName?: string;
  readonly source?: string;
  readonly campaign?: string;
  readonly outcome: Outcome;
  readonly answered: boolean;
  readonly firstTime: boolean;
  readonly recording: boolean;
  readonly leadStatus?: LeadStatus;
  readonly value?: number;
  readonly note?: string;
  readonly tags?: readonly string[];
  readonly spam?: boolean;
}

export interface Recording {
  readonly url: string;
  readonly expiresAt: string;
}

export interface CallDetail extends Call {
  readonly recordings: readonly Recording[];
}

/** PATCH /calls/{contactId}: `null` clears a field. */
export interface LeadUpdate {
  readonly leadStatus?: LeadStatus | null;
  readonly value?: number | null;
  readonly note?: string | null;
  readonly tags?: readonly string[] | null;
  readonly spam?: boolean;
}

export interface CallFilters {
  readonly from?: string;
  readonly to?: string;
  readonly locationId?: string;
  readonly trackingNumber?: string;
  readonly source?: string;
  readonly outcome?: Outcome;
  readonly firstTime?: 'true' | 'false';
  readonly leadStatus?: LeadStatus;
  readonly limit?: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export type SummaryGroupBy = 'source' | 'location' | 'trackingNumber' | 'day';

export interface SummaryRow {
  readonly group: string;
  readonly calls: number;
  readonly leadCalls: number;
  readonly uniqueCallers: number;
  readonly answered: number;
  readonly missed: number;
  readonly voicemail: number;
  readonly abandoned: number;
  readonly conversions: number;
  readonly leadsActive: number;
  readonly leadsLost: number;
  /** Conversions per lead call, 0–1; null when there is no lead call. */
  readonly closeRate: number | null;
  readonly averageDurationSeconds: number | null;
  readonly value: number;
}

export interface Summary {
  readonly groupBy: SummaryGroupBy;
  readonly from: string;
  readonly to: string;
  readonly rows: readonly SummaryRow[];
  readonly totals: SummaryRow;
}

export interface ReportFilters {
  readonly from?: string;
  readonly to?: string;
  readonly locationId?: string;
  readonly source?: string;
  readonly trackingNumber?: string;
}

export interface Timeseries {
  readonly interval: 'day' | 'hour';
  readonly series: readonly {
    readonly group: string;
    /** `t`: the start of the interval, an ISO date or timestamp (or epoch milliseconds). */
    readonly points: readonly { readonly t: string | number; readonly calls: number }[];
  }[];
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Fallback =
  | { readonly type: 'queue'; readonly queue: string }
  | { readonly type: 'number'; readonly number: string }
  | { readonly type: 'voicemail'; readonly number: string };

export type MenuTarget =
  | { readonly type: 'queue'; readonly queue: string }
  | { readonly type: 'number'; readonly number: string };

/** PUT /locations/{id}: a portfolio location without its id. */
export interface LocationInput {
  readonly name: string;
  readonly timeZone: string;
  /** `HH:MM-HH:MM` ranges separated by commas, `closed` or `open-24h`. */
  readonly hours: Readonly<Record<Weekday, string>>;
  readonly ringTo: string;
  readonly ringTimeoutSeconds?: number;
  readonly publishedNumbers?: readonly string[];
  readonly recording?: { readonly enabled: boolean; readonly disclosure?: string };
  readonly fallback: Fallback;
  readonly menu?: { readonly prompt?: string; readonly payments: MenuTarget };
}

export type Owner = 'portfolio' | 'api';

export interface Location extends LocationInput {
  readonly id: string;
  readonly owner: Owner;
  /** The portfolio file that declares a portfolio-owned location. */
  readonly declaredIn?: string;
  readonly trackingNumbers: readonly string[];
}

export interface TrackingNumber {
  readonly number: string;
  readonly id: string;
  readonly locationId: string;
  readonly source: string;
  readonly campaign?: string;
  readonly owner: Owner;
  readonly declaredIn?: string;
}

/** PUT /tracking-numbers/{number}. */
export interface TrackingNumberInput {
  readonly id: string;
  readonly location: string;
  readonly source: string;
  readonly campaign?: string;
}

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

export interface Api {
  listCalls(filters: CallFilters): Promise<Page<Call>>;
  getCall(contactId: string): Promise<CallDetail>;
  updateCall(contactId: string, update: LeadUpdate): Promise<Call>;
  summary(groupBy: SummaryGroupBy, filters: ReportFilters): Promise<Summary>;
  timeseries(
    interval: 'day' | 'hour',
    groupBy: 'none' | 'source' | 'location' | 'trackingNumber',
    filters: ReportFilters,
  ): Promise<Timeseries>;
  listLocations(): Promise<Page<Location>>;
  putLocation(id: string, location: LocationInput): Promise<Location>;
  deleteLocation(id: string): Promise<void>;
  listTrackingNumbers(): Promise<Page<TrackingNumber>>;
  putTrackingNumber(number: string, input: TrackingNumberInput): Promise<TrackingNumber>;
  deleteTrackingNumber(number: string): Promise<void>;
}

/**
 * A client of the API at `baseUrl` (relative paths by default: the dashboard shares the API's
 * origin). Every request carries `Authorization: Bearer <token>`; a refusal rejects with ApiError.
 */
export const createApi = (token: string, baseUrl = '', fetchImpl: typeof fetch = fetch): Api => {
  const request = async <T>(
    method: 'GET' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> => {
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
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, init);
    } catch {
      throw new ApiError(0, 'network', 'The API could not be reached. Is the server running?');
    }
    if (!response.ok) throw await errorFrom(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  };
  return {
    listCalls: (filters) => request('GET', `/calls${queryString({ ...filters })}`),
    getCall: (id) => request('GET', `/calls/${segment(id)}`),
    updateCall: (id, update) => request('PATCH', `/calls/${segment(id)}`, update),
    summary: (groupBy, filters) =>
      request('GET', `/reports/summary${queryString({ groupBy, ...filters })}`),
    timeseries: (interval, groupBy, filters) =>
      request('GET', `/reports/timeseries${queryString({ interval, groupBy, ...filters })}`),
    listLocations: () => request('GET', '/locations'),
    putLocation: (id, location) => request('PUT', `/locations/${segment(id)}`, location),
    deleteLocation: (id) => request('DELETE', `/locations/${segment(id)}`),
    listTrackingNumbers: () => request('GET', '/tracking-numbers'),
    putTrackingNumber: (number, input) =>
      request('PUT', `/tracking-numbers/${segment(number)}`, input),
    deleteTrackingNumber: (number) => request('DELETE', `/tracking-numbers/${segment(number)}`),
  };
};
