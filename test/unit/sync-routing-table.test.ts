import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  S3Client,
} from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import {
  CatalogRulesError,
  PortfolioCatalogTooLargeError,
} from '../../lambdas/adapters/dynamodb/catalog-store.js';
import { UnprocessedWritesError } from '../../lambdas/adapters/dynamodb/routing-table-writer.js';
import { ObjectNotFoundError } from '../../lambdas/adapters/s3/object-text.js';
import { deployTimePlaceholder } from '../../lambdas/domain/deploy-time-values.js';
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
const s3 = mockClient(S3Client);

/** A Scan page of the portfolio's items in the table, as the sync reads them before deleting. */
const portfolioItems = (...numbers: string[]) => ({
  Items: numbers.map((n) => ({ trackingNumber: { S: n } })),
});

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
    s3: new S3Client({ region: 'us-east-1' }),
    now: () => new Date('2025-01-02T03:04:05.000Z'),
    sleep,
    log,
  });

  beforeEach(() => {
    ddb.reset();
    s3.reset();
    sleep.mockClear();
    log.mockClear();
    ddb.on(BatchWriteItemCommand).resolves({});
    ddb.on(DeleteItemCommand).resolves({});
    ddb.on(ScanCommand).resolves(portfolioItems());
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
    ddb.on(ScanCommand).resolves(portfolioItems(A.trackingNumber, B.trackingNumber));

    await sync(updateChange(props([A]), props([A, B])));

    expect(ddb).toHaveReceivedCommandWith(ScanCommand, {
      TableName: TABLE,
      ConsistentRead: true,
      FilterExpression: '#owner = :portfolio AND #kind = :trackingNumber',
    });
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TABLE,
      Key: { pk: { S: `TN#${B.trackingNumber}` } },
      ConditionExpression: '#owner = :portfolio',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':portfolio': { S: 'portfolio' } },
    });
  });

  it('removes what the table holds for the portfolio, page by page, not what old properties list', async () => {
    // Prepare: C was left by an earlier deploy; the old properties do not name it.
    ddb
      .on(ScanCommand)
      .resolvesOnce({ ...portfolioItems(A.trackingNumber), LastEvaluatedKey: { pk: { S: 'x' } } })
      .resolvesOnce(portfolioItems('+15125550103'));

    // Act
    await sync(updateChange(props([A]), props([A, B])));

    // Assess
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 2);
    expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      Key: { pk: { S: 'TN#+15125550103' } },
    });
  });

  it('on Create deletes nothing and reads nothing back', async () => {
    await sync(createChange(props([A])));

    expect(ddb).not.toHaveReceivedCommand(ScanCommand);
  });

  it('on Delete removes every entry, tolerating items it does not own', async () => {
    // Prepare
    ddb.on(ScanCommand).resolves(portfolioItems(A.trackingNumber, B.trackingNumber));
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
      .on(ScanCommand)
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
    ddb.on(ScanCommand).resolves(portfolioItems(A.trackingNumber));
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

  it("writes nothing when the catalog would pass DynamoDB's 400 KB item", async () => {
    const trackingNumbers = Array.from({ length: 4_000 }, (_, i) => ({
      id: `tn-${i}`,
      number: `+1512555${String(1_000 + i).padStart(4, '0')}`,
      location: 'austin-north',
      source: 'Google Ads',
      campaign: 'a campaign with a long and descriptive name',
    }));
    const big = { ...props([A]), Catalog: JSON.stringify({ ...CATALOG, trackingNumbers }) };

    const result = sync(createChange(big));

    await expect(result).rejects.toThrowError(PortfolioCatalogTooLargeError);
    await expect(result).rejects.toThrowError(
      /catalog of 4000 tracking numbers is \d+ KB, over DynamoDB's 400 KB item: deploy part of the portfolio as another stage/,
    );
    expect(ddb).not.toHaveReceivedAnyCommand();
  });

  it('deletes the catalog item with the stack', async () => {
    await sync(deleteChange(withCatalog(props([A]))));

    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: TABLE,
      Key: { pk: { S: 'CATALOG#portfolio' } },
    });
  });

  describe('with its document in S3', () => {
    const claimedKey = 'TrackingNumbersClaimA.Address';
    const CLAIMED = '+15125550177';
    const document = {
      entries: [A, { ...B, trackingNumber: deployTimePlaceholder(claimedKey) }],
      publishedNumbers: [],
      catalog: CATALOG,
    };
    const documentProps = {
      TableName: TABLE,
      DocumentBucket: 'cdk-assets',
      DocumentKey: 'abc123.json',
      DeployTimeValues: JSON.stringify({ [claimedKey]: CLAIMED }),
    };
    const bodyOf = (text: string) =>
      ({ transformToString: async () => text }) as unknown as GetObjectCommandOutput['Body'];

    beforeEach(() => {
      ddb.on(GetItemCommand).resolves({});
      ddb.on(PutItemCommand).resolves({});
      s3.on(GetObjectCommand).resolves({ Body: bodyOf(JSON.stringify(document)) });
    });

    it('reads the document it names and writes its entries with the claimed number filled in', async () => {
      // Act
      const result = await sync(createChange(documentProps));

      // Assess
      expect(result.entryCount).toBe(2);
      expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
        Bucket: 'cdk-assets',
        Key: 'abc123.json',
      });
      const written = ddb
        .commandCalls(BatchWriteItemCommand)
        .flatMap((c) => c.args[0].input.RequestItems?.[TABLE] ?? [])
        .map((r) => r.PutRequest?.Item?.trackingNumber?.S);
      expect(written).toEqual([A.trackingNumber, CLAIMED]);
      expect(ddb).toHaveReceivedCommandWith(PutItemCommand, {
        Item: expect.objectContaining({ pk: { S: 'CATALOG#portfolio' } }),
      });
    });

    it('on Delete reads no document: a stack whose asset is gone can still be deleted', async () => {
      ddb.on(ScanCommand).resolves(portfolioItems(A.trackingNumber));

      await sync(deleteChange(documentProps));

      expect(s3).not.toHaveReceivedAnyCommand();
      expect(ddb).toHaveReceivedCommandTimes(DeleteItemCommand, 2); // A, then the catalog
    });

    it('fails naming the object, writing nothing, when the document is missing', async () => {
      s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));

      const result = sync(createChange(documentProps));

      await expect(result).rejects.toThrowError(ObjectNotFoundError);
      await expect(result).rejects.toThrowError(/s3:\/\/cdk-assets\/abc123\.json does not exist/);
      expect(ddb).not.toHaveReceivedAnyCommand();
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
    ddb.on(ScanCommand).resolves(portfolioItems(A.trackingNumber));
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
