import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Per-attempt limits of a DynamoDB client: how many attempts, and how long each may take. */
export interface DynamoLimits {
  readonly maxAttempts: number;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * A DynamoDB client whose every attempt ends: a hung connection becomes a retried TimeoutError
 * instead of a request that holds the function until it times out. `throwOnRequestTimeout`:
 * without it, the handler only logs a warning when `requestTimeout` passes and the request waits on.
 */
export const createBoundedDynamoClient = (
  limits: DynamoLimits,
  config: Pick<DynamoDBClientConfig, 'region' | 'endpoint' | 'credentials'> &
    Partial<DynamoLimits> = {},
): DynamoDBClient => {
  const {
    maxAttempts = limits.maxAttempts,
    connectionTimeoutMs = limits.connectionTimeoutMs,
    requestTimeoutMs = limits.requestTimeoutMs,
    ...client
  } = config;
  return new DynamoDBClient({
    ...client,
    maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: connectionTimeoutMs,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
};
