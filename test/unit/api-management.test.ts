import {
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiRequest } from '../../lambdas/adapters/http/api-contract.js';
import { apiErrorOf } from '../../lambdas/adapters/http/refusals.js';
import { createManagementHandlers } from '../../lambdas/handlers/api-management.js';
import { conditionFailed, withCatalogs } from '../support/catalog-mock.js';

const TABLE = 'calltrack-routing';
const dynamo = mockClient(DynamoDBClient);

const putNumber: ApiRequest = {
  operationId: 'putTrackingNumber',
  pathParameters: { number: '+15125550182' },
  query: {},
  body: { id: 'round-rock-mailer', location: 'round-rock', source: 'Direct mail' },
  scopes: new Set(['admin']),
  principal: 'test-client',
  requestId: 'r-1',
};

const handlers = () =>
  createManagementHandlers({
    client: new DynamoDBClient({}),
    routingTableName: TABLE,
    clock: () => new Date('2026-03-02T12:00:00.000Z'),
    sleep: async () => {},
  });

/** The ApiError the API answers a refused request with. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => apiErrorOf(error),
  );

describe('management handlers: optimistic concurrency on the API catalog', () => {
  beforeEach(() => {
    dynamo.reset();
    dynamo.on(BatchWriteItemCommand).resolves({});
  });

  it('writes version 1 only where no API catalog exists yet', async () => {
    withCatalogs(dynamo, undefined);
    dynamo.on(PutItemCommand).resolves({});
    const response = await handlers().putTrackingNumber(putNumber);
    expect(response.statusCode).toBe(201);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const put = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(put?.Item?.version).toEqual({ N: '1' });
    // The number's routing item is written once the catalog holds it.
    expect(dynamo).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
  });

  it('reads again and retries when another write won the race', async () => {
    withCatalogs(dynamo, 4);
    dynamo.on(PutItemCommand).rejectsOnce(conditionFailed()).resolves({});
    const response = await handlers().putTrackingNumber(putNumber);
    expect(response.statusCode).toBe(201);
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 2);
    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': { N: '4' } },
    });
  });

  it('answers 409 conflict after three lost races, writing no routing item', async () => {
    withCatalogs(dynamo, 4);
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    const error = await refusal(handlers().putTrackingNumber(putNumber));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'conflict' });
    expect(dynamo).toHaveReceivedCommandTimes(PutItemCommand, 3);
    expect(dynamo).not.toHaveReceivedCommand(BatchWriteItemCommand);
  });

  it('answers 503 not_deployed before the first deploy wrote the portfolio catalog', async () => {
    dynamo.on(GetItemCommand).resolves({});
    const error = await refusal(
      handlers().listLocations({ ...putNumber, operationId: 'listLocations', body: undefined }),
    );
    expect(error).toMatchObject({ status: 503, code: 'not-deployed' });
  });
});
