import type { ContactRecord } from './contact-record.js';
import {
  CALLBACK_INITIATION_METHOD,
  CALLBACK_REQUESTED,
  QUEUE_OUTCOME_ATTRIBUTES,
  VOICEMAIL_EMPTY,
  VOICEMAIL_LEFT,
  VOICEMAIL_RECORDING,
} from './queue-outcome-attributes.js';
import { NONE } from './route.js';

/**
 * How a call ended, for the call log:
 * - answered-location: the location's ring-to took it;
 * - answered-agent: an agent of the call center (a queue) took it;
 * - answered-fallback: a fallback number or the flow's static fallback took it;
 * - voicemail: the caller left a message the system recorded (attribute `voicemail = left`);
 * - callback: the caller asked for a queued callback (attribute `callback = requested`), or the
 *   contact is Connect's callback itself and no agent has reached the caller on it;
 * - voicemail-box: the call went to the location's outside voicemail number; whether a message was
 *   left there cannot be told from a hang-up (this was `voicemail` before the system recorded
 *   messages itself);
 * - missed: nobody took it and it left nothing (no message, no callback);
 * - abandoned: the caller hung up in the flow before any transfer or queue was tried.
 */
export const CALL_OUTCOMES = [
  'answered-location',
  'answered-agent',
  'answered-fallback',
  'voicemail',
  'callback',
  'voicemail-box',
  'missed',
  'abandoned',
] as const;

export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** True for the outcomes where a person took the call. A message or a callback is not "answered". */
export const isAnswered = (outcome: CallOutcome): boolean =>
  outcome === 'answered-location' ||
  outcome === 'answered-agent' ||
  outcome === 'answered-fallback';

/** A contact attribute the flow set (route-call's answer), undefined when absent or `none`. */
export const attribute = (record: ContactRecord, key: string): string | undefined => {
  const value = record.attributes[key];
  return value === undefined || value === NONE || value.trim() === '' ? undefined : value;
};

interface OutcomeRule {
  readonly name: string;
  readonly applies: (record: ContactRecord) => boolean;
  readonly outcome: CallOutcome;
}

const agentConnected = (r: ContactRecord): boolean =>
  r.agent?.connectedToAgentTimestamp !== undefined;
const transferCompleted = (r: ContactRecord): boolean => r.transferCompletedTimestamp !== undefined;
const transferredTo = (r: ContactRecord, key: string): boolean => {
  const number = attribute(r, key);
  return number !== undefined && r.transferredToAddress === number;
};

/**
 * The rules, first match wins. Each says which CTR fields it reads and what about them is not
 * verified against real Amazon Connect records.
 */
export const OUTCOME_RULES: readonly OutcomeRule[] = [
  {
    // Attribute voicemail, set by the voicemail work once the message is stored. First: a caller
    // who waited in a queue and then left a message did leave one, whatever the queue shows.
    name: 'a message the system recorded',
    applies: (r) => attribute(r, QUEUE_OUTCOME_ATTRIBUTES.voicemail) === VOICEMAIL_LEFT,
    outcome: 'voicemail',
  },
  {
    // InitiationMethod CALLBACK, Agent.ConnectedToAgentTimestamp: Connect's own contact for a
    // queued callback (it dials the agent first, then the caller), answered once an agent is on.
    // Unverified: that the agent's timestamp on that contact means the caller was reached.
    name: 'a queued callback an agent made',
    applies: (r) => r.initiationMethod === CALLBACK_INITIATION_METHOD && agentConnected(r),
    outcome: 'answered-agent',
  },
  {
    // Attribute callback (set by the customer queue flow), or the callback's own contact without
    // an agent yet: the lead is owed a call, it is not missed.
    name: 'a queued callback requested or pending',
    applies: (r) =>
      attribute(r, QUEUE_OUTCOME_ATTRIBUTES.callback) === CALLBACK_REQUESTED ||
      r.initiationMethod === CALLBACK_INITIATION_METHOD,
    outcome: 'callback',
  },
  {
    // TransferCompletedTimestamp, TransferredToEndpoint.Address, attribute ringTo.
    // Unverified: that TransferredToEndpoint is set for an unanswered transfer, and which transfer it
    // names when the flow tried several (we assume the last). So "answered" rests on
    // TransferCompletedTimestamp alone, never on TransferredToEndpoint being present.
    name: 'a completed transfer to the location ring-to',
    applies: (r) => transferCompleted(r) && transferredTo(r, 'ringTo'),
    outcome: 'answered-location',
  },
  {
    // TransferCompletedTimestamp, TransferredToEndpoint.Address, attributes fallbackNumber and
    // fallbackType. Unverified: that a voicemail box answering counts as a completed transfer (it
    // does for a phone line that picks up; a voicemail box is one).
    name: 'a completed transfer to the voicemail fallback',
    applies: (r) =>
      transferCompleted(r) &&
      transferredTo(r, 'fallbackNumber') &&
      attribute(r, 'fallbackType') === 'voicemail',
    outcome: 'voicemail-box',
  },
  {
    // TransferCompletedTimestamp, TransferredToEndpoint.Address, attribute fallbackNumber.
    name: 'a completed transfer to the fallback number',
    applies: (r) => transferCompleted(r) && transferredTo(r, 'fallbackNumber'),
    outcome: 'answered-fallback',
  },
  {
    // Queue, Agent.ConnectedToAgentTimestamp, TransferCompletedTimestamp: an agent took the call
    // and then transferred it to an outside number (not the location's ring-to or fallback, the
    // rules above): the call center answered it; the number is the call's routedTo.
    name: 'a queue where an agent connected, then transferred the call out',
    applies: (r) => r.queue !== undefined && agentConnected(r) && transferCompleted(r),
    outcome: 'answered-agent',
  },
  {
    // TransferCompletedTimestamp only: any other number is the static fallback baked into the
    // flow (or the payments line). Also taken when TransferredToEndpoint is missing although the
    // transfer completed (unverified whether Connect ever writes that).
    name: 'a completed transfer to any other number (static fallback)',
    applies: transferCompleted,
    outcome: 'answered-fallback',
  },
  {
    // Queue, Agent.ConnectedToAgentTimestamp. Unverified: that Agent is null (or has no
    // ConnectedToAgentTimestamp) whenever no agent took the call.
    name: 'a queue where an agent connected',
    applies: (r) => r.queue !== undefined && agentConnected(r),
    outcome: 'answered-agent',
  },
  {
    // Attribute voicemail = recording (the flow streamed the caller's audio, but no packager ran:
    // an import of history, a record replayed without the stream) or empty (nothing said): the
    // caller reached the system's voicemail and no message is stored. Not abandoned: the flow
    // did everything it could. After the answered rules: an agent who took the call later wins.
    name: 'the system voicemail reached, no message stored',
    applies: (r) => {
      const state = attribute(r, QUEUE_OUTCOME_ATTRIBUTES.voicemail);
      return state === VOICEMAIL_RECORDING || state === VOICEMAIL_EMPTY;
    },
    outcome: 'missed',
  },
  {
    // Queue without Agent.ConnectedToAgentTimestamp: the caller hung up waiting, or the queue
    // flow gave up.
    name: 'a queue without an agent',
    applies: (r) => r.queue !== undefined,
    outcome: 'missed',
  },
  {
    // DisconnectReason, TransferredToEndpoint, Queue. Unverified: the full list of
    // DisconnectReason values, and whether a caller hanging up while the location rang leaves
    // TransferredToEndpoint set (if not, such a call is counted abandoned instead of missed).
    name: 'the caller hung up before any transfer or queue',
    applies: (r) =>
      r.disconnectReason === 'CUSTOMER_DISCONNECT' &&
      r.transferredToAddress === undefined &&
      r.queue === undefined,
    outcome: 'abandoned',
  },
  {
    // Everything else: an attempted transfer nobody took, the flow's apology and disconnect, etc.
    name: 'anything else',
    applies: () => true,
    outcome: 'missed',
  },
];

/** The outcome of a call: the first rule of OUTCOME_RULES that applies. */
export const classifyCall = (record: ContactRecord): CallOutcome =>
  (OUTCOME_RULES.find((rule) => rule.applies(record)) ?? { outcome: 'missed' as const }).outcome;
