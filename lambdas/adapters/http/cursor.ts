import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-contract.js';

/**
 * Opaque, tamper-evident paging cursors: `<key id>.<base64url(JSON {s: state, x: expiry})>.<base64url(HMAC-SHA256)>`,
 * the HMAC over the first two parts under a secret key. A client can read the state but cannot
 * change it, so the index key a cursor holds is always one this API wrote. The key id names which
 * key signed it, so a rotation keeps the cursors being read valid: the previous key is still
 * accepted (Secrets Manager's AWSPREVIOUS), the current one signs. A cursor expires after a day.
 */
export interface CursorCodec {
  encode(state: Readonly<Record<string, unknown>>): string;
  /** The state of a cursor this codec signed; throws ApiError 400 `invalid-cursor` otherwise. */
  decode(cursor: string): Record<string, unknown>;
}

/** The keys cursors are signed and checked with: `current` signs, both are accepted. */
export interface CursorKeys {
  readonly current: Uint8Array;
  /** The key before the last rotation, accepted until the next. */
  readonly previous?: Uint8Array;
}

/** Keys shorter than this are refused: HMAC-SHA256 wants at least 256 bits. */
export const MIN_CURSOR_KEY_BYTES = 32;

/** How long a cursor is good for: a day, far past any paging, short of a leaked link's use. */
export const CURSOR_TTL_SECONDS = 24 * 3600;

/** A key's id in its cursors: 8 characters of its SHA-256, which names it without giving it away. */
export const cursorKeyId = (key: Uint8Array): string =>
  createHash('sha256').update(key).digest('base64url').slice(0, 8);

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

const checkedKey = (key: Uint8Array, name: string): Uint8Array => {
  if (key.length < MIN_CURSOR_KEY_BYTES) {
    throw new Error(
      `${name} cursor key has ${key.length} bytes: give at least ${MIN_CURSOR_KEY_BYTES}`,
    );
  }
  return key;
};

const isRecordObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const createCursorCodec = (
  keys: Uint8Array | CursorKeys,
  {
    now = Date.now,
    ttlSeconds = CURSOR_TTL_SECONDS,
  }: { now?: () => number; ttlSeconds?: number } = {},
): CursorCodec => {
  const { current, previous } = keys instanceof Uint8Array ? { current: keys } : keys;
  const byId = new Map<string, Uint8Array>();
  if (previous !== undefined) byId.set(cursorKeyId(previous), checkedKey(previous, 'the previous'));
  const currentId = cursorKeyId(checkedKey(current, 'the'));
  byId.set(currentId, current);
  const sign = (key: Uint8Array, signed: string): Buffer =>
    createHmac('sha256', key).update(signed).digest();
  return {
    encode(state) {
      const expires = Math.floor(now() / 1000) + ttlSeconds;
      const payload = Buffer.from(JSON.stringify({ s: state, x: expires })).toString('base64url');
      const signed = `${currentId}.${payload}`;
      return `${signed}.${sign(current, signed).toString('base64url')}`;
    },
    decode(cursor) {
      const [keyId, payload, signature, extra] = cursor.split('.');
      const body = payload === undefined ? undefined : canonicalBytes(payload);
      const given = signature === undefined ? undefined : canonicalBytes(signature);
      if (!keyId || !payload || !body || !given || extra !== undefined) {
        throw invalidCursor('not a cursor this API gave');
      }
      const key = byId.get(keyId);
      if (key === undefined) {
        throw invalidCursor(
          'it was signed with a key this API no longer holds (rotated twice since)',
        );
      }
      const expected = sign(key, `${keyId}.${payload}`);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw invalidCursor('its signature does not match');
      }
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!isRecordObject(parsed) || !isRecordObject(parsed.s) || typeof parsed.x !== 'number') {
        throw invalidCursor('not a cursor this API gave');
      }
      if (parsed.x * 1000 <= now()) {
        throw invalidCursor(`it has expired (a cursor lasts ${ttlSeconds / 3600} hours)`);
      }
      return parsed.s;
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
