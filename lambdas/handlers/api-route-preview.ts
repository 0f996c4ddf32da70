import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import inboundFlowTemplate from '../../contact-flows/inbound-call.json';
import { readPortfolioCatalog } from '../adapters/dynamodb/catalog-store.js';
import { createRoutingLookup } from '../adapters/dynamodb/routing-table-reader.js';
import { ApiError, type ApiRequest, type RouteHandler } from '../adapters/http/api-contract.js';
import { DEFAULT_ROUTE_BUDGET_MS } from '../contracts/environment.js';
import { isE164, NOT_E164 } from '../domain/phone-number.js';
import { createPreviewRoute } from '../use-cases/route-preview.js';

/**
 * GET /route-preview?to=…&from=…&at=…: what the flow would do with that call (see
 * use-cases/route-preview.ts), on the deployed routing table and the bundled inbound flow
 * (contact-flows/inbound-call.json). Nothing is dialed and nothing is written.
 */

const QUERY_KEYS = ['to', 'from', 'at'];

export interface RoutePreviewDependencies {
  readonly client: DynamoDBClient;
  readonly routingTableName: string;
  readonly clock?: () => Date;
  /** The flow template, placeholders and all. @default contact-flows/inbound-call.json */
  readonly flowTemplate?: unknown;
}

const parseQuery = (query: Readonly<Record<string, string>>, clock: () => Date) => {
  const problems: string[] = [];
  for (const key of Object.keys(query)) {
    if (!QUERY_KEYS.includes(key)) {
      problems.push(`${key} is not a parameter of the route preview: use to, from and at`);
    }
  }
  // A `+` in a query string arrives as a space when not written %2B.
  const number = (key: string) => query[key]?.replace(/^ /, '+');
  const to = number('to');
  if (to === undefined) problems.push(`to is required: the dialed number, e.g. +15125550151`);
  else if (!isE164(to)) problems.push(`to ${NOT_E164}; in a URL write + as %2B`);
  const from = number('from');
  if (from !== undefined && !isE164(from))
    problems.push(`from ${NOT_E164}; in a URL write + as %2B`);
  let at = clock();
  if (query.at !== undefined) {
    at = new Date(query.at);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(query.at) || Number.isNaN(at.getTime())) {
      problems.push('at is not an ISO 8601 timestamp: write e.g. 2027-03-01T15:00:00Z');
    }
  }
  if (problems.length > 0) {
    throw new ApiError(400, 'invalid-query', 'the route preview query is not valid', problems);
  }
  return { to: to as string, from, at };
};

export const createRoutePreview = ({
  client,
  routingTableName,
  clock = () => new Date(),
  flowTemplate = inboundFlowTemplate,
}: RoutePreviewDependencies): RouteHandler => {
  const previewRoute = createPreviewRoute({
    // No cache: a preview right after an edit must see it.
    lookup: createRoutingLookup({
      client,
      tableName: routingTableName,
      budgetMs: DEFAULT_ROUTE_BUDGET_MS,
      cacheTtlMs: 0,
      negativeCacheTtlMs: 0,
    }),
    readPortfolio: () => readPortfolioCatalog(client, routingTableName),
    flowTemplate,
  });
  return async (request: ApiRequest) => {
    const query = parseQuery(request.query, clock);
    const contactId = `route-preview-${request.requestId}`;
    return { statusCode: 200, body: await previewRoute({ ...query, contactId }) };
  };
};
