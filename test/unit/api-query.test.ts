import { describe, expect, it } from 'vitest';
import type { ApiError } from '../../lambdas/adapters/http/api-contract.js';
import { apiErrorOf } from '../../lambdas/adapters/http/refusals.js';
import {
  parseLeadUpdate,
  parseListCallsQuery,
  parseSummaryQuery,
  parseTimeseriesQuery,
} from '../../lambdas/domain/api-query.js';
import { monthsOf, planCallsQuery } from '../../lambdas/domain/call-query.js';
import { InvalidRequestError } from '../../lambdas/domain/request-errors.js';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');
const DAY = 86_400_000;

/** The ApiError the API answers for the InvalidRequestError a parse throws. */
const refusal = (parse: () => unknown): ApiError => {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    const answer = apiErrorOf(error);
    if (answer) return answer;
  }
  throw new Error('expected the parse to refuse');
};

describe('GET /calls query', () => {
  it('defaults: the last 30 days up to now, 100 calls, no filter', () => {
    expect(parseListCallsQuery({}, NOW)).toEqual({
      range: { fromMs: NOW - 30 * DAY, toMs: NOW },
      defaultRange: true,
      filters: {},
      limit: 100,
    });
  });

  it('reads every filter', () => {
    const q = parseListCallsQuery(
      {
        from: '2026-11-01',
        to: '2026-11-02',
        locationId: 'austin',
        trackingNumber: '+15125550100',
        source: 'google',
        outcome: 'voicemail',
        firstTime: 'false',
        leadStatus: 'rented',
        limit: '250',
        cursor: 'abc.def',
      },
      NOW,
    );
    expect(q).toEqual({
      range: {
        fromMs: Date.parse('2026-11-01T00:00:00Z'),
        toMs: Date.parse('2026-11-03T00:00:00Z'),
      },
      defaultRange: false,
      filters: {
        locationId: 'austin',
        trackingNumber: '+15125550100',
        source: 'google',
        outcome: 'voicemail',
        firstTime: false,
        leadStatus: 'rented',
      },
      limit: 250,
      cursor: 'abc.def',
    });
  });

  it('takes timestamps with a zone; a `to` timestamp is included', () => {
    const q = parseListCallsQuery(
      { from: '2026-11-01T09:00:00+02:00', to: '2026-11-01T10:00:00.5Z' },
      NOW,
    );
    expect(q.range).toEqual({
      fromMs: Date.parse('2026-11-01T07:00:00Z'),
      toMs: Date.parse('2026-11-01T10:00:00.501Z'),
    });
  });

  it('refuses an unknown parameter by name and lists the allowed ones (not ignored like answered=)', () => {
    const error = refusal(() => parseListCallsQuery({ answered: 'true' }, NOW));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid-query');
    expect(error.message).toBe(
      'unknown parameter "answered": allowed are from, to, locationId, source, trackingNumber, outcome, firstTime, leadStatus, caller, limit, cursor',
    );
  });

  it.each([
    ['from', '2026-02-30', 'from: "2026-02-30" is not a date or a timestamp: write yyyy-mm-dd'],
    ['to', '11/01/2026', 'to: "11/01/2026" is not a date or a timestamp'],
    ['from', '2026-11-01T09:00:00', 'is not a date or a timestamp'],
    ['trackingNumber', '5125550100', 'is not an E.164 number'],
    [
      'outcome',
      'answered',
      'outcome: "answered" is not one of answered-location, answered-agent, answered-fallback, voicemail, callback, voicemail-box, missed, abandoned',
    ],
    ['firstTime', 'yes', 'firstTime: "yes" is not true or false'],
    ['leadStatus', 'won', 'leadStatus: "won" is not one of active, rented, lost'],
    ['limit', '0', 'limit: "0" is not a whole number from 1 to 250'],
    ['limit', '251', 'limit: "251" is not a whole number from 1 to 250'],
    ['limit', '1.5', 'is not a whole number'],
    ['locationId', '', 'locationId: is empty'],
    ['source', 'x'.repeat(101), 'source: is longer than 100 characters'],
  ])('refuses %s=%s saying what to write', (name, value, message) => {
    const error = refusal(() => parseListCallsQuery({ [name]: value }, NOW));
    expect(error.status).toBe(400);
    expect(error.message).toContain(message);
    expect(error.problems).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    const error = refusal(() =>
      parseListCallsQuery({ answered: 'yes', limit: '0', outcome: 'x', firstTime: '1' }, NOW),
    );
    expect(error.problems).toHaveLength(4);
    expect(error.message).toMatch(/^4 problems: /);
    expect(error.problems?.join('\n')).toMatch(/limit/);
    expect(error.problems?.join('\n')).toMatch(/answered/);
  });

  it('refuses a reversed range and one longer than 366 days', () => {
    expect(
      refusal(() => parseListCallsQuery({ from: '2026-11-02', to: '2026-11-01' }, NOW)).message,
    ).toContain('from: must be before to');
    expect(
      refusal(() => parseListCallsQuery({ from: '2025-01-01', to: '2026-01-02' }, NOW)).message,
    ).toContain('longer than 366 days');
    expect(parseListCallsQuery({ from: '2025-01-01', to: '2026-01-01' }, NOW).range.toMs).toBe(
      Date.parse('2026-01-02T00:00:00Z'),
    );
  });
});

describe('the index a list reads', () => {
  const range = {
    fromMs: Date.parse('2026-09-15T00:00:00Z'),
    toMs: Date.parse('2026-11-03T00:00:00Z'),
  };
  it('walks months newest first without a key filter', () => {
    expect(monthsOf(range)).toEqual(['2026-11', '2026-10', '2026-09']);
    expect(
      monthsOf({
        fromMs: Date.parse('2025-12-31T00:00:00Z'),
        toMs: Date.parse('2026-01-01T00:00:00Z'),
      }),
    ).toEqual(['2025-12']);
    expect(planCallsQuery({ outcome: 'missed' }, range)).toEqual({
      index: 'byMonth',
      partitions: ['2026-11', '2026-10', '2026-09'],
      low: '2026-09-15T00:00:00.000Z',
      high: '2026-11-03T00:00:00.000Z',
      residual: { outcome: 'missed' },
    });
  });
  it('prefers tracking number, then location, then source; the rest is filtered', () => {
    const all = { trackingNumber: '+15125550100', locationId: 'a', source: 's', firstTime: true };
    expect(planCallsQuery(all, range)).toMatchObject({
      index: 'byTrackingNumber',
      partitions: ['TN#+15125550100'],
      residual: { locationId: 'a', source: 's', firstTime: true },
    });
    expect(planCallsQuery({ locationId: 'a', source: 's' }, range)).toMatchObject({
      index: 'byLocation',
      partitions: ['LOC#a'],
      residual: { source: 's' },
    });
    expect(planCallsQuery({ source: 's' }, range)).toMatchObject({
      index: 'bySource',
      partitions: ['SRC#s'],
      residual: {},
    });
  });
  it("reads a caller's own index before any other, and filters the rest", () => {
    expect(
      planCallsQuery(
        { caller: '+15125550150', trackingNumber: '+15125550100', source: 's' },
        range,
      ),
    ).toMatchObject({
      index: 'byCaller',
      partitions: ['CLR#+15125550150'],
      residual: { trackingNumber: '+15125550100', source: 's' },
    });
  });
});

describe('report queries', () => {
  it('default to the 30 days ending today, grouped by source, by day', () => {
    const summary = parseSummaryQuery({}, NOW);
    expect(summary.groupBy).toBe('source');
    expect(summary.days).toHaveLength(30);
    expect(summary.days[0]).toBe('2026-10-28');
    expect(summary.days[29]).toBe('2026-11-26');
    expect(parseTimeseriesQuery({}, NOW)).toMatchObject({ interval: 'day', groupBy: 'none' });
  });

  it('take filters and refuse timestamps, unknown groupings and too long ranges', () => {
    expect(
      parseSummaryQuery(
        { from: '2026-11-01', to: '2026-11-03', locationId: 'a', groupBy: 'day' },
        NOW,
      ),
    ).toEqual({
      days: ['2026-11-01', '2026-11-02', '2026-11-03'],
      filters: { locationId: 'a' },
      groupBy: 'day',
    });
    const error = refusal(() =>
      parseSummaryQuery(
        { from: '2026-11-01T00:00:00Z', groupBy: 'campaign', interval: 'day' },
        NOW,
      ),
    );
    expect(error.problems).toEqual([
      expect.stringContaining('from: "2026-11-01T00:00:00Z" is not a date: write yyyy-mm-dd'),
      expect.stringContaining(
        'groupBy: "campaign" is not one of source, location, trackingNumber, day',
      ),
      expect.stringContaining('unknown parameter "interval"'),
    ]);
    expect(
      refusal(() => parseSummaryQuery({ from: '2024-12-31', to: '2026-01-01' }, NOW)).message,
    ).toContain('367 days is more than 366 days');
    expect(
      refusal(() =>
        parseTimeseriesQuery({ interval: 'hour', from: '2026-10-01', to: '2026-11-01' }, NOW),
      ).message,
    ).toContain('32 days is more than 31 days (the limit with interval=hour)');
    expect(
      parseTimeseriesQuery({ interval: 'hour', from: '2026-10-01', to: '2026-10-31' }, NOW).days,
    ).toHaveLength(31);
  });
});

describe('PATCH /calls/{contactId} body', () => {
  it('takes each field, and null to clear', () => {
    expect(
      parseLeadUpdate({ leadStatus: 'rented', value: 120.5, note: 'n', tags: ['a'], spam: false }),
    ).toEqual({
      leadStatus: 'rented',
      value: 120.5,
      note: 'n',
      tags: ['a'],
      spam: false,
    });
    expect(parseLeadUpdate({ leadStatus: null, value: null, note: null, tags: null })).toEqual({
      leadStatus: null,
      value: null,
      note: null,
      tags: null,
    });
  });

  it('refuses an empty body, a non-object, unknown fields and bad values, all at once', () => {
    expect(refusal(() => parseLeadUpdate({})).message).toContain('changes nothing');
    expect(refusal(() => parseLeadUpdate([])).code).toBe('invalid-body');
    expect(refusal(() => parseLeadUpdate(undefined)).code).toBe('invalid-body');
    const error = refusal(() =>
      parseLeadUpdate({
        status: 'x',
        value: -1,
        note: 'x'.repeat(1001),
        tags: Array.from({ length: 21 }, () => 't'),
        spam: 'no',
        handled: 'yes',
        leadStatus: 'won',
      }),
    );
    expect(error.problems).toHaveLength(7);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'value: must be 0 or more',
        'note: is longer than 1000 characters',
        'tags: more than 20 tags',
        'spam: must be true or false',
        'handled: must be true or false',
        expect.stringContaining('leadStatus: "won" is not one of active, rented, lost'),
        'unknown field "status": allowed are leadStatus, value, note, tags, spam, handled',
      ]),
    );
    expect(refusal(() => parseLeadUpdate({ tags: ['', 'x'.repeat(51)] })).problems).toEqual([
      'tags.0: a tag is empty',
      'tags.1: a tag is longer than 50 characters',
    ]);
  });
});
