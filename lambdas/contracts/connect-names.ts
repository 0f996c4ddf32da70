import { queuesWithoutRoutingProfile } from '../domain/portfolio/call-center.js';
import type {
  Portfolio,
  PortfolioQueue,
  PortfolioRoutingProfile,
} from '../domain/portfolio/schema.js';

/**
 * The names the telephony stack gives what it creates in Amazon Connect. The constructs name their
 * resources with these, and `npm run preflight` looks for them in an existing instance. Connect
 * refuses a second flow or queue of the same name, and the queues and hours the stack creates are
 * kept when it is deleted, so every name carries the stack prefix (stages can share an instance)
 * and the first group of the stack's id, a UUID CloudFormation draws for each stack it creates: a
 * redeploy after a teardown never meets the names its predecessor left.
 */

/** The prefix of every created name: `<stackPrefix>-<first 8 hex digits of the stack id>`. */
export const connectNamePrefix = (stackPrefix: string, stackIdGroup: string): string =>
  `${stackPrefix}-${stackIdGroup}`;

/** What the stack id's first group looks like: 8 lowercase hex digits. */
export const STACK_ID_GROUP_PATTERN = '[0-9a-f]{8}';

export const inboundFlowName = (namePrefix: string): string => `${namePrefix}-inbound`;

/** The customer queue flow (the CustomerQueue event hook): holds, offers, callback, message. */
export const customerQueueFlowName = (namePrefix: string): string => `${namePrefix}-customer-queue`;

/** The agent whisper flow (the AgentWhisper event hook): tells the agent the call's source. */
export const agentWhisperFlowName = (namePrefix: string): string => `${namePrefix}-agent-whisper`;

/** The hours of operation of the queues the stack creates. */
export const alwaysOpenHoursName = (namePrefix: string): string => `${namePrefix}-always-open`;

export const portfolioQueueName = (queue: PortfolioQueue, namePrefix: string): string =>
  `${queue.name} (${namePrefix})`;

/** The hours of a created queue that declares its own. */
export const queueHoursName = (queue: PortfolioQueue, namePrefix: string): string =>
  `${namePrefix}-${queue.id}-hours`;

export const routingProfileName = (profile: PortfolioRoutingProfile, namePrefix: string): string =>
  `${profile.name} (${namePrefix})`;

/** The routing profile the stack creates for the queues no declared profile serves. */
export const defaultRoutingProfileName = (namePrefix: string): string =>
  `${namePrefix}-call-center`;

/** The portfolio's part that decides what the stack creates in Connect. */
export type CallCenterDeclaration = Pick<Portfolio, 'queues' | 'routingProfiles'>;

/** Everything the stack creates by name in the instance, for a portfolio's call center. */
export interface CreatedConnectNames {
  readonly contactFlows: readonly string[];
  readonly queues: readonly string[];
  readonly hoursOfOperation: readonly string[];
  readonly routingProfiles: readonly string[];
}

export const createdConnectNames = (
  callCenter: CallCenterDeclaration,
  namePrefix: string,
): CreatedConnectNames => {
  // Queues given by ARN exist already; the always-open hours exist only for created queues without
  // hours of their own.
  const created = callCenter.queues.filter((queue) => queue.arn === undefined);
  const alwaysOpen = created.some((queue) => queue.hours === undefined);
  const unserved = queuesWithoutRoutingProfile(callCenter);
  return {
    // In the order the stack creates them: the inbound flow needs the other two's ARNs.
    contactFlows: [
      customerQueueFlowName(namePrefix),
      agentWhisperFlowName(namePrefix),
      inboundFlowName(namePrefix),
    ],
    queues: created.map((queue) => portfolioQueueName(queue, namePrefix)),
    hoursOfOperation: [
      ...(alwaysOpen ? [alwaysOpenHoursName(namePrefix)] : []),
      ...created
        .filter((queue) => queue.hours !== undefined)
        .map((queue) => queueHoursName(queue, namePrefix)),
    ],
    routingProfiles: [
      ...callCenter.routingProfiles.map((profile) => routingProfileName(profile, namePrefix)),
      ...(unserved.length > 0 ? [defaultRoutingProfileName(namePrefix)] : []),
    ],
  };
};
