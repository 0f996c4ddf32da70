import { attribute } from './call-outcome.js';
import type { ContactRecord } from './contact-record.js';
import {
  CALLBACK_REQUESTED,
  QUEUE_OUTCOME_ATTRIBUTES,
  VOICEMAIL_EMPTY,
  VOICEMAIL_LEFT,
  VOICEMAIL_RECORDING,
} from './queue-outcome-attributes.js';

/**
 * Where a call went and the steps it took there, from its contact record: Connect's timestamps
 * (initiation, queue, agent, transfer, disconnect) and the attributes the inbound flow sets
 * (route-call's answer, `recording`, `menuKey`, `ringToResult`, the voicemail's). A step the record
 * holds no time for has `at: null`: the flow's own steps (disclosure, menu, ring, fallback choice)
 * leave no timestamp in a contact record, and none is invented.
 */

/** The attributes the inbound flow sets only so that the journey can tell what happened. */
export const JOURNEY_ATTRIBUTES = {
  /** The key the caller pressed in the location's menu (`1` or `2`); absent on a time-out. */
  menuKey: 'menuKey',
  /** Why the ring-to transfer did not connect: one of RING_TO_RESULTS. */
  ringToResult: 'ringToResult',
} as const;

/**
 * `no-answer`: the ring-to rang for the whole ring timeout (ConnectionTimeLimitExceeded);
 * `failed`: the call could not be placed, was refused, or the transfer erred (CallFailed,
 * NoMatchingError): how long it rang is not known.
 */
export const RING_TO_RESULTS = ['no-answer', 'failed'] as const;
export type RingToResult = (typeof RING_TO_RESULTS)[number];

export const ROUTED_TO_KINDS = [
  'ring-to',
  'fallback-number',
  'queue',
  'voicemail',
  'static-fallback',
  'none',
] as const;
export type RoutedToKind = (typeof ROUTED_TO_KINDS)[number];

export interface QueueRef {
  readonly arn: string | null;
  readonly name: string | null;
}

/**
 * The last place the call was handed to (whether anyone took it is the outcome's to say):
 * - ring-to: the location's number; fallback-number: the location's fallback number;
 * - queue: a call-center queue, with `number` the outside number an agent transferred it to;
 * - voicemail: the system's voicemail, or the outside voicemail number (`number`);
 * - static-fallback: any other number (the flow's static fallback, the payments line);
 * - none: nowhere (the caller hung up in the flow, or the flow apologised).
 */
export interface RoutedTo {
  readonly kind: RoutedToKind;
  readonly number: string | null;
  readonly queue: QueueRef | null;
}

export const JOURNEY_STEP_KINDS = [
  'started',
  'route',
  'disclosure',
  'menu',
  'ring-to',
  'fallback',
  'static-fallback',
  'queued',
  'agent',
  'transfer',
  'voicemail',
  'callback',
  'ended',
] as const;
export type JourneyStepKind = (typeof JOURNEY_STEP_KINDS)[number];

/** One step, every field present: `null` where the record does not say. */
export interface JourneyStep {
  readonly step: JourneyStepKind;
  /** When it happened (ISO); null when the record holds no time for it. */
  readonly at: string | null;
  /** How long it lasted, whole seconds; null when unknown. */
  readonly seconds: number | null;
  readonly number: string | null;
  readonly queue: QueueRef | null;
  /** What came of it, in a word (found, played, 1, answered, no-answer, failed, left, ...). */
  readonly result: string | null;
}

/** A step as the call log stores it: its null fields left out (a third of the item's bytes). */
export type StoredJourneyStep = { readonly step: JourneyStepKind } & {
  readonly [K in Exclude<keyof JourneyStep, 'step'>]?: NonNullable<JourneyStep[K]>;
};

export const storedStep = (full: JourneyStep): StoredJourneyStep =>
  Object.fromEntries(
    Object.entries(full).filter(([, value]) => value !== null),
  ) as unknown as StoredJourneyStep;

/** A stored step with every field present again (null where it had none). */
export const fullStep = ({ step: kind, ...fields }: StoredJourneyStep): JourneyStep =>
  step(kind, fields);

const step = (
  kind: JourneyStepKind,
  fields: Partial<Omit<JourneyStep, 'step'>> = {},
): JourneyStep => ({
  step: kind,
  at: fields.at ?? null,
  seconds: fields.seconds ?? null,
  number: fields.number ?? null,
  queue: fields.queue ?? null,
  result: fields.result ?? null,
});

const secondsBetween = (from: string | undefined, to: string | undefined): number | null =>
  from === undefined || to === undefined
    ? null
    : Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

const wholeSeconds = (value: string | undefined): number | null => {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : null;
};

/** The media stream's start: Connect gives epoch milliseconds; an ISO text is taken too. */
const instant = (value: string | undefined): string | null => {
  if (value === undefined) return null;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

const queueOf = (record: ContactRecord): QueueRef | null =>
  record.queue ? { arn: record.queue.arn ?? null, name: record.queue.name ?? null } : null;

const transferCompleted = (record: ContactRecord): boolean =>
  record.transferCompletedTimestamp !== undefined;

const agentConnected = (record: ContactRecord): boolean =>
  record.agent?.connectedToAgentTimestamp !== undefined;

const reachedVoicemail = (record: ContactRecord): boolean => {
  const state = attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemail);
  return state === VOICEMAIL_LEFT || state === VOICEMAIL_RECORDING || state === VOICEMAIL_EMPTY;
};

/** Where a number the call was transferred to belongs: the route's ring-to, its fallback, other. */
const numberKind = (record: ContactRecord, number: string): RoutedToKind => {
  if (number === attribute(record, 'ringTo')) return 'ring-to';
  if (number === attribute(record, 'fallbackNumber')) {
    return attribute(record, 'fallbackType') === 'voicemail' ? 'voicemail' : 'fallback-number';
  }
  return 'static-fallback';
};

/** Where the call went: the first of voicemail, a completed transfer, a queue, a tried transfer. */
export const routedTo = (record: ContactRecord): RoutedTo => {
  const queue = queueOf(record);
  const to = record.transferredToAddress ?? null;
  if (reachedVoicemail(record)) return { kind: 'voicemail', number: null, queue };
  if (to !== null && transferCompleted(record)) {
    // An agent who took the call and passed it on: the queue took it, the number got it.
    if (queue && agentConnected(record)) return { kind: 'queue', number: to, queue };
    return { kind: numberKind(record, to), number: to, queue: null };
  }
  if (queue) return { kind: 'queue', number: null, queue };
  if (to !== null) return { kind: numberKind(record, to), number: to, queue: null };
  return { kind: 'none', number: null, queue: null };
};

/** The steps of the call, in the order the flow takes them. */
export const callJourney = (record: ContactRecord): JourneyStep[] => {
  const steps: JourneyStep[] = [step('started', { at: record.initiationTimestamp })];
  const status = attribute(record, 'status');
  const completedTo = transferCompleted(record) ? record.transferredToAddress : undefined;
  const completedAt = record.transferCompletedTimestamp ?? null;
  if (status !== undefined) {
    steps.push(
      step('route', { number: attribute(record, 'trackingNumber') ?? null, result: status }),
    );
  }
  const recording = attribute(record, 'recording');
  // Each state the flow marks comes after the disclosure: on, suspended (payments), stopped (staff).
  if (recording === 'on' || recording === 'suspended' || recording === 'stopped') {
    steps.push(step('disclosure', { result: 'played' }));
  }
  const found = status === 'found';
  const open = attribute(record, 'open') === 'true';
  const menuKey = attribute(record, JOURNEY_ATTRIBUTES.menuKey);
  if (found && open && attribute(record, 'menu') === 'true') {
    steps.push(step('menu', { result: menuKey ?? null }));
  }
  const ringTo = attribute(record, 'ringTo');
  const ringResult = attribute(record, JOURNEY_ATTRIBUTES.ringToResult);
  const ringAnswered = ringTo !== undefined && completedTo === ringTo;
  if (found && open && ringTo !== undefined && (ringAnswered || ringResult !== undefined)) {
    steps.push(
      step('ring-to', {
        number: ringTo,
        at: ringAnswered ? completedAt : null,
        // A ring that hit the time limit rang exactly the ring timeout; any other: unknown.
        seconds:
          ringResult === 'no-answer' ? wholeSeconds(attribute(record, 'ringTimeoutSeconds')) : null,
        result: ringAnswered ? 'answered' : (ringResult ?? null),
      }),
    );
  }
  const fallbackType = attribute(record, 'fallbackType');
  const toFallback =
    found &&
    fallbackType !== undefined &&
    fallbackType !== 'none' &&
    (!open || ringResult !== undefined);
  if (toFallback) {
    const number = attribute(record, 'fallbackNumber') ?? null;
    const fallbackQueue = attribute(record, 'fallbackQueueArn');
    const answered = number !== null && completedTo === number;
    steps.push(
      step('fallback', {
        number,
        queue: fallbackQueue ? { arn: fallbackQueue, name: null } : null,
        at: answered ? completedAt : null,
        result: answered ? 'answered' : fallbackType,
      }),
    );
  }
  if (status !== undefined && !found) steps.push(step('static-fallback', { result: status }));
  const queue = queueOf(record);
  if (queue && record.queue) {
    const { enqueueTimestamp, dequeueTimestamp, durationSeconds } = record.queue;
    steps.push(
      step('queued', {
        at: enqueueTimestamp ?? null,
        seconds: durationSeconds ?? secondsBetween(enqueueTimestamp, dequeueTimestamp),
        queue,
        result: agentConnected(record) ? 'answered' : 'left',
      }),
    );
  }
  if (agentConnected(record)) {
    steps.push(step('agent', { at: record.agent?.connectedToAgentTimestamp ?? null }));
  }
  const shownAbove =
    completedTo !== undefined &&
    (ringAnswered || (toFallback && completedTo === attribute(record, 'fallbackNumber')));
  if (completedTo !== undefined && !shownAbove) {
    steps.push(step('transfer', { at: completedAt, number: completedTo, result: 'connected' }));
  }
  if (reachedVoicemail(record)) {
    steps.push(
      step('voicemail', {
        at: instant(attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemailStartTimestamp)),
        seconds: wholeSeconds(attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemailDurationSeconds)),
        result: attribute(record, QUEUE_OUTCOME_ATTRIBUTES.voicemail) ?? null,
      }),
    );
  }
  if (attribute(record, QUEUE_OUTCOME_ATTRIBUTES.callback) === CALLBACK_REQUESTED) {
    steps.push(step('callback', { result: CALLBACK_REQUESTED }));
  }
  if (record.disconnectTimestamp !== undefined) {
    steps.push(
      step('ended', {
        at: record.disconnectTimestamp,
        seconds: secondsBetween(record.initiationTimestamp, record.disconnectTimestamp),
        result: record.disconnectReason ?? null,
      }),
    );
  }
  return steps;
};
