import * as z from 'zod';
import { findRoutingLoops, type InboundNumber, type OutboundTarget } from './portfolio/loops.js';
import { describePath } from './portfolio/parse.js';
import { type DeployedNames, routingEntryOf } from './portfolio/routing-entries.js';
import {
  locationSchema,
  type Portfolio,
  type PortfolioDefaults,
  type PortfolioLocation,
  trackingNumberFields,
} from './portfolio/schema.js';
import { fallbackNumberOf, type RoutingEntry, type RoutingOwner } from './route.js';

/**
 * The catalog: every location and tracking number, whoever declares them. The portfolio file's
 * part is written at deploy (and by local mode), the API's part by the management API; the two
 * together are validated with the file's own schema pieces and loop check, so an edit through the
 * API obeys the same rules as an edit of the file.
 */

/** A queue of the portfolio, with the ARN the deploy gave it. */
export interface CatalogQueue {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
}

/** A tracking number with its number resolved (claimed numbers are known once deployed). */
export interface CatalogTrackingNumber {
  readonly id: string;
  readonly number: string;
  readonly location: string;
  readonly source: string;
  readonly campaign?: string;
}

/** The portfolio file's part, as the last deploy (or local run) wrote it. */
export interface PortfolioCatalog {
  /** The file as given on the command line, e.g. `config/portfolio.yaml`. */
  readonly declaredIn: string;
  readonly defaults: PortfolioDefaults;
  readonly queues: readonly CatalogQueue[];
  readonly locations: readonly PortfolioLocation[];
  readonly trackingNumbers: readonly CatalogTrackingNumber[];
}

/** The API's part. `version` grows by one with every write (optimistic concurrency). */
export interface ApiCatalog {
  readonly version: number;
  readonly locations: readonly PortfolioLocation[];
  readonly trackingNumbers: readonly CatalogTrackingNumber[];
}

export const EMPTY_API_CATALOG: ApiCatalog = { version: 0, locations: [], trackingNumbers: [] };

/** The portfolio's catalog with deploy-time names filled in (CDK tokens at synth). */
export const portfolioCatalogOf = (
  portfolio: Portfolio,
  names: DeployedNames,
  declaredIn: string,
): PortfolioCatalog => ({
  declaredIn,
  defaults: portfolio.defaults,
  queues: portfolio.queues.map((q) => ({ id: q.id, name: q.name, arn: names.queueArnOf(q.id) })),
  locations: portfolio.locations,
  trackingNumbers: portfolio.trackingNumbers.map((t) => ({
    id: t.id,
    number: names.trackingNumberOf(t),
    location: t.location,
    source: t.source,
    ...(t.campaign === undefined ? {} : { campaign: t.campaign }),
  })),
});

// ---------------------------------------------------------------------------------------------
// Request bodies: the file's schema pieces, the id (or number) taken from the path
// ---------------------------------------------------------------------------------------------

/** PUT /locations/{id}: a location entry of the file, without its id. */
export const locationBodySchema = locationSchema.omit({ id: true });

/** PUT /tracking-numbers/{number}: a tracking number entry, its number from the path. */
export const trackingNumberBodySchema = z.strictObject(trackingNumberFields);

export const locationIdSchema = trackingNumberFields.id;

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

/** Parses a body; each problem is `<field> <what is wrong and how to fix it>`. */
export const parseBody = <T>(schema: z.ZodType<T>, body: unknown): ParseResult<T> => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) =>
      issue.path.length === 0
        ? `body ${issue.message}`
        : `${describePath(body, issue.path)} ${issue.message}`,
    ),
  };
};

// ---------------------------------------------------------------------------------------------
// The merged view and its rules
// ---------------------------------------------------------------------------------------------

export interface Owned<T> {
  readonly item: T;
  readonly owner: RoutingOwner;
}

export interface CatalogView {
  readonly portfolio: PortfolioCatalog;
  readonly api: ApiCatalog;
}

export const locationsOf = (view: CatalogView): Owned<PortfolioLocation>[] => [
  ...view.portfolio.locations.map((item) => ({ item, owner: 'portfolio' as const })),
  ...view.api.locations.map((item) => ({ item, owner: 'api' as const })),
];

export const trackingNumbersOf = (view: CatalogView): Owned<CatalogTrackingNumber>[] => [
  ...view.portfolio.trackingNumbers.map((item) => ({ item, owner: 'portfolio' as const })),
  ...view.api.trackingNumbers.map((item) => ({ item, owner: 'api' as const })),
];

/** Where an entry is declared, as a person edits it: the file, or the API. */
const origin = (view: CatalogView, owner: RoutingOwner): string =>
  owner === 'portfolio' ? `in ${view.portfolio.declaredIn}` : 'added through the API';

const locationLabel = (view: CatalogView, l: Owned<PortfolioLocation>): string =>
  `location ${l.item.id} (${origin(view, l.owner)})`;

const trackingLabel = (view: CatalogView, t: Owned<CatalogTrackingNumber>): string =>
  `tracking number ${t.item.number} (${t.item.id}, ${origin(view, t.owner)})`;

/** Every number that reaches the system: tracking numbers and published lines. */
const inboundOf = (view: CatalogView): InboundNumber[] => [
  ...trackingNumbersOf(view).map((t) => ({
    number: t.item.number,
    declaredBy: trackingLabel(view, t),
  })),
  ...locationsOf(view).flatMap((l) =>
    l.item.publishedNumbers.map((number) => ({
      number,
      declaredBy: `the published line of ${locationLabel(view, l)}`,
    })),
  ),
];

/** Every number the flow may dial. */
const outboundOf = (view: CatalogView): OutboundTarget[] => [
  {
    number: view.portfolio.defaults.staticFallbackNumber,
    declaredBy: `the static fallback number (defaults.staticFallbackNumber in ${view.portfolio.declaredIn})`,
  },
  ...locationsOf(view).flatMap((l) => {
    const at = `the ${locationLabel(view, l)}`;
    const { ringTo, fallback, menu } = l.item;
    const fallbackNumber = fallbackNumberOf(fallback);
    return [
      { number: ringTo, declaredBy: `${at} ringTo` },
      ...(fallbackNumber ? [{ number: fallbackNumber, declaredBy: `${at} fallback.number` }] : []),
      ...(menu?.payments.type === 'number'
        ? [{ number: menu.payments.number, declaredBy: `${at} menu.payments.number` }]
        : []),
    ];
  }),
];

/** Repeats of a key, each named by both entries. */
const repeats = <T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  label: (item: T) => string,
) => {
  const seen = new Map<string, T>();
  const found: string[] = [];
  for (const item of items) {
    const first = seen.get(keyOf(item));
    if (first === undefined) seen.set(keyOf(item), item);
    else found.push(`${label(item)} repeats ${label(first)}`);
  }
  return found;
};

/** What is wrong with the merged catalog: references and uniqueness, and loops apart. */
export interface CatalogProblems {
  readonly problems: readonly string[];
  readonly loops: readonly string[];
}

/**
 * The file's cross-entry rules over both parts: unique ids and numbers, locations and queues that
 * exist, no routing loops. Every message names the entries and what to do.
 */
export const catalogProblems = (view: CatalogView): CatalogProblems => {
  const locations = locationsOf(view);
  const numbers = trackingNumbersOf(view);
  const problems = [
    ...repeats(
      locations,
      (l) => l.item.id,
      (l) => locationLabel(view, l),
    ).map((p) => `${p}: give every location its own id`),
    ...repeats(
      numbers,
      (t) => t.item.id,
      (t) => trackingLabel(view, t),
    ).map((p) => `${p} by id: give every tracking number its own id`),
    ...repeats(
      numbers,
      (t) => t.item.number,
      (t) => trackingLabel(view, t),
    ).map((p) => `${p}: a number can belong to only one location and source; remove one`),
  ];
  const locationIds = new Set(locations.map((l) => l.item.id));
  for (const t of numbers) {
    if (!locationIds.has(t.item.location)) {
      problems.push(
        `${trackingLabel(view, t)} names location "${t.item.location}", which does not exist: use one of ${[...locationIds].join(', ')}`,
      );
    }
  }
  const queueIds = new Set(view.portfolio.queues.map((q) => q.id));
  const knownQueues = [...queueIds].join(', ') || `none declared in ${view.portfolio.declaredIn}`;
  for (const l of locations) {
    const refs: [string, string][] = [];
    if (l.item.fallback.type === 'queue') refs.push(['fallback.queue', l.item.fallback.queue]);
    if (l.item.menu?.payments.type === 'queue') {
      refs.push(['menu.payments.queue', l.item.menu.payments.queue]);
    }
    for (const [field, queue] of refs) {
      if (!queueIds.has(queue)) {
        problems.push(
          `${locationLabel(view, l)} ${field} "${queue}" is not a queue of the portfolio: use one of ${knownQueues} (queues are declared in ${view.portfolio.declaredIn})`,
        );
      }
    }
  }
  return { problems, loops: findRoutingLoops(inboundOf(view), outboundOf(view)) };
};

// ---------------------------------------------------------------------------------------------
// Routing entries of the API's numbers
// ---------------------------------------------------------------------------------------------

/**
 * The routing entries (owner `api`) of the API's tracking numbers, built by the same function as
 * the file's; `where` keeps only some (e.g. those of one location). Assumes a valid view.
 */
export const apiRoutingEntries = (
  view: CatalogView,
  where: (t: CatalogTrackingNumber) => boolean = () => true,
): RoutingEntry[] => {
  const locations = new Map(locationsOf(view).map((l) => [l.item.id, l.item]));
  const queues = new Map(view.portfolio.queues.map((q) => [q.id, q.arn]));
  const names = {
    queueArnOf: (queueId: string) => {
      const arn = queues.get(queueId);
      if (!arn) throw new Error(`queue ${queueId} is not a queue of the portfolio`);
      return arn;
    },
  };
  return view.api.trackingNumbers.filter(where).map((t) => {
    const location = locations.get(t.location);
    if (!location) throw new Error(`tracking number ${t.id} names unknown location ${t.location}`);
    return routingEntryOf(view.portfolio, t, t.number, location, names, 'api');
  });
};

// ---------------------------------------------------------------------------------------------
// Resources as the API shows them
// ---------------------------------------------------------------------------------------------

export type LocationResource = PortfolioLocation & {
  readonly owner: RoutingOwner;
  readonly declaredIn?: string;
  /** The tracking numbers that route to this location, E.164, sorted. */
  readonly trackingNumbers: readonly string[];
};

export interface TrackingNumberResource {
  readonly number: string;
  readonly id: string;
  readonly locationId: string;
  readonly source: string;
  readonly campaign?: string;
  readonly owner: RoutingOwner;
  readonly declaredIn?: string;
}

export const locationResource = (
  view: CatalogView,
  { item, owner }: Owned<PortfolioLocation>,
): LocationResource => ({
  ...item,
  owner,
  ...(owner === 'portfolio' ? { declaredIn: view.portfolio.declaredIn } : {}),
  trackingNumbers: trackingNumbersOf(view)
    .filter((t) => t.item.location === item.id)
    .map((t) => t.item.number)
    .sort(),
});

export const trackingNumberResource = (
  view: CatalogView,
  { item, owner }: Owned<CatalogTrackingNumber>,
): TrackingNumberResource => ({
  number: item.number,
  id: item.id,
  locationId: item.location,
  source: item.source,
  ...(item.campaign === undefined ? {} : { campaign: item.campaign }),
  owner,
  ...(owner === 'portfolio' ? { declaredIn: view.portfolio.declaredIn } : {}),
});
