import type { CallLogReader } from '../adapters/dynamodb/call-log-reader.js';
import type { ReportQuery, SummaryQuery, TimeseriesQuery } from '../domain/api-query.js';
import { type Summary, summarize, type Timeseries, timeseries } from '../domain/report.js';

/** The reports: figures of the rollup rows of the days asked for, grouped or as a time series. */

export interface CallReports {
  summary(query: SummaryQuery): Promise<Summary>;
  timeseries(query: TimeseriesQuery): Promise<Timeseries>;
}

export const createCallReports = (reader: CallLogReader): CallReports => {
  /** The days' rows; with a location filter, only that location's rows are read. */
  const rowsOf = ({ days, filters }: ReportQuery) =>
    reader.readRollups(days, {
      ...(filters.locationId !== undefined ? { locationId: filters.locationId } : {}),
    });
  return {
    summary: async (query) => summarize(await rowsOf(query), query),
    timeseries: async (query) => timeseries(await rowsOf(query), query),
  };
};
