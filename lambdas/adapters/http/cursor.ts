import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-contract.js';

/**
 * Opaque, tamper-evident paging cursors: `base64url(JSON state)` + `.` + `base64url(HMAC-SHA256)`
 * of the first part under a secret key. A client can read the state but cannot change it, so the
 * index key a cursor holds is always one this API wrote.
 */
export interface CursorCodec {
  encode(state: Readonly<Record<string, unknown>>): string;
  /** The state of a cursor this codec signed; throws ApiError 400 `invalid-cursor` otherwise. */
  decode(cursor: string): Record<string, unknown>;
}

/** Keys shorter than this are refused: HMAC-SHA256 wants at least 256 bits. */
export const MIN_CURSOR_KEY_BYTES = 32;

export const invalidCursor = (why: string): ApiError =>
  new ApiError(
    400,
    'invalid-cursor',
    `invalid cursor: ${why}; start again without cursor, or pass nextCursor unchanged with the same filters`,
  );

const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The bytes of a base64url text, or undefined unless it is the one canonical encoding of them:
 * Node's decoder ignores the unused low bits of the last character, so without this check several
 * spellings of one signature would all be accepted.
 */
const canonicalBytes = (text: string): Buffer | undefined => {
  if (!B64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
};

export const createCursorCodec = (key: Uint8Array): CursorCodec => {
  if (key.length < MIN_CURSOR_KEY_BYTES) {
    throw new Error(`cursor key has ${key.length} bytes: give at least ${MIN_CURSOR_KEY_BYTES}`);
  }
  const sign = (payload: string): Buffer => createHmac('sha256', key).update(payload).digest();
  return {
    encode(state) {
      const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    decode(cursor) {
      const [payload, signature, extra] = cursor.split('.');
      const state64 = payload === undefined ? undefined : canonicalBytes(payload);
      const given = signature === undefined ? undefined : canonicalBytes(signature);
      if (!payload || !state64 || !given || extra !== undefined) {
        throw invalidCursor('not a cursor this API gave');
      }
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalidCursor('its signature does not match');
      }
      const state: unknown = JSON.parse(state64.toString('utf8'));
      if (typeof state !== 'object' || state === null || Array.isArray(state)) {
        throw invalidCursor('not a cursor this API gave');
      }
      return state as Record<string, unknown>;
    },
  };
};

/**
 * A short fingerprint of the filters a cursor belongs to: the query without `cursor` and `limit`
 * (a client may change the page size between pages, not what it lists).
 */
export const filterFingerprint = (query: Readonly<Record<string, string>>): string => {
  const entries = Object.entries(query)
    .filter(([name]) => name !== 'cursor' && name !== 'limit')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(entries)).digest('base64url').slice(0, 16);
};
