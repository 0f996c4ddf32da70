import { readFileSync } from 'node:fs';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CatalogRulesError,
  readPortfolioCatalog,
} from '../../lambdas/adapters/dynamodb/catalog-store.js';
import { routingKey } from '../../lambdas/adapters/dynamodb/routing-items.js';
import { ROUTING_TABLE } from '../../lambdas/contracts/tables.js';
import { portfolioCatalogOf } from '../../lambdas/domain/catalog.js';
import { publishedNumbersOf } from '../../lambdas/domain/portfolio/loops.js';
import { parsePortfolio } from '../../lambdas/domain/portfolio/parse.js';
import { routingEntriesOf } from '../../lambdas/domain/portfolio/routing-entries.js';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import { RoutingLoopError } from '../../lambdas/domain/routing-table-plan.js';
import { createManagementHandlers } from '../../lambdas/handlers/api-management.js';
import { syncRoutingTableOnEvent } from '../../lambdas/handlers/sync-routing-table.js';
import { DEFAULT_PORTFOLIO_PATH } from '../../local/routing-system.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { customResourceEvents, EXAMPLE_NAMES, queueArn } from '../support/fixtures.js';

const TABLE = 'routing-catalog';
const FILE = 'config/portfolio.yaml';
const API_NUMBER = '+15125550182';
const events = customResourceEvents('RoutingTableSync');

/** The example portfolio, changed by `edit` (a raw YAML tree), validated as synth does. */
const portfolioWith = (edit: (raw: Record<string, any>) => void = () => {}): Portfolio => {
  const raw = parse(readFileSync(DEFAULT_PORTFOLIO_PATH, 'utf8')) as Record<string, any>;
  edit(raw);
  return parsePortfolio(raw, FILE);
};
const roundRock = (raw: Record<string, any>) =>
  raw.locations.find((l: { id: string }) => l.id === 'round-rock');

/** The properties the stack sends for a portfolio. */
const props = (portfolio: Portfolio) => ({
  TableName: TABLE,
  Entries: JSON.stringify(routingEntriesOf(portfolio, EXAMPLE_NAMES)),
  PublishedNumbers: JSON.stringify(publishedNumbersOf(portfolio)),
  Catalog: JSON.stringify(portfolioCatalogOf(portfolio, EXAMPLE_NAMES, FILE)),
});

describe('sync-routing-table writes the catalog and keeps API numbers routed', () => {
  let dynamo: LocalDynamo;
  let sync: ReturnType<typeof syncRoutingTableOnEvent>;
  const physicalId = `routing-table:${TABLE}`;
  let deployed = portfolioWith();

  const item = async (pk: string) => {
    const { Item } = await dynamo.client.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } } }),
    );
    return Item && unmarshall(Item);
  };
  const routeOf = async (number: string) =>
    (await dynamo.client.send(new GetItemCommand({ TableName: TABLE, Key: routingKey(number) })))
      .Item;
  const redeploy = (next: Portfolio) =>
    sync(events.update(props(next), props(deployed), physicalId)).then((result) => {
      deployed = next;
      return result;
    });

  beforeAll(async () => {
    dynamo = await startDynalite();
    await dynamo.createTable(TABLE, ROUTING_TABLE);
    sync = syncRoutingTableOnEvent({
      dynamodb: dynamo.client,
      // The properties carry the entries inline, as stacks before the S3 document sent them.
      s3: new S3Client({ region: 'us-east-1' }),
      now: () => new Date('2026-03-02T12:00:00.000Z'),
      sleep: async () => {},
      log: () => {},
    });
  });
  afterAll(async () => {
    await dynamo?.close();
  });

  it('writes the portfolio catalog with deployed names and the file', async () => {
    await sync(events.create(props(deployed)));
    const catalog = await readPortfolioCatalog(dynamo.client, TABLE);
    expect(catalog).toMatchObject({
      declaredIn: FILE,
      defaults: { staticFallbackNumber: '+15125550199' },
      queues: [{ id: 'call-center', name: 'Storage call center', arn: queueArn('call-center') }],
    });
    expect(catalog?.locations.map((l) => l.id)).toEqual([
      'austin-north',
      'round-rock',
      'denver-central',
    ]);
    expect(catalog?.trackingNumbers).toContainEqual({
      id: 'denver-central-mailer',
      number: '+13035550999',
      location: 'denver-central',
      source: 'Direct mail',
      campaign: 'spring-2027',
    });
  });

  it('re-routes an API number when its portfolio location changes', async () => {
    const api = createManagementHandlers({ client: dynamo.client, routingTableName: TABLE });
    await api.putTrackingNumber({
      operationId: 'putTrackingNumber',
      pathParameters: { number: API_NUMBER },
      query: {},
      body: { id: 'round-rock-mailer', location: 'round-rock', source: 'Direct mail' },
      scopes: new Set(['admin']),
      principal: 'test-client',
      requestId: 'r-1',
    });
    expect(unmarshall((await routeOf(API_NUMBER)) ?? {})).toMatchObject({
      owner: 'api',
      route: { ringTo: '+15125550111' },
    });

    await redeploy(
      portfolioWith((raw) => {
        roundRock(raw).ringTo = '+15125550112';
      }),
    );
    expect(unmarshall((await routeOf(API_NUMBER)) ?? {})).toMatchObject({
      owner: 'api',
      trackingId: 'round-rock-mailer',
      route: { ringTo: '+15125550112' },
    });
  });

  it('fails a deploy that would loop through an API number, writing nothing', async () => {
    const looping = portfolioWith((raw) => {
      roundRock(raw).ringTo = API_NUMBER;
    });
    const failed = sync(events.update(props(looping), props(deployed), physicalId));
    await expect(failed).rejects.toBeInstanceOf(RoutingLoopError);
    await expect(failed).rejects.toThrow(
      /location round-rock \(in config\/portfolio.yaml\) ringTo is \+15125550182, which is also tracking number \+15125550182 \(round-rock-mailer, added through the API\)/,
    );
    expect(unmarshall((await routeOf('+15125550160')) ?? {})).toMatchObject({
      route: { ringTo: '+15125550112' },
    });
  });

  it('fails a deploy that drops a location an API number still routes to', async () => {
    const dropped = portfolioWith((raw) => {
      raw.locations = raw.locations.filter((l: { id: string }) => l.id !== 'round-rock');
      raw.trackingNumbers = raw.trackingNumbers.filter(
        (t: { location: string }) => t.location !== 'round-rock',
      );
    });
    const failed = sync(events.update(props(dropped), props(deployed), physicalId));
    await expect(failed).rejects.toBeInstanceOf(CatalogRulesError);
    await expect(failed).rejects.toThrow(/names location "round-rock", which does not exist/);
    expect(await item('CATALOG#portfolio')).toMatchObject({
      locations: expect.arrayContaining([expect.objectContaining({ id: 'round-rock' })]),
    });
  });

  it('removes the catalog with the stack, leaving API numbers alone', async () => {
    await sync(events.remove(props(deployed), physicalId));
    expect(await item('CATALOG#portfolio')).toBeUndefined();
    expect(await item('TN#+15125550160')).toBeUndefined();
    expect(await item(`TN#${API_NUMBER}`)).toMatchObject({ owner: 'api' });
  });
});
