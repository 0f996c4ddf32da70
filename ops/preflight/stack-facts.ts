/**
 * What the stacks deploy that preflight weighs against the account, and cannot read from AWS
 * before they exist. test/infra/preflight-stack-facts.test.ts holds each to the synthesized
 * templates, so a change in lib/ that this file misses fails there.
 */
import { capacityPlan, DEFAULT_CONNECT_CONCURRENT_CALLS } from '../../lib/config/capacity.js';

/** Concurrent executions the stacks' functions reserve for a concurrent-call quota. */
export const stackReservedConcurrency = (
  connectConcurrentCalls = DEFAULT_CONNECT_CONCURRENT_CALLS,
): number => {
  const plan = capacityPlan(connectConcurrentCalls);
  return plan.routeCall + plan.recordingControl + plan.ingest + plan.api;
};

/** With the default quota (-c connectConcurrentCalls unset). */
export const STACK_RESERVED_CONCURRENCY = stackReservedConcurrency();
