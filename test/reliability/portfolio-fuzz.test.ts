import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PortfolioError, parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import { scaled } from './scale.js';

/**
 * Portfolio fuzzing: generated portfolios, mostly near-valid ones shaped like config/portfolio.yaml
 * with numbers from a small pool (so loops and duplicates are frequent), plus mutations of the
 * example and junk. parsePortfolio either accepts one or throws a PortfolioError that lists its
 * problems; an accepted portfolio never dials a number that reaches the system.
 */

const SOURCE = 'fuzz/portfolio.yaml';
type Raw = Record<string, unknown>;
const example = (): Raw => parse(readFileSync('config/portfolio.yaml', 'utf8')) as Raw;
const EXAMPLE = example();
const EXAMPLE_LOCATION = (EXAMPLE.locations as Raw[])[0] as Raw;

/** Few numbers, so a ring-to often equals a tracking number or published line. */
const POOL = [
  '+15125550100',
  '+15125550101',
  '+15125550150',
  '+15125550151',
  '+15125550152',
  '+13035550129',
  '+13035550120',
  '+13035550121',
];
const IDS = ['a', 'b', 'c', 'd', 'call-center'];

/** Usually `arb`, now and then anything at all (wrong type, nested junk, undefined). */
const orJunk = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 120, arbitrary: arb },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2, maxKeys: 3 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '+1', '+0123', '15125550100', null) },
  );

const number = orJunk(fc.constantFrom(...POOL));
const idArb = orJunk(fc.constantFrom(...IDS));

const fallback = fc.oneof(
  fc.record({ type: fc.constant('queue'), queue: idArb }),
  fc.record({ type: fc.constantFrom('number', 'voicemail'), number }),
  fc.record({ type: fc.constant('voicemail') }),
);
const payments = fc.oneof(
  fc.record({ type: fc.constant('queue'), queue: idArb }),
  fc.record({ type: fc.constant('number'), number }),
);

const location = fc.record(
  {
    id: idArb,
    name: orJunk(fc.constantFrom('North', 'South storage')),
    timeZone: orJunk(fc.constantFrom('America/Chicago', 'America/Denver', 'Mars/Olympus')),
    hours: orJunk(fc.constant(EXAMPLE_LOCATION.hours)),
    ringTo: number,
    ringTimeoutSeconds: orJunk(fc.constantFrom(1, 20, 25, 600)),
    publishedNumbers: orJunk(fc.array(number, { maxLength: 2 })),
    recording: orJunk(fc.record({ enabled: fc.boolean() })),
    fallback: orJunk(fallback),
    menu: orJunk(fc.record({ prompt: fc.constant('Press 1 or 2.'), payments })),
  },
  { requiredKeys: ['id', 'name', 'timeZone', 'hours', 'ringTo', 'fallback'] },
);

const claim = orJunk(fc.constant({ country: 'US', type: 'DID', prefix: '+1512' }));
const trackingNumber = fc
  .tuple(
    fc.record(
      {
        id: idArb,
        location: idArb,
        source: orJunk(fc.constantFrom('Google Ads', 'Yelp')),
        campaign: orJunk(fc.constant('fall')),
      },
      { requiredKeys: ['id', 'location', 'source'] },
    ),
    // Mostly exactly one of number and claim; now and then both or neither.
    fc.oneof(
      { weight: 8, arbitrary: fc.record({ number }) },
      { weight: 2, arbitrary: fc.record({ claim }) },
      { weight: 1, arbitrary: fc.record({ number, claim }) },
      { weight: 1, arbitrary: fc.constant({}) },
    ),
  )
  .map(([fields, source]) => ({ ...fields, ...source }));

/** Now and then an entry carries a field the schema does not know. */
const withSurprise = <T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc
    .tuple(arb, fc.nat(40))
    .map(([entry, dice]) => (dice === 0 ? { ...entry, surprise: 'an unknown field' } : entry));

const generated: fc.Arbitrary<unknown> = fc.record(
  {
    defaults: orJunk(
      fc.record(
        { staticFallbackNumber: number, ringTimeoutSeconds: orJunk(fc.constant(25)) },
        { requiredKeys: ['staticFallbackNumber'] },
      ),
    ),
    queues: orJunk(
      fc.array(fc.record({ id: idArb, name: orJunk(fc.constant('Call center')) }), {
        maxLength: 2,
      }),
    ),
    locations: orJunk(
      fc.oneof(
        fc.uniqueArray(withSurprise(location), {
          minLength: 1,
          maxLength: 3,
          selector: (l) => l.id,
        }),
        fc.array(withSurprise(location), { minLength: 1, maxLength: 3 }),
      ),
    ),
    trackingNumbers: orJunk(
      fc.oneof(
        fc.uniqueArray(withSurprise(trackingNumber), {
          minLength: 1,
          maxLength: 4,
          selector: (t) => t.id,
        }),
        fc.array(withSurprise(trackingNumber), { minLength: 1, maxLength: 4 }),
      ),
    ),
  },
  { requiredKeys: ['defaults', 'locations', 'trackingNumbers'] },
);

/** The example with a few fields set to pool numbers, junk, or removed. */
const mutatedExample: fc.Arbitrary<unknown> = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        ['defaults', 'staticFallbackNumber'],
        ['locations', 0, 'ringTo'],
        ['locations', 1, 'fallback', 'number'],
        ['locations', 0, 'menu', 'payments', 'number'],
        ['locations', 2, 'publishedNumbers', 0],
        ['locations', 1, 'id'],
        ['trackingNumbers', 0, 'number'],
        ['trackingNumbers', 3, 'location'],
        ['trackingNumbers', 7, 'claim'],
        ['queues', 0, 'id'],
      ),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...POOL) },
        { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((mutations) => {
    const raw = structuredClone(EXAMPLE);
    for (const [path, value] of mutations) {
      let node = raw as Record<PropertyKey, unknown>;
      for (const key of path.slice(0, -1)) {
        const next = node?.[key as PropertyKey];
        if (typeof next !== 'object' || next === null) break;
        node = next as Record<PropertyKey, unknown>;
      }
      const last = path.at(-1) as PropertyKey;
      if (value === undefined) delete node[last];
      else node[last] = value;
    }
    return raw;
  });

const portfolioInput = fc.oneof(
  { weight: 6, arbitrary: generated },
  { weight: 3, arbitrary: mutatedExample },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
);

/**
 * The oracle, written independently of findRoutingLoops: every number the system dials out to,
 * against every number that reaches it.
 */
const loopsIn = (portfolio: Portfolio): string[] => {
  const inbound = new Set<string>();
  for (const t of portfolio.trackingNumbers) if (t.number) inbound.add(t.number);
  for (const l of portfolio.locations) for (const n of l.publishedNumbers) inbound.add(n);
  const outbound = [portfolio.defaults.staticFallbackNumber];
  for (const l of portfolio.locations) {
    outbound.push(l.ringTo);
    if ('number' in l.fallback && l.fallback.number) outbound.push(l.fallback.number);
    if (l.menu && 'number' in l.menu.payments) outbound.push(l.menu.payments.number);
  }
  return outbound.filter((n) => inbound.has(n));
};

/** A problem starts by naming where it is: a top-level section, an entry, or the file itself. */
const NAMES_AN_ENTRY =
  /^(\(top level\)|defaults|queues|locations|trackingNumbers)(\[\d+\]|\.|\s|$)/;

describe('portfolio fuzzing', () => {
  it('every generated portfolio is accepted loop-free or refused with its problems listed', () => {
    const seen = { accepted: 0, refused: 0, loopsRefused: 0 };
    fc.assert(
      fc.property(portfolioInput, (raw) => {
        let portfolio: Portfolio;
        try {
          portfolio = parsePortfolio(structuredClone(raw), SOURCE);
        } catch (error) {
          // Refused: only ever a PortfolioError naming the file and listing its problems.
          expect(error).toBeInstanceOf(PortfolioError);
          const { problems, message } = error as PortfolioError;
          expect(problems.length).toBeGreaterThan(0);
          expect(message.startsWith(`${SOURCE}: ${problems.length} problem`)).toBe(true);
          for (const problem of problems) {
            expect(problem.trim()).not.toBe('');
            expect(problem).toMatch(NAMES_AN_ENTRY);
            expect(message).toContain(problem);
          }
          seen.refused += 1;
          if (problems.some((p) => p.includes('endless loop'))) seen.loopsRefused += 1;
          return;
        }
        seen.accepted += 1;
        expect(loopsIn(portfolio)).toEqual([]);
      }),
      { seed: 20261126, numRuns: scaled(2_000) },
    );
    // Not vacuous: the generator reaches both outcomes, and loops are among the refusals.
    expect(seen.accepted).toBeGreaterThan(20);
    expect(seen.loopsRefused).toBeGreaterThan(20);
  });
});
