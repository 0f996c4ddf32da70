import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  findRoutingLoops,
  portfolioLoops,
  publishedNumbersOf,
  routingEntryLoops,
} from '../../lambdas/domain/portfolio/loops.js';
import { parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import { routingEntriesOf } from '../../lambdas/domain/portfolio/routing-entries.js';
import { EXAMPLE_NAMES } from '../support/fixtures.js';

const example = () =>
  parsePortfolio(parse(readFileSync('config/portfolio.yaml', 'utf8')), 'config/portfolio.yaml');

describe('findRoutingLoops', () => {
  it('reports each outbound number that is also inbound, naming both declarations', () => {
    const loops = findRoutingLoops(
      [{ number: '+15125550100', declaredBy: 'the main line' }],
      [
        { number: '+15125550100', declaredBy: 'the ring-to' },
        { number: '+15125550101', declaredBy: 'the fallback' },
      ],
    );
    expect(loops).toEqual([
      "the ring-to is +15125550100, which is also the main line: calls would ring the system itself in an endless loop. Use the location's separate, unpublished ring-to line (or another fallback number) instead",
    ]);
  });
});

describe('publishedNumbersOf', () => {
  it("lists every location's published lines with where the file declares them", () => {
    expect(publishedNumbersOf(example())).toEqual([
      { number: '+15125550100', declaredBy: 'locations[0] (austin-north).publishedNumbers[0]' },
      { number: '+15125550110', declaredBy: 'locations[1] (round-rock).publishedNumbers[0]' },
      { number: '+13035550120', declaredBy: 'locations[2] (denver-central).publishedNumbers[0]' },
    ]);
  });
});

describe('portfolioLoops', () => {
  it('finds none in the example portfolio', () => {
    expect(portfolioLoops(example())).toEqual([]);
  });

  it('checks the static fallback against the tracking numbers', () => {
    const portfolio = example();
    const looped = {
      ...portfolio,
      defaults: { ...portfolio.defaults, staticFallbackNumber: '+15125550100' },
    };
    expect(portfolioLoops(looped)).toEqual([
      expect.stringMatching(
        /^defaults\.staticFallbackNumber is \+15125550100, which is also locations\[0\] \(austin-north\)\.publishedNumbers\[0\]:/,
      ),
    ]);
  });
});

describe('routingEntryLoops', () => {
  it('checks fallback and payments lines against the published numbers it is given', () => {
    const portfolio = example();
    const entries = routingEntriesOf(portfolio, EXAMPLE_NAMES);
    const published = [
      { number: '+13035550129', declaredBy: 'a published line' },
      { number: '+15125550190', declaredBy: 'another published line' },
    ];
    const loops = routingEntryLoops(entries, published);
    expect(loops.length).toBeGreaterThan(0);
    expect(loops).toContainEqual(
      expect.stringMatching(
        /^location denver-central \(via [a-z0-9-]+\) fallback is \+13035550129, which is also a published line:/,
      ),
    );
    expect(loops).toContainEqual(
      expect.stringMatching(
        /^location austin-north \(via [a-z0-9-]+\) payments line is \+15125550190, which is also another published line:/,
      ),
    );
    expect(routingEntryLoops(entries)).toEqual([]);
  });
});
