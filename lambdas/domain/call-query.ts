import type { CallFilters, TimeRange } from './api-query.js';

/**
 * How GET /calls reads the call log: one index, chosen by the most selective key filter
 * (caller > tracking number > location > ad source > month), its sort key `startedKey` bounded to the range,
 * newest first. The filters the index key does not cover are checked by DynamoDB as a filter.
 */
export type CallIndex = 'byCaller' | 'byTrackingNumber' | 'byLocation' | 'bySource' | 'byMonth';

export interface CallsQueryPlan {
  readonly index: CallIndex;
  /** Partition key values to read, newest first: several months for byMonth, else one. */
  readonly partitions: readonly string[];
  /** `startedKey BETWEEN low AND high` selects [from, to): keys are `<ISO start>#<contactId>`. */
  readonly low: string;
  readonly high: string;
  /** The filters left for the FilterExpression. */
  readonly residual: CallFilters;
}

/** `yyyy-mm` of each month touched by [fromMs, toMs), newest first. */
export const monthsOf = ({ fromMs, toMs }: TimeRange): string[] => {
  const months: string[] = [];
  const last = new Date(toMs - 1);
  let year = last.getUTCFullYear();
  let month = last.getUTCMonth();
  const first = new Date(fromMs).toISOString().slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month + 1).padStart(2, '0')}`;
    months.push(key);
    if (key <= first) return months;
    month -= 1;
    if (month < 0) {
      month = 11;
      year -= 1;
    }
  }
};

export const planCallsQuery = (filters: CallFilters, range: TimeRange): CallsQueryPlan => {
  const bounds = {
    low: new Date(range.fromMs).toISOString(),
    high: new Date(range.toMs).toISOString(),
  };
  const { caller, ...others } = filters;
  if (caller !== undefined) {
    // One caller's calls are few: every other filter is checked on them.
    return { index: 'byCaller', partitions: [`CLR#${caller}`], ...bounds, residual: others };
  }
  const { trackingNumber, locationId, source, ...rest } = others;
  if (trackingNumber !== undefined) {
    return {
      index: 'byTrackingNumber',
      partitions: [`TN#${trackingNumber}`],
      ...bounds,
      residual: {
        ...rest,
        ...(locationId !== undefined ? { locationId } : {}),
        ...(source !== undefined ? { source } : {}),
      },
    };
  }
  if (locationId !== undefined) {
    return {
      index: 'byLocation',
      partitions: [`LOC#${locationId}`],
      ...bounds,
      residual: { ...rest, ...(source !== undefined ? { source } : {}) },
    };
  }
  if (source !== undefined) {
    return { index: 'bySource', partitions: [`SRC#${source}`], ...bounds, residual: rest };
  }
  return { index: 'byMonth', partitions: monthsOf(range), ...bounds, residual: rest };
};
