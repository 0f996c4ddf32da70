import { randomUUID } from 'node:crypto';
import type { CallerCall, CallerErasureStore } from '../adapters/dynamodb/caller-erasure-store.js';
import {
  archiveDaysOf,
  type ErasureAuditEntry,
  type ErasureCounts,
  NOT_REACHED,
  withoutCaller,
} from '../domain/erasure.js';
import { isE164, NOT_E164 } from '../domain/phone-number.js';
import { InvalidRequestError } from '../domain/request-errors.js';
import { voicemailTranscriptKey } from '../domain/voicemail.js';

/**
 * Erasing a caller on request (POST /privacy/erasures, npm run erase-caller): their calls at every
 * location with the lead data on them, every version of their recordings and voicemail objects,
 * their first-time items, and their records in the contact-record archive; an audit entry that
 * says who, when and how much, never the number. Rollup counts stay.
 *
 * Order makes it resumable: the objects and the archive go first and the call items last, so an
 * erasure that stops half-way (a timeout, a throttle) still finds what is left when run again.
 * Run twice, the second finds nothing and removes nothing.
 */

export interface EraseCallerDependencies {
  readonly store: CallerErasureStore;
  /** The recordings bucket (also holds voicemail audio and transcripts). */
  readonly recordingsBucket: string;
  /** Deletes every version of a key of the recordings bucket; false when there was none. */
  readonly deleteObject: (key: string) => Promise<boolean>;
  /**
   * Removes the caller's records from the archive objects of one day (`YYYY/MM/DD`); answers how
   * many. @default - no archive (the local system has none)
   */
  readonly eraseArchiveDay?: (
    day: string,
    rewrite: (text: string) => { text: string; removed: number },
  ) => Promise<number>;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default randomUUID */
  readonly newId?: () => string;
}

export interface ErasureResult extends ErasureAuditEntry {
  /** Where the caller's data may remain, which no erasure reaches (README, Erasure). */
  readonly notReached: readonly string[];
}

export interface EraseCaller {
  /** `caller` as the request gave it: anything but an E.164 string is refused (400). */
  erase(request: { caller: unknown; by: string }): Promise<ErasureResult>;
  list(limit?: number): Promise<ErasureAuditEntry[]>;
}

/** The keys of a recording location (`bucket/key`) that are in this bucket. */
const keyInBucket = (bucket: string, location: string): string | undefined =>
  location.startsWith(`${bucket}/`) ? location.slice(bucket.length + 1) : undefined;

const hasLeadData = (call: CallerCall): boolean =>
  call.leadStatus !== undefined ||
  call.value !== undefined ||
  call.note !== undefined ||
  (call.tags?.length ?? 0) > 0;

/** The caller to erase, as the request gave it (any JSON value). */
const callerOf = (caller: unknown): string => {
  if (typeof caller !== 'string' || !isE164(caller)) {
    throw new InvalidRequestError('body', [
      // The value is not repeated: a wrong number is still somebody's.
      `caller: ${caller === undefined ? 'is missing' : NOT_E164}: give the body { "caller": "+15125550123" }`,
    ]);
  }
  return caller;
};

export const createEraseCaller = ({
  store,
  recordingsBucket,
  deleteObject,
  eraseArchiveDay,
  now = Date.now,
  newId = randomUUID,
}: EraseCallerDependencies): EraseCaller => ({
  async erase({ caller: given, by }) {
    const caller = callerOf(given);
    const calls = await store.callsOf(caller);

    let archiveRecords = 0;
    if (eraseArchiveDay) {
      for (const day of archiveDaysOf(calls.map((call) => call.startedAt))) {
        archiveRecords += await eraseArchiveDay(day, (text) => withoutCaller(text, caller));
      }
    }

    let recordings = 0;
    let voicemails = 0;
    for (const call of calls) {
      for (const location of call.recordings ?? []) {
        const key = keyInBucket(recordingsBucket, location);
        if (key !== undefined && (await deleteObject(key))) recordings += 1;
      }
      if (call.voicemailKey !== undefined) {
        const audio = await deleteObject(call.voicemailKey);
        const transcript = await deleteObject(voicemailTranscriptKey(call.contactId));
        if (audio || transcript) voicemails += 1;
      }
    }

    let callerHistory = 0;
    for (const locationId of new Set(calls.flatMap((c) => (c.locationId ? [c.locationId] : [])))) {
      if (await store.deleteCallerHistory(locationId, caller)) callerHistory += 1;
    }
    let removedCalls = 0;
    let leads = 0;
    for (const call of calls) {
      if (!(await store.deleteCall(call.contactId))) continue;
      removedCalls += 1;
      if (hasLeadData(call)) leads += 1;
    }

    const removed: ErasureCounts = {
      calls: removedCalls,
      leads,
      recordings,
      voicemails,
      callerHistory,
      archiveRecords,
    };
    const entry: ErasureAuditEntry = {
      erasureId: newId(),
      at: new Date(now()).toISOString(),
      by,
      removed,
    };
    await store.recordErasure(entry);
    return {
      ...entry,
      notReached: eraseArchiveDay
        ? NOT_REACHED
        : [...NOT_REACHED, 'the contact-record archive: none is configured here'],
    };
  },

  list: (limit = 100) => store.erasures(limit),
});
