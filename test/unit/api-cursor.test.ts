import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lambdas/adapters/http/api-contract.js';
import { createCallsCursors } from '../../lambdas/adapters/http/calls-cursor.js';
import {
  CURSOR_TTL_SECONDS,
  createCursorCodec,
  cursorKeyId,
  filterFingerprint,
} from '../../lambdas/adapters/http/cursor.js';

const codec = createCursorCodec(randomBytes(32));

/** The ApiError `read` throws. */
const refusal = (read: () => unknown): ApiError => {
  try {
    read();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
};

const decodeError = (cursor: string, c = codec): ApiError => refusal(() => c.decode(cursor));

const B64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `text` (base64url) with bit `bit` of its decoded bytes flipped, re-encoded canonically. */
const flipDataBit = (text: string, bit: number): string => {
  const bytes = Buffer.from(text, 'base64url');
  const at = bit % (bytes.length * 8);
  bytes[at >> 3] = (bytes[at >> 3] ?? 0) ^ (0x80 >> (at & 7));
  return bytes.toString('base64url');
};

/**
 * Another spelling of the same bytes: the lowest unused bit of the last character flipped, which
 * Node's decoder ignores. Only texts whose length leaves unused bits have one.
 */
const otherSpelling = (text: string): string => {
  const last = B64URL_ALPHABET.indexOf(text.slice(-1));
  return `${text.slice(0, -1)}${B64URL_ALPHABET[last ^ 1]}`;
};

describe('cursors', () => {
  it('round-trip any state', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), (state) => {
        const cursor = codec.encode(state);
        expect(cursor).toMatch(/^[A-Za-z0-9_-]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
        expect(codec.decode(cursor)).toEqual(state);
      }),
    );
  });

  it('refuse a changed state, a changed signature, another key and garbage with 400 invalid-cursor', () => {
    const cursor = codec.encode({ v: 1, p: '2026-11', k: { pk: 'CALL#a' } });
    const [kid, payload, signature] = cursor.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ s: { v: 1, p: '2026-10' }, x: 9e9 })).toString(
      'base64url',
    );
    const flipped = flipDataBit(signature, 0);
    expect(Buffer.from(flipped, 'base64url')).not.toEqual(Buffer.from(signature, 'base64url'));
    for (const bad of [
      `${kid}.${forged}.${signature}`,
      `${kid}.${payload}.${flipped}`,
      `${kid}.${payload}`,
      `${payload}.${signature}`,
      `${kid}.${payload}.${signature}.x`,
      'not a cursor',
      '',
    ]) {
      const error = decodeError(bad);
      expect(error.status).toBe(400);
      expect(error.code).toBe('invalid-cursor');
      expect(error.message).toMatch(/^invalid cursor/);
    }
    expect(decodeError(cursor, createCursorCodec(randomBytes(32))).code).toBe('invalid-cursor');
  });

  it('refuse a signature with any one bit changed', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(255), (value, bit) => {
        const [kid, payload, signature] = codec.encode({ value }).split('.') as [
          string,
          string,
          string,
        ];
        expect(decodeError(`${kid}.${payload}.${flipDataBit(signature, bit)}`).message).toMatch(
          /signature does not match/,
        );
      }),
    );
  });

  it('refuse another spelling of the same bytes, in the signature or the state', () => {
    const cursor = codec.encode({ v: 1, p: '2026-11', k: 'x' });
    const [kid, payload, signature] = cursor.split('.') as [string, string, string];
    // 32 signature bytes are 43 characters with 2 bits unused; this state's length leaves some too.
    expect(signature).toHaveLength(43);
    expect(payload.length % 4).not.toBe(0);
    for (const respelled of [
      `${kid}.${payload}.${otherSpelling(signature)}`,
      `${kid}.${otherSpelling(payload)}.${signature}`,
    ]) {
      expect(respelled).not.toBe(cursor);
      expect(decodeError(respelled).message).toMatch(/not a cursor this API gave/);
    }
  });

  it('refuse a key shorter than 32 bytes', () => {
    expect(() => createCursorCodec(randomBytes(16))).toThrow(/at least 32/);
    expect(() =>
      createCursorCodec({ current: randomBytes(32), previous: randomBytes(16) }),
    ).toThrow(/previous cursor key has 16 bytes/);
  });

  it('name their key: after a rotation the previous key is accepted, an older one refused with why', () => {
    const [first, second, third] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    const before = createCursorCodec(first).encode({ page: 2 });
    expect(before.split('.')[0]).toBe(cursorKeyId(first));
    const rotated = createCursorCodec({ current: second, previous: first });
    // A client paging through the rotation goes on; new cursors carry the new key's id.
    expect(rotated.decode(before)).toEqual({ page: 2 });
    expect(rotated.encode({ page: 3 }).split('.')[0]).toBe(cursorKeyId(second));
    const twice = createCursorCodec({ current: third, previous: second });
    expect(decodeError(before, twice).message).toMatch(
      /signed with a key this API no longer holds/,
    );
    // The id is not the key: 8 characters of its hash.
    expect(cursorKeyId(first)).toHaveLength(8);
    expect(first.toString('base64url')).not.toContain(cursorKeyId(first));
  });

  it('expire a day after they were given, with a message that says so', () => {
    let now = Date.parse('2026-11-26T12:00:00Z');
    const clocked = createCursorCodec(randomBytes(32), { now: () => now });
    const cursor = clocked.encode({ page: 2 });
    now += CURSOR_TTL_SECONDS * 1000 - 1_000;
    expect(clocked.decode(cursor)).toEqual({ page: 2 });
    now += 1_000;
    expect(decodeError(cursor, clocked).message).toMatch(
      /it has expired \(a cursor lasts 24 hours\)/,
    );
  });

  it('fingerprint the filters, not the page size or the cursor, whatever the order', () => {
    const a = filterFingerprint({ source: 'google', locationId: 'a', limit: '5', cursor: 'x' });
    expect(a).toBe(filterFingerprint({ locationId: 'a', source: 'google' }));
    expect(a).not.toBe(filterFingerprint({ locationId: 'a', source: 'bing' }));
    expect(a).not.toBe(filterFingerprint({ locationId: 'a' }));
  });
});

describe('GET /calls cursors', () => {
  const calls = createCallsCursors(codec);
  const state = {
    range: { fromMs: 1_000, toMs: 2_000 },
    start: { partition: 'LOC#austin', key: { pk: 'CALL#c1', startedAt: '2026-11-25' } },
  };

  it('give back the range and the position they were written with, for the same filters', () => {
    const cursor = calls.write('filters-a', state);
    expect(calls.read(cursor, 'filters-a')).toEqual(state);
    const noKey = { ...state, start: { partition: '2026-11' } };
    expect(calls.read(calls.write('filters-a', noKey), 'filters-a')).toEqual(noKey);
  });

  it('refuse a cursor of other filters, and a signed state that is not a GET /calls cursor', () => {
    const other = refusal(() => calls.read(calls.write('filters-a', state), 'filters-b'));
    expect(other).toMatchObject({ status: 400, code: 'invalid-cursor' });
    expect(other.message).toMatch(/^invalid cursor: it belongs to other filters than these;/);
    const foreign = refusal(() => calls.read(codec.encode({ v: 2, p: 'x' }), 'filters-a'));
    expect(foreign.message).toMatch(/^invalid cursor: not a cursor of GET \/calls;/);
  });
});
