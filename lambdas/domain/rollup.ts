/**
 * Daily rollups (contract; computed by the ingest, read by the reports): one item per UTC day ×
 * location × ad source × tracking number, `pk = ROLLUP#<yyyy-mm-dd>`, `sk` from `rollupKeys`
 * (call-log-item.ts). A report over N days reads N partitions, whatever the call log holds.
 */
export interface RollupItem {
  readonly pk: `ROLLUP#${string}`;
  readonly sk: string;
  /** `yyyy-mm-dd`, UTC. */
  readonly day: string;
  readonly locationId?: string;
  readonly source?: string;
  readonly trackingNumber?: string;
  readonly calls: number;
  readonly answered: number;
  readonly missed: number;
  readonly voicemail: number;
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
  /** Short hashes of the callers' numbers, for unique callers over any range (set union). */
  readonly callerHashes: readonly string[];
  /** Calls per hour of the day (UTC), keys `00`..`23`, absent hours are 0. */
  readonly hourly: Readonly<Record<string, number>>;
}
