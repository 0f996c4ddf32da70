import { describe, expect, it } from 'vitest';
import { summarize, timeseries } from '../../lambdas/domain/report.js';
import { emptyCounts, type Rollup } from '../../lambdas/domain/rollup.js';

const row = (over: Partial<Rollup> & Pick<Rollup, 'day'>): Rollup => ({
  ...emptyCounts(),
  callerHashes: [],
  hourly: {},
  ...over,
});

const ROWS: Rollup[] = [
  row({
    day: '2026-11-01',
    locationId: 'austin',
    source: 'google',
    trackingNumber: '+15125550101',
    calls: 3,
    answered: 2,
    missed: 1,
    leadCalls: 2,
    conversions: 1,
    leadsActive: 1,
    durationSeconds: 90,
    value: 100,
    costMicros: 70_513,
    callerHashes: ['h1', 'h2'],
    hourly: { '09': 2, '14': 1 },
  }),
  row({
    day: '2026-11-02',
    locationId: 'austin',
    source: 'google',
    trackingNumber: '+15125550101',
    calls: 4,
    voicemail: 1,
    callback: 1,
    voicemailBox: 1,
    abandoned: 1,
    leadCalls: 1,
    leadsLost: 1,
    durationSeconds: 30,
    value: 0.1,
    costMicros: 1_500,
    callerHashes: ['h2', 'h3'],
    hourly: { '10': 2, '11': 2 },
    hourlyVoicemail: { '10': 1 },
    hourlyCallback: { '11': 1 },
  }),
  row({
    day: '2026-11-02',
    locationId: 'dallas',
    source: 'yelp',
    trackingNumber: '+15125550102',
    calls: 4,
    answered: 4,
    durationSeconds: 40,
    callerHashes: ['h1'],
    hourly: { '10': 4 },
  }),
  // Stored before costs were: no costMicros at all.
  (({ costMicros: _none, ...old }) => old)(
    row({ day: '2026-11-02', calls: 1, missed: 1, callerHashes: ['h9'], hourly: { '23': 1 } }),
  ),
];
const DAYS = ['2026-11-01', '2026-11-02', '2026-11-03'];

describe('summary', () => {
  it('sums each group, unions unique callers, computes close rate and average, sorts by calls', () => {
    const summary = summarize(ROWS, { days: DAYS, groupBy: 'source', filters: {} });
    expect(summary).toMatchObject({ from: '2026-11-01', to: '2026-11-03', groupBy: 'source' });
    expect(summary.rows).toEqual([
      {
        group: 'google',
        calls: 7,
        leadCalls: 3,
        uniqueCallers: 3,
        answered: 2,
        missed: 1,
        voicemail: 1,
        callback: 1,
        voicemailBox: 1,
        abandoned: 1,
        conversions: 1,
        leadsActive: 1,
        leadsLost: 1,
        closeRate: 0.3333,
        averageDurationSeconds: 17,
        value: 100.1,
        estimatedCost: { currency: 'USD', total: 0.072013, totalMicros: 72_013 },
      },
      expect.objectContaining({
        group: 'yelp',
        calls: 4,
        closeRate: null,
        averageDurationSeconds: 10,
      }),
      expect.objectContaining({
        group: null,
        calls: 1,
        uniqueCallers: 1,
        estimatedCost: { currency: 'USD', total: 0, totalMicros: 0 },
      }),
    ]);
    expect(summary.totals).toMatchObject({
      calls: 12,
      uniqueCallers: 4,
      answered: 6,
      missed: 2,
      voicemail: 1,
      callback: 1,
      estimatedCost: { currency: 'USD', total: 0.072013, totalMicros: 72_013 },
    });
  });

  it('filters by location, source and tracking number', () => {
    const byLocation = summarize(ROWS, {
      days: DAYS,
      groupBy: 'location',
      filters: { locationId: 'dallas' },
    });
    expect(byLocation.rows.map((r) => [r.group, r.calls])).toEqual([['dallas', 4]]);
    const byNumber = summarize(ROWS, {
      days: DAYS,
      groupBy: 'trackingNumber',
      filters: { trackingNumber: '+15125550101', source: 'google' },
    });
    expect(byNumber.rows.map((r) => [r.group, r.calls])).toEqual([['+15125550101', 7]]);
    expect(byNumber.totals.calls).toBe(7);
  });

  it('by day: every day of the range in date order, empty days with zeros and null averages', () => {
    const summary = summarize(ROWS, { days: DAYS, groupBy: 'day', filters: {} });
    expect(summary.rows.map((r) => [r.group, r.calls, r.averageDurationSeconds])).toEqual([
      ['2026-11-01', 3, 30],
      ['2026-11-02', 9, 8],
      ['2026-11-03', 0, null],
    ]);
  });

  it('of nothing: no rows, zero totals', () => {
    const summary = summarize([], { days: DAYS, groupBy: 'source', filters: {} });
    expect(summary.rows).toEqual([]);
    expect(summary.totals).toMatchObject({
      calls: 0,
      uniqueCallers: 0,
      closeRate: null,
      averageDurationSeconds: null,
    });
  });
});

describe('time series', () => {
  it('per day, zero-filled, one series `all` without grouping', () => {
    expect(timeseries(ROWS, { days: DAYS, interval: 'day', groupBy: 'none', filters: {} })).toEqual(
      {
        from: '2026-11-01',
        to: '2026-11-03',
        interval: 'day',
        groupBy: 'none',
        series: [
          {
            group: 'all',
            points: [
              { t: '2026-11-01', calls: 3, voicemail: 0, callback: 0 },
              { t: '2026-11-02', calls: 9, voicemail: 1, callback: 1 },
              { t: '2026-11-03', calls: 0, voicemail: 0, callback: 0 },
            ],
          },
        ],
      },
    );
    expect(
      timeseries([], { days: DAYS, interval: 'day', groupBy: 'none', filters: {} }).series,
    ).toHaveLength(1);
  });

  it('per hour from the rollups hourly counts, grouped by location, most calls first', () => {
    const result = timeseries(ROWS, {
      days: DAYS,
      interval: 'hour',
      groupBy: 'location',
      filters: {},
    });
    expect(result.series.map((s) => s.group)).toEqual(['austin', 'dallas', null]);
    const austin = result.series[0]?.points ?? [];
    expect(austin).toHaveLength(72);
    expect(austin.filter((p) => p.calls > 0)).toEqual([
      { t: '2026-11-01T09:00:00Z', calls: 2, voicemail: 0, callback: 0 },
      { t: '2026-11-01T14:00:00Z', calls: 1, voicemail: 0, callback: 0 },
      { t: '2026-11-02T10:00:00Z', calls: 2, voicemail: 1, callback: 0 },
      { t: '2026-11-02T11:00:00Z', calls: 2, voicemail: 0, callback: 1 },
    ]);
    // A rollup stored before the per-hour message counts: its messages count as none.
    expect(result.series[2]?.points.find((p) => p.calls > 0)).toEqual({
      t: '2026-11-02T23:00:00Z',
      calls: 1,
      voicemail: 0,
      callback: 0,
    });
  });

  it('per week (from Monday) and per month, each point named by its first day in the range', () => {
    // Friday 2026-10-30 to Tuesday 2026-11-10; a month row of November and day rows of October.
    const days = Array.from({ length: 12 }, (_, i) =>
      new Date(Date.UTC(2026, 9, 30 + i)).toISOString().slice(0, 10),
    );
    const rows = [
      row({ day: '2026-10-30', calls: 1 }),
      row({ day: '2026-11-01', calls: 2 }),
      row({ day: '2026-11-02', calls: 4 }),
      row({ day: '2026-11-10', calls: 8 }),
    ];
    const points = (interval: 'week' | 'month', of: Rollup[]) =>
      timeseries(of, { days, interval, groupBy: 'none', filters: {} }).series[0]?.points.map(
        (p) => [p.t, p.calls],
      );
    // Weeks of 2026-10-26 (from the 30th in range), 2026-11-02 and 2026-11-09.
    expect(points('week', rows)).toEqual([
      ['2026-10-30', 3],
      ['2026-11-02', 4],
      ['2026-11-09', 8],
    ]);
    expect(points('month', rows)).toEqual([
      ['2026-10-30', 1],
      ['2026-11-01', 14],
    ]);
    // A month row (its `day` the month) lands in its month's point.
    expect(points('month', [row({ day: '2026-11', calls: 14 }), rows[0] as Rollup])).toEqual([
      ['2026-10-30', 1],
      ['2026-11-01', 14],
    ]);
  });
});
