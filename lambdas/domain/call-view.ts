import { type CallCost, type CostLineKind, microsToAmount } from './call-cost.js';
import type { JourneyStep, RoutedTo } from './call-journey.js';
import type { CallLogItem, LeadStatus } from './call-log-item.js';
import type { CallOutcome } from './call-outcome.js';

/**
 * A call as the API shows it: no table keys, every field present (`null` when the call has no
 * value), `trackingNumber` the number dialed, `recording` whether any recording exists.
 */
export interface Call {
  readonly contactId: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationSeconds: number | null;
  readonly caller: string | null;
  readonly trackingNumber: string | null;
  readonly locationId: string | null;
  readonly locationName: string | null;
  readonly source: string | null;
  readonly campaign: string | null;
  readonly outcome: CallOutcome;
  readonly answered: boolean;
  readonly firstTime: boolean;
  readonly recording: boolean;
  readonly leadStatus: LeadStatus | null;
  readonly value: number | null;
  readonly note: string | null;
  readonly tags: readonly string[];
  readonly spam: boolean;
  /** Someone dealt with the call's message or callback. */
  readonly handled: boolean;
  /** Where the call went; null for a call logged before it was recorded. */
  readonly routedTo: RoutedTo | null;
  /** Connect's charges for the call, estimated; null before it ended (or logged before). */
  readonly estimatedCost: EstimatedCost | null;
}

export interface EstimatedCostLine {
  readonly kind: CostLineKind;
  readonly seconds: number;
  readonly billedSeconds: number;
  /** The rate, per minute. */
  readonly perMinute: number;
  readonly amount: number;
}

/** Amounts in `currency` (at most 6 decimals); `totalMicros` the exact total in millionths. */
export interface EstimatedCost {
  readonly currency: 'USD';
  readonly total: number;
  readonly totalMicros: number;
  /** The price table's date, `yyyy-mm-dd`. */
  readonly priceDate: string;
  readonly lines: readonly EstimatedCostLine[];
}

export const toEstimatedCost = (cost: CallCost): EstimatedCost => ({
  currency: cost.currency,
  total: microsToAmount(cost.totalMicros),
  totalMicros: cost.totalMicros,
  priceDate: cost.priceDate,
  lines: cost.lines.map((line) => ({
    kind: line.kind,
    seconds: line.seconds,
    billedSeconds: line.billedSeconds,
    perMinute: microsToAmount(line.perMinuteMicros),
    amount: microsToAmount(line.amountMicros),
  })),
});

export interface RecordingLink {
  readonly url: string;
  readonly expiresAt: string;
}

/** The message a caller left; each field null where unknown. */
export interface Voicemail {
  /** A short-lived GET link to the audio; null when the API may not read where it is. */
  readonly recordingUrl: string | null;
  readonly durationSeconds: number | null;
  /** Null until the transcription is stored. */
  readonly transcript: string | null;
}

/**
 * GET /calls/{contactId}: the call, a short-lived link to each of its recordings, and its message
 * (null for a call without one).
 */
export interface CallDetail extends Call {
  readonly recordings: readonly RecordingLink[];
  readonly voicemail: Voicemail | null;
  /** The steps the caller went through, in order; null for a call logged before it was recorded. */
  readonly journey: readonly JourneyStep[] | null;
}

/**
 * Whether the call has a message to show: its outcome says one was left, or the record names the
 * audio (a later record may carry the key before the outcome rules see the attribute).
 */
export const hasVoicemail = (item: CallLogItem): boolean =>
  item.outcome === 'voicemail' || item.voicemailKey !== undefined;

export const toCall = (item: CallLogItem): Call => ({
  contactId: item.contactId,
  startedAt: item.startedAt,
  endedAt: item.endedAt ?? null,
  durationSeconds: item.durationSeconds ?? null,
  caller: item.caller ?? null,
  trackingNumber: item.dialed ?? null,
  locationId: item.locationId ?? null,
  locationName: item.locationName ?? null,
  source: item.source ?? null,
  campaign: item.campaign ?? null,
  outcome: item.outcome,
  answered: item.answered,
  firstTime: item.firstTime,
  recording: (item.recordings ?? []).length > 0,
  leadStatus: item.leadStatus ?? null,
  value: item.value ?? null,
  note: item.note ?? null,
  tags: item.tags ?? [],
  spam: item.spam ?? false,
  handled: item.handled ?? false,
  routedTo: item.routedTo ?? null,
  estimatedCost: item.estimatedCost ? toEstimatedCost(item.estimatedCost) : null,
});
