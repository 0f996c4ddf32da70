import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  type ApiCatalog,
  apiRoutingEntries,
  type CatalogView,
  catalogProblems,
  EMPTY_API_CATALOG,
  type PortfolioCatalog,
} from '../../domain/catalog.js';
import { DYNAMODB_MAX_ITEM_BYTES, itemBytes } from './item-size.js';
import { routingKey } from './routing-items.js';
import { putRoutingEntries, type WriteOptions } from './routing-table-writer.js';

/**
 * The catalog items of the routing table: `pk = CATALOG#portfolio` (written at deploy and by local
 * mode) and `pk = CATALOG#api` (written by the management API). Reading the whole catalog is two
 * GetItems, never a Scan. Neither item has a `locationId`, so neither appears in `byLocation`.
 *
 * Size: an item holds at most 400 KB. A location takes about 0.7 KB (2 KB with a 500-character
 * disclosure and menu prompt), a tracking number about 0.15 KB, so the API's item holds e.g. 300
 * locations and 1,000 tracking numbers; a write past the limit is refused (CatalogFullError).
 */

export const PORTFOLIO_CATALOG_PK = 'CATALOG#portfolio';
export const API_CATALOG_PK = 'CATALOG#api';

/** The API's catalog changed since it was read: read again and retry. */
export class CatalogConflictError extends Error {
  constructor() {
    super('the catalog was changed by another request since it was read');
    this.name = 'CatalogConflictError';
  }
}

/** The API's catalog item would pass DynamoDB's 400 KB item limit. */
export class CatalogFullError extends Error {
  constructor() {
    super(
      'the API catalog is full (DynamoDB item limit of 400 KB): delete unused locations or tracking numbers, or move them into the portfolio file',
    );
    this.name = 'CatalogFullError';
  }
}

const key = (pk: string) => ({ pk: { S: pk } });

const getItem = async (client: DynamoDBClient, tableName: string, pk: string) =>
  (
    await client.send(
      new GetItemCommand({ TableName: tableName, Key: key(pk), ConsistentRead: true }),
    )
  )?.Item;

/** The portfolio's catalog, or undefined before the first deploy. */
export const readPortfolioCatalog = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<PortfolioCatalog | undefined> => {
  const item = await getItem(client, tableName, PORTFOLIO_CATALOG_PK);
  if (!item) return undefined;
  const { pk: _pk, kind: _kind, updatedAt: _updatedAt, ...catalog } = unmarshall(item);
  return catalog as PortfolioCatalog;
};

/** The API's catalog; empty (version 0) before its first write. */
export const readApiCatalog = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<ApiCatalog> => {
  const item = await getItem(client, tableName, API_CATALOG_PK);
  if (!item) return EMPTY_API_CATALOG;
  const { pk: _pk, kind: _kind, updatedAt: _updatedAt, ...catalog } = unmarshall(item);
  return catalog as ApiCatalog;
};

const portfolioCatalogItem = (catalog: PortfolioCatalog, updatedAt: string) =>
  marshall(
    { pk: PORTFOLIO_CATALOG_PK, kind: 'catalog', ...catalog, updatedAt },
    { removeUndefinedValues: true },
  );

/** Writes the portfolio's catalog (a put: a repeat leaves the same item). */
export const putPortfolioCatalog = async (
  client: DynamoDBClient,
  tableName: string,
  catalog: PortfolioCatalog,
  updatedAt: string,
): Promise<void> => {
  await client.send(
    new PutItemCommand({ TableName: tableName, Item: portfolioCatalogItem(catalog, updatedAt) }),
  );
};

export const deletePortfolioCatalog = async (
  client: DynamoDBClient,
  tableName: string,
): Promise<void> => {
  await client.send(
    new DeleteItemCommand({ TableName: tableName, Key: key(PORTFOLIO_CATALOG_PK) }),
  );
};

/**
 * Writes the API's catalog if it is still at `expectedVersion` (0: not written yet), as version
 * `expectedVersion + 1`. Throws {@link CatalogConflictError} when another write came first.
 */
export const putApiCatalog = async (
  client: DynamoDBClient,
  tableName: string,
  catalog: Omit<ApiCatalog, 'version'>,
  expectedVersion: number,
  updatedAt: string,
): Promise<void> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(
          {
            pk: API_CATALOG_PK,
            kind: 'catalog',
            locations: catalog.locations,
            trackingNumbers: catalog.trackingNumbers,
            version: expectedVersion + 1,
            updatedAt,
          },
          { removeUndefinedValues: true },
        ),
        ...(expectedVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'version = :expected',
              ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
            }),
      }),
    );
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw new CatalogConflictError();
    if (error instanceof Error && /item size/i.test(error.message)) throw new CatalogFullError();
    throw error;
  }
};

/**
 * Deletes a tracking number's routing item if the API owns it; a portfolio-owned item is never
 * touched. Returns whether it was deleted.
 */
export const deleteApiRoutingEntry = async (
  client: DynamoDBClient,
  tableName: string,
  trackingNumber: string,
): Promise<boolean> => {
  try {
    await client.send(
      new DeleteItemCommand({
        TableName: tableName,
        Key: routingKey(trackingNumber),
        ConditionExpression: '#owner = :api',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':api': { S: 'api' } },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

// ---------------------------------------------------------------------------------------------
// Deploy-time sync of the portfolio's part (the custom resource and local mode)
// ---------------------------------------------------------------------------------------------

/** The portfolio and the API's part cannot stand together: the problems, loops apart. */
export class CatalogRulesError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly loops: readonly string[],
  ) {
    super(
      `the portfolio conflicts with locations or tracking numbers added through the management API: ${[...problems, ...loops].join('; ')}`,
    );
    this.name = 'CatalogRulesError';
  }
}

/** The portfolio's catalog would pass DynamoDB's 400 KB item limit. */
export class PortfolioCatalogTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly trackingNumbers: number,
  ) {
    super(
      `the portfolio's catalog of ${trackingNumbers} tracking numbers is ${Math.ceil(bytes / 1024)} KB, over DynamoDB's 400 KB item: deploy part of the portfolio as another stage (-c stackPrefix=... -c portfolio=<its own file>), or shorten long disclosures and menu prompts`,
    );
    this.name = 'PortfolioCatalogTooLargeError';
  }
}

/**
 * The catalog a deploy would leave: this portfolio's part beside the API's current one, checked
 * with the file's rules (an API-added number may not make a loop with the new file, nor name a
 * location the file drops), and small enough for its item. Throws {@link CatalogRulesError} or
 * {@link PortfolioCatalogTooLargeError} before anything is written.
 */
export const checkPortfolioCatalog = async (
  client: DynamoDBClient,
  tableName: string,
  portfolio: PortfolioCatalog,
): Promise<CatalogView> => {
  // Every ISO timestamp has the same length: this is the size of the item as it will be put.
  const bytes = itemBytes(portfolioCatalogItem(portfolio, new Date(0).toISOString()));
  if (bytes > DYNAMODB_MAX_ITEM_BYTES) {
    throw new PortfolioCatalogTooLargeError(bytes, portfolio.trackingNumbers.length);
  }
  const view: CatalogView = { portfolio, api: await readApiCatalog(client, tableName) };
  const { problems, loops } = catalogProblems(view);
  if (problems.length > 0 || loops.length > 0) throw new CatalogRulesError(problems, loops);
  return view;
};

/**
 * Writes the portfolio's catalog item, then rewrites the routing items of the API's numbers at
 * the file's locations: they embed the location's route, which this deploy may have changed.
 * Returns how many API items were rewritten.
 */
export const writePortfolioCatalog = async (
  client: DynamoDBClient,
  tableName: string,
  view: CatalogView,
  options: WriteOptions,
): Promise<number> => {
  await putPortfolioCatalog(client, tableName, view.portfolio, options.updatedAt);
  const fileLocations = new Set(view.portfolio.locations.map((l) => l.id));
  const entries = apiRoutingEntries(view, (t) => fileLocations.has(t.location));
  await putRoutingEntries(client, tableName, entries, options);
  return entries.length;
};
