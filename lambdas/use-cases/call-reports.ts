import type { CallLogReader } from '../adapters/dynamodb/call-log-reader.js';
import type { ReportQuery, SummaryQuery, TimeseriesQuery } from '../domain/api-query.js';
import { type Summary, summarize, type Timeseries, timeseries } from '../domain/report.js';

/** The reports: figures of the rollup rows of the days asked for, grouped or as a time series. */

export interface CallReports {
  summary(query: SummaryQuery): Promise<Summary>;
  timeseries(query: TimeseriesQuery): Promise<Timeseries>;
}

export const createCallReports = (reader: CallLogReader): CallReports => {
  /**
   * The days' rows; with a location filter, only that location's rows are read. With
   * `wholeMonths`, a whole month is read as its month rows (one partition for up to 31 days).
   */
  const rowsOf = ({ days, filters }: ReportQuery, wholeMonths = false) =>
    reader.readRollups(days, {
      ...(filters.locationId !== undefined ? { locationId: filters.locationId } : {}),
      wholeMonths,
    });
  return {
    // By day, every day is its own group: only then are day rows needed.
    summary: async (query) => summarize(await rowsOf(query, query.groupBy !== 'day'), query),
    // By month, a whole month is one bucket: its month rows serve it.
    timeseries: async (query) => timeseries(await rowsOf(query, query.interval === 'month'), query),
  };
};
