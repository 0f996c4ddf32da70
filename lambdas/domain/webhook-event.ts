import { createHash, createHmac } from 'node:crypto';
import type { CallLogItem, LeadUpdate } from './call-log-item.js';
import { type Call, type CallDetail, toCall } from './call-view.js';

/**
 * What the call log tells other systems (signed webhooks): the event types, the notice a change
 * publishes, the event a receiver gets, which fields a change touched, and the retry schedule.
 */

export const WEBHOOK_EVENT_TYPES = [
  'call.completed',
  'call.updated',
  'voicemail.received',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const isWebhookEventType = (value: unknown): value is WebhookEventType =>
  typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/**
 * What the ingest and the API publish when a call changes: small (an EventBridge entry holds at
 * most 256 KB), the call itself read once by the fan-out, after the change is stored.
 */
export interface CallEventNotice {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly createdAt: string;
  readonly contactId: string;
  /** call.updated: the fields of the call view that changed. */
  readonly changedFields?: readonly string[];
}

/** What a receiver gets: `data` is the call as GET /calls/{contactId} answers it. */
export interface CallEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly createdAt: string;
  readonly data: CallDetail;
  readonly changedFields?: readonly string[];
}

/**
 * An event's id, from what it reports: a change published twice (an ingest retried after a
 * crash) carries the same id, so a receiver deduplicates on it.
 */
export const callEventId = (type: WebhookEventType, contactId: string, version: string): string =>
  `evt_${createHash('sha256').update(`${type}\n${contactId}\n${version}`).digest('hex').slice(0, 32)}`;

export const callEventNotice = (
  type: WebhookEventType,
  contactId: string,
  version: string,
  createdAt: Date,
  changedFields?: readonly string[],
): CallEventNotice => ({
  id: callEventId(type, contactId, version),
  type,
  createdAt: createdAt.toISOString(),
  contactId,
  ...(changedFields ? { changedFields } : {}),
});

/** The fields of the call view whose values differ, in the view's order. */
export const changedCallFields = (before: Call, after: Call): string[] =>
  (Object.keys(after) as (keyof Call)[]).filter(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  );

// A Record, so a lead field added to LeadUpdate cannot be forgotten here.
const LEAD_FIELD_SET: Readonly<Record<keyof LeadUpdate, true>> = {
  leadStatus: true,
  value: true,
  note: true,
  tags: true,
  spam: true,
  handled: true,
};

/**
 * What a later contact record changed in the call view: the stored call against the record's
 * item, whose write keeps the lead fields the API set.
 */
export const recordUpdateChanges = (previous: CallLogItem, written: CallLogItem): string[] => {
  const lead = Object.fromEntries(
    Object.keys(LEAD_FIELD_SET).flatMap((field) => {
      const value = previous[field as keyof LeadUpdate];
      return value === undefined ? [] : [[field, value]];
    }),
  );
  return changedCallFields(toCall(previous), toCall({ ...written, ...lead }));
};

/**
 * The notices a contact record's write publishes: `call.completed` when it logged the call first,
 * `call.updated` when it changed the call view, `voicemail.received` when it stored a message the
 * call had not. Versions are the record's: a record ingested twice publishes the same ids.
 */
export const recordWriteNotices = (
  written: CallLogItem,
  previous: CallLogItem | undefined,
  now: Date,
): CallEventNotice[] => {
  const { contactId, lastUpdate } = written;
  const notices: CallEventNotice[] = [];
  if (previous === undefined) {
    notices.push(callEventNotice('call.completed', contactId, lastUpdate, now));
  } else {
    const changed = recordUpdateChanges(previous, written);
    if (changed.length > 0) {
      notices.push(callEventNotice('call.updated', contactId, lastUpdate, now, changed));
    }
  }
  if (written.voicemailKey !== undefined && previous?.voicemailKey === undefined) {
    notices.push(callEventNotice('voicemail.received', contactId, written.voicemailKey, now));
  }
  return notices;
};

/** Publishes notices (deployed: EventBridge PutEvents; locally: the in-process fan-out). */
export type PublishCallEvents = (notices: readonly CallEventNotice[]) => Promise<void>;

/** One event for one subscription: what the queue carries, retried as it is. */
export interface DeliveryTask {
  readonly subscriptionId: string;
  readonly event: CallEvent;
}

/** The event a notice becomes once its call is read. */
export const callEvent = (notice: CallEventNotice, data: CallDetail): CallEvent => ({
  id: notice.id,
  type: notice.type,
  createdAt: notice.createdAt,
  data,
  ...(notice.changedFields ? { changedFields: notice.changedFields } : {}),
});

// ---------------------------------------------------------------------------------------------
// Signature
// ---------------------------------------------------------------------------------------------

export const SIGNATURE_HEADER = 'Call-Tracking-Signature';
export const EVENT_HEADER = 'Call-Tracking-Event';
/** Receivers are told to refuse older timestamps (README). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed with the UTF-8 bytes of the
 * secret exactly as the API returned it.
 */
export const webhookSignature = (secret: string, body: string, unixSeconds: number): string => {
  const t = Math.floor(unixSeconds);
  const v1 = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
};

// ---------------------------------------------------------------------------------------------
// Retries
// ---------------------------------------------------------------------------------------------

/**
 * Seconds before each retry of a failed delivery: the first within 30 s, then backing off to
 * 12 h (SQS's longest visibility timeout), 32.6 h in all, so a receiver down for a day still gets
 * it. After the last, the delivery is a dead letter.
 */
export const WEBHOOK_RETRY_DELAYS_SECONDS: readonly number[] = [
  20, 60, 300, 1_800, 7_200, 21_600, 43_200, 43_200,
];

/** Tries in all: the first and one per retry delay. */
export const WEBHOOK_MAX_ATTEMPTS = WEBHOOK_RETRY_DELAYS_SECONDS.length + 1;

/** A delivery attempt's answer is not awaited longer. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The delay after failed attempt `attempt` (1-based); undefined when none is left. */
export const retryDelaySeconds = (attempt: number): number | undefined =>
  WEBHOOK_RETRY_DELAYS_SECONDS[attempt - 1];

// ---------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------

export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly createdAt: string;
}

/** A subscription as stored, with the key that signs its deliveries. */
export interface StoredWebhook extends WebhookSubscription {
  readonly secret: string;
}

/** What a subscription id looks like (`wh_` and 12 base64url characters). */
export const isWebhookId = (id: string): boolean => /^wh_[A-Za-z0-9_-]{1,64}$/.test(id);

/** Whether the subscription chose the event's type. */
export const wantsEvent = (
  subscription: Pick<WebhookSubscription, 'events'>,
  type: WebhookEventType,
): boolean => subscription.events.includes(type);

/** A registration's URL is refused (422): deployed, https only. */
export class UnacceptableWebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnacceptableWebhookUrlError';
  }
}

export interface WebhookUrlRules {
  /**
   * URLs accepted besides https: the local system's receivers on this machine (local/webhooks.ts),
   * a setting it injects, so nothing deployed knows a local address.
   */
  readonly alsoAllowed?: {
    readonly test: (url: URL) => boolean;
    /** Named in the refusal's message. */
    readonly description: string;
  };
}

/** Why a URL cannot receive webhooks; undefined when it can. */
export const webhookUrlProblem = (raw: string, rules: WebhookUrlRules = {}): string | undefined => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `url ${JSON.stringify(raw)} is not an absolute URL`;
  }
  if (url.username || url.password) return 'url must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  const { alsoAllowed } = rules;
  if (alsoAllowed?.test(url)) return undefined;
  return `url must be https (got ${url.protocol.replace(':', '')})${alsoAllowed ? `, or ${alsoAllowed.description}` : ''}`;
};

export interface WebhookRegistration {
  readonly url: string;
  readonly events: readonly WebhookEventType[];
}

/** POST /webhooks's body; InvalidRequest problems as strings, the URL's rule apart (422). */
export const webhookRegistrationProblems = (
  body: unknown,
): { readonly problems: string[]; readonly registration?: WebhookRegistration } => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { problems: ['the body must be a JSON object with url and events'] };
  }
  const { url, events, ...rest } = body as Record<string, unknown>;
  const problems: string[] = Object.keys(rest).map((key) => `unknown field ${key}`);
  if (typeof url !== 'string' || url === '') problems.push('url must be a non-empty string');
  if (!Array.isArray(events) || events.length === 0) {
    problems.push(`events must be a non-empty list of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
  } else {
    for (const event of events) {
      if (!isWebhookEventType(event)) {
        problems.push(
          `events: ${JSON.stringify(event)} is not one of ${WEBHOOK_EVENT_TYPES.join(', ')}`,
        );
      }
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    registration: {
      url: url as string,
      events: [...new Set(events as WebhookEventType[])],
    },
  };
};
