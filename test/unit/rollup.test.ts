import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CallLogItem,
  LEAD_STATUSES,
  rollupGroupId,
} from '../../lambdas/domain/call-log-item.js';
import { CALL_OUTCOMES } from '../../lambdas/domain/call-outcome.js';
import { callerHash } from '../../lambdas/domain/caller-hash.js';
import {
  aggregate,
  goneMember,
  type LiveMember,
  type RollupMember,
  rollupDay,
  rollupMember,
} from '../../lambdas/domain/rollup.js';
import { EXAMPLE_ANSWER, EXAMPLE_NUMBERS, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

const { caller: CALLER, austinGoogle: DIALED } = EXAMPLE_NUMBERS;
const OTHER_CALLER = '+15125558765';
/** The test key's HMAC of CALLER, computed with openssl (below). */
const HMAC_OF_CALLER = '5f4d348c3ed0d821';
const GROUP = `2026-11-23#${EXAMPLE_ANSWER.locationId}#${EXAMPLE_ANSWER.source}#${DIALED}`;

/** The caller's hash as the test ingest keys it. */
const hashOf = (caller: string) => callerHash(TEST_CALLER_HASH_KEY, caller);

/**
 * A stored call of the example location, answered there at 16:00 UTC; fields replaced as given,
 * and the caller's hash the ingest would store with its caller.
 */
const call = (contactId: string, overrides: Partial<CallLogItem> = {}): CallLogItem => {
  const item = storedCall(contactId, overrides);
  return item.caller === undefined ? item : { ...item, callerHash: hashOf(item.caller) };
};

const storedCall = (contactId: string, overrides: Partial<CallLogItem>): CallLogItem => ({
  contactId,
  startedAt: '2026-11-23T16:00:00.000Z',
  endedAt: '2026-11-23T16:03:00.000Z',
  durationSeconds: 180,
  caller: CALLER,
  dialed: DIALED,
  locationId: EXAMPLE_ANSWER.locationId,
  source: EXAMPLE_ANSWER.source,
  outcome: 'answered-location',
  answered: true,
  firstTime: false,
  recordings: [],
  lastUpdate: '2026-11-23T16:03:05.000Z',
  revision: 1,
  ...overrides,
});

const members = (...calls: CallLogItem[]): RollupMember[] => calls.map(rollupMember);

describe('rollup groups', () => {
  it('a group id gives back the call’s UTC day, even with # in a source', () => {
    for (const source of [EXAMPLE_ANSWER.source, 'Billboard #3', undefined]) {
      expect(rollupDay(rollupGroupId(call('c-1', { source })))).toBe('2026-11-23');
    }
    expect(rollupGroupId(call('c-1'))).toBe(GROUP);
  });
});

describe('rollupMember', () => {
  it('holds the call’s contribution at its revision, in its group', () => {
    const member = rollupMember(
      call('c-1', {
        startedAt: '2026-11-23T07:59:59.000Z',
        firstTime: true,
        leadStatus: 'rented',
        value: 120,
        revision: 4,
        note: 'not in a member',
        tags: ['vip'],
      }),
    );
    expect(member).toEqual({
      contactId: 'c-1',
      revision: 4,
      locationId: EXAMPLE_ANSWER.locationId,
      source: EXAMPLE_ANSWER.source,
      trackingNumber: DIALED,
      outcome: 'answered-location',
      leadCall: true,
      leadStatus: 'rented',
      spam: false,
      durationSeconds: 180,
      value: 120,
      callerHash: hashOf(CALLER),
      hour: '07',
    });
  });

  it('a call without caller, duration, value or revision: no hash, 0 seconds, revision 0', () => {
    const member = rollupMember(
      call('c-1', { caller: undefined, durationSeconds: undefined, revision: undefined }),
    );
    expect(member).not.toHaveProperty('callerHash');
    expect(member).not.toHaveProperty('value');
    expect(member).toMatchObject({ durationSeconds: 0, revision: 0 });
  });

  it('the caller hash is 16 hex digits of an HMAC-SHA256 under the key, the same for the same number and key only', () => {
    // `printf '%s' '+15125559876' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(printf '07%.0s' {1..32}) | cut -c1-16`
    expect(hashOf(CALLER)).toBe(HMAC_OF_CALLER);
    expect(hashOf(CALLER)).not.toBe(hashOf(OTHER_CALLER));
    // Not the unkeyed SHA-256 a number can be found back from by trying every number.
    expect(hashOf(CALLER)).not.toBe('052da4f97824823f');
    // Another key (a rotation): another hash, not linked to the first.
    expect(callerHash(Buffer.alloc(32, 8), CALLER)).not.toBe(hashOf(CALLER));
    expect(JSON.stringify(rollupMember(call('c-1')))).not.toContain(CALLER);
  });

  it('takes the hash the ingest stored with the call, and counts no caller of a call without one', () => {
    expect(rollupMember(call('c-1')).callerHash).toBe(hashOf(CALLER));
    // Stored before the hash was keyed: no hash, rather than one computed without the key.
    expect(rollupMember(storedCall('c-1', {}))).not.toHaveProperty('callerHash');
  });
});

describe('aggregate', () => {
  it('counts calls by outcome; a message, a callback and abandoned are neither answered nor missed', () => {
    const rollup = aggregate(
      GROUP,
      members(
        call('a', { outcome: 'answered-location' }),
        call('b', { outcome: 'answered-fallback' }),
        call('c', { outcome: 'missed' }),
        call('d', { outcome: 'voicemail' }),
        call('e', { outcome: 'abandoned' }),
        call('f', { outcome: 'missed' }),
        call('g', { outcome: 'answered-agent' }),
        call('h', { outcome: 'callback', startedAt: '2026-11-23T17:10:00.000Z' }),
        call('i', { outcome: 'voicemail-box' }),
      ),
    );
    expect(rollup).toMatchObject({
      calls: 9,
      answered: 3,
      missed: 2,
      voicemail: 1,
      callback: 1,
      voicemailBox: 1,
      abandoned: 1,
      hourlyVoicemail: { '16': 1 },
      hourlyCallback: { '17': 1 },
    });
  });

  it('is the rollup of the group: day, location, source and tracking number', () => {
    expect(aggregate(GROUP, members(call('a')))).toEqual({
      day: '2026-11-23',
      locationId: EXAMPLE_ANSWER.locationId,
      source: EXAMPLE_ANSWER.source,
      trackingNumber: DIALED,
      calls: 1,
      answered: 1,
      missed: 0,
      voicemail: 0,
      callback: 0,
      voicemailBox: 0,
      abandoned: 0,
      leadCalls: 0,
      leadsActive: 0,
      conversions: 0,
      leadsLost: 0,
      spam: 0,
      durationSeconds: 180,
      value: 0,
      costMicros: 0,
      callerHashes: [hashOf(CALLER)],
      hourly: { '16': 1 },
      hourlyVoicemail: {},
      hourlyCallback: {},
    });
  });

  it('leads: first-time calls, and one count per lead status (rented is a conversion)', () => {
    const rollup = aggregate(
      GROUP,
      members(
        call('a', { firstTime: true, leadStatus: 'rented' }),
        call('b', { firstTime: true, leadStatus: 'active' }),
        call('c', { firstTime: true }),
        call('d', { leadStatus: 'rented' }),
        call('e', { leadStatus: 'lost' }),
      ),
    );
    expect(rollup).toMatchObject({
      calls: 5,
      leadCalls: 3,
      conversions: 2,
      leadsActive: 1,
      leadsLost: 1,
    });
  });

  it('sums durations and the values calls carry', () => {
    const rollup = aggregate(
      GROUP,
      members(
        call('a', { durationSeconds: 30, value: 99.5 }),
        call('b', { durationSeconds: 45 }),
        call('c', { durationSeconds: undefined, value: 100 }),
      ),
    );
    expect(rollup).toMatchObject({ durationSeconds: 75, value: 199.5 });
  });

  it('sums the calls’ estimated cost, spam calls’ too (Connect bills them); none adds 0', () => {
    const cost = (totalMicros: number) => ({
      estimatedCost: { currency: 'USD' as const, totalMicros, priceDate: '2026-12-03', lines: [] },
    });
    const rollup = aggregate(
      GROUP,
      members(call('a', cost(70_513)), call('b', { ...cost(1_487), spam: true }), call('c')),
    );
    expect(rollup).toMatchObject({ calls: 2, spam: 1, costMicros: 72_000 });
    expect(rollupMember(call('c')).costMicros).toBeUndefined();
  });

  it('unique callers: each caller’s hash once, sorted; calls without a caller add none', () => {
    const rollup = aggregate(
      GROUP,
      members(
        call('a'),
        call('b', { caller: OTHER_CALLER }),
        call('c'),
        call('d', { caller: undefined }),
      ),
    );
    expect(rollup?.callerHashes).toEqual([hashOf(CALLER), hashOf(OTHER_CALLER)].sort());
    expect(rollup?.calls).toBe(4);
  });

  it('hourly: calls per UTC hour, only the hours that had calls', () => {
    const at = (time: string) => ({ startedAt: `2026-11-23T${time}.000Z` });
    const rollup = aggregate(
      GROUP,
      members(
        call('a', at('00:00:00')),
        call('b', at('09:59:59')),
        call('c', at('09:00:00')),
        call('d', at('23:30:00')),
      ),
    );
    expect(rollup?.hourly).toEqual({ '00': 1, '09': 2, '23': 1 });
  });

  it('a spam call counts in spam only', () => {
    const spam = call('s', {
      spam: true,
      firstTime: true,
      leadStatus: 'rented',
      value: 50,
      caller: OTHER_CALLER,
      startedAt: '2026-11-23T03:00:00.000Z',
    });
    const withSpam = aggregate(GROUP, members(call('a'), spam));
    const without = aggregate(GROUP, members(call('a')));
    expect(withSpam).toEqual({ ...without, spam: 1 });
  });

  it('only spam: a rollup of zero calls and one spam', () => {
    expect(aggregate(GROUP, members(call('s', { spam: true })))).toMatchObject({
      calls: 0,
      spam: 1,
      callerHashes: [],
      hourly: {},
    });
  });

  it('tombstones count nothing; no live member means no rollup', () => {
    const gone = goneMember('g', 7);
    expect(gone).toEqual({
      contactId: 'g',
      revision: 7,
      gone: true,
    });
    expect(aggregate(GROUP, [...members(call('a')), gone])).toEqual(
      aggregate(GROUP, members(call('a'))),
    );
    expect(aggregate(GROUP, [gone])).toBeUndefined();
    expect(aggregate(GROUP, [])).toBeUndefined();
  });

  const memberArbitrary: fc.Arbitrary<LiveMember> = fc
    .record({
      id: fc.uuid(),
      outcome: fc.constantFrom(...CALL_OUTCOMES),
      firstTime: fc.boolean(),
      leadStatus: fc.option(fc.constantFrom(...LEAD_STATUSES), { nil: undefined }),
      spam: fc.option(fc.boolean(), { nil: undefined }),
      durationSeconds: fc.option(fc.nat(10_000), { nil: undefined }),
      value: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }),
      caller: fc.option(fc.constantFrom(CALLER, OTHER_CALLER, '+13035550187'), { nil: undefined }),
      hour: fc.integer({ min: 0, max: 23 }),
    })
    .map(({ id, hour, ...fields }) =>
      rollupMember(
        call(id, {
          ...fields,
          startedAt: `2026-11-23T${String(hour).padStart(2, '0')}:15:00.000Z`,
        }),
      ),
    );

  const membersAndShuffle = fc
    .uniqueArray(memberArbitrary, { selector: (m) => m.contactId, maxLength: 30 })
    .chain((live) =>
      fc.tuple(
        fc.constant(live),
        fc.shuffledSubarray(live, { minLength: live.length, maxLength: live.length }),
      ),
    );

  it('any members, any order: the same rollup, and every count adds up', () => {
    fc.assert(
      fc.property(membersAndShuffle, ([live, shuffled]) => {
        const rollup = aggregate(GROUP, live);
        expect(aggregate(GROUP, shuffled)).toEqual(rollup);
        if (rollup === undefined) {
          expect(live).toEqual([]);
          return;
        }
        const counted = live.filter((m) => !m.spam);
        expect(rollup.calls + rollup.spam).toBe(live.length);
        expect(
          rollup.answered +
            rollup.missed +
            rollup.voicemail +
            rollup.callback +
            rollup.voicemailBox +
            rollup.abandoned,
        ).toBe(rollup.calls);
        expect(Object.values(rollup.hourly).reduce((a, b) => a + b, 0)).toBe(rollup.calls);
        expect(rollup.conversions).toBe(counted.filter((m) => m.leadStatus === 'rented').length);
        expect(new Set(rollup.callerHashes).size).toBe(rollup.callerHashes.length);
        expect(rollup.callerHashes.length).toBeLessThanOrEqual(3);
      }),
      { seed: 20261123, numRuns: 200 },
    );
  });
});
