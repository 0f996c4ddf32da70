import { describe, expect, it } from 'vitest';
import type { LookupResult } from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import {
  METRIC_NAMESPACE,
  ROUTE_CALL_METRICS,
  ROUTE_CALL_STATUS_DIMENSION,
} from '../../lambdas/contracts/metrics.js';
import { createRouteCall } from '../../lambdas/use-cases/route-call.js';
import { contactFlowEvent, EXAMPLE_ENTRY } from '../support/fixtures.js';

/** The one log line route-call writes for a call answered from `result`, parsed. */
const lineFor = async (result: LookupResult, event = contactFlowEvent()) => {
  const lines: string[] = [];
  const routeCall = createRouteCall({
    lookup: { lookup: async () => result },
    now: () => Date.parse('2026-01-05T15:00:00Z'),
    writeLog: (line) => lines.push(line),
  });
  await routeCall(event);
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
};

describe('route-call metrics (embedded metric format in its log line)', () => {
  it('declares the namespace, the status dimension and every metric with its unit', async () => {
    const line = await lineFor({ kind: 'found', entry: EXAMPLE_ENTRY, cacheHit: true });
    expect(line._aws).toEqual({
      Timestamp: Date.parse('2026-01-05T15:00:00Z'),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [[ROUTE_CALL_STATUS_DIMENSION]],
          Metrics: [
            { Name: ROUTE_CALL_METRICS.calls, Unit: 'Count' },
            { Name: ROUTE_CALL_METRICS.cacheHit, Unit: 'Count' },
            { Name: ROUTE_CALL_METRICS.lookupMs, Unit: 'Milliseconds' },
            { Name: ROUTE_CALL_METRICS.stale, Unit: 'Count' },
          ],
        },
      ],
    });
    // The dimension's value is a top-level string of the same line, as EMF requires.
    expect(line[ROUTE_CALL_STATUS_DIMENSION]).toBe('found');
    expect(line).toMatchObject({
      [ROUTE_CALL_METRICS.calls]: 1,
      [ROUTE_CALL_METRICS.cacheHit]: 1,
      [ROUTE_CALL_METRICS.stale]: 0,
    });
    expect(line[ROUTE_CALL_METRICS.lookupMs]).toBe(line.lookupMs);
  });

  it('counts a stale answer and an error answer', async () => {
    const stale = await lineFor({
      kind: 'found',
      entry: EXAMPLE_ENTRY,
      cacheHit: true,
      stale: { ageMs: 90_000, reason: 'ThrottlingException' },
    });
    expect(stale).toMatchObject({ stale: true, [ROUTE_CALL_METRICS.stale]: 1 });
    const error = await lineFor({ kind: 'error', reason: 'ThrottlingException', cacheHit: false });
    expect(error).toMatchObject({
      status: 'error',
      [ROUTE_CALL_METRICS.calls]: 1,
      [ROUTE_CALL_METRICS.cacheHit]: 0,
    });
  });

  it('counts an event without a dialed number as unknown', async () => {
    const line = await lineFor(
      { kind: 'unknown', cacheHit: false },
      contactFlowEvent({ system: null }),
    );
    expect(line).toMatchObject({ status: 'unknown', [ROUTE_CALL_METRICS.calls]: 1 });
  });
});
