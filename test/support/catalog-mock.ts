import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import {
  API_CATALOG_PK,
  PORTFOLIO_CATALOG_PK,
} from '../../lambdas/adapters/dynamodb/catalog-store.js';
import { type ApiCatalog, portfolioCatalogOf } from '../../lambdas/domain/catalog.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { DEFAULT_PORTFOLIO_PATH } from '../../local/routing-system.js';
import { EXAMPLE_NAMES } from './fixtures.js';

/** The catalog items of the routing table on a mocked DynamoDB client, for the management tests. */

/** The example portfolio's catalog, as a deploy writes it. */
export const PORTFOLIO_CATALOG = portfolioCatalogOf(
  loadPortfolio(DEFAULT_PORTFOLIO_PATH),
  EXAMPLE_NAMES,
  'config/portfolio.yaml',
);

/**
 * Answers the reads of both catalog items: the portfolio's, and the API's at `apiVersion`
 * (undefined: not written yet) holding `api`.
 */
export const withCatalogs = (
  dynamo: AwsClientStub<DynamoDBClient>,
  apiVersion: number | undefined,
  api: Omit<ApiCatalog, 'version'> = { locations: [], trackingNumbers: [] },
): void => {
  dynamo
    .on(GetItemCommand, { Key: { pk: { S: PORTFOLIO_CATALOG_PK } } })
    .resolves({ Item: marshall({ pk: PORTFOLIO_CATALOG_PK, ...PORTFOLIO_CATALOG }) });
  dynamo
    .on(GetItemCommand, { Key: { pk: { S: API_CATALOG_PK } } })
    .resolves(
      apiVersion === undefined
        ? {}
        : { Item: marshall({ pk: API_CATALOG_PK, version: apiVersion, ...api }) },
    );
};

export const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
