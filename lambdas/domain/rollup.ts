import { type CallLogItem, defined, type LeadStatus } from './call-log-item.js';
import type { CallOutcome } from './call-outcome.js';

/**
 * Daily rollups (computed by the ingest, read by the reports): one per UTC day × location × ad
 * source × tracking number, the group `rollupGroupId` (call-log-item.ts) names. Stored with the keys
 * of adapters/dynamodb/rollup-keys.ts, so a report over N days reads N partitions.
 */
export interface Rollup {
  /** `yyyy-mm-dd`, UTC. */
  readonly day: string;
  readonly locationId?: string;
  readonly source?: string;
  readonly trackingNumber?: string;
  readonly calls: number;
  readonly answered: number;
  readonly missed: number;
  /** Messages the system recorded. */
  readonly voicemail: number;
  /** Queued callbacks requested (or pending on Connect's callback contact). */
  readonly callback: number;
  /** Calls sent to an outside voicemail number: a message there cannot be told from a hang-up. */
  readonly voicemailBox: number;
  readonly abandoned: number;
  /** Calls that were the caller's first at the location (leads). */
  readonly leadCalls: number;
  readonly leadsActive: number;
  /** Calls marked `rented`. */
  readonly conversions: number;
  readonly leadsLost: number;
  readonly spam: number;
  /** Sum of the calls' durations, seconds. */
  readonly durationSeconds: number;
  /** Total value of the calls that carry one. */
  readonly value: number;
  /** Sum of the calls' estimated Connect cost, micro-USD; absent in rollups stored before it. */
  readonly costMicros?: number;
  /** Keyed short hashes of the callers' numbers (caller-hash.ts), for unique callers (set union). */
  readonly callerHashes: readonly string[];
  /** Calls per hour of the day (UTC), keys `00`..`23`, absent hours are 0. */
  readonly hourly: Readonly<Record<string, number>>;
  /** Messages per hour of the day, as `hourly`; absent in rollups stored before it existed. */
  readonly hourlyVoicemail?: Readonly<Record<string, number>>;
  /** Callbacks per hour of the day, as `hourly`; absent in rollups stored before it existed. */
  readonly hourlyCallback?: Readonly<Record<string, number>>;
}

// ---------------------------------------------------------------------------------------------
// Members: what each call contributes to its group
// ---------------------------------------------------------------------------------------------

/** The UTC day of a rollup group (`rollupGroupId`), `yyyy-mm-dd`: its fixed-width start. */
export const rollupDay = (groupId: string): string => groupId.slice(0, 10);

/** Which call a member is, and at which of its revisions (its group is where it is stored). */
interface MemberKey {
  readonly contactId: string;
  /** The call's revision this member was derived at; a member is never replaced by an older one. */
  readonly revision: number;
}

/** A call's contribution to the rollup of its group, derived from the stored call alone. */
export interface LiveMember extends MemberKey {
  readonly gone?: undefined;
  readonly locationId?: string;
  readonly source?: string;
  readonly trackingNumber?: string;
  readonly outcome: CallOutcome;
  /** The caller's first call at the location. */
  readonly leadCall: boolean;
  readonly leadStatus?: LeadStatus;
  readonly spam: boolean;
  readonly durationSeconds: number;
  readonly value?: number;
  /** The call's estimated cost, micro-USD; absent when it has none. */
  readonly costMicros?: number;
  readonly callerHash?: string;
  /** `00`..`23`, UTC hour of the call's start. */
  readonly hour: string;
}

/**
 * The call left this group at `revision` (a later record moved it). Kept rather than deleted so a
 * slower settle of an older revision cannot put the call back in the group: its conditional put
 * sees the newer revision and fails.
 */
export interface GoneMember extends MemberKey {
  readonly gone: true;
}

export type RollupMember = LiveMember | GoneMember;

/** The member of a stored call in its current group. */
export const rollupMember = (call: CallLogItem): LiveMember =>
  defined<LiveMember>({
    contactId: call.contactId,
    revision: call.revision ?? 0,
    locationId: call.locationId,
    source: call.source,
    trackingNumber: call.dialed,
    outcome: call.outcome,
    leadCall: call.firstTime,
    leadStatus: call.leadStatus,
    spam: call.spam === true,
    durationSeconds: call.durationSeconds ?? 0,
    value: call.value,
    costMicros: call.estimatedCost?.totalMicros,
    // Keyed by the ingest (domain/caller-hash.ts): the rollups never see the number.
    callerHash: call.callerHash,
    hour: new Date(call.startedAt).toISOString().slice(11, 13),
  });

/** The tombstone of a call in a group it left, at the call's revision. */
export const goneMember = (contactId: string, revision: number): GoneMember => ({
  contactId,
  revision,
  gone: true,
});

const OUTCOME_COUNTS: Readonly<
  Record<
    CallOutcome,
    'answered' | 'missed' | 'voicemail' | 'callback' | 'voicemailBox' | 'abandoned'
  >
> = {
  'answered-location': 'answered',
  'answered-agent': 'answered',
  'answered-fallback': 'answered',
  missed: 'missed',
  voicemail: 'voicemail',
  callback: 'callback',
  'voicemail-box': 'voicemailBox',
  abandoned: 'abandoned',
};

const LEAD_COUNTS: Readonly<Record<LeadStatus, 'leadsActive' | 'conversions' | 'leadsLost'>> = {
  active: 'leadsActive',
  rented: 'conversions',
  lost: 'leadsLost',
};

/** Every count a rollup keeps, at zero: a new group's start. */
export const emptyCounts = () => ({
  calls: 0,
  answered: 0,
  missed: 0,
  voicemail: 0,
  callback: 0,
  voicemailBox: 0,
  abandoned: 0,
  leadCalls: 0,
  leadsActive: 0,
  conversions: 0,
  leadsLost: 0,
  spam: 0,
  durationSeconds: 0,
  value: 0,
  costMicros: 0,
});

type Counter = keyof ReturnType<typeof emptyCounts>;

/**
 * The rollup of a group from its members; undefined when no call counts in it (the rollup item is
 * then deleted, so a group a call merely passed through looks as if it never had). A spam call
 * counts in `spam` only. Each call counts in exactly one of answered, missed, voicemail,
 * callback, voicemailBox and abandoned (its outcome), and in at most one of leadsActive, conversions and leadsLost (its lead
 * status, whether or not it was the caller's first call).
 */
export const aggregate = (
  groupId: string,
  members: readonly RollupMember[],
): Rollup | undefined => {
  const live = members.filter((m): m is LiveMember => m.gone !== true);
  const [first] = live;
  if (first === undefined) return undefined;
  const sums = emptySums();
  const { counts, callers, hourly, hourlyVoicemail, hourlyCallback } = sums;
  const countHour = (counts: Record<string, number>, hour: string): void => {
    counts[hour] = (counts[hour] ?? 0) + 1;
  };
  for (const member of live) {
    // Before the spam skip: Connect bills a spam call like any other.
    counts.costMicros += member.costMicros ?? 0;
    if (member.spam) {
      counts.spam += 1;
      continue;
    }
    counts.calls += 1;
    counts[OUTCOME_COUNTS[member.outcome]] += 1;
    if (member.leadCall) counts.leadCalls += 1;
    if (member.leadStatus !== undefined) counts[LEAD_COUNTS[member.leadStatus]] += 1;
    counts.durationSeconds += member.durationSeconds;
    counts.value += member.value ?? 0;
    if (member.callerHash !== undefined) callers.add(member.callerHash);
    countHour(hourly, member.hour);
    if (member.outcome === 'voicemail') countHour(hourlyVoicemail, member.hour);
    if (member.outcome === 'callback') countHour(hourlyCallback, member.hour);
  }
  return rollupRow(rollupDay(groupId), first, sums);
};

/** What a rollup adds up, before it is a row. */
interface Sums {
  readonly counts: Record<Counter, number>;
  readonly callers: Set<string>;
  readonly hourly: Record<string, number>;
  readonly hourlyVoicemail: Record<string, number>;
  readonly hourlyCallback: Record<string, number>;
}

const emptySums = (): Sums => ({
  counts: emptyCounts(),
  callers: new Set(),
  hourly: {},
  hourlyVoicemail: {},
  hourlyCallback: {},
});

/** The row of a group (named by any of its calls or days, `of`) for `day`: a day or a month. */
const rollupRow = (
  day: string,
  of: Pick<Rollup, 'locationId' | 'source' | 'trackingNumber'>,
  { counts, callers, hourly, hourlyVoicemail, hourlyCallback }: Sums,
): Rollup =>
  defined<Rollup>({
    day,
    locationId: of.locationId,
    source: of.source,
    trackingNumber: of.trackingNumber,
    ...counts,
    callerHashes: [...callers].sort(),
    hourly,
    hourlyVoicemail,
    hourlyCallback,
  });

// ---------------------------------------------------------------------------------------------
// Months: a group's days added up, so a report over a year reads a month as one row
// ---------------------------------------------------------------------------------------------

/** The month of a day, `yyyy-mm`. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** Every day of a month (`yyyy-mm`), `yyyy-mm-dd`, in order. */
export const daysOfMonth = (month: string): string[] => {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const count = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
};

const addHours = (
  into: Record<string, number>,
  hours: Readonly<Record<string, number>> | undefined,
): void => {
  for (const [hour, n] of Object.entries(hours ?? {})) into[hour] = (into[hour] ?? 0) + n;
};

/**
 * One group's day rollups of a month added up: every count summed, the callers' hashes united (a
 * caller of two days counts once in the month), the hours summed; `day` is the month (`yyyy-mm`).
 * Undefined when there is no day: the month row is then deleted.
 */
export const monthRollup = (month: string, days: readonly Rollup[]): Rollup | undefined => {
  const [first] = days;
  if (first === undefined) return undefined;
  const sums = emptySums();
  const { counts, callers, hourly, hourlyVoicemail, hourlyCallback } = sums;
  for (const day of days) {
    for (const counter of Object.keys(counts) as Counter[]) counts[counter] += day[counter] ?? 0;
    for (const hash of day.callerHashes) callers.add(hash);
    addHours(hourly, day.hourly);
    addHours(hourlyVoicemail, day.hourlyVoicemail);
    addHours(hourlyCallback, day.hourlyCallback);
  }
  return rollupRow(month, first, sums);
};
