/**
 * How much Lambda concurrency the functions get, from Connect's concurrent-call quota.
 *
 * - route-call runs once per call, at its start, for at most its 3 s timeout; recording-control
 *   runs at most once at a time per call (suspend, then resume). So neither can have more
 *   invocations in flight than the instance has active calls: reserving the quota itself is the
 *   safe bound (a burst of new calls all arriving within 3 s is exactly when it is needed).
 * - The ingest and the API only need to be capped (reserved concurrency is also a ceiling): the
 *   ingest's Kinesis poller runs one batch per shard (on-demand streams start with 4) and retries
 *   what is throttled, so 10 only delays records; the API's 50 requests/s at ~0.2 s need ~10, and
 *   the cap of 20 makes a DynamoDB slowdown (15 s requests) throttle the API, not the calls. It is
 *   shared by the API's two functions: 15 for the read routes (dashboards), 5 for the admin ones.
 * - Lambda refuses reserved concurrency that leaves under 100 unreserved in the account, so the
 *   account's concurrent-executions limit must be at least the sum plus 100.
 */
export const DEFAULT_CONNECT_CONCURRENT_CALLS = 10; // Connect's default per-instance quota
export const INGEST_CONCURRENCY_CAP = 10;
export const API_CONCURRENCY_CAP = 20;
/** Of API_CONCURRENCY_CAP, what the read routes' function gets; the admin one has the rest. */
export const API_READ_CONCURRENCY_CAP = 15;
/** Lambda keeps this many executions unreserved in every account. */
export const LAMBDA_UNRESERVED_MINIMUM = 100;

export interface CapacityPlan {
  readonly routeCall: number;
  readonly recordingControl: number;
  readonly ingest: number;
  /** The API's two functions together. */
  readonly api: number;
  readonly apiRead: number;
  readonly apiAdmin: number;
  /** The account's concurrent-executions limit the deploy needs. */
  readonly accountLimitNeeded: number;
}

export const capacityPlan = (connectConcurrentCalls: number): CapacityPlan => {
  const routeCall = connectConcurrentCalls;
  const recordingControl = connectConcurrentCalls;
  const reserved = routeCall + recordingControl + INGEST_CONCURRENCY_CAP + API_CONCURRENCY_CAP;
  return {
    routeCall,
    recordingControl,
    ingest: INGEST_CONCURRENCY_CAP,
    api: API_CONCURRENCY_CAP,
    apiRead: API_READ_CONCURRENCY_CAP,
    apiAdmin: API_CONCURRENCY_CAP - API_READ_CONCURRENCY_CAP,
    accountLimitNeeded: reserved + LAMBDA_UNRESERVED_MINIMUM,
  };
};
