import { DEFAULT_QUEUE_MAX_WAIT_SECONDS, type Portfolio, type PortfolioQueue } from './schema.js';

/**
 * What the stack builds of the portfolio's call center, decided here once for the constructs and
 * for preflight: which queues the default routing profile serves, and each queue's wait bound.
 */

/**
 * Queues no declared routing profile serves. The stack puts them in a default routing profile, so
 * every queue a fallback or payment line can send a caller to is served by at least one profile.
 */
export const queuesWithoutRoutingProfile = (
  portfolio: Pick<Portfolio, 'queues' | 'routingProfiles'>,
): PortfolioQueue[] => {
  const served = new Set(portfolio.routingProfiles.flatMap((p) => p.queues.map((q) => q.queue)));
  return portfolio.queues.filter((queue) => !served.has(queue.id));
};

/** The longest a caller waits in a queue before the queue flow sends them to voicemail. */
export const queueMaxWaitSeconds = (queue: PortfolioQueue): number =>
  queue.maxWaitSeconds ?? DEFAULT_QUEUE_MAX_WAIT_SECONDS;
