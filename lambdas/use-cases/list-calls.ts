import type { CallLogReader, CallsPosition } from '../adapters/dynamodb/call-log-reader.js';
import type { CallFilters, TimeRange } from '../domain/api-query.js';
import { planCallsQuery } from '../domain/call-query.js';
import { type Call, toCall } from '../domain/call-view.js';
import { ForeignPositionError } from '../domain/request-errors.js';

/** GET /calls: one page of the calls in a range that match the filters, newest first. */

export interface ListCallsRequest {
  readonly filters: CallFilters;
  readonly range: TimeRange;
  readonly limit: number;
  /** Where the previous page stopped; absent: the first page. */
  readonly start?: CallsPosition;
}

export interface CallsListPage {
  readonly items: readonly Call[];
  /** Where the next page starts; absent when the range is exhausted. */
  readonly next?: CallsPosition;
}

export type ListCalls = (request: ListCallsRequest) => Promise<CallsListPage>;

export const DEFAULT_MAX_ITEMS_READ = 1_000;

export interface ListCallsDependencies {
  readonly reader: CallLogReader;
  /** Items one page reads at most before it stops with a next position. @default 1000 */
  readonly maxItemsRead?: number;
}

/** Throws ForeignPositionError when `start` is not in a partition of this list. */
export const createListCalls =
  ({ reader, maxItemsRead = DEFAULT_MAX_ITEMS_READ }: ListCallsDependencies): ListCalls =>
  async ({ filters, range, limit, start }) => {
    const plan = planCallsQuery(filters, range);
    if (start && !plan.partitions.includes(start.partition)) throw new ForeignPositionError();
    const page = await reader.listCalls({ plan, limit, maxItemsRead, ...(start ? { start } : {}) });
    return { items: page.items.map(toCall), ...(page.next ? { next: page.next } : {}) };
  };
