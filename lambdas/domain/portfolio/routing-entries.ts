import type { Fallback, LocationRoute, PaymentsTarget, RoutingEntry } from '../route.js';
import type { WeeklyHours } from '../weekly-hours.js';
import type {
  Portfolio,
  PortfolioDefaults,
  PortfolioLocation,
  PortfolioTrackingNumber,
} from './schema.js';

/** How deploy-time values (claimed numbers, queue ARNs) are filled into routing entries. */
export interface DeployedNames {
  /** The E.164 number of a tracking number entry (a CDK token for numbers claimed at deploy). */
  readonly trackingNumberOf: (entry: PortfolioTrackingNumber) => string;
  /** The ARN of a portfolio queue (a CDK token for queues the stack creates). */
  readonly queueArnOf: (queueId: string) => string;
}

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
      ...(location.recording.staffLeg === undefined
        ? {}
        : { staffLeg: location.recording.staffLeg }),
    },
    fallback,
    ...(location.menu && payments ? { menu: { prompt: location.menu.prompt, payments } } : {}),
    ...(location.takesPaymentsByPhone === undefined
      ? {}
      : { takesPaymentsByPhone: location.takesPaymentsByPhone }),
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
