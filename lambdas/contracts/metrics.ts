import { CALL_OUTCOMES, type CallOutcome } from '../domain/call-outcome.js';
import { embeddedMetricFields } from '../domain/embedded-metrics.js';

/**
 * The project's own CloudWatch metrics: written by route-call in its log line (embedded metric
 * format), read by the alarms and the dashboard (lib/constructs/operations.ts). One place, so a
 * renamed metric breaks the build, not a graph.
 */
export const METRIC_NAMESPACE = 'CallTracking';

/** route-call's per-call metrics; `status` (found | unknown | error) is their one dimension. */
export const ROUTE_CALL_METRICS = {
  /** 1 per answer, by status. */
  calls: 'RouteCallAnswers',
  /** 1 when the entry came from the in-memory cache, 0 otherwise. */
  cacheHit: 'RouteCallCacheHit',
  /** How long the routing lookup took. */
  lookupMs: 'RouteCallLookupMs',
  /** 1 when an expired cache entry was served because the re-read failed. */
  stale: 'RouteCallStale',
} as const;

export const ROUTE_CALL_STATUS_DIMENSION = 'status';

export const ROUTE_CALL_STATUSES = ['found', 'unknown', 'error'] as const;

/** The ingest's count of newly logged calls with `outcome`, a metric without dimensions. */
export const callOutcomeMetric = (outcome: CallOutcome): string => `CallOutcome_${outcome}`;

/**
 * The EMF fields of the ingest's batch line: how many calls of each outcome it logged for the first
 * time (a retried or re-delivered record is not counted twice). Outcomes with no call are left
 * out: a missing datapoint reads as zero on the dashboard.
 */
export const callOutcomeMetricFields = (
  written: Partial<Record<CallOutcome, number>>,
  timestampMs: number,
): Record<string, unknown> =>
  embeddedMetricFields(
    METRIC_NAMESPACE,
    [],
    CALL_OUTCOMES.flatMap((outcome) => {
      const value = written[outcome];
      return value ? [{ name: callOutcomeMetric(outcome), unit: 'Count' as const, value }] : [];
    }),
    timestampMs,
  );
