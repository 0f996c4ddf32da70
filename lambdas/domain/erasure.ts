/**
 * Erasing one caller on request (POST /privacy/erasures, npm run erase-caller): what is removed,
 * what the audit keeps, and the pure parts of rewriting the contact-record archive.
 */

/** How many of each kind of the caller's data an erasure removed. */
export interface ErasureCounts {
  /** Call items (their lead fields, notes and tags go with them). */
  readonly calls: number;
  /** Calls that carried lead data (status, value, note or tags), of `calls`. */
  readonly leads: number;
  /** Recording objects, every version of each. */
  readonly recordings: number;
  /** Voicemail messages (audio and transcript objects). */
  readonly voicemails: number;
  /** First-time-caller items (one per location the caller called). */
  readonly callerHistory: number;
  /** Contact records removed from the contact-record archive. */
  readonly archiveRecords: number;
}

export const NO_ERASURE: ErasureCounts = {
  calls: 0,
  leads: 0,
  recordings: 0,
  voicemails: 0,
  callerHistory: 0,
  archiveRecords: 0,
};

/** The audit entry of one erasure: who, when, how much. Never the number. */
export interface ErasureAuditEntry {
  readonly erasureId: string;
  /** ISO time the erasure finished. */
  readonly at: string;
  /** The token's principal (its client id deployed, `local-admin` locally). */
  readonly by: string;
  readonly removed: ErasureCounts;
}

/** What an erasure does not reach, stated in every answer (README, Erasure). */
export const NOT_REACHED: readonly string[] = [
  'point-in-time-recovery backups of the tables (they age out after 35 days)',
  'contact records still in the Kinesis stream (they age out with its retention, 7 days)',
  'records the ingest could not process, in its failure queue (14 days), and records Firehose could not archive (contact-record-errors/, kept with the archive)',
  "Amazon Connect's own contact records and search (Connect keeps them 24 months)",
  'events already delivered to webhook receivers, and events waiting in their queue (up to 14 days)',
  "rollup counts (kept on purpose), with a keyed hash of the number for unique-caller counts (an HMAC: no number without the deployment's key; rotating the key unlinks every earlier hash)",
];

/** The archive keeps Connect's wire format: the caller is CustomerEndpoint.Address. */
interface ArchivedRecord {
  readonly CustomerEndpoint?: { readonly Address?: unknown } | null;
}

/**
 * An archive object's newline-delimited contact records without the caller's: the text to write
 * back (unchanged lines kept byte for byte) and how many records were dropped. A line that is not
 * JSON is kept: it is nobody's record, and the replay reports it.
 */
export const withoutCaller = (text: string, caller: string): { text: string; removed: number } => {
  let removed = 0;
  const kept = text.split('\n').filter((line) => {
    if (line.trim() === '') return true;
    try {
      const record = JSON.parse(line) as ArchivedRecord | null;
      if (record?.CustomerEndpoint?.Address !== caller) return true;
    } catch {
      return true;
    }
    removed += 1;
    return false;
  });
  return { text: kept.join('\n'), removed };
};

const DAY_MS = 86_400_000;

/**
 * The archive days (`YYYY/MM/DD`, UTC) that may hold the records of calls started at these times:
 * Firehose files a record by the time it arrived, which for a contact record is after the call
 * ended (minutes; a late update can come days later, so the following two days are read too).
 */
export const archiveDaysOf = (startedAts: readonly string[]): string[] => {
  const days = new Set<string>();
  for (const startedAt of startedAts) {
    const ms = Date.parse(startedAt);
    if (Number.isNaN(ms)) continue;
    for (let d = 0; d <= 2; d += 1) {
      days.add(new Date(ms + d * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '/'));
    }
  }
  return [...days].sort();
};
