import { ASSOCIATION_RATE_SHARE, ASSOCIATION_TOTAL_TIMEOUT_MS } from './environment.js';

/**
 * How long associating the tracking numbers with the flow may take: synth refuses a portfolio that
 * cannot make it, and `npm run preflight` says so before anyone deploys.
 */

/** Throttling and pauses: the association must fit this many times over into the timeout. */
export const ASSOCIATION_TIME_MARGIN = 1.5;

/** Seconds to associate `count` numbers at the share of `rateLimit` the association uses. */
export const associationSeconds = (count: number, rateLimit: number): number =>
  count / (rateLimit * ASSOCIATION_RATE_SHARE);

/** Why `count` numbers cannot be associated in time at `rateLimit` requests a second, if so. */
export const associationTimeProblem = (count: number, rateLimit: number): string | undefined => {
  const seconds = associationSeconds(count, rateLimit);
  if (ASSOCIATION_TIME_MARGIN * seconds * 1000 <= ASSOCIATION_TOTAL_TIMEOUT_MS) return undefined;
  return `${count} tracking numbers take about ${Math.ceil(seconds / 60)} minutes to associate at ${rateLimit} requests a second (${ASSOCIATION_RATE_SHARE * 100} % of it), too close to the ${ASSOCIATION_TOTAL_TIMEOUT_MS / 60_000} minutes a deploy may wait`;
};
