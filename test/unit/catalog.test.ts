import { describe, expect, it } from 'vitest';
import {
  locationIdFromPath,
  trackingNumberFromPath,
} from '../../lambdas/adapters/http/catalog-paths.js';
import {
  type ApiCatalog,
  apiRoutingEntries,
  type CatalogView,
  catalogProblems,
  locationBodySchema,
  parseBody,
  portfolioCatalogOf,
  trackingNumberBodySchema,
} from '../../lambdas/domain/catalog.js';
import { routingEntriesOf } from '../../lambdas/domain/portfolio/routing-entries.js';
import type { PortfolioLocation } from '../../lambdas/domain/portfolio/schema.js';
import { InvalidRequestError } from '../../lambdas/domain/request-errors.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { DEFAULT_PORTFOLIO_PATH } from '../../local/routing-system.js';
import { GEORGETOWN } from '../support/api-samples.js';
import { EXAMPLE_NAMES } from '../support/fixtures.js';

const FILE = 'config/portfolio.yaml';
const portfolio = loadPortfolio(DEFAULT_PORTFOLIO_PATH);
const PORTFOLIO_CATALOG = portfolioCatalogOf(portfolio, EXAMPLE_NAMES, FILE);

/** The shared API location, with a published line and a voicemail fallback of its own. */
const BODY = {
  ...GEORGETOWN,
  publishedNumbers: ['+15125550130'],
  fallback: { type: 'voicemail', number: '+15125550139' },
};

const georgetown = (change: Partial<PortfolioLocation> = {}): PortfolioLocation => {
  const parsed = parseBody(locationBodySchema, BODY);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return { id: 'georgetown', ...parsed.value, ...change };
};

const view = (api: Partial<ApiCatalog>): CatalogView => ({
  portfolio: PORTFOLIO_CATALOG,
  api: { version: 1, locations: [], trackingNumbers: [], ...api },
});

const number = (n: string, location = 'georgetown') => ({
  id: `t-${n.slice(-4)}`,
  number: n,
  location,
  source: 'Radio',
});

describe('PUT bodies', () => {
  it('accepts a location entry and fills in the file defaults', () => {
    expect(parseBody(locationBodySchema, BODY)).toEqual({
      ok: true,
      value: { ...BODY, recording: { enabled: true } },
    });
  });

  it.each([
    ['name', { name: ' ' }, /^name must not be empty: write the location name/],
    ['timeZone', { timeZone: 'Texas' }, /^timeZone is not an IANA time zone/],
    [
      'hours',
      { hours: { mon: '09:00-18:00' } },
      /^hours\.tue is missing or not text: write "HH:MM-HH:MM", "closed" or "open-24h"/,
    ],
    ['hours.tue', { hours: { ...BODY.hours, tue: '18:00-09:00' } }, /^hours\.tue /],
    ['ringTo', { ringTo: '5125550131' }, /^ringTo is not an E\.164 number/],
    ['ringTimeoutSeconds', { ringTimeoutSeconds: 0 }, /^ringTimeoutSeconds must be at least 1/],
    ['publishedNumbers[0]', { publishedNumbers: ['x'] }, /^publishedNumbers\[0\] is not an E\.164/],
    ['fallback', { fallback: { type: 'fax' } }, /^fallback\.type must be \{type: queue/],
    [
      'menu.payments',
      { menu: { prompt: 'Press 2', payments: { type: 'voicemail', number: '+15125550138' } } },
      /^menu\.payments\.type must be \{type: queue, queue: <queue id>\} or \{type: number, number\}/,
    ],
    ['an unknown field', { color: 'blue' }, /color/],
    ['id (it comes from the path)', { id: 'georgetown' }, /"id"/],
  ])('names %s when it is wrong', (_field, change, message) => {
    const parsed = parseBody(locationBodySchema, { ...BODY, ...change });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatch(message);
  });

  it('lists every bad field of a tracking number; the number comes from the path', () => {
    const parsed = parseBody(trackingNumberBodySchema, {
      id: 'Bad Id',
      location: 'georgetown',
      number: '+15125550181',
    });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problems).toEqual([
        expect.stringMatching(/^id is not a valid id/),
        expect.stringMatching(/^source /),
        expect.stringMatching(/"number"/),
      ]);
    }
  });

  it('refuses a body that is not an object', () => {
    const parsed = parseBody(trackingNumberBodySchema, undefined);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]).toMatch(/^body /);
  });

  it.each([
    ['+15125550181', '+15125550181'],
    ['%2B15125550181', '+15125550181'],
    ['%2b15125550181', '+15125550181'],
    [' 15125550181', '+15125550181'],
  ])('reads the number %j from the path', (raw, expected) => {
    expect(trackingNumberFromPath(raw)).toBe(expected);
  });

  it('refuses a path number that is not E.164', () => {
    expect(() => trackingNumberFromPath('15125550181')).toThrow(/not valid/);
  });

  it('refuses a bad path id as an invalid path, naming it', () => {
    expect(locationIdFromPath('round-rock')).toBe('round-rock');
    expect(() => locationIdFromPath('Georgetown!')).toThrow(InvalidRequestError);
    expect(() => locationIdFromPath('Georgetown!')).toThrow(
      expect.objectContaining({
        part: 'path',
        message:
          'the location id in the path is not valid: fix each problem listed and send it again',
        problems: [expect.stringMatching(/^id "Georgetown!" /)],
      }),
    );
  });
});

describe('catalogProblems', () => {
  it('finds nothing wrong with the file alone, or with a sound API location and number', () => {
    expect(catalogProblems(view({}))).toEqual({ problems: [], loops: [] });
    expect(
      catalogProblems(
        view({ locations: [georgetown()], trackingNumbers: [number('+15125550181')] }),
      ),
    ).toEqual({ problems: [], loops: [] });
  });

  it('finds a ring-to that is a tracking number of the file', () => {
    const { loops } = catalogProblems(
      view({ locations: [georgetown({ ringTo: '+15125550151' })] }),
    );
    expect(loops).toEqual([
      expect.stringMatching(
        /^the location georgetown \(added through the API\) ringTo is \+15125550151, which is also tracking number \+15125550151 \(austin-north-google, in config\/portfolio.yaml\): calls would ring the system itself/,
      ),
    ]);
  });

  it('finds a ring-to that is a published line, and a fallback that is an API number', () => {
    const { loops } = catalogProblems(
      view({
        locations: [
          georgetown({
            ringTo: '+13035550120',
            fallback: { type: 'number', number: '+15125550181' },
          }),
        ],
        trackingNumbers: [number('+15125550181')],
      }),
    );
    expect(loops).toEqual([
      expect.stringContaining(
        'ringTo is +13035550120, which is also the published line of location denver-central (in config/portfolio.yaml)',
      ),
      expect.stringContaining(
        'fallback.number is +15125550181, which is also tracking number +15125550181 (t-0181, added through the API)',
      ),
    ]);
  });

  it('finds a new tracking number that is a ring-to or the static fallback', () => {
    const { loops } = catalogProblems(
      view({
        locations: [georgetown()],
        trackingNumbers: [number('+15125550131'), number('+15125550199', 'round-rock')],
      }),
    );
    expect(loops).toEqual([
      expect.stringMatching(
        /^the static fallback number \(defaults.staticFallbackNumber in config\/portfolio.yaml\) is \+15125550199/,
      ),
      expect.stringMatching(
        /^the location georgetown \(added through the API\) ringTo is \+15125550131/,
      ),
    ]);
  });

  it('finds unknown locations and queues, and ids or numbers taken by the file', () => {
    const { problems } = catalogProblems(
      view({
        locations: [
          georgetown({ fallback: { type: 'queue', queue: 'billing' } }),
          georgetown({ id: 'austin-north' }),
        ],
        trackingNumbers: [number('+15125550183', 'nowhere'), number('+15125550151', 'georgetown')],
      }),
    );
    expect(problems).toEqual([
      'location austin-north (added through the API) repeats location austin-north (in config/portfolio.yaml): give every location its own id',
      'tracking number +15125550151 (t-0151, added through the API) repeats tracking number +15125550151 (austin-north-google, in config/portfolio.yaml): a number can belong to only one location and source; remove one',
      expect.stringMatching(
        /^tracking number \+15125550183 \(t-0183, added through the API\) names location "nowhere", which does not exist: use one of austin-north, round-rock, denver-central, georgetown/,
      ),
      'location georgetown (added through the API) fallback.queue "billing" is not a queue of the portfolio: use one of call-center (queues are declared in config/portfolio.yaml)',
    ]);
  });
});

describe('apiRoutingEntries', () => {
  it('builds an API number entry exactly as the file builds its own, owner aside', () => {
    const fileEntry = routingEntriesOf(portfolio, EXAMPLE_NAMES).find(
      (e) => e.trackingId === 'austin-north-google',
    );
    const moved: CatalogView = {
      portfolio: {
        ...PORTFOLIO_CATALOG,
        trackingNumbers: PORTFOLIO_CATALOG.trackingNumbers.filter(
          (t) => t.id !== 'austin-north-google',
        ),
      },
      api: {
        version: 1,
        locations: [],
        trackingNumbers: PORTFOLIO_CATALOG.trackingNumbers.filter(
          (t) => t.id === 'austin-north-google',
        ),
      },
    };
    expect(apiRoutingEntries(moved)).toEqual([{ ...fileEntry, owner: 'api' }]);
  });
});
