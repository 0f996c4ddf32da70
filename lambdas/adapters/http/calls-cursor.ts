import type { TimeRange } from '../../domain/api-query.js';
import type { CallsPosition } from '../dynamodb/call-log-reader.js';
import { type CursorCodec, invalidCursor } from './cursor.js';

/**
 * The cursors of GET /calls: the filters a cursor belongs to (filterFingerprint), the range of the
 * first page, and where the next page starts.
 */

/** What a GET /calls cursor holds: the filters it belongs to, the range, where to go on. */
interface CallsCursor {
  readonly v: 1;
  readonly f: string;
  readonly from: number;
  readonly to: number;
  readonly p: string;
  readonly k?: Record<string, string>;
}

/** Where a cursor goes on: the range of its first page and the position in it. */
export interface CallsCursorState {
  readonly range: TimeRange;
  readonly start: CallsPosition;
}

export interface CallsCursors {
  /** Throws ApiError 400 `invalid-cursor` for a cursor not given by `write` for these filters. */
  read(cursor: string, fingerprint: string): CallsCursorState;
  write(fingerprint: string, state: CallsCursorState): string;
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

export const createCallsCursors = (codec: CursorCodec): CallsCursors => ({
  read(cursor, fingerprint) {
    const { f, from, to, p, k } = readCallsCursor(codec.decode(cursor));
    if (f !== fingerprint) throw invalidCursor('it belongs to other filters than these');
    return { range: { fromMs: from, toMs: to }, start: { partition: p, ...(k ? { key: k } : {}) } };
  },

  write(fingerprint, { range, start }) {
    return codec.encode({
      v: 1,
      f: fingerprint,
      from: range.fromMs,
      to: range.toMs,
      p: start.partition,
      ...(start.key ? { k: start.key } : {}),
    } satisfies CallsCursor);
  },
});
