import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboundNumber } from '../../lambdas/domain/portfolio.js';
import {
  handler,
  InvalidRoutingEntriesError,
  planRoutingTableSync,
  RoutingLoopError,
  RoutingTableNotFoundError,
  syncRoutingTable,
  UnprocessedWritesError,
} from '../../lambdas/handlers/sync-routing-table.js';
import { customResourceEvents, trackingEntry } from '../support/fixtures.js';

const TABLE = 'calltrack-routing';

const A = trackingEntry('+15125550101', 'austin-google');
const B = trackingEntry('+15125550102', 'austin-bing');
const C = trackingEntry('+15125550103', 'austin-radio');

const props = (
  entries: readonly unknown[],
  published: readonly InboundNumber[] = [],
  table = TABLE,
) => ({
  TableName: table,
  Entries: JSON.stringify(entries),
  PublishedNumbers: JSON.stringify(published),
});

const events = customResourceEvents('RoutingTableSync');
const createEvent = events.create;
const updateEvent = (p: ReturnType<typeof props>, old: ReturnType<typeof props>) =>
  events.update(p, old, `routing-table:${old.TableName}`);
const deleteEvent = (p: Record<string, string>, physicalId = `routing-table:${TABLE}`) =>
  events.remove(p, physicalId);

describe('planRoutingTableSync', () => {
  it('puts every entry on Create and deletes nothing', () => {
    const plan = planRoutingTableSync(createEvent(props([A, B])));

    expect(plan).toEqual({
      physicalResourceId: `routing-table:${TABLE}`,
      tableName: TABLE,
      put: [A, B],
      remove: [],
    });
  });

  it('on Update puts the new entries and removes only the numbers no longer declared', () => {
    const plan = planRoutingTableSync(updateEvent(props([A, C]), props([A, B])));

    expect(plan.put.map((e) => e.trackingNumber)).toEqual([A.trackingNumber, C.trackingNumber]);
    expect(plan.remove).toEqual([B.trackingNumber]);
    expect(plan.physicalResourceId).toBe(`routing-table:${TABLE}`);
  });

  it('on Update to another table removes nothing from the new one (the old one gets a Delete)', () => {
    const plan = planRoutingTableSync(updateEvent(props([A], [], 'new-table'), props([A, B])));

    expect(plan.physicalResourceId).toBe('routing-table:new-table');
    expect(plan.remove).toEqual([]);
  });

  it('on Delete removes every entry and echoes the physical id', () => {
    const plan = planRoutingTableSync(deleteEvent(props([A, B]), 'routing-table:whatever'));

    expect(plan).toEqual({
      physicalResourceId: 'routing-table:whatever',
      tableName: TABLE,
      put: [],
      remove: [A.trackingNumber, B.trackingNumber],
    });
  });

  it('on Delete never throws on properties it cannot read (a rolled-back Create)', () => {
    const plan = planRoutingTableSync(deleteEvent({ TableName: TABLE, Entries: 'not json' }));

    expect(plan.remove).toEqual([]);
  });

  it('fails naming the entry whose tracking number is not E.164', () => {
    const bad = { ...B, trackingNumber: '512-555-0102' };

    expect(() => planRoutingTableSync(createEvent(props([A, bad])))).toThrowError(
      /Entries\[1\] \(austin-bing 512-555-0102\) trackingNumber is not an E\.164 number/,
    );
  });

  it('fails naming the nested field that is wrong', () => {
    const bad = { ...A, route: { ...A.route, ringTimeoutSeconds: 0, timeZone: 'Mars/Olympus' } };

    const act = () => planRoutingTableSync(createEvent(props([bad])));

    expect(act).toThrowError(InvalidRoutingEntriesError);
    expect(act).toThrowError(
      /Entries\[0\] \(austin-google \+15125550101\) route\.ringTimeoutSeconds/,
    );
    expect(act).toThrowError(/route\.timeZone is not an IANA time zone/);
  });

  it('fails on a queue target that is no queue ARN, and on a recording without disclosure', () => {
    const bad = {
      ...A,
      route: {
        ...A.route,
        recording: { enabled: true },
        fallback: { type: 'queue', queueArn: 'call-center' },
      },
    };

    const act = () => planRoutingTableSync(createEvent(props([bad])));

    expect(act).toThrowError(/route\.fallback\.queueArn is not a Connect queue ARN/);
    expect(act).toThrowError(/route\.recording\.disclosure must be a string/);
  });

  it('fails on an entry the portfolio does not own', () => {
    expect(() => planRoutingTableSync(createEvent(props([{ ...A, owner: 'api' }])))).toThrowError(
      /owner must be "portfolio"/,
    );
  });

  it('fails when Entries is not JSON, or TableName is missing', () => {
    const event = createEvent({ ...props([]), TableName: '', Entries: '[{' });

    expect(() => planRoutingTableSync(event)).toThrowError(
      /TableName must be the name of the routing table; Entries is not valid JSON/,
    );
  });

  it('fails when one tracking number is declared twice', () => {
    const twin = { ...B, trackingNumber: A.trackingNumber };

    expect(() => planRoutingTableSync(createEvent(props([A, twin])))).toThrowError(
      /tracking number \+15125550101 is declared twice \(austin-google and austin-bing\)/,
    );
  });

  it('fails when a ring-to is a tracking number claimed by the stack', () => {
    const loop = trackingEntry('+15125550104', 'austin-tv', A.trackingNumber);

    const act = () => planRoutingTableSync(createEvent(props([A, loop])));

    expect(act).toThrowError(RoutingLoopError);
    expect(act).toThrowError(
      /location austin-north \(via austin-tv\) ring-to is \+15125550101, which is also tracking number austin-google/,
    );
  });

  it('fails when a ring-to is a published number', () => {
    const published = [
      { number: '+15125550199', declaredBy: 'locations[0] (austin).publishedNumbers[0]' },
    ];

    expect(() => planRoutingTableSync(createEvent(props([A], published)))).toThrowError(
      /\+15125550199, which is also locations\[0\] \(austin\)\.publishedNumbers\[0\]/,
    );
  });

  it('fails naming what is wrong with the Catalog property', () => {
    const notJson = createEvent({ ...props([A]), Catalog: '{' } as ReturnType<typeof props>);
    expect(() => planRoutingTableSync(notJson)).toThrowError(/Catalog is not valid JSON/);

    const catalog = { defaults: {}, queues: [], locations: [], trackingNumbers: [{ number: '1' }] };
    const bad = createEvent({ ...props([A]), Catalog: JSON.stringify(catalog) } as ReturnType<
      typeof props
    >);
    expect(() => planRoutingTableSync(bad)).toThrowError(
      /Catalog declaredIn must name the portfolio file; Catalog defaults must hold staticFallbackNumber; Catalog trackingNumbers\[0\]\.number is not an E\.164 number/,
    );
  });

  it('plans the catalog on Create, and its removal on Delete', () => {
    const catalog = {
      declaredIn: 'config/portfolio.yaml',
      defaults: { staticFallbackNumber: '+15125550199' },
      queues: [],
      locations: [],
      trackingNumbers: [],
    };
    const withCatalog = { ...props([A]), Catalog: JSON.stringify(catalog) };
    expect(
      planRoutingTableSync(createEvent(withCatalog as ReturnType<typeof props>)).catalog,
    ).toEqual(catalog);
    expect(planRoutingTableSync(deleteEvent(withCatalog)).removeCatalog).toBe(true);
    expect(planRoutingTableSync(deleteEvent(props([A]))).removeCatalog).toBeUndefined();
  });

  it('accepts a resource without PublishedNumbers', () => {
    const { PublishedNumbers: _, ...withoutPublished } = props([A]);

    expect(
      planRoutingTableSync(createEvent(withoutPublished as ReturnType<typeof props>)).put,
    ).toHaveLength(1);
  });
});

describe('syncRoutingTable', () => {
  const ddb = mockClient(DynamoDBClient);
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
    const result = await sync(createEvent(props(many)));

    // Assess
    expect(result).toEqual({
      PhysicalResourceId: `routing-table:${TABLE}`,
      Data: { EntryCount: '30' },
    });
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
    await sync(createEvent(props([A, B])));

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

    await expect(sync(createEvent(props([A])))).rejects.toThrowError(UnprocessedWritesError);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 8);
  });

  it('on Update deletes the removed number only if the portfolio still owns it', async () => {
    await sync(updateEvent(props([A]), props([A, B])));

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
    const result = await sync(deleteEvent(props([A, B])));

    // Assess
    expect(result).toEqual({ PhysicalResourceId: `routing-table:${TABLE}` });
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

    await expect(sync(deleteEvent(props([A])))).resolves.toEqual({
      PhysicalResourceId: `routing-table:${TABLE}`,
    });
  });

  it('on Create fails with a message to act on when the table does not exist', async () => {
    ddb
      .on(BatchWriteItemCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} }),
      );

    await expect(sync(createEvent(props([A])))).rejects.toThrowError(RoutingTableNotFoundError);
    await expect(sync(createEvent(props([A])))).rejects.toThrowError(/deploy the data stack first/);
  });

  it('propagates other errors of a conditional delete', async () => {
    ddb.on(DeleteItemCommand).rejects(new Error('AccessDenied'));

    await expect(sync(deleteEvent(props([A])))).rejects.toThrowError('AccessDenied');
  });

  it('writes nothing when the portfolio has a loop', async () => {
    const loop = trackingEntry('+15125550104', 'austin-tv', A.trackingNumber);

    await expect(sync(createEvent(props([A, loop])))).rejects.toThrowError(RoutingLoopError);
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('is exported as a middy handler over a module-scope client', async () => {
    const logged = vi.spyOn(console, 'log').mockImplementation(() => {});

    const result = await handler(createEvent(props([A])), {} as Context);

    expect(result).toEqual({
      PhysicalResourceId: `routing-table:${TABLE}`,
      Data: { EntryCount: '1' },
    });
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
    expect(logged).toHaveBeenCalledTimes(1);
    logged.mockRestore();
  });
});
