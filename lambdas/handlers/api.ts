import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { createBoundedDynamoClient } from '../adapters/dynamodb/bounded-client.js';
import { createEventBridgePublisher } from '../adapters/eventbridge/call-events.js';
import { type Api, createApi } from '../adapters/http/api-gateway.js';
import { readCursorKeys } from '../adapters/secrets-manager/cursor-secret.js';
import { apiEnvironment } from '../contracts/environment.js';
import { createRouteHandlers } from './api-routes.js';

/**
 * The API Lambda (API Gateway HTTP API, payload v2, JWT authorizer): the wiring of adapters/http/api-gateway.ts and
 * the route handlers to this function's environment.
 */

/**
 * Per-attempt limits of the API's DynamoDB client: every attempt of a hung connection ends, so it
 * becomes a 503 with Retry-After well within the function's 15 s timeout (3 × 3 s plus backoff),
 * not a timed-out Lambda that API Gateway answers with a bare 500.
 */
export const API_DYNAMO_LIMITS = {
  maxAttempts: 3,
  connectionTimeoutMs: 1_000,
  requestTimeoutMs: 3_000,
} as const;

/** The API's DynamoDB client (API_DYNAMO_LIMITS unless a test gives others). */
export const createApiDynamoClient = (
  config: Parameters<typeof createBoundedDynamoClient>[1] = {},
): DynamoDBClient => createBoundedDynamoClient(API_DYNAMO_LIMITS, config);

const dynamo = createApiDynamoClient();
const s3 = new S3Client({});
const secrets = new SecretsManagerClient({});
let production: Promise<Api> | undefined;

const build = async (): Promise<Api> => {
  const config = apiEnvironment.read(process.env);
  return createApi(
    createRouteHandlers({
      dynamo,
      callLogTableName: config.tableName,
      routingTableName: config.routingTableName,
      s3,
      recordingsBucket: config.recordingsBucket,
      cursorKey: await readCursorKeys(secrets, config.cursorSecretArn),
      ...(config.eventBusName
        ? { publishEvents: createEventBridgePublisher(config.eventBusName) }
        : {}),
      ...(config.contactRecordArchiveBucket
        ? { archive: { s3, bucket: config.contactRecordArchiveBucket } }
        : {}),
    }),
  );
};

/**
 * The Lambda handler. Settings and the cursor secret are read once, on the container's first
 * invocation (a failed read is retried by the next one); loading the module reads nothing, so
 * tests build their own API with createApi.
 */
export const handler = middy<
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2
>().handler(async (event) => {
  production ??= build().catch((error: unknown) => {
    production = undefined;
    throw error;
  });
  return (await production)(event);
});
