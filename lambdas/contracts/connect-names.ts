import type { PortfolioQueue } from '../domain/portfolio/schema.js';

/**
 * The names the telephony stack gives what it creates in Amazon Connect. The constructs name their
 * resources with these, and `npm run preflight` looks for the same names in an existing instance:
 * Connect refuses a second flow or queue of the same name, so a leftover one fails the deploy.
 * The stack prefix is in every name, so stages can share an instance.
 */

export const inboundFlowName = (namePrefix: string): string => `${namePrefix}-inbound`;

/** The hours of operation of the queues the stack creates. */
export const alwaysOpenHoursName = (namePrefix: string): string => `${namePrefix}-always-open`;

export const portfolioQueueName = (queue: PortfolioQueue, namePrefix: string): string =>
  `${queue.name} (${namePrefix})`;

/** Everything the stack creates by name in the instance, for a portfolio's queues. */
export interface CreatedConnectNames {
  readonly contactFlows: readonly string[];
  readonly queues: readonly string[];
  readonly hoursOfOperation: readonly string[];
}

export const createdConnectNames = (
  queues: readonly PortfolioQueue[],
  namePrefix: string,
): CreatedConnectNames => {
  // Queues given by ARN exist already; the always-open hours exist only for created queues.
  const created = queues.filter((queue) => queue.arn === undefined);
  return {
    contactFlows: [inboundFlowName(namePrefix)],
    queues: created.map((queue) => portfolioQueueName(queue, namePrefix)),
    hoursOfOperation: created.length > 0 ? [alwaysOpenHoursName(namePrefix)] : [],
  };
};
