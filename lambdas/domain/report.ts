import type { Interval, ReportFilters, SeriesGroupBy, SummaryGroupBy } from './api-query.js';
import { microsToAmount } from './call-cost.js';
import type { Rollup } from './rollup.js';

/**
 * The reports, computed from daily rollup items (rollup.ts): pure functions of the rows read.
 * A group is the value of the grouping dimension, `null` for calls without one (an unknown number
 * has no location).
 */

export interface SummaryFigures {
  readonly calls: number;
  readonly leadCalls: number;
  readonly uniqueCallers: number;
  readonly answered: number;
  readonly missed: number;
  /** Messages the system recorded. */
  readonly voicemail: number;
  /** Queued callbacks requested. */
  readonly callback: number;
  /** Calls sent to an outside voicemail number (a message there is not known). */
  readonly voicemailBox: number;
  readonly abandoned: number;
  readonly conversions: number;
  readonly leadsActive: number;
  readonly leadsLost: number;
  /** conversions / leadCalls; null without lead calls. */
  readonly closeRate: number | null;
  /** Whole seconds; null without calls. */
  readonly averageDurationSeconds: number | null;
  readonly value: number;
  /** The calls' estimated Connect cost (call-cost.ts): an estimate, not the invoice. */
  readonly estimatedCost: {
    readonly currency: 'USD';
    readonly total: number;
    readonly totalMicros: number;
  };
}

export interface SummaryRow extends SummaryFigures {
  readonly group: string | null;
}

export interface Summary {
  readonly from: string;
  readonly to: string;
  readonly groupBy: SummaryGroupBy;
  readonly rows: readonly SummaryRow[];
  readonly totals: SummaryFigures;
}

const SUMMED = [
  'calls',
  'leadCalls',
  'answered',
  'missed',
  'voicemail',
  'callback',
  'voicemailBox',
  'abandoned',
  'conversions',
  'leadsActive',
  'leadsLost',
  'durationSeconds',
  'value',
  'costMicros',
] as const;
type Summed = Record<(typeof SUMMED)[number], number>;

/** Whether a rollup row passes the report's filters. */
export const matchesFilters = (row: Rollup, filters: ReportFilters): boolean =>
  (filters.locationId === undefined || row.locationId === filters.locationId) &&
  (filters.source === undefined || row.source === filters.source) &&
  (filters.trackingNumber === undefined || row.trackingNumber === filters.trackingNumber);

const groupOf = (row: Rollup, groupBy: SummaryGroupBy | SeriesGroupBy): string | null => {
  switch (groupBy) {
    case 'source':
      return row.source ?? null;
    case 'location':
      return row.locationId ?? null;
    case 'trackingNumber':
      return row.trackingNumber ?? null;
    case 'day':
      return row.day;
    case 'none':
      return 'all';
  }
};

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

class Accumulator {
  readonly sums: Summed = Object.fromEntries(SUMMED.map((k) => [k, 0])) as Summed;
  readonly callers = new Set<string>();

  add(row: Rollup): void {
    for (const key of SUMMED) this.sums[key] += row[key] ?? 0;
    for (const hash of row.callerHashes ?? []) this.callers.add(hash);
  }

  figures(): SummaryFigures {
    const { durationSeconds, costMicros, ...s } = this.sums;
    return {
      calls: s.calls,
      leadCalls: s.leadCalls,
      uniqueCallers: this.callers.size,
      answered: s.answered,
      missed: s.missed,
      voicemail: s.voicemail,
      callback: s.callback,
      voicemailBox: s.voicemailBox,
      abandoned: s.abandoned,
      conversions: s.conversions,
      leadsActive: s.leadsActive,
      leadsLost: s.leadsLost,
      closeRate: s.leadCalls === 0 ? null : round(s.conversions / s.leadCalls, 4),
      averageDurationSeconds: s.calls === 0 ? null : Math.round(durationSeconds / s.calls),
      value: round(s.value, 2),
      estimatedCost: {
        currency: 'USD',
        total: microsToAmount(costMicros),
        totalMicros: costMicros,
      },
    };
  }
}

const compareGroups = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;

/**
 * GET /reports/summary: one row per group, most calls first (ties by group); grouped by day, one
 * row per day of the range in date order, days without calls included.
 */
export const summarize = (
  rows: readonly Rollup[],
  {
    days,
    groupBy,
    filters,
  }: { days: readonly string[]; groupBy: SummaryGroupBy; filters: ReportFilters },
): Summary => {
  const groups = new Map<string | null, Accumulator>();
  if (groupBy === 'day') for (const day of days) groups.set(day, new Accumulator());
  const totals = new Accumulator();
  for (const row of rows) {
    if (!matchesFilters(row, filters)) continue;
    const group = groupOf(row, groupBy);
    let acc = groups.get(group);
    if (!acc) {
      acc = new Accumulator();
      groups.set(group, acc);
    }
    acc.add(row);
    totals.add(row);
  }
  const result = [...groups].map(([group, acc]) => ({ group, ...acc.figures() }));
  result.sort((a, b) =>
    groupBy === 'day'
      ? compareGroups(a.group, b.group)
      : b.calls - a.calls || compareGroups(a.group, b.group),
  );
  return {
    from: days[0] ?? '',
    to: days[days.length - 1] ?? '',
    groupBy,
    rows: result,
    totals: totals.figures(),
  };
};

export interface SeriesPoint {
  /** `yyyy-mm-dd` (interval day) or `yyyy-mm-ddTHH:00:00Z` (interval hour), UTC. */
  readonly t: string;
  readonly calls: number;
  /** Messages left. */
  readonly voicemail: number;
  /** Callbacks requested. */
  readonly callback: number;
}

export interface Series {
  /** `all` with groupBy none. */
  readonly group: string | null;
  readonly points: readonly SeriesPoint[];
}

export interface Timeseries {
  readonly from: string;
  readonly to: string;
  readonly interval: Interval;
  readonly groupBy: SeriesGroupBy;
  readonly series: readonly Series[];
}

const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

/** What a series point counts, each with the rollup's day total and its per-hour map. */
const SERIES_COUNTS = [
  { count: 'calls', hourly: 'hourly' },
  { count: 'voicemail', hourly: 'hourlyVoicemail' },
  { count: 'callback', hourly: 'hourlyCallback' },
] as const satisfies readonly { count: keyof Rollup; hourly: keyof Rollup }[];

type SeriesCount = (typeof SERIES_COUNTS)[number]['count'];
type SlotCounts = Record<SeriesCount, number[]>;

/**
 * The bucket a rollup row falls in: its day (`yyyy-mm-dd`), the Monday of its ISO week, or its
 * month (`yyyy-mm`; a month row's `day` is its month already).
 */
const bucketOf = (day: string, interval: Exclude<Interval, 'hour'>): string => {
  if (interval === 'day') return day;
  if (interval === 'month') return day.slice(0, 7);
  const date = new Date(`${day}T00:00:00Z`);
  // getUTCDay: Sunday 0 … Saturday 6; back to Monday.
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
};

/**
 * GET /reports/timeseries: calls, messages and callbacks per day or per hour (UTC), every point of
 * the range present (zero-filled), one series per group, most calls first; groupBy none gives one
 * series, `all`.
 */
export const timeseries = (
  rows: readonly Rollup[],
  {
    days,
    interval,
    groupBy,
    filters,
  }: {
    days: readonly string[];
    interval: Interval;
    groupBy: SeriesGroupBy;
    filters: ReportFilters;
  },
): Timeseries => {
  // A point per hour, or per bucket of days named by its first day in the range.
  const slots =
    interval === 'hour'
      ? days.flatMap((d) => HOURS.map((h) => `${d}T${h}:00:00Z`))
      : days.filter(
          (d, i) => i === 0 || bucketOf(d, interval) !== bucketOf(days[i - 1] ?? '', interval),
        );
  const index = new Map(
    interval === 'hour'
      ? slots.map((t, i) => [t, i])
      : slots.map((t, i) => [bucketOf(t, interval), i] as const),
  );
  const counts = new Map<string | null, SlotCounts>();
  const countsOf = (group: string | null): SlotCounts => {
    let c = counts.get(group);
    if (!c) {
      const zeros = () => slots.map(() => 0);
      c = { calls: zeros(), voicemail: zeros(), callback: zeros() };
      counts.set(group, c);
    }
    return c;
  };
  const addAt = (c: number[], t: string, n: number): void => {
    const i = index.get(t);
    if (i !== undefined) c[i] = (c[i] ?? 0) + n;
  };
  if (groupBy === 'none') countsOf('all');
  for (const row of rows) {
    if (!matchesFilters(row, filters)) continue;
    const c = countsOf(groupOf(row, groupBy));
    for (const { count, hourly } of SERIES_COUNTS) {
      if (interval !== 'hour') {
        addAt(c[count], bucketOf(row.day, interval), row[count] ?? 0);
        continue;
      }
      for (const [hour, n] of Object.entries(row[hourly] ?? {})) {
        addAt(c[count], `${row.day}T${hour}:00:00Z`, n);
      }
    }
  }
  const total = (c: SlotCounts): number => c.calls.reduce((a, b) => a + b, 0);
  const series = [...counts]
    .sort(([ga, a], [gb, b]) => total(b) - total(a) || compareGroups(ga, gb))
    .map(([group, c]) => ({
      group,
      points: slots.map((t, i) => ({
        t,
        calls: c.calls[i] ?? 0,
        voicemail: c.voicemail[i] ?? 0,
        callback: c.callback[i] ?? 0,
      })),
    }));
  return { from: days[0] ?? '', to: days[days.length - 1] ?? '', interval, groupBy, series };
};
