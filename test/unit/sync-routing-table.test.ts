import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { CatalogRulesError } from '../../lambdas/adapters/dynamodb/catalog-store.js';
import { UnprocessedWritesError } from '../../lambdas/adapters/dynamodb/routing-table-writer.js';
import { RoutingLoopError } from '../../lambdas/domain/routing-table-plan.js';
import { handler } from '../../lambdas/handlers/sync-routing-table.js';
import {
  RoutingTableNotFoundError,
  syncRoutingTable,
} from '../../lambdas/use-cases/sync-routing-table.js';
import { customResourceEvents, trackingEntry } from '../support/fixtures.js';
import {
  ROUTING_TABLE,
  resourceChanges,
  routingTableProps,
  routingTableUpdate,
} from '../support/resource-changes.js';

const TABLE = ROUTING_TABLE;

const A = trackingEntry('+15125550101', 'austin-google');
const B = trackingEntry('+15125550102', 'austin-bing');

const props = routingTableProps;
const createChange = resourceChanges.create;
const updateChange = routingTableUpdate;
const deleteChange = (p: Record<string, string>) =>
  resourceChanges.remove(p, `routing-table:${TABLE}`);

const ddb = mockClient(DynamoDBClient);

const CATALOG = {
  declaredIn: 'config/portfolio.yaml',
  defaults: { staticFallbackNumber: '+15125550199' },
  queues: [],
  locations: [],
  trackingNumbers: [],
};
const withCatalog = (p: ReturnType<typeof props>) => ({ ...p, Catalog: JSON.stringify(CATALOG) });

describe('syncRoutingTable', () => {
  const sleep = vi.fn(async (_ms: number) => {});
  const log = vi.fn();
  const sync = syncRoutingTable({
    dynamodb: new DynamoDBClient({ region: 'us-east-1' }),
    now: () => new Date('2025-01-02T03:04:05.000Z'),
    sleep,
    log,
  });

  beforeEach(() => {
    ddb.reset();
    sleep.mockClear();
    log.mockClear();
    ddb.on(BatchWriteItemCommand).resolves({});
    ddb.on(DeleteItemCommand).resolves({});
  });

  it('writes entries in batches of 25 and reports the count', async () => {
    // Prepare
    const many = Array.from({ length: 30 }, (_, i) =>
      trackingEntry(`+1512555${String(1000 + i)}`, `tn-${i}`),
    );

    // Act
    const result = await sync(createChange(props(many)));

    // Assess
    expect(result).toEqual({ physicalResourceId: `routing-table:${TABLE}`, entryCount: 30 });
    const batches = ddb.commandCalls(BatchWriteItemCommand);
    expect(batches.map((c) => c.args[0].input.RequestItems?.[TABLE]?.length)).toEqual([25, 5]);
    const first = batches[0]?.args[0].input.RequestItems?.[TABLE]?.[0]?.PutRequest?.Item;
    expect(first?.pk).toEqual({ S: 'TN#+15125551000' });
    expect(first?.owner).toEqual({ S: 'portfolio' });
    expect(first?.updatedAt).toEqual({ S: '2025-01-02T03:04:05.000Z' });
    expect(ddb).not.toHaveReceivedCommand(DeleteItemCommand);
  });

  it('retries only the unprocessed items, with a pause', async () => {
    // Prepare
    const unprocessed = [{ PutRequest: { Item: { pk: { S: `TN#${B.trackingNumber}` } } } }];
    ddb
      .on(BatchWriteItemCommand)
      .resolvesOnce({ UnprocessedItems: { [TABLE]: unprocessed } })
      .resolves({});

    // Act
    await sync(createChange(props([A, B])));

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(BatchWriteItemCommand, 2, {
      RequestItems: { [TABLE]: unprocessed },
    });
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('fails after a bounded number of attempts when DynamoDB keeps throttling', async () => {
    const unprocessed = [{ PutRequest: { Item: { pk: { S: `TN#${A.trackingNumber}` } } } }];
    ddb.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { [TABLE]: unprocessed } });

    await expect(sync(createChange(props([A])))).rejects.toThrowError(UnprocessedWritesError);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 8);
  });

  it('on Update deletes the removed number only if the portfolio still owns it', async () => {
    await sync(updateChange(props([A]), props([A, B])));

    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TABLE,
      Key: { pk: { S: `TN#${B.trackingNumber}` } },
      ConditionExpression: '#owner = :portfolio',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':portfolio': { S: 'portfolio' } },
    });
  });

  it('on Delete removes every entry, tolerating items it does not own', async () => {
    // Prepare
    ddb
      .on(DeleteItemCommand, { Key: { pk: { S: `TN#${A.trackingNumber}` } } })
      .rejects(new ConditionalCheckFailedException({ message: 'owned by api', $metadata: {} }));

    // Act
    const result = await sync(deleteChange(props([A, B])));

    // Assess
    expect(result).toEqual({ physicalResourceId: `routing-table:${TABLE}`, entryCount: 0 });
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 2);
    expect(ddb).not.toHaveReceivedCommand(BatchWriteItemCommand);
    expect(JSON.parse(log.mock.calls[0]?.[0] as string)).toMatchObject({
      deleted: 1,
      leftAlone: 1,
    });
  });

  it('on Delete succeeds when the table is already gone', async () => {
    ddb
      .on(DeleteItemCommand)
      .rejects(new ResourceNotFoundException({ message: 'no table', $metadata: {} }));

    await expect(sync(deleteChange(props([A])))).resolves.toEqual({
      physicalResourceId: `routing-table:${TABLE}`,
      entryCount: 0,
    });
  });

  it('on Create fails with a message to act on when the table does not exist', async () => {
    ddb
      .on(BatchWriteItemCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }),
      );

    await expect(sync(createChange(props([A])))).rejects.toThrowError(RoutingTableNotFoundError);
    await expect(sync(createChange(props([A])))).rejects.toThrowError(
      /deploy the data stack first/,
    );
  });

  it('propagates other errors of a conditional delete', async () => {
    ddb.on(DeleteItemCommand).rejects(new Error('AccessDenied'));

    await expect(sync(deleteChange(props([A])))).rejects.toThrowError('AccessDenied');
  });

  it('writes nothing when the portfolio has a loop', async () => {
    const loop = trackingEntry('+15125550104', 'austin-tv', A.trackingNumber);

    await expect(sync(createChange(props([A, loop])))).rejects.toThrowError(RoutingLoopError);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('checks the catalog, writes the entries, then the catalog item', async () => {
    ddb.on(GetItemCommand).resolves({});
    ddb.on(PutItemCommand).resolves({});

    await sync(createChange(withCatalog(props([A]))));

    const order = ddb.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(order).toEqual(['GetItemCommand', 'BatchWriteItemCommand', 'PutItemCommand']);
    expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: TABLE,
      Item: expect.objectContaining({ pk: { S: 'CATALOG#portfolio' } }),
    });
    expect(JSON.parse(log.mock.calls[0]?.[0] as string)).toMatchObject({
      message: 'routing table synced',
      requestType: 'Create',
      written: 1,
      apiRewritten: 0,
    });
  });

  it('writes nothing when the catalog conflicts with what the API added', async () => {
    const apiCatalog = {
      pk: 'CATALOG#api',
      version: 1,
      locations: [],
      trackingNumbers: [
        { id: 'mailer', number: '+15125550182', location: 'gone', source: 'Direct mail' },
      ],
    };
    ddb.on(GetItemCommand).resolves({ Item: marshall(apiCatalog) });

    const result = sync(createChange(withCatalog(props([A]))));

    await expect(result).rejects.toThrowError(CatalogRulesError);
    await expect(result).rejects.toThrowError(/names location "gone", which does not exist/);
    expect(ddb).not.toHaveReceivedCommand(BatchWriteItemCommand);
  });

  it('deletes the catalog item with the stack', async () => {
    await sync(deleteChange(withCatalog(props([A]))));

    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TABLE,
      Key: { pk: { S: 'CATALOG#portfolio' } },
    });
  });
});

describe('the sync-routing-table handler', () => {
  const events = customResourceEvents('RoutingTableSync');
  let logged: MockInstance<typeof console.log>;

  beforeEach(() => {
    ddb.reset();
    ddb.on(BatchWriteItemCommand).resolves({});
    ddb.on(DeleteItemCommand).resolves({});
    logged = vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    logged.mockRestore();
  });

  it('is exported as a middy handler over a module-scope client', async () => {
    const result = await handler(events.create(props([A])), {} as Context);

    expect(result).toEqual({
      PhysicalResourceId: `routing-table:${TABLE}`,
      Data: { EntryCount: '1' },
    });
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('answers a Delete with the physical id CloudFormation holds, and no attributes', async () => {
    const result = await handler(events.remove(props([A]), 'routing-table:old'), {} as Context);

    expect(result).toEqual({ PhysicalResourceId: 'routing-table:old' });
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
  });
});
