/**
 * How long the call log keeps a caller's data (call items with their lead data and voicemail
 * fields, first-time items): the deployment's `callDataRetentionDays`, by default the recordings'
 * retention. DynamoDB deletes an item some time after its TTL (typically within days), so reads
 * also treat an item past its TTL as gone.
 */

const DAY_MS = 86_400_000;

/** The deployment's default: the recordings' default retention (lib/config/app-config.ts). */
export const DEFAULT_RETENTION_DAYS = 365;

/** Whether a text is a retention as the ingest's environment and the import CLIs take it. */
export const isRetentionDaysText = (text: string): boolean => /^[1-9]\d{0,4}$/.test(text);

/**
 * The TTL (epoch seconds) of a call the system first stores at `nowMs`: `days` after the later of
 * the call's start and that moment. A live call is stored minutes after it started; a backfilled
 * one older than the retention is still imported and served for a full period. Set on the first
 * write only, so a replay or a late record does not extend it.
 */
export const expiresAtOf = (startedAt: string, nowMs: number, days: number): number => {
  const started = Date.parse(startedAt);
  const from = Number.isNaN(started) ? nowMs : Math.max(started, nowMs);
  return Math.floor((from + days * DAY_MS) / 1000);
};

/** Whether an item's TTL (epoch seconds, when it has one) has passed. */
export const isExpired = (item: { readonly expiresAt?: number }, nowMs: number): boolean =>
  item.expiresAt !== undefined && item.expiresAt * 1000 <= nowMs;
