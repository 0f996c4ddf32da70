import { fallbackNumberOf, type RoutingEntry } from '../route.js';
import type { Portfolio } from './schema.js';

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
    const fallbackNumber = fallbackNumberOf(l.fallback);
    if (fallbackNumber)
      targets.push({ number: fallbackNumber, declaredBy: `${at}.fallback.number` });
    if (l.menu?.payments.type === 'number') {
      targets.push({ number: l.menu.payments.number, declaredBy: `${at}.menu.payments.number` });
    }
    return targets;
  }),
];

/** The file's own loops: a number it has the flow dial that is one of its inbound numbers. */
export const portfolioLoops = (portfolio: Portfolio): string[] =>
  findRoutingLoops(inboundNumbersOf(portfolio), outboundTargetsOf(portfolio));

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
    const fallbackNumber = fallbackNumberOf(route.fallback);
    const at = `location ${e.locationId} (via ${e.trackingId})`;
    return [
      { number: route.ringTo, declaredBy: `${at} ring-to` },
      ...(fallbackNumber ? [{ number: fallbackNumber, declaredBy: `${at} fallback` }] : []),
      ...(route.menu?.payments.type === 'number'
        ? [{ number: route.menu.payments.number, declaredBy: `${at} payments line` }]
        : []),
    ];
  });
  return findRoutingLoops(inbound, outbound);
};
