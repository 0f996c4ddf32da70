import { z } from 'zod';
import { CONNECT_QUEUE_ARN_PATTERN } from './connect-arn.js';
import { E164_PATTERN } from './phone-number.js';
import {
  type Fallback,
  type LocationRoute,
  type PaymentsTarget,
  RING_TIMEOUT_RANGE,
  type RoutingEntry,
} from './route.js';
import { DAYS, isKnownTimeZone, parseDayHours, type WeeklyHours } from './weekly-hours.js';

/**
 * The portfolio file: every location, its ring-to number and hours, and every tracking number with
 * its ad source. It is validated at synth (and again at deploy, once claimed numbers are known), so
 * a bad entry stops the deploy before a caller can meet it.
 */

// Defined with the route (zod-free, so route-call can bundle it); still importable from here.
export { RING_TIMEOUT_RANGE };

/** Schema pieces shared with the management API, so a PUT is checked exactly as the file is. */
export const e164 = z
  .string()
  .regex(
    E164_PATTERN,
    'is not an E.164 number: write + then the country code and number, digits only (e.g. +15125550100)',
  );

export const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,47}$/,
    'is not a valid id: use 1-48 lowercase letters, digits and dashes, starting with a letter or digit',
  );

export const words = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `must not be empty: write the ${what}`)
    .max(max, `is longer than ${max} characters: shorten the ${what}`);

// A missing day said in words, not zod's "expected string, received undefined".
const dayHours = z
  .string({ error: 'is missing or not text: write "HH:MM-HH:MM", "closed" or "open-24h"' })
  .superRefine((value, ctx) => {
    const parsed = parseDayHours(value);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

const weeklyHours = z.strictObject(
  Object.fromEntries(DAYS.map((day) => [day, dayHours])) as Record<
    (typeof DAYS)[number],
    typeof dayHours
  >,
  {
    error: `needs all seven days (${DAYS.join(', ')}), each "HH:MM-HH:MM", "closed" or "open-24h"`,
  },
);

const timeZone = z
  .string()
  .refine(isKnownTimeZone, 'is not an IANA time zone: use a name such as America/Chicago');

const ringTimeout = z
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(RING_TIMEOUT_RANGE.min, `must be at least ${RING_TIMEOUT_RANGE.min} second`)
  .max(
    RING_TIMEOUT_RANGE.max,
    `must be at most ${RING_TIMEOUT_RANGE.max} seconds (Connect's limit for a transfer)`,
  );

const fallback = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('queue'), queue: id }),
    z.strictObject({ type: z.literal('number'), number: e164 }),
    z.strictObject({ type: z.literal('voicemail'), number: e164 }),
  ],
  {
    error:
      'must be {type: queue, queue: <queue id>}, {type: number, number} or {type: voicemail, number}',
  },
);

const payments = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('queue'), queue: id }),
    z.strictObject({ type: z.literal('number'), number: e164 }),
  ],
  { error: 'must be {type: queue, queue: <queue id>} or {type: number, number}' },
);

const queueArn = z
  .string()
  .regex(
    CONNECT_QUEUE_ARN_PATTERN,
    'is not a Connect queue ARN (arn:aws:connect:<region>:<account>:instance/<id>/queue/<id>)',
  );

export const locationSchema = z.strictObject({
  id,
  name: words('location name', 100),
  timeZone,
  hours: weeklyHours,
  ringTo: e164,
  ringTimeoutSeconds: ringTimeout.optional(),
  publishedNumbers: z.array(e164).default([]),
  recording: z
    .strictObject({
      enabled: z.boolean(),
      disclosure: words('recording disclosure', 500).optional(),
    })
    .default({ enabled: true }),
  fallback,
  menu: z
    .strictObject({ prompt: words('menu prompt', 500), payments })
    .optional()
    .describe('press 1 rings the location, press 2 reaches payments with recording suspended'),
});

const claim = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter ISO country code such as US'),
  type: z.enum(['DID', 'TOLL_FREE'], { error: 'must be DID or TOLL_FREE' }),
  prefix: z
    .string()
    .regex(/^\+[0-9]{1,15}$/, 'must be + and digits, e.g. +1512 for an Austin number')
    .optional(),
});

/** What a tracking number says about itself; the file adds where its number comes from. */
export const trackingNumberFields = {
  id,
  location: id,
  source: words('ad source', 100),
  campaign: words('campaign', 100).optional(),
};

const trackingNumberSchema = z
  .strictObject({
    ...trackingNumberFields,
    claim: claim.optional(),
    number: e164.optional(),
  })
  .refine((t) => (t.claim === undefined) !== (t.number === undefined), {
    message:
      'needs exactly one of "claim" (a new number: country, type, prefix) or "number" (one already in your instance, ported or claimed)',
  });

const queueSchema = z.strictObject({
  id,
  name: words('queue name', 100),
  arn: queueArn.optional(),
});

export const portfolioSchema = z.strictObject({
  defaults: z.strictObject({
    staticFallbackNumber: e164,
    ringTimeoutSeconds: ringTimeout.default(25),
    disclosure: words('recording disclosure', 500).default(
      'This call may be recorded for quality and training purposes.',
    ),
  }),
  queues: z.array(queueSchema).default([]),
  locations: z.array(locationSchema).min(1, 'must list at least one location'),
  trackingNumbers: z.array(trackingNumberSchema).min(1, 'must list at least one tracking number'),
});

export type Portfolio = z.infer<typeof portfolioSchema>;
export type PortfolioLocation = Portfolio['locations'][number];
export type PortfolioTrackingNumber = Portfolio['trackingNumbers'][number];
export type PortfolioQueue = Portfolio['queues'][number];

/** A portfolio that cannot be deployed; the message lists every problem, one per line. */
export class PortfolioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the portfolio\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'PortfolioError';
  }
}

type Path = readonly PropertyKey[];

/** Names an entry the way a person reads the file: `locations[1] (austin-north).ringTo`. */
export const describePath = (raw: unknown, path: Path): string => {
  let out = '';
  let node: unknown = raw;
  for (const key of path) {
    if (typeof key === 'number') {
      node = Array.isArray(node) ? node[key] : undefined;
      const entryId =
        node && typeof node === 'object' && 'id' in node
          ? String((node as { id: unknown }).id)
          : '';
      out += `[${key}]${entryId ? ` (${entryId})` : ''}`;
    } else {
      node =
        node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
      out += `${out ? '.' : ''}${String(key)}`;
    }
  }
  return out || '(top level)';
};

/** A number that callers dial to reach the system, and what declares it. */
export interface InboundNumber {
  readonly number: string;
  readonly declaredBy: string;
}

/** A number the system dials out to, and what declares it. */
export interface OutboundTarget {
  readonly number: string;
  readonly declaredBy: string;
}

/**
 * The seed's "endless ring loop": a number the system dials must never be a number that reaches
 * the system (a tracking number, or a published line forwarded to one), or the call rings itself
 * until the caller gives up. Returns one problem per loop.
 */
export const findRoutingLoops = (
  inbound: readonly InboundNumber[],
  outbound: readonly OutboundTarget[],
): string[] => {
  const byNumber = new Map(inbound.map((n) => [n.number, n.declaredBy]));
  return outbound.flatMap((target) => {
    const loopsThrough = byNumber.get(target.number);
    return loopsThrough
      ? [
          `${target.declaredBy} is ${target.number}, which is also ${loopsThrough}: calls would ring the system itself in an endless loop. Use the location's separate, unpublished ring-to line (or another fallback number) instead`,
        ]
      : [];
  });
};

/** The locations' published main lines: forwarded to (or ported into) the system. */
export const publishedNumbersOf = (portfolio: Portfolio): InboundNumber[] =>
  portfolio.locations.flatMap((l, i) =>
    l.publishedNumbers.map((number, j) => ({
      number,
      declaredBy: `locations[${i}] (${l.id}).publishedNumbers[${j}]`,
    })),
  );

const inboundNumbersOf = (portfolio: Portfolio): InboundNumber[] => [
  ...portfolio.trackingNumbers.flatMap((t, i) =>
    t.number ? [{ number: t.number, declaredBy: `trackingNumbers[${i}] (${t.id}).number` }] : [],
  ),
  ...publishedNumbersOf(portfolio),
];

/** Every number the flow may dial for this portfolio. */
const outboundTargetsOf = (portfolio: Portfolio): OutboundTarget[] => [
  { number: portfolio.defaults.staticFallbackNumber, declaredBy: 'defaults.staticFallbackNumber' },
  ...portfolio.locations.flatMap((l, i) => {
    const at = `locations[${i}] (${l.id})`;
    const targets: OutboundTarget[] = [{ number: l.ringTo, declaredBy: `${at}.ringTo` }];
    if (l.fallback.type !== 'queue') {
      targets.push({ number: l.fallback.number, declaredBy: `${at}.fallback.number` });
    }
    if (l.menu?.payments.type === 'number') {
      targets.push({ number: l.menu.payments.number, declaredBy: `${at}.menu.payments.number` });
    }
    return targets;
  }),
];

const duplicates = <T>(items: readonly T[], keyOf: (item: T) => string | undefined) => {
  const seen = new Map<string, number>();
  const found: { key: string; first: number; again: number }[] = [];
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else found.push({ key, first, again: index });
  });
  return found;
};

/** Rules that span entries: unique ids and numbers, references that resolve, no loops. */
const crossEntryProblems = (portfolio: Portfolio): string[] => {
  const problems: string[] = [];
  const locationIds = new Set(portfolio.locations.map((l) => l.id));
  const queueIds = new Set(portfolio.queues.map((q) => q.id));
  const knownQueues = [...queueIds].join(', ') || 'none declared';

  for (const [list, entries] of [
    ['locations', portfolio.locations],
    ['trackingNumbers', portfolio.trackingNumbers],
    ['queues', portfolio.queues],
  ] as const) {
    for (const d of duplicates<{ id: string }>(entries, (e) => e.id)) {
      problems.push(
        `${list}[${d.again}] (${d.key}).id repeats ${list}[${d.first}]: give every entry its own id`,
      );
    }
  }
  for (const d of duplicates(portfolio.trackingNumbers, (t) => t.number)) {
    problems.push(
      `trackingNumbers[${d.again}].number ${d.key} is already trackingNumbers[${d.first}]: a number can belong to only one location and source; remove one`,
    );
  }
  portfolio.trackingNumbers.forEach((t, i) => {
    if (!locationIds.has(t.location)) {
      problems.push(
        `trackingNumbers[${i}] (${t.id}).location "${t.location}" is not a location in this file: use one of ${[...locationIds].join(', ')}`,
      );
    }
  });
  portfolio.locations.forEach((l, i) => {
    const refs: [field: string, queue: string][] = [];
    if (l.fallback.type === 'queue') refs.push(['fallback.queue', l.fallback.queue]);
    if (l.menu?.payments.type === 'queue')
      refs.push(['menu.payments.queue', l.menu.payments.queue]);
    for (const [field, queue] of refs) {
      if (!queueIds.has(queue)) {
        problems.push(
          `locations[${i}] (${l.id}).${field} "${queue}" is not a queue in this file: declare it under "queues" (known: ${knownQueues})`,
        );
      }
    }
  });
  problems.push(...findRoutingLoops(inboundNumbersOf(portfolio), outboundTargetsOf(portfolio)));
  return problems;
};

/**
 * Validates a parsed portfolio file. `source` names the file in every message, so an error printed
 * by `cdk synth` says which file and entry to fix. Throws {@link PortfolioError}.
 */
export const parsePortfolio = (raw: unknown, source: string): Portfolio => {
  const parsed = portfolioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new PortfolioError(
      source,
      parsed.error.issues.map((issue) => `${describePath(raw, issue.path)} ${issue.message}`),
    );
  }
  const problems = crossEntryProblems(parsed.data);
  if (problems.length > 0) throw new PortfolioError(source, problems);
  return parsed.data;
};

/** How deploy-time values (claimed numbers, queue ARNs) are filled into routing entries. */
export interface DeployedNames {
  /** The E.164 number of a tracking number entry (a CDK token for numbers claimed at deploy). */
  readonly trackingNumberOf: (entry: PortfolioTrackingNumber) => string;
  /** The ARN of a portfolio queue (a CDK token for queues the stack creates). */
  readonly queueArnOf: (queueId: string) => string;
}

/** The defaults a location's route falls back on. */
export type PortfolioDefaults = Portfolio['defaults'];

/** A location's route as the flow needs it: defaults filled in, queue ids turned into ARNs. */
export const locationRoute = (
  portfolio: { readonly defaults: PortfolioDefaults },
  location: PortfolioLocation,
  names: Pick<DeployedNames, 'queueArnOf'>,
): LocationRoute => {
  const fallback: Fallback =
    location.fallback.type === 'queue'
      ? { type: 'queue', queueArn: names.queueArnOf(location.fallback.queue) }
      : location.fallback;
  const payments: PaymentsTarget | undefined = location.menu
    ? location.menu.payments.type === 'queue'
      ? { type: 'queue', queueArn: names.queueArnOf(location.menu.payments.queue) }
      : location.menu.payments
    : undefined;
  return {
    ringTo: location.ringTo,
    ringTimeoutSeconds: location.ringTimeoutSeconds ?? portfolio.defaults.ringTimeoutSeconds,
    timeZone: location.timeZone,
    hours: location.hours as WeeklyHours,
    recording: {
      enabled: location.recording.enabled,
      disclosure: location.recording.disclosure ?? portfolio.defaults.disclosure,
    },
    fallback,
    ...(location.menu && payments ? { menu: { prompt: location.menu.prompt, payments } } : {}),
  };
};

/**
 * One tracking number's routing entry: the one builder of entries, for the file's numbers (owner
 * `portfolio`) and the API's (owner `api`), so both route the same way.
 */
export const routingEntryOf = (
  portfolio: { readonly defaults: PortfolioDefaults },
  trackingNumber: Pick<PortfolioTrackingNumber, 'id' | 'source' | 'campaign'>,
  number: string,
  location: PortfolioLocation,
  names: Pick<DeployedNames, 'queueArnOf'>,
  owner: RoutingEntry['owner'],
): RoutingEntry => ({
  trackingNumber: number,
  trackingId: trackingNumber.id,
  locationId: location.id,
  locationName: location.name,
  source: trackingNumber.source,
  campaign: trackingNumber.campaign ?? 'none',
  owner,
  route: locationRoute(portfolio, location, names),
});

/** The routing table entries the portfolio declares, one per tracking number. */
export const routingEntriesOf = (portfolio: Portfolio, names: DeployedNames): RoutingEntry[] => {
  const locations = new Map(portfolio.locations.map((l) => [l.id, l]));
  return portfolio.trackingNumbers.map((t) => {
    const location = locations.get(t.location);
    if (!location) throw new Error(`tracking number ${t.id} names unknown location ${t.location}`);
    return routingEntryOf(portfolio, t, names.trackingNumberOf(t), location, names, 'portfolio');
  });
};

/**
 * The loop check again, over the final entries: at deploy, claimed numbers are known, and a ring-to
 * that happens to be one of them must stop the deploy too.
 */
export const routingEntryLoops = (
  entries: readonly RoutingEntry[],
  publishedNumbers: readonly InboundNumber[] = [],
): string[] => {
  const inbound: InboundNumber[] = [
    ...entries.map((e) => ({
      number: e.trackingNumber,
      declaredBy: `tracking number ${e.trackingId}`,
    })),
    ...publishedNumbers,
  ];
  const outbound: OutboundTarget[] = entries.flatMap((e) => {
    const { route } = e;
    const at = `location ${e.locationId} (via ${e.trackingId})`;
    return [
      { number: route.ringTo, declaredBy: `${at} ring-to` },
      ...(route.fallback.type === 'queue'
        ? []
        : [{ number: route.fallback.number, declaredBy: `${at} fallback` }]),
      ...(route.menu?.payments.type === 'number'
        ? [{ number: route.menu.payments.number, declaredBy: `${at} payments line` }]
        : []),
    ];
  });
  return findRoutingLoops(inbound, outbound);
};
