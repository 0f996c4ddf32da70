/**
 * What the stacks deploy that preflight weighs against the account, and cannot read from AWS
 * before they exist. test/infra/preflight-stack-facts.test.ts holds each to the synthesized
 * templates, so a change in lib/ that this file misses fails there.
 */

/** Concurrent executions the stacks' functions reserve (none sets reservedConcurrentExecutions). */
export const STACK_RESERVED_CONCURRENCY = 0;
