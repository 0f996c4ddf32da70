import { queueMaxWaitSeconds } from './call-center.js';
import { DEFAULT_QUEUE_MAX_WAIT_SECONDS, type Portfolio } from './schema.js';

/** When the customer queue flow first offers a callback or a message, unless the portfolio says. */
export const DEFAULT_QUEUE_OFFER_AFTER_SECONDS = 60;

/**
 * Speech the queue flow plays outside its holds and offers, at most: the greeting, the "sorry to
 * keep you waiting" and the tone prompt (about 290 characters; Connect's text-to-speech speaks
 * roughly 15 a second: an estimate, rounded up).
 */
export const QUEUE_FLOW_LEAD_SECONDS = 25;

/** One offer beyond its hold: the offer prompt (about 100 characters) and its 5 s keypad wait. */
export const QUEUE_OFFER_SECONDS = 15;

/** Connect's Loop counts 0 to 100 (flow-control-actions-loop). */
const MAX_LOOP_COUNT = 100;

export interface QueueFlowPlan {
  /** The hold before each offer (the prompt loop's InterruptFrequencySeconds). */
  readonly offerAfterSeconds: number;
  /** How many offers before the message path (the Loop's count). */
  readonly offerRounds: number;
  /** The bound the plan keeps: the smallest maximum wait of the portfolio's queues. */
  readonly maxWaitSeconds: number;
  /** The longest a caller can wait in the flow before the voicemail tone, by the estimates above. */
  readonly worstCaseSeconds: number;
}

/**
 * The one customer queue flow's timing. One flow serves every queue, so it keeps the smallest
 * maximum wait among them: no queue's bound is exceeded (a queue with a longer bound sends its
 * callers to the message path earlier than it would allow). The flow holds `offerRounds + 1` times
 * and offers `offerRounds` times, then takes the message.
 */
export const queueFlowPlan = (
  portfolio: Pick<Portfolio, 'queues'> & {
    readonly defaults: { readonly queueOfferAfterSeconds?: number | undefined };
  },
): QueueFlowPlan => {
  const maxWaitSeconds = Math.min(
    ...portfolio.queues.map(queueMaxWaitSeconds),
    ...(portfolio.queues.length === 0 ? [DEFAULT_QUEUE_MAX_WAIT_SECONDS] : []),
  );
  const room = maxWaitSeconds - QUEUE_FLOW_LEAD_SECONDS;
  const offerAfterSeconds = Math.max(
    1,
    Math.min(portfolio.defaults.queueOfferAfterSeconds ?? DEFAULT_QUEUE_OFFER_AFTER_SECONDS, room),
  );
  const offerRounds = Math.min(
    MAX_LOOP_COUNT,
    Math.max(0, Math.floor((room - offerAfterSeconds) / (offerAfterSeconds + QUEUE_OFFER_SECONDS))),
  );
  return {
    offerAfterSeconds,
    offerRounds,
    maxWaitSeconds,
    worstCaseSeconds:
      QUEUE_FLOW_LEAD_SECONDS +
      (offerRounds + 1) * offerAfterSeconds +
      offerRounds * QUEUE_OFFER_SECONDS,
  };
};
