import * as z from 'zod';
import { CONNECT_QUEUE_ARN_PATTERN } from '../connect-arn.js';
import { E164_PATTERN } from '../phone-number.js';
import { RING_TIMEOUT_RANGE } from '../route.js';
import { DAYS, isKnownTimeZone, parseDayHours } from '../weekly-hours.js';

/**
 * The portfolio file: every location, its ring-to number and hours, and every tracking number with
 * its ad source. It is validated at synth (and again at deploy, once claimed numbers are known), so
 * a bad entry stops the deploy before a caller can meet it.
 */

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
    // No number: the system's own voicemail; a number: an outside voicemail box, dialled.
    z.strictObject({ type: z.literal('voicemail'), number: e164.optional() }),
  ],
  {
    error:
      'must be {type: queue, queue: <queue id>}, {type: number, number}, {type: voicemail} (the system records the message) or {type: voicemail, number} (an outside voicemail box)',
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
      staffLeg: z
        .boolean({ error: 'must be true or false' })
        .optional()
        .describe(
          "false: the recording stops before the location's line rings (staff who have not consented in writing); default true",
        ),
    })
    .default({ enabled: true }),
  takesPaymentsByPhone: z
    .boolean({ error: 'must be true or false' })
    .optional()
    .describe(
      'whether staff take card payments on the phone; unless false, a recorded location without a payments menu stops recording when its line rings',
    ),
  fallback,
  menu: z
    .strictObject({ prompt: words('menu prompt', 500), payments })
    .optional()
    .describe('press 1 rings the location, press 2 reaches payments with recording suspended'),
  voicemailEmail: z
    .email('is not an email address')
    .optional()
    .describe(
      'where the location is emailed (a link, never the audio) when a caller leaves a message',
    ),
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

/** The bound on a caller's wait the queue flows use when a queue declares none: 30 minutes. */
export const DEFAULT_QUEUE_MAX_WAIT_SECONDS = 1800;

export const QUEUE_MAX_WAIT_RANGE = { min: 30, max: 7200 } as const;

const queueSchema = z
  .strictObject({
    id,
    name: words('queue name', 100),
    arn: queueArn.optional(),
    timeZone: timeZone.optional(),
    hours: weeklyHours.optional(),
    maxContacts: z
      .number({ error: 'must be a number of contacts' })
      .int('must be a whole number of contacts')
      .min(1, 'must be at least 1: a queue that holds no contact takes no call')
      .optional()
      .describe("Connect's maximum contacts in queue; without it Connect's own limit applies"),
    maxWaitSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(
        QUEUE_MAX_WAIT_RANGE.min,
        `must be at least ${QUEUE_MAX_WAIT_RANGE.min} seconds: the caller needs time to hear the queue's offers`,
      )
      .max(
        QUEUE_MAX_WAIT_RANGE.max,
        `must be at most ${QUEUE_MAX_WAIT_RANGE.max} seconds (2 hours): past that, send the caller to voicemail`,
      )
      .optional()
      .describe(
        `the longest a caller waits before voicemail; ${DEFAULT_QUEUE_MAX_WAIT_SECONDS} s when not given`,
      ),
  })
  .refine(
    (q) =>
      q.hours === undefined ||
      DAYS.some((day) => {
        const ranges = parseDayHours(q.hours?.[day] ?? 'closed');
        return Array.isArray(ranges) && ranges.length > 0;
      }),
    {
      message:
        'are closed every day: a queue that never opens takes no caller; open it on at least one day',
      path: ['hours'],
    },
  )
  .refine((q) => (q.hours === undefined) === (q.timeZone === undefined), {
    message:
      'needs "hours" and "timeZone" together (the hours are read in that zone), or neither for a queue open all day, every day',
  })
  .refine((q) => q.arn === undefined || (q.hours === undefined && q.maxContacts === undefined), {
    message:
      'is an existing queue (arn:): its hours and maximum contacts are set in Connect, so remove "hours", "timeZone" and "maxContacts" (maxWaitSeconds still applies)',
  });

const routingProfileQueueSchema = z.strictObject({
  queue: id,
  priority: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be 1 (first) to 99 (last)')
    .max(99, 'must be 1 (first) to 99 (last)')
    .default(1),
  delaySeconds: z
    .number({ error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(0, 'must be 0 or more seconds')
    .max(9999, "must be at most 9999 seconds (Connect's limit)")
    .default(0),
});

const routingProfileSchema = z.strictObject({
  id,
  name: words('routing profile name', 100),
  description: words('routing profile description', 250).optional(),
  queues: z
    .array(routingProfileQueueSchema)
    .min(1, 'must list at least one queue: a routing profile serves queues'),
  outboundQueue: id
    .optional()
    .describe("the queue of the agents' outbound calls; the first of `queues` when not given"),
});

const securityProfileArn =
  /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/[^/]+\/security-profile\/[^/]+$/;

const agentSchema = z.strictObject({
  username: z
    .string()
    .regex(
      /^[a-zA-Z0-9_.@-]{1,64}$/,
      'is not a Connect user name: use 1-64 letters, digits and _ - . @ (an email address works)',
    ),
  firstName: words('first name', 100),
  lastName: words('last name', 100),
  email: z.email('is not an email address').optional(),
  routingProfile: id,
  // By ARN only: Connect's security profile search matches names by "contains", so a name could
  // resolve to another profile at deploy (Agent in CallCenterAgent), with other permissions.
  securityProfile: z
    .string()
    .regex(
      securityProfileArn,
      'is not a security profile ARN: copy it from the Connect console (Users > Security profiles > the profile; or aws connect list-security-profiles --instance-id <id>), e.g. arn:aws:connect:us-east-1:123456789012:instance/<id>/security-profile/<id>',
    ),
  signIn: z
    .enum(['connect', 'external'], {
      error:
        'must be connect (the instance manages passwords: the stack generates a first one) or external (SAML or a directory signs the agent in)',
    })
    .default('connect'),
});

// Quoted or not: YAML reads 0.0022 as a number, whose text is the same decimal.
const perMinute = z
  .union([z.string(), z.number()], { error: 'must be a rate per minute such as "0.0022"' })
  .transform(String)
  .pipe(
    z
      .string()
      .regex(
        /^\d+(\.\d{1,6})?$/,
        'must be a rate per minute in US dollars with at most 6 decimals, e.g. "0.0022"',
      ),
  );

/** Connect's per-minute rates the call costs are estimated with (call-cost.ts), and their date. */
const pricingSchema = z.strictObject({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be the day the rates were read, yyyy-mm-dd'),
  servicePerMinute: perMinute,
  inboundDidPerMinute: perMinute,
  outboundPerMinute: perMinute,
});

export const portfolioSchema = z.strictObject({
  defaults: z.strictObject({
    staticFallbackNumber: e164,
    ringTimeoutSeconds: ringTimeout.default(25),
    disclosure: words('recording disclosure', 500).default(
      'This call may be recorded for quality and training purposes.',
    ),
    queueOfferAfterSeconds: z
      .number({ error: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(10, 'must be at least 10 seconds: let the caller hear that they are in line first')
      .max(
        600,
        'must be at most 600 seconds: a caller should hear the callback offer within 10 minutes',
      )
      .optional()
      .describe(
        'when a waiting caller is first offered a callback or a message; 60 s when not given',
      ),
  }),
  queues: z.array(queueSchema).default([]),
  routingProfiles: z.array(routingProfileSchema).default([]),
  agents: z.array(agentSchema).default([]),
  locations: z.array(locationSchema).min(1, 'must list at least one location'),
  trackingNumbers: z.array(trackingNumberSchema).min(1, 'must list at least one tracking number'),
  pricing: pricingSchema
    .optional()
    .describe(
      "Connect's rates for the cost estimates; the US rates of README's table when not given",
    ),
});

export type Portfolio = z.infer<typeof portfolioSchema>;
export type PortfolioLocation = Portfolio['locations'][number];
export type PortfolioTrackingNumber = Portfolio['trackingNumbers'][number];
export type PortfolioQueue = Portfolio['queues'][number];
export type PortfolioRoutingProfile = Portfolio['routingProfiles'][number];
export type PortfolioAgent = Portfolio['agents'][number];

/** The defaults a location's route falls back on. */
export type PortfolioDefaults = Portfolio['defaults'];
