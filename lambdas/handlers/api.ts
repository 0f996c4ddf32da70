import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import middy from '@middy/core';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { readCursorKey } from '../adapters/cursor-secret.js';
import { type Api, createApi } from './api-core.js';
import { createRouteHandlers } from './api-routes.js';

/**
 * The API Lambda (API Gateway HTTP API, payload v2, JWT authorizer): the wiring of api-core.ts and
 * the route handlers to this function's environment.
 */

export interface ApiConfig {
  readonly tableName: string;
  readonly routingTableName: string;
  readonly recordingsBucket: string;
  readonly cursorSecretArn: string;
}

/**
 * Reads CALL_LOG_TABLE_NAME, ROUTING_TABLE_NAME, RECORDINGS_BUCKET_NAME and CURSOR_SECRET_ARN (all
 * required).
 */
export const readApiConfig = (env: Record<string, string | undefined>): ApiConfig => {
  const required = (name: string, what: string): string => {
    const value = env[name]?.trim();
    if (!value) {
      throw new Error(`api: environment variable ${name} is missing or empty: set it to ${what}`);
    }
    return value;
  };
  return {
    tableName: required('CALL_LOG_TABLE_NAME', 'the call log table name'),
    routingTableName: required('ROUTING_TABLE_NAME', 'the routing table name'),
    recordingsBucket: required('RECORDINGS_BUCKET_NAME', 'the recordings bucket name'),
    cursorSecretArn: required('CURSOR_SECRET_ARN', 'the ARN of the cursor signing secret'),
  };
};

// Bounded per-attempt times, so a hung connection becomes a 503 well within API Gateway's 30 s.
const requestHandler = new NodeHttpHandler({ connectionTimeout: 1_000, requestTimeout: 5_000 });
const dynamo = new DynamoDBClient({ maxAttempts: 3, requestHandler });
const s3 = new S3Client({});
const secrets = new SecretsManagerClient({});
let production: Promise<Api> | undefined;

const build = async (): Promise<Api> => {
  const config = readApiConfig(process.env);
  return createApi(
    createRouteHandlers({
      dynamo,
      callLogTableName: config.tableName,
      routingTableName: config.routingTableName,
      s3,
      recordingsBucket: config.recordingsBucket,
      cursorKey: await readCursorKey(secrets, config.cursorSecretArn),
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
