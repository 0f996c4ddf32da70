import * as z from 'zod';
import { LEAD_STATUSES, type LeadStatus, type LeadUpdate } from './call-log-item.js';
import { CALL_OUTCOMES, type CallOutcome } from './call-outcome.js';
import { isE164, NOT_E164 } from './phone-number.js';
import { InvalidRequestError } from './request-errors.js';

/**
 * The query parameters and bodies of the calls and reports routes, validated with strict zod
 * objects: an unknown parameter is refused by name (CallRail silently ignores `answered=` and
 * returns every call), and every bad value says what to write instead. All problems come at once.
 */

const DAY_MS = 86_400_000;
/** The longest range a list or a report may cover, in days. */
export const MAX_RANGE_DAYS = 366;
/** The longest range of an hourly time series, in days (24 points a day). */
export const MAX_HOURLY_RANGE_DAYS = 31;
/** The range when a request gives no `from`: the last 30 days. */
export const DEFAULT_RANGE_DAYS = 30;
export const DEFAULT_CALLS_LIMIT = 100;
export const MAX_CALLS_LIMIT = 250;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a real `yyyy-mm-dd` (UTC midnight), else undefined (2026-02-30 is not a date). */
const dateMs = (value: string): number | undefined => {
  if (!DATE.test(value)) return undefined;
  const ms = Date.parse(`${value}T00:00:00.000Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : ms;
};

const timestampMs = (value: string): number | undefined => {
  if (!TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || dateMs(value.slice(0, 10)) === undefined ? undefined : ms;
};

export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const shown = (input: unknown): string => JSON.stringify(input);

const DATE_HINT = 'write yyyy-mm-dd (e.g. 2026-11-01)';
const TIME_HINT = `${DATE_HINT} or an ISO 8601 timestamp with a zone (e.g. 2026-11-01T09:00:00Z)`;

const dateOrTimestamp = (name: string) =>
  z.string().refine((v) => dateMs(v) !== undefined || timestampMs(v) !== undefined, {
    error: (issue) => `${name}: ${shown(issue.input)} is not a date or a timestamp: ${TIME_HINT}`,
  });

const dateOnly = (name: string) =>
  z.string().refine((v) => dateMs(v) !== undefined, {
    error: (issue) => `${name}: ${shown(issue.input)} is not a date: ${DATE_HINT}`,
  });

const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, {
    error: (issue) => `${name}: ${shown(issue.input)} is not one of ${values.join(', ')}`,
  });

const text = (name: string) =>
  z
    .string()
    .min(1, { error: `${name}: is empty: give a value or leave the parameter out` })
    .max(100, { error: `${name}: is longer than 100 characters` });

const e164 = (name: string) =>
  z.string().refine(isE164, {
    error: (issue) => `${name}: ${shown(issue.input)} ${NOT_E164}; write + as %2B or as +`,
  });

const booleanText = (name: string) =>
  z.enum(['true', 'false'], {
    error: (issue) => `${name}: ${shown(issue.input)} is not true or false`,
  });

const limitText = z
  .string()
  .refine((v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_CALLS_LIMIT, {
    error: (issue) =>
      `limit: ${shown(issue.input)} is not a whole number from 1 to ${MAX_CALLS_LIMIT} (default ${DEFAULT_CALLS_LIMIT})`,
  });

const rangeFields = { from: dateOrTimestamp('from'), to: dateOrTimestamp('to') };
const reportRangeFields = { from: dateOnly('from'), to: dateOnly('to') };
const dimensionFields = {
  locationId: text('locationId'),
  source: text('source'),
  trackingNumber: e164('trackingNumber'),
};

const listCallsSchema = z
  .strictObject({
    ...rangeFields,
    ...dimensionFields,
    outcome: oneOf('outcome', CALL_OUTCOMES),
    firstTime: booleanText('firstTime'),
    leadStatus: oneOf('leadStatus', LEAD_STATUSES),
    caller: e164('caller'),
    limit: limitText,
    cursor: z.string(),
  })
  .partial();

export const SUMMARY_GROUPS = ['source', 'location', 'trackingNumber', 'day'] as const;
export type SummaryGroupBy = (typeof SUMMARY_GROUPS)[number];
export const SERIES_GROUPS = ['none', 'source', 'location', 'trackingNumber'] as const;
export type SeriesGroupBy = (typeof SERIES_GROUPS)[number];
export const INTERVALS = ['day', 'hour', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

const summarySchema = z
  .strictObject({
    ...reportRangeFields,
    ...dimensionFields,
    groupBy: oneOf('groupBy', SUMMARY_GROUPS),
  })
  .partial();

const timeseriesSchema = z
  .strictObject({
    ...reportRangeFields,
    ...dimensionFields,
    interval: oneOf('interval', INTERVALS),
    groupBy: oneOf('groupBy', SERIES_GROUPS),
  })
  .partial();

/** Every problem of a failed parse, one line each; an unknown key names the allowed ones. */
const problemsOf = (error: z.ZodError, allowed: readonly string[], what: string): string[] =>
  error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      const prefix = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      return `${prefix}unknown ${what} ${keys}: allowed are ${allowed.join(', ')}`;
    }
    if (issue.path.length === 0) return issue.message;
    // Messages start with the field's name; an element's problem names the element (tags.3).
    const head = `${String(issue.path[0])}: `;
    const message = issue.message.startsWith(head)
      ? issue.message.slice(head.length)
      : issue.message;
    return `${issue.path.join('.')}: ${message}`;
  });

const parseStrict = <S extends z.ZodObject>(schema: S, query: unknown): z.infer<S> => {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  throw new InvalidRequestError(
    'query',
    problemsOf(parsed.error, Object.keys(schema.shape), 'parameter'),
  );
};

/** A half-open time range [fromMs, toMs). */
export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * `from` and `to` of GET /calls: a date means its whole UTC day (a `to` date includes that day),
 * a timestamp that instant (a `to` timestamp included). Default: the 30 days up to `now`.
 */
const callsRange = (
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
): TimeRange | string => {
  const toMs =
    to === undefined ? nowMs : (timestampMs(to) ?? (dateMs(to) as number) + DAY_MS - 1) + 1;
  const fromMs =
    from === undefined
      ? toMs - DEFAULT_RANGE_DAYS * DAY_MS
      : (timestampMs(from) ?? (dateMs(from) as number));
  if (fromMs >= toMs) return `from: must be before to (from ${from}, to ${to ?? 'now'})`;
  if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) {
    return `from/to: the range is longer than ${MAX_RANGE_DAYS} days: ask for a shorter range, page by page`;
  }
  return { fromMs, toMs };
};

export interface CallFilters {
  readonly locationId?: string;
  readonly trackingNumber?: string;
  readonly source?: string;
  readonly outcome?: CallOutcome;
  readonly firstTime?: boolean;
  readonly leadStatus?: LeadStatus;
  /** The caller's number (E.164). */
  readonly caller?: string;
}

export interface ListCallsQuery {
  readonly range: TimeRange;
  /** Whether `from`/`to` were left to their default (a cursor then carries the range). */
  readonly defaultRange: boolean;
  readonly filters: CallFilters;
  readonly limit: number;
  readonly cursor?: string;
}

export const parseListCallsQuery = (
  query: Readonly<Record<string, string>>,
  nowMs: number,
): ListCallsQuery => {
  const q = parseStrict(listCallsSchema, query);
  const range = callsRange(q.from, q.to, nowMs);
  if (typeof range === 'string') throw new InvalidRequestError('query', [range]);
  const filters: CallFilters = {
    ...(q.locationId !== undefined ? { locationId: q.locationId } : {}),
    ...(q.trackingNumber !== undefined ? { trackingNumber: q.trackingNumber } : {}),
    ...(q.source !== undefined ? { source: q.source } : {}),
    ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
    ...(q.firstTime !== undefined ? { firstTime: q.firstTime === 'true' } : {}),
    ...(q.leadStatus !== undefined ? { leadStatus: q.leadStatus } : {}),
    ...(q.caller !== undefined ? { caller: q.caller } : {}),
  };
  return {
    range,
    defaultRange: q.from === undefined && q.to === undefined,
    filters,
    limit: q.limit === undefined ? DEFAULT_CALLS_LIMIT : Number(q.limit),
    ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
  };
};

export interface ReportFilters {
  readonly locationId?: string;
  readonly source?: string;
  readonly trackingNumber?: string;
}

export interface ReportQuery {
  /** The UTC days of the report, oldest first (`yyyy-mm-dd`). */
  readonly days: readonly string[];
  readonly filters: ReportFilters;
}

/** The days from `from` to `to`, both included; default the 30 days ending today (UTC). */
const reportDays = (
  from: string | undefined,
  to: string | undefined,
  nowMs: number,
  maxDays: number,
  why: string,
): string[] | string => {
  const toMs = to === undefined ? (dateMs(isoDay(nowMs)) as number) : (dateMs(to) as number);
  const fromMs =
    from === undefined ? toMs - (DEFAULT_RANGE_DAYS - 1) * DAY_MS : (dateMs(from) as number);
  if (fromMs > toMs) return `from: must not be after to (from ${from}, to ${to ?? 'today'})`;
  const count = (toMs - fromMs) / DAY_MS + 1;
  if (count > maxDays) {
    return `from/to: ${count} days is more than ${maxDays} days${why}: ask for a shorter range`;
  }
  return Array.from({ length: count }, (_, i) => isoDay(fromMs + i * DAY_MS));
};

const reportFilters = (q: ReportFilters): ReportFilters => ({
  ...(q.locationId !== undefined ? { locationId: q.locationId } : {}),
  ...(q.source !== undefined ? { source: q.source } : {}),
  ...(q.trackingNumber !== undefined ? { trackingNumber: q.trackingNumber } : {}),
});

export interface SummaryQuery extends ReportQuery {
  readonly groupBy: SummaryGroupBy;
}

export const parseSummaryQuery = (
  query: Readonly<Record<string, string>>,
  nowMs: number,
): SummaryQuery => {
  const q = parseStrict(summarySchema, query);
  const days = reportDays(q.from, q.to, nowMs, MAX_RANGE_DAYS, '');
  if (typeof days === 'string') throw new InvalidRequestError('query', [days]);
  return { days, filters: reportFilters(q), groupBy: q.groupBy ?? 'source' };
};

export interface TimeseriesQuery extends ReportQuery {
  readonly interval: Interval;
  readonly groupBy: SeriesGroupBy;
}

export const parseTimeseriesQuery = (
  query: Readonly<Record<string, string>>,
  nowMs: number,
): TimeseriesQuery => {
  const q = parseStrict(timeseriesSchema, query);
  const interval = q.interval ?? 'day';
  const days =
    interval === 'hour'
      ? reportDays(q.from, q.to, nowMs, MAX_HOURLY_RANGE_DAYS, ' (the limit with interval=hour)')
      : reportDays(q.from, q.to, nowMs, MAX_RANGE_DAYS, '');
  if (typeof days === 'string') throw new InvalidRequestError('query', [days]);
  return { days, filters: reportFilters(q), interval, groupBy: q.groupBy ?? 'none' };
};

// ---------------------------------------------------------------------------------------------
// PATCH /calls/{contactId}
// ---------------------------------------------------------------------------------------------

const leadUpdateSchema = z
  .strictObject({
    leadStatus: oneOf('leadStatus', LEAD_STATUSES).nullable(),
    value: z
      .number({ error: 'value: must be a number (or null to clear it)' })
      .min(0, { error: 'value: must be 0 or more' })
      .max(1e12, { error: 'value: must be at most 1000000000000' })
      .nullable(),
    note: z
      .string({ error: 'note: must be a string (or null to clear it)' })
      .max(1000, { error: 'note: is longer than 1000 characters' })
      .nullable(),
    tags: z
      .array(
        z
          .string({ error: 'tags: each tag must be a string' })
          .min(1, { error: 'tags: a tag is empty' })
          .max(50, { error: 'tags: a tag is longer than 50 characters' }),
        { error: 'tags: must be an array of strings (or null to clear them)' },
      )
      .max(20, { error: 'tags: more than 20 tags' })
      .nullable(),
    spam: z.boolean({ error: 'spam: must be true or false' }),
    handled: z.boolean({ error: 'handled: must be true or false' }),
  })
  .partial();

/** The body of PATCH /calls/{contactId}: strict, at least one field. */
export const parseLeadUpdate = (body: unknown): LeadUpdate => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRequestError('body', [
      'the body must be a JSON object with leadStatus, value, note, tags, spam or handled',
    ]);
  }
  const parsed = leadUpdateSchema.safeParse(body);
  if (!parsed.success) {
    throw new InvalidRequestError(
      'body',
      problemsOf(parsed.error, Object.keys(leadUpdateSchema.shape), 'field'),
    );
  }
  if (Object.keys(parsed.data).length === 0) {
    throw new InvalidRequestError('body', [
      'the body changes nothing: give at least one of leadStatus, value, note, tags, spam, handled',
    ]);
  }
  return parsed.data;
};
