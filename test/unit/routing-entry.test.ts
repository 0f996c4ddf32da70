import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import { routingEntriesOf } from '../../lambdas/domain/portfolio/routing-entries.js';
import { parseRoutingEntry } from '../../lambdas/domain/routing-entry.js';
import { EXAMPLE_ENTRY, EXAMPLE_NAMES, INSTANCE_ARN, queueArn } from '../support/fixtures.js';

const example = (): Record<string, any> => parse(readFileSync('config/portfolio.yaml', 'utf8'));

/** A copy of EXAMPLE_ENTRY with the field at the dotted `path` set to `value` (or removed). */
const changed = (path: string, value: unknown): Record<string, any> => {
  const entry = structuredClone(EXAMPLE_ENTRY) as Record<string, any>;
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce((node, key) => node[key], entry);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return entry;
};

const problemsOf = (value: unknown): readonly string[] => {
  const parsed = parseRoutingEntry(value);
  if (parsed.ok) throw new Error('expected the entry to be refused');
  return parsed.problems;
};

describe('parseRoutingEntry', () => {
  it('accepts every entry the example portfolio gives, as it is', () => {
    const entries = routingEntriesOf(
      parsePortfolio(example(), 'config/portfolio.yaml'),
      EXAMPLE_NAMES,
    );

    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(parseRoutingEntry(entry), entry.trackingId).toEqual({ ok: true, entry });
    }
  });

  it('accepts an entry read back from JSON and keeps the fields it does not know', () => {
    const value = { ...JSON.parse(JSON.stringify(EXAMPLE_ENTRY)), addedLater: 'kept' };

    const parsed = parseRoutingEntry(value);

    expect(parsed).toEqual({ ok: true, entry: value });
  });

  it.each([null, [EXAMPLE_ENTRY], 'entry'])('refuses %j, which is not a map', (value) => {
    expect(problemsOf(value)).toEqual(['(entry) must be a map']);
  });

  it.each([
    ['trackingNumber', '512-555-0151', 'trackingNumber is not an E.164 number'],
    ['locationName', ' ', 'locationName must not be empty'],
    ['campaign', 7, 'campaign must be a string'],
    ['owner', 'someone', 'owner must be "portfolio" or "api"'],
    ['route', undefined, 'route must be a map'],
    ['route.ringTo', '5125550101', 'route.ringTo is not an E.164 number'],
    ...[0, 601, 12.5, '25'].map((timeout) => [
      'route.ringTimeoutSeconds',
      timeout,
      'route.ringTimeoutSeconds must be a whole number of seconds from 1 to 600',
    ]),
    ['route.timeZone', 'Central Time', 'route.timeZone is not an IANA time zone'],
    ['route.hours.sun', undefined, 'route.hours.sun is missing'],
    ['route.hours.mon', '9am-6pm', 'route.hours.mon "9am-6pm" is not a range'],
    ['route.hours.holiday', 'closed', 'route.hours.holiday is not a day'],
    ['route.recording.disclosure', undefined, 'route.recording.disclosure must be a string'],
    ['route.recording.enabled', 'yes', 'route.recording.enabled must be true or false'],
    [
      'route.fallback',
      { type: 'pager', number: '+15125550119' },
      'route.fallback.type must be one of queue, number, voicemail',
    ],
    [
      'route.fallback',
      { type: 'queue', queueArn: 'call-center' },
      'route.fallback.queueArn is not a Connect queue ARN',
    ],
    [
      'route.fallback',
      { type: 'queue', queueArn: INSTANCE_ARN },
      'route.fallback.queueArn is not a Connect queue ARN',
    ],
    [
      'route.fallback',
      { type: 'voicemail', number: '5125550119' },
      'route.fallback.number is not an E.164 number',
    ],
    ['route.menu.prompt', undefined, 'route.menu.prompt must be a string'],
    [
      'route.menu.payments',
      { type: 'voicemail', number: '+15125550190' },
      'route.menu.payments.type must be one of queue, number',
    ],
    ['route.menu', null, 'route.menu must be {prompt, payments}'],
    ['route.recording.staffLeg', 'no', 'route.recording.staffLeg must be true or false'],
    ['route.takesPaymentsByPhone', 'yes', 'route.takesPaymentsByPhone must be true or false'],
  ] as [string, unknown, string][])('refuses %s = %j', (path, value, problem) => {
    expect(problemsOf(changed(path, value))).toEqual([expect.stringContaining(problem)]);
  });

  it('lists every problem of an entry, not only the first', () => {
    const value = changed('route.ringTimeoutSeconds', 0);
    value.route.timeZone = 'Mars/Olympus_Mons';
    value.route.menu.payments = { type: 'queue', queueArn: '' };

    expect(problemsOf(value)).toEqual([
      expect.stringMatching(/^route\.ringTimeoutSeconds /),
      expect.stringMatching(/^route\.timeZone /),
      expect.stringMatching(/^route\.menu\.payments\.queueArn /),
    ]);
  });

  it('agrees with the portfolio on ring timeouts and queue ARNs', () => {
    const portfolioAccepts = (mutate: (raw: Record<string, any>) => void): boolean => {
      const raw = example();
      mutate(raw);
      try {
        parsePortfolio(raw, 'config/test.yaml');
        return true;
      } catch {
        return false;
      }
    };
    for (const timeout of [0, 1, 25, 600, 601, 2.5]) {
      const entry = changed('route.ringTimeoutSeconds', timeout);
      expect(parseRoutingEntry(entry).ok, `timeout ${timeout}`).toBe(
        portfolioAccepts((raw) => {
          raw.locations[0].ringTimeoutSeconds = timeout;
        }),
      );
    }
    for (const arn of [queueArn('call-center'), INSTANCE_ARN, `${INSTANCE_ARN}/queue/`, 'q-1']) {
      const entry = changed('route.fallback', { type: 'queue', queueArn: arn });
      expect(parseRoutingEntry(entry).ok, arn).toBe(
        portfolioAccepts((raw) => {
          // An existing queue keeps the hours and limits it has in Connect.
          raw.queues[0] = { id: raw.queues[0].id, name: raw.queues[0].name, arn };
        }),
      );
    }
  });
});
