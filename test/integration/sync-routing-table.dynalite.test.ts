import { createHash } from 'node:crypto';
import { type DynamoDBClient, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toRoutingItem } from '../../lambdas/adapters/dynamodb/routing-items.js';
import { createRoutingLookup } from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import { ROUTING_TABLE } from '../../lambdas/contracts/tables.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { RoutingLoopError } from '../../lambdas/domain/routing-table-plan.js';
import { syncRoutingTableOnEvent } from '../../lambdas/handlers/sync-routing-table.js';
import { type LocalS3, startLocalS3 } from '../../local/s3.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { customResourceEvents, trackingEntry } from '../support/fixtures.js';

const A = trackingEntry('+15125550101', 'austin-google');
const B = trackingEntry('+15125550102', 'austin-bing');
const C = trackingEntry('+15125550103', 'austin-radio');

const events = customResourceEvents('RoutingTableSync');

const ASSETS_BUCKET = 'cdk-assets';

describe('sync-routing-table against dynalite, its document in s3rver', () => {
  let dynamo: LocalDynamo;
  let s3: LocalS3;
  let client: DynamoDBClient;
  let sync: ReturnType<typeof syncRoutingTableOnEvent>;
  let table: string;
  let tableCount = 0;

  /** Uploads the document as the asset publishing does (named by its hash); its properties. */
  const props = async (entries: readonly RoutingEntry[]) => {
    const text = JSON.stringify({ entries, publishedNumbers: [], catalog: undefined });
    const key = `${createHash('sha256').update(text).digest('hex')}.json`;
    await s3.client.send(new PutObjectCommand({ Bucket: ASSETS_BUCKET, Key: key, Body: text }));
    return { TableName: table, DocumentBucket: ASSETS_BUCKET, DocumentKey: key };
  };
  const create = async (entries: readonly RoutingEntry[]) => events.create(await props(entries));
  const update = async (entries: readonly RoutingEntry[], old: readonly RoutingEntry[]) =>
    events.update(await props(entries), await props(old), `routing-table:${table}`);
  const remove = async (entries: readonly RoutingEntry[]) =>
    events.remove(await props(entries), `routing-table:${table}`);

  /** Every item in the table, sorted by key. */
  const items = async () => {
    const { Items = [] } = await client.send(new ScanCommand({ TableName: table }));
    return Items.map((item) => unmarshall(item)).sort((x, y) =>
      String(x.pk).localeCompare(String(y.pk)),
    );
  };
  const ownersByNumber = async () =>
    Object.fromEntries((await items()).map((i) => [i.trackingNumber, i.owner]));

  beforeAll(async () => {
    dynamo = await startDynalite();
    s3 = await startLocalS3({ bucket: ASSETS_BUCKET });
    client = dynamo.client;
    sync = syncRoutingTableOnEvent({
      dynamodb: client,
      s3: s3.client,
      now: () => new Date('2025-03-01T12:00:00.000Z'),
      log: () => {},
    });
  });

  afterAll(async () => {
    await dynamo?.close();
    await s3?.close();
  });

  beforeEach(async () => {
    tableCount += 1;
    table = `routing-${tableCount}`;
    await dynamo.createTable(table, ROUTING_TABLE);
  });

  it('creates, updates away a number, then deletes', async () => {
    await expect(sync(await create([A, B, C]))).resolves.toEqual({
      PhysicalResourceId: `routing-table:${table}`,
      Data: { EntryCount: '3' },
    });
    const created = await items();
    expect(created.map((i) => i.pk)).toEqual([
      'TN#+15125550101',
      'TN#+15125550102',
      'TN#+15125550103',
    ]);
    expect(created[0]).toMatchObject({ kind: 'tracking-number', ...A });

    await sync(await update([A, C], [A, B, C]));
    expect(Object.keys(await ownersByNumber())).toEqual([A.trackingNumber, C.trackingNumber]);

    await sync(await remove([A, C]));
    expect(await items()).toEqual([]);
  });

  it('writes items that route-call reads back, through the same routing-entry check', async () => {
    await sync(await create([A, B]));
    const lookup = createRoutingLookup({ client, tableName: table, budgetMs: 1_500 });

    const found = await lookup.lookup(B.trackingNumber);

    expect(found).toEqual({ kind: 'found', entry: B, cacheHit: false });
  });

  it('never deletes an item the API owns', async () => {
    // Prepare: B was in the portfolio, then handed over to the API (owner api).
    await sync(await create([A, B]));
    await client.send(
      new PutItemCommand({
        TableName: table,
        Item: toRoutingItem({ ...B, owner: 'api' }, '2025-03-02T00:00:00.000Z'),
      }),
    );

    // Act: the portfolio drops B, then the stack is deleted.
    await sync(await update([A], [A, B]));
    const afterUpdate = await ownersByNumber();
    await sync(await remove([A, B]));

    // Assess
    expect(afterUpdate).toEqual({ [A.trackingNumber]: 'portfolio', [B.trackingNumber]: 'api' });
    expect(await ownersByNumber()).toEqual({ [B.trackingNumber]: 'api' });
  });

  it('fails a loop through a claimed number with a message naming it, writing nothing', async () => {
    // The ring-to of austin-tv is the number just claimed for austin-google.
    const loop = trackingEntry('+15125550104', 'austin-tv', A.trackingNumber);

    const result = sync(await create([A, loop]));

    await expect(result).rejects.toThrowError(RoutingLoopError);
    await expect(result).rejects.toThrowError(
      /ring-to is \+15125550101, which is also tracking number austin-google/,
    );
    expect(await items()).toEqual([]);
  });

  it('leaves the same items when Create runs twice', async () => {
    await sync(await create([A, B, C]));
    const first = await items();

    await sync(await create([A, B, C]));

    expect(first).toHaveLength(3);
    expect(await items()).toEqual(first);
  });

  it('on Update removes a portfolio entry that no properties name any more', async () => {
    // Prepare: B was written by a deploy whose properties are long gone.
    await sync(await create([A, B]));

    // Act
    await sync(await update([A, C], [A]));

    // Assess
    expect(Object.keys(await ownersByNumber())).toEqual([A.trackingNumber, C.trackingNumber]);
  });

  it("deletes the stack's entries even when the document is gone from the bucket", async () => {
    await sync(await create([A, B]));
    const gone = await remove([A, B]);
    await s3.client.send(
      new DeleteObjectCommand({
        Bucket: ASSETS_BUCKET,
        Key: String(gone.ResourceProperties.DocumentKey),
      }),
    );

    await sync(gone);

    expect(await items()).toEqual([]);
  });

  it('writes more entries than one batch holds', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      trackingEntry(`+1512555${2000 + i}`, `tn-${i}`),
    );

    await sync(await create(many));

    expect(await items()).toHaveLength(60);
  });
});
