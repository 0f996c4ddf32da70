import { describe, expect, it } from 'vitest';
import { planDemoCalls } from '../../local/demo-plan.js';
import { EXAMPLE_ENTRY, routingEntry } from '../support/fixtures.js';

const entries = [
  EXAMPLE_ENTRY,
  routingEntry({ trackingNumber: '+15125550150', source: 'Main line' }),
  routingEntry({ trackingNumber: '+15125550152', source: 'Yelp' }),
];
const until = new Date('2026-11-26T12:00:00Z');

describe('the demo month', () => {
  const calls = planDemoCalls({ entries, until });

  it('is the same month for the same seed, another for another seed', () => {
    expect(planDemoCalls({ entries, until })).toEqual(calls);
    expect(planDemoCalls({ entries, until, seed: 7 })).not.toEqual(calls);
  });

  it('covers the 30 days before `until`, in time order, busier on weekdays', () => {
    const first = until.getTime() - 30 * 86_400_000;
    expect(calls.every((c) => c.at.getTime() >= first && c.at.getTime() < until.getTime())).toBe(
      true,
    );
    expect(calls.map((c) => c.at.getTime())).toEqual(
      calls.map((c) => c.at.getTime()).sort((a, b) => a - b),
    );
    const perDay = new Map<string, number>();
    for (const c of calls)
      perDay.set(
        c.at.toISOString().slice(0, 10),
        (perDay.get(c.at.toISOString().slice(0, 10)) ?? 0) + 1,
      );
    expect(perDay.size).toBeGreaterThanOrEqual(29);
    expect(calls.length).toBeGreaterThan(250);
  });

  it('mixes sources, repeat callers, after-hours calls, unanswered ring-tos and lead outcomes', () => {
    expect(new Set(calls.map((c) => c.dialed)).size).toBe(entries.length);
    const callers = calls.map((c) => c.caller);
    expect(new Set(callers).size).toBeLessThan(callers.length);
    const localHour = (c: (typeof calls)[number]) =>
      Number(
        c.at.toLocaleString('en-US', {
          timeZone: 'America/Chicago',
          hour: 'numeric',
          hourCycle: 'h23',
        }),
      );
    expect(calls.some((c) => localHour(c) < 9 || localHour(c) >= 18)).toBe(true);
    expect(new Set(calls.map((c) => c.ringTo))).toEqual(
      new Set(['answer', 'no-answer', 'busy', 'fail']),
    );
    const statuses = new Set(calls.map((c) => c.lead?.leadStatus).filter(Boolean));
    expect(statuses).toEqual(new Set(['active', 'rented', 'lost']));
    expect(new Set(calls.map((c) => c.contactId)).size).toBe(calls.length);
  });
});
