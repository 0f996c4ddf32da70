import { readFileSync } from 'node:fs';
import type {
  CloudFormationCustomResourceEvent,
  ConnectContactFlowEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import type { DeployedNames } from '../../lambdas/domain/portfolio/routing-entries.js';
import type { LocationRoute, RouteAnswer, RoutingEntry } from '../../lambdas/domain/route.js';
import type { WeeklyHours } from '../../lambdas/domain/weekly-hours.js';

/**
 * Test data shared by the unit and integration tests. Every number is in the fictional 555-01XX
 * range and every id and ARN is made up.
 */

// ---------------------------------------------------------------------------------------------
// Connect
// ---------------------------------------------------------------------------------------------

export const INSTANCE_ID = '5e1f7a00-64b3-4c2d-8e9f-00000000c0de';
export const INSTANCE_ARN = `arn:aws:connect:us-east-1:111122223333:instance/${INSTANCE_ID}`;

/** The ARN of a queue of the test instance. */
export const queueArn = (queueId: string): string => `${INSTANCE_ARN}/queue/${queueId}`;

// ---------------------------------------------------------------------------------------------
// Routing entries
// ---------------------------------------------------------------------------------------------

/** Monday to Friday `range`, closed at the weekend. */
export const weekdayHours = (range: string): WeeklyHours => ({
  mon: range,
  tue: range,
  wed: range,
  thu: range,
  fri: range,
  sat: 'closed',
  sun: 'closed',
});

/** How the tests deploy config/portfolio.yaml: its one claimed number, its queues in the instance. */
export const EXAMPLE_NAMES: DeployedNames = {
  trackingNumberOf: (t) => t.number ?? '+13035550999',
  queueArnOf: queueArn,
};

/**
 * The routing entry config/portfolio.yaml gives its `austin-north-google` number under
 * EXAMPLE_NAMES: a location with a queue fallback and a payments menu.
 */
/** Freezes `value` and everything in it, so no test can change a shared fixture for the next. */
const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

export const EXAMPLE_ENTRY: RoutingEntry = deepFreeze({
  trackingNumber: '+15125550151',
  trackingId: 'austin-north-google',
  locationId: 'austin-north',
  locationName: 'Austin North Self Storage',
  source: 'Google Ads',
  campaign: 'brand',
  owner: 'portfolio',
  route: {
    ringTo: '+15125550101',
    ringTimeoutSeconds: 25,
    timeZone: 'America/Chicago',
    hours: { ...weekdayHours('09:00-18:00'), sat: '09:00-17:00' },
    recording: {
      enabled: true,
      disclosure: 'Thanks for calling Austin North Self Storage. This call may be recorded.',
    },
    fallback: { type: 'queue', queueArn: queueArn('call-center') },
    menu: {
      prompt: 'For rentals and questions, press 1. To make a payment, press 2.',
      payments: { type: 'number', number: '+15125550190' },
    },
  },
});

/**
 * The answer route-call gives for EXAMPLE_ENTRY (to the voice fixture, say), but for `open`, which
 * depends on the time of the call.
 */
export const EXAMPLE_ANSWER: Omit<RouteAnswer, 'open'> = {
  status: 'found',
  trackingNumber: EXAMPLE_ENTRY.trackingNumber,
  trackingId: EXAMPLE_ENTRY.trackingId,
  locationId: EXAMPLE_ENTRY.locationId,
  locationName: EXAMPLE_ENTRY.locationName,
  source: EXAMPLE_ENTRY.source,
  campaign: EXAMPLE_ENTRY.campaign,
  ringTo: EXAMPLE_ENTRY.route.ringTo,
  ringTimeoutSeconds: '25',
  record: 'true',
  // The payments menu keeps card numbers out of the recording, so the staff leg is recorded.
  recordStaffLeg: 'true',
  disclosure: EXAMPLE_ENTRY.route.recording.disclosure,
  fallbackType: 'queue',
  fallbackNumber: 'none',
  fallbackQueueArn: queueArn('call-center'),
  menu: 'true',
  menuPrompt: 'For rentals and questions, press 1. To make a payment, press 2.',
  paymentsType: 'number',
  paymentsNumber: '+15125550190',
  paymentsQueueArn: 'none',
  // Without a caller history (createRouteCall's default) route-call cannot tell.
  firstTimeCaller: 'unknown',
};

export type RoutingEntryOverrides = Partial<Omit<RoutingEntry, 'route'>> & {
  readonly route?: Partial<LocationRoute>;
};

/** EXAMPLE_ENTRY with some fields replaced; `route` fields replace the route's one by one. */
export const routingEntry = (overrides: RoutingEntryOverrides = {}): RoutingEntry => {
  const { route, ...entry } = overrides;
  return {
    ...structuredClone(EXAMPLE_ENTRY),
    ...entry,
    route: { ...structuredClone(EXAMPLE_ENTRY.route), ...route },
  };
};

/**
 * Another tracking number of the example location, ringing `ringTo`: by default a line that no
 * test uses as a tracking number, so a set of these has no routing loop.
 */
export const trackingEntry = (
  trackingNumber: string,
  trackingId: string,
  ringTo = '+15125550199',
): RoutingEntry => routingEntry({ trackingNumber, trackingId, route: { ringTo } });

// ---------------------------------------------------------------------------------------------
// Custom-resource events
// ---------------------------------------------------------------------------------------------

export const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:111122223333:function:provider';

type Properties = Record<string, unknown>;

/** The Create, Update and Delete events CloudFormation sends the custom resource `logicalId`. */
export const customResourceEvents = (logicalId: string) => {
  const common = {
    ServiceToken: SERVICE_TOKEN,
    ResponseURL: 'https://example.invalid/response',
    StackId: 'arn:aws:cloudformation:us-east-1:111122223333:stack/calltrack/1',
    RequestId: 'req-1',
    LogicalResourceId: logicalId,
    ResourceType: `Custom::${logicalId}`,
  };
  const withToken = (props: Properties) => ({ ServiceToken: SERVICE_TOKEN, ...props });
  return {
    create: (props: Properties): CloudFormationCustomResourceEvent => ({
      ...common,
      RequestType: 'Create',
      ResourceProperties: withToken(props),
    }),
    update: (
      props: Properties,
      old: Properties,
      physicalId: string,
    ): CloudFormationCustomResourceEvent => ({
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalId,
      ResourceProperties: withToken(props),
      OldResourceProperties: withToken(old),
    }),
    remove: (props: Properties, physicalId: string): CloudFormationCustomResourceEvent => ({
      ...common,
      RequestType: 'Delete',
      PhysicalResourceId: physicalId,
      ResourceProperties: withToken(props),
    }),
  };
};

// ---------------------------------------------------------------------------------------------
// Contact-flow events
// ---------------------------------------------------------------------------------------------

const readEvent = (file: string): ConnectContactFlowEvent =>
  JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8'));

/**
 * The contact-flow event of test/fixtures/connect-contact-flow-event.json (a call to
 * EXAMPLE_ENTRY's tracking number, every field Connect documents) or of its chat variant (no
 * endpoints, no parameters, already in a queue). A fresh copy on every call.
 */
export const contactFlowEventFixture = (
  variant: 'voice' | 'chat' = 'voice',
): ConnectContactFlowEvent =>
  readEvent(
    variant === 'voice'
      ? 'connect-contact-flow-event.json'
      : 'connect-contact-flow-event-chat.json',
  );

/** The voice fixture's contact, dialed number and caller. */
export const FIXTURE_CALL = {
  contactId: '7c1e5a10-3b2d-4f60-9a71-0000000001a1',
  dialed: '+15125550151',
  caller: '+13035550187',
} as const;

export interface CallOverrides {
  /** The `Details.Parameters`; present but undefined removes them. */
  readonly parameters?: Record<string, string> | undefined;
  /** `SystemEndpoint.Address`, the dialed number; null makes the endpoint null. */
  readonly system?: string | null;
  /** `CustomerEndpoint.Address`, the caller; null makes the endpoint null. */
  readonly customer?: string | null;
}

const endpoint = (address: string | null) =>
  address === null ? null : { Address: address, Type: 'TELEPHONE_NUMBER' as const };

/** The voice fixture with its parameters and endpoints replaced as given. */
export const contactFlowEvent = (overrides: CallOverrides = {}): ConnectContactFlowEvent => {
  const event = contactFlowEventFixture('voice');
  const details = event.Details as { Parameters?: Record<string, string> };
  const contact = event.Details.ContactData;
  if ('parameters' in overrides) {
    if (overrides.parameters === undefined) delete details.Parameters;
    else details.Parameters = overrides.parameters;
  }
  if (overrides.system !== undefined) contact.SystemEndpoint = endpoint(overrides.system);
  if (overrides.customer !== undefined) contact.CustomerEndpoint = endpoint(overrides.customer);
  return event;
};

/** One Kinesis stream record as Lambda delivers it, carrying `data` (base64) at `sequenceNumber`. */
export const kinesisRecord = (
  sequenceNumber: string,
  data: string,
  partitionKey = 'pk',
): KinesisStreamRecord => ({
  awsRegion: 'us-east-1',
  eventID: `shardId-000000000000:${sequenceNumber}`,
  eventName: 'aws:kinesis:record',
  eventSource: 'aws:kinesis',
  eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/ctr',
  eventVersion: '1.0',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/ingest',
  kinesis: {
    kinesisSchemaVersion: '1.0',
    partitionKey,
    sequenceNumber,
    data,
    approximateArrivalTimestamp: 1_795_000_000,
  },
});

/** Numbers of config/portfolio.yaml, the example portfolio the local system loads. */
export const EXAMPLE_NUMBERS = {
  caller: '+15125559876',
  austinGoogle: '+15125550151',
  austinRingTo: '+15125550101',
  austinPayments: '+15125550190',
  roundRockMain: '+15125550160',
  roundRockVoicemail: '+15125550119',
  denverMain: '+13035550170',
  denverFallback: '+13035550129',
  staticFallback: '+15125550199',
  unknown: '+15125550998',
} as const;

/** The key of the callers' hashes every test ingest uses (a deployment keeps its own secret). */
export const TEST_CALLER_HASH_KEY: Uint8Array = Buffer.alloc(32, 7);
