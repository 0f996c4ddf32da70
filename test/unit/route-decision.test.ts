import { describe, expect, it } from 'vitest';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/contracts/route-answer.js';
import {
  type RouteAnswer,
  type RoutingEntry,
  recordsStaffLeg,
  routeAnswer,
  unroutedAnswer,
} from '../../lambdas/domain/route.js';
import { isOpenAt, parseDayHours, type WeeklyHours } from '../../lambdas/domain/weekly-hours.js';
import { EXAMPLE_ANSWER, EXAMPLE_ENTRY } from '../support/fixtures.js';

const weekdays: WeeklyHours = {
  mon: '09:00-18:00',
  tue: '09:00-18:00',
  wed: '09:00-12:00,13:00-18:00',
  thu: '09:00-18:00',
  fri: '09:00-18:00',
  sat: 'open-24h',
  sun: 'closed',
};

const entry = EXAMPLE_ENTRY;

const expectWellFormed = (answer: RouteAnswer) => {
  expect(Object.keys(answer).sort()).toEqual([...ROUTE_ANSWER_KEYS].sort());
  for (const value of Object.values(answer)) {
    expect(typeof value).toBe('string');
    expect(value.trim()).not.toBe('');
  }
};

describe('weekly hours', () => {
  it.each([
    ['Monday 08:59 CST', '2026-11-23T14:59:00Z', false],
    ['Monday 09:00 CST', '2026-11-23T15:00:00Z', true],
    ['Monday 17:59 CST', '2026-11-23T23:59:00Z', true],
    ['Monday 18:00 CST (already Tuesday in UTC)', '2026-11-24T00:00:00Z', false],
    ['Wednesday 12:30 CST, lunch break', '2026-11-25T18:30:00Z', false],
    ['Wednesday 13:00 CST, after lunch', '2026-11-25T19:00:00Z', true],
    ['Saturday 03:00 CST, open 24h', '2026-11-28T09:00:00Z', true],
    ['Sunday noon CST, closed', '2026-11-29T18:00:00Z', false],
    ['Monday 09:00 CDT in summer (UTC-5)', '2026-07-06T14:00:00Z', true],
    ['Monday 08:30 CDT in summer', '2026-07-06T13:30:00Z', false],
  ])('%s -> open %s', (_label, at, open) => {
    expect(isOpenAt(weekdays, 'America/Chicago', new Date(at))).toBe(open);
  });

  it('parses ranges, closed and open-24h, and explains bad ones', () => {
    expect(parseDayHours('08:30-12:00, 13:00-24:00')).toEqual([
      [510, 720],
      [780, 1440],
    ]);
    expect(parseDayHours('closed')).toEqual([]);
    expect(parseDayHours('open-24h')).toEqual([[0, 1440]]);
    expect(parseDayHours('9-5')).toMatch(/is not a range: write HH:MM-HH:MM/);
    expect(parseDayHours('22:00-02:00')).toMatch(/cannot cross midnight/);
  });
});

describe('route decision', () => {
  it('answers a known number with its location route, open during hours', () => {
    const answer = routeAnswer(entry, new Date('2026-11-23T16:00:00Z'));
    expectWellFormed(answer);
    expect(answer).toEqual({ ...EXAMPLE_ANSWER, open: 'true' });
  });

  it('says closed after hours and leaves no empty value for optional parts', () => {
    const bare: RoutingEntry = {
      ...entry,
      campaign: '',
      route: {
        ...entry.route,
        recording: { enabled: false, disclosure: 'unused' },
        fallback: { type: 'voicemail', number: '+15125550119' },
        menu: undefined,
      },
    };
    const answer = routeAnswer(bare, new Date('2026-11-29T18:00:00Z'));
    expectWellFormed(answer);
    expect(answer).toMatchObject({
      open: 'false',
      record: 'false',
      disclosure: 'none',
      campaign: 'none',
      fallbackType: 'voicemail',
      fallbackNumber: '+15125550119',
      menu: 'false',
      menuPrompt: 'none',
      paymentsType: 'none',
    });
  });

  // PCI DSS: a card number read to the location's staff must not land in the recording.
  it.each([
    // recorded, payments menu, takesPaymentsByPhone → the staff leg is recorded
    [true, true, undefined, 'true'],
    [true, true, true, 'true'],
    [true, true, false, 'true'],
    [true, false, undefined, 'false'],
    [true, false, true, 'false'],
    [true, false, false, 'true'],
    [false, true, undefined, 'false'],
    [false, false, false, 'false'],
    // The staff have not consented to be recorded: never, whatever the payments.
    [true, true, undefined, 'false', false],
    [true, false, false, 'false', false],
    [true, true, false, 'true', true],
  ] as const)(
    'recorded %s, payments menu %s, staff take payments %s: recordStaffLeg %s (staff leg %s)',
    (recorded, menu, takesPaymentsByPhone, expected, staffLeg?: boolean) => {
      const route: RoutingEntry['route'] = {
        ...entry.route,
        recording: {
          ...entry.route.recording,
          enabled: recorded,
          ...(staffLeg === undefined ? {} : { staffLeg }),
        },
        menu: menu ? entry.route.menu : undefined,
        ...(takesPaymentsByPhone === undefined ? {} : { takesPaymentsByPhone }),
      };
      expect(recordsStaffLeg(route)).toBe(expected === 'true');
      expect(
        routeAnswer({ ...entry, route }, new Date('2026-11-23T16:00:00Z')).recordStaffLeg,
      ).toBe(expected);
    },
  );

  it('never says to record the staff leg of a number it cannot route', () => {
    expect(unroutedAnswer('unknown', '+15125550000').recordStaffLeg).toBe('false');
  });

  it("answers the system's own voicemail as fallbackType voicemail with no number", () => {
    const own: RoutingEntry = {
      ...entry,
      route: { ...entry.route, fallback: { type: 'voicemail' } },
    };
    const answer = routeAnswer(own, new Date('2026-11-29T18:00:00Z'));
    expectWellFormed(answer);
    expect(answer).toMatchObject({
      fallbackType: 'voicemail',
      fallbackNumber: 'none',
      fallbackQueueArn: 'none',
    });
  });

  it.each(['unknown', 'error'] as const)('answers %s with every key and no route', (status) => {
    const answer = unroutedAnswer(status, '+15125550000');
    expectWellFormed(answer);
    expect(answer).toMatchObject({ status, trackingNumber: '+15125550000', ringTo: 'none' });
    expect(unroutedAnswer(status, undefined).trackingNumber).toBe('none');
    expect(unroutedAnswer(status, '  ').trackingNumber).toBe('none');
  });
});
