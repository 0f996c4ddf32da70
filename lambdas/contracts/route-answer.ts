import type { RouteAnswer } from '../domain/route.js';

/**
 * route-call's answer as the inbound flow receives it: every key, in a stable order. The flow copies
 * each one into a contact attribute ($.External.<key>), and the flow tests check the shipped flow
 * against this list, so the function and the flow cannot drift apart.
 */
export const ROUTE_ANSWER_KEYS = [
  'status',
  'trackingNumber',
  'trackingId',
  'locationId',
  'locationName',
  'source',
  'campaign',
  'ringTo',
  'ringTimeoutSeconds',
  'open',
  'record',
  'recordStaffLeg',
  'disclosure',
  'fallbackType',
  'fallbackNumber',
  'fallbackQueueArn',
  'menu',
  'menuPrompt',
  'paymentsType',
  'paymentsNumber',
  'paymentsQueueArn',
  'firstTimeCaller',
] as const satisfies readonly (keyof RouteAnswer)[];
