import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  queueMaxWaitSeconds,
  queuesWithoutRoutingProfile,
} from '../../lambdas/domain/portfolio/call-center.js';
import { routingEntryLoops } from '../../lambdas/domain/portfolio/loops.js';
import { PortfolioError, parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import { routingEntriesOf } from '../../lambdas/domain/portfolio/routing-entries.js';
import {
  DEFAULT_QUEUE_MAX_WAIT_SECONDS,
  type PortfolioQueue,
} from '../../lambdas/domain/portfolio/schema.js';
import { EXAMPLE_ENTRY, EXAMPLE_NAMES } from '../support/fixtures.js';

const example = (): Record<string, any> => parse(readFileSync('config/portfolio.yaml', 'utf8'));

const problemsOf = (raw: unknown): string[] => {
  try {
    parsePortfolio(raw, 'config/test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PortfolioError);
    return [...(error as PortfolioError).problems];
  }
  throw new Error('expected the portfolio to be refused');
};

describe('the example portfolio', () => {
  it('is valid, with at least 3 locations and 6 tracking numbers over several sources', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    expect(portfolio.locations.length).toBeGreaterThanOrEqual(3);
    expect(portfolio.trackingNumbers.length).toBeGreaterThanOrEqual(6);
    expect(new Set(portfolio.trackingNumbers.map((t) => t.source)).size).toBeGreaterThanOrEqual(3);
  });

  it('becomes one routing entry per tracking number, with its location route and defaults', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    const entries = routingEntriesOf(portfolio, EXAMPLE_NAMES);
    expect(entries).toHaveLength(portfolio.trackingNumbers.length);
    const google = entries.find((e) => e.trackingId === 'austin-north-google');
    expect(google).toEqual(EXAMPLE_ENTRY);
    const denver = entries.find((e) => e.trackingId === 'denver-central-main');
    // No ring timeout of its own: the portfolio default applies.
    expect(denver?.route.ringTimeoutSeconds).toBe(portfolio.defaults.ringTimeoutSeconds);
    expect(denver?.route.recording.enabled).toBe(false);
    expect(denver?.route.menu).toBeUndefined();
    expect(routingEntryLoops(entries)).toEqual([]);
  });
});

describe('payments by phone', () => {
  /** The example with round-rock's field set to `takesPaymentsByPhone`, or left out. */
  const withPayments = (takesPaymentsByPhone: unknown) => {
    const raw = example();
    if (takesPaymentsByPhone === undefined) delete raw.locations[1].takesPaymentsByPhone;
    else raw.locations[1].takesPaymentsByPhone = takesPaymentsByPhone;
    return raw;
  };

  it('is optional, and carried into the routing entries of the location when said', () => {
    const entriesOf = (raw: unknown) =>
      routingEntriesOf(parsePortfolio(raw, 'p.yaml'), EXAMPLE_NAMES).filter(
        (e) => e.locationId === 'round-rock',
      );
    for (const said of [true, false]) {
      const entries = entriesOf(withPayments(said));
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.map((e) => e.route.takesPaymentsByPhone)).toEqual(entries.map(() => said));
    }
    // Not said: not in the entry, which the route answer reads as "they may take payments".
    const unsaid = entriesOf(withPayments(undefined));
    expect(unsaid.length).toBeGreaterThan(0);
    expect(unsaid.every((e) => !('takesPaymentsByPhone' in e.route))).toBe(true);
  });

  it('refuses anything but true or false', () => {
    expect(problemsOf(withPayments('sometimes'))).toEqual([
      'locations[1] (round-rock).takesPaymentsByPhone must be true or false',
    ]);
  });
});

describe("the system's own voicemail", () => {
  it('is the round-rock fallback: no number, carried into its routing entries as such', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    expect(portfolio.locations.find((l) => l.id === 'round-rock')?.fallback).toEqual({
      type: 'voicemail',
    });
    const entries = routingEntriesOf(portfolio, EXAMPLE_NAMES).filter(
      (e) => e.locationId === 'round-rock',
    );
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) expect(e.route.fallback).toEqual({ type: 'voicemail' });
  });

  it('keeps the outside voicemail box, whose number is still checked for loops', () => {
    const raw = example();
    raw.locations[1].fallback = { type: 'voicemail', number: '+15125550119' };
    expect(parsePortfolio(raw, 'config/test.yaml').locations[1]?.fallback).toEqual({
      type: 'voicemail',
      number: '+15125550119',
    });
    raw.locations[1].fallback = { type: 'voicemail', number: '+15125550110' };
    expect(problemsOf(raw)).toEqual([
      expect.stringContaining('locations[1] (round-rock).fallback.number is +15125550110'),
    ]);
  });

  it('refuses a voicemail fallback with anything but a number', () => {
    const raw = example();
    raw.locations[1].fallback = { type: 'voicemail', queue: 'call-center' };
    expect(problemsOf(raw)).toEqual([
      expect.stringContaining('locations[1] (round-rock).fallback'),
    ]);
  });
});

describe('portfolio validation', () => {
  it('fails on a ring-to that is a tracking number (the endless ring loop), naming both', () => {
    const raw = example();
    raw.locations[1].ringTo = '+15125550151';
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('locations[1] (round-rock).ringTo');
    expect(problems[0]).toContain('trackingNumbers[1] (austin-north-google).number');
    expect(problems[0]).toMatch(/endless loop/);
  });

  it('fails on a ring-to or fallback that is a published main line', () => {
    const raw = example();
    raw.locations[0].ringTo = '+15125550100';
    raw.locations[2].fallback = { type: 'number', number: '+15125550110' };
    const problems = problemsOf(raw);
    expect(problems).toEqual([
      expect.stringContaining('locations[0] (austin-north).ringTo is +15125550100'),
      expect.stringContaining('locations[2] (denver-central).fallback.number is +15125550110'),
    ]);
    expect(problems[1]).toContain('locations[1] (round-rock).publishedNumbers[0]');
  });

  it('fails on a static fallback or payments line that loops', () => {
    const raw = example();
    raw.defaults.staticFallbackNumber = '+13035550170';
    raw.locations[0].menu.payments.number = '+15125550152';
    const problems = problemsOf(raw);
    expect(problems.join('\n')).toContain('defaults.staticFallbackNumber is +13035550170');
    expect(problems.join('\n')).toContain('locations[0] (austin-north).menu.payments.number');
  });

  it('EXAMPLE_NAMES the file, the entry and the fix for a number that is not E.164', () => {
    const raw = example();
    raw.locations[2].ringTo = '303-555-0121';
    let message = '';
    try {
      parsePortfolio(raw, 'config/test.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^config\/test\.yaml: 1 problem/);
    expect(message).toContain('locations[2] (denver-central).ringTo is not an E.164 number');
    expect(message).toContain('e.g. +15125550100');
  });

  it('fails on duplicate tracking numbers and duplicate ids', () => {
    const raw = example();
    raw.trackingNumbers[2].number = raw.trackingNumbers[1].number;
    raw.trackingNumbers[4].id = raw.trackingNumbers[3].id;
    const problems = problemsOf(raw).join('\n');
    expect(problems).toContain(
      'trackingNumbers[2].number +15125550151 is already trackingNumbers[1]',
    );
    expect(problems).toContain(
      'trackingNumbers[4] (round-rock-main).id repeats trackingNumbers[3]',
    );
  });

  it('fails on references to unknown locations and queues, listing the known ones', () => {
    const raw = example();
    raw.trackingNumbers[0].location = 'austin-south';
    raw.locations[1].fallback = { type: 'queue', queue: 'night-desk' };
    const problems = problemsOf(raw).join('\n');
    expect(problems).toContain(
      'trackingNumbers[0] (austin-north-main).location "austin-south" is not a location in this file: use one of austin-north, round-rock, denver-central',
    );
    expect(problems).toContain('"night-desk" is not a queue in this file');
    expect(problems).toContain('known: call-center');
  });

  it.each([
    [0, 'at least 1 second'],
    [601, 'at most 600 seconds'],
    [12.5, 'whole number'],
    ['25', 'number of seconds'],
  ])('fails on a ring timeout of %j (%s)', (value, expected) => {
    const raw = example();
    raw.locations[0].ringTimeoutSeconds = value;
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('locations[0] (austin-north).ringTimeoutSeconds');
    expect(problems[0]).toContain(expected);
  });

  it('fails on bad hours and time zones with the format to use', () => {
    const raw = example();
    raw.locations[0].hours.mon = '9am-6pm';
    raw.locations[0].hours.tue = '18:00-09:00';
    delete raw.locations[0].hours.sun;
    raw.locations[1].timeZone = 'Central Time';
    const problems = problemsOf(raw).join('\n');
    expect(problems).toContain('locations[0] (austin-north).hours.mon "9am-6pm" is not a range');
    expect(problems).toContain('hours.tue "18:00-09:00" ends before it starts');
    expect(problems).toContain('locations[0] (austin-north).hours.sun');
    expect(problems).toContain('locations[1] (round-rock).timeZone is not an IANA time zone');
  });

  it('fails on a tracking number with both or neither of claim and number', () => {
    const raw = example();
    raw.trackingNumbers[0].claim = { country: 'US', type: 'DID' };
    delete raw.trackingNumbers[1].number;
    const problems = problemsOf(raw);
    expect(problems).toHaveLength(2);
    for (const problem of problems) expect(problem).toContain('needs exactly one of "claim"');
  });

  it('refuses unknown keys instead of ignoring them', () => {
    const raw = example();
    raw.locations[0].ringto = '+15125550101';
    expect(problemsOf(raw).join('\n')).toContain('locations[0] (austin-north)');
    expect(problemsOf(raw).join('\n')).toMatch(/ringto/);
  });
});

describe('routing entry loops at deploy', () => {
  it('catches a ring-to equal to a number claimed at deploy', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    const entries = routingEntriesOf(portfolio, {
      ...EXAMPLE_NAMES,
      // The claimed number turned out to be Round Rock's ring-to line.
      trackingNumberOf: (t) => t.number ?? '+15125550111',
    });
    const loops = routingEntryLoops(entries);
    expect(loops).toHaveLength(2);
    expect(loops[0]).toContain('location round-rock (via round-rock-main) ring-to is +15125550111');
    expect(loops[0]).toContain('tracking number denver-central-mailer');
  });
});

describe('the call center', () => {
  const agent = {
    username: 'maria.lopez',
    firstName: 'Maria',
    lastName: 'Lopez',
    routingProfile: 'call-center-agents',
    securityProfile:
      'arn:aws:connect:us-east-1:123456789012:instance/5e1f7a00-64b3-4c2d-8e9f-00000000c0de/security-profile/0c4d6a8e-1111-2222-3333-444455556666',
  };

  it('declares the example queue with its hours, limits and a routing profile that serves it', () => {
    const portfolio = parsePortfolio(example(), 'config/portfolio.yaml');
    const [queue] = portfolio.queues;
    expect(queue).toMatchObject({ id: 'call-center', timeZone: 'America/Chicago' });
    expect(queue?.maxWaitSeconds).toBeLessThanOrEqual(1800);
    expect(queuesWithoutRoutingProfile(portfolio)).toEqual([]);
    expect(portfolio.routingProfiles[0]?.queues).toEqual([
      { queue: 'call-center', priority: 1, delaySeconds: 0 },
    ]);
    expect(portfolio.agents).toEqual([]);
  });

  it('keeps a portfolio without any call-center field valid, its queues left to a default profile', () => {
    const raw = example();
    raw.queues = [{ id: 'call-center', name: 'Storage call center' }];
    delete raw.routingProfiles;
    const portfolio = parsePortfolio(raw, 'config/test.yaml');
    expect(portfolio.routingProfiles).toEqual([]);
    expect(queuesWithoutRoutingProfile(portfolio).map((q) => q.id)).toEqual(['call-center']);
    expect(queueMaxWaitSeconds(portfolio.queues[0] as PortfolioQueue)).toBe(
      DEFAULT_QUEUE_MAX_WAIT_SECONDS,
    );
  });

  it('takes agents with their routing profile, signing in with Connect unless told otherwise', () => {
    const raw = example();
    raw.agents = [agent, { ...agent, username: 'sam@example.com', signIn: 'external' }];
    const portfolio = parsePortfolio(raw, 'config/test.yaml');
    expect(portfolio.agents.map((a) => a.signIn)).toEqual(['connect', 'external']);
  });

  it('fails on queue hours without a time zone, a wait out of range and settings of an existing queue', () => {
    const raw = example();
    delete raw.queues[0].timeZone;
    raw.queues[0].maxWaitSeconds = 7201;
    raw.queues.push({
      id: 'existing',
      name: 'Existing',
      arn: 'arn:aws:connect:us-east-1:123456789012:instance/abc/queue/def',
      maxContacts: 10,
    });
    raw.queues.push({
      id: 'never',
      name: 'Never open',
      timeZone: 'America/Chicago',
      hours: Object.fromEntries(
        ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, 'closed']),
      ),
    });
    const problems = problemsOf(raw).join('\n');
    expect(problems).toContain('queues[2] (never).hours are closed every day');
    expect(problems).toContain('queues[0] (call-center).maxWaitSeconds must be at most 7200');
    expect(problems).toContain('queues[0] (call-center) needs "hours" and "timeZone" together');
    expect(problems).toContain('queues[1] (existing) is an existing queue (arn:)');
  });

  it('fails on routing profiles naming unknown or repeated queues, and agents naming unknown profiles', () => {
    const raw = example();
    raw.routingProfiles[0].queues.push({ queue: 'call-center', priority: 2 }, { queue: 'nights' });
    raw.routingProfiles[0].outboundQueue = 'outbound';
    raw.agents = [
      { ...agent, routingProfile: 'weekend' },
      { ...agent, username: 'MARIA.LOPEZ' },
    ];
    const problems = problemsOf(raw);
    expect(problems).toEqual([
      'routingProfiles[0] (call-center-agents).queues[2].queue "nights" is not a queue in this file: declare it under "queues" (known: call-center)',
      'routingProfiles[0] (call-center-agents).queues[1].queue "call-center" repeats queues[0]: a routing profile lists a queue once',
      'routingProfiles[0] (call-center-agents).outboundQueue "outbound" is not a queue in this file: declare it under "queues" (known: call-center)',
      'agents[1] (maria.lopez).username repeats agents[0]: Connect keeps one user per name',
      'agents[0] (maria.lopez).routingProfile "weekend" is not a routing profile in this file: declare it under "routingProfiles" (known: call-center-agents)',
    ]);
  });

  it('names a bad agent by its user name, and a routing profile with no queue', () => {
    const raw = example();
    raw.routingProfiles[0].queues = [];
    raw.agents = [{ ...agent, username: 'maria lopez', signIn: 'sso', securityProfile: 'Agent' }];
    const problems = problemsOf(raw).join('\n');
    expect(problems).toContain(
      'routingProfiles[0] (call-center-agents).queues must list at least one queue',
    );
    expect(problems).toContain('agents[0] (maria lopez).username is not a Connect user name');
    expect(problems).toContain('agents[0] (maria lopez).signIn must be connect');
    expect(problems).toContain(
      'agents[0] (maria lopez).securityProfile is not a security profile ARN',
    );
  });
});
