import type { ContactRecord } from './contact-record.js';
import { NONE } from './route.js';

/**
 * How a call ended, for the call log: answered at the location (its ring-to), answered elsewhere
 * (fallback number, static fallback, an agent in the fallback queue), voicemail (the location's
 * voicemail box took it), missed (nobody took it), abandoned (the caller hung up in the flow before
 * any transfer or queue was tried).
 */
export const CALL_OUTCOMES = [
  'answered-location',
  'answered-fallback',
  'voicemail',
  'missed',
  'abandoned',
] as const;

export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** True for the outcomes where a person took the call. Voicemail is not "answered". */
export const isAnswered = (outcome: CallOutcome): boolean =>
  outcome === 'answered-location' || outcome === 'answered-fallback';

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
    outcome: 'voicemail',
  },
  {
    // TransferCompletedTimestamp, TransferredToEndpoint.Address, attribute fallbackNumber.
    name: 'a completed transfer to the fallback number',
    applies: (r) => transferCompleted(r) && transferredTo(r, 'fallbackNumber'),
    outcome: 'answered-fallback',
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
    applies: (r) => r.queue !== undefined && r.agent?.connectedToAgentTimestamp !== undefined,
    outcome: 'answered-fallback',
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
