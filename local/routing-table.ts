import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { realSleep } from '../lambdas/adapters/cloudformation/custom-resource.js';
import {
  checkPortfolioCatalog,
  writePortfolioCatalog,
} from '../lambdas/adapters/dynamodb/catalog-store.js';
import {
  deleteUnlistedPortfolioEntries,
  putRoutingEntries,
} from '../lambdas/adapters/dynamodb/routing-table-writer.js';
import { portfolioCatalogOf } from '../lambdas/domain/catalog.js';
import { publishedNumbersOf, routingEntryLoops } from '../lambdas/domain/portfolio/loops.js';
import { routingEntriesOf } from '../lambdas/domain/portfolio/routing-entries.js';
import type { Portfolio } from '../lambdas/domain/portfolio/schema.js';
import type { RoutingEntry } from '../lambdas/domain/route.js';
import { parseRoutingEntry } from '../lambdas/domain/routing-entry.js';
import { type LocalStandIn, localDeployedNames } from './names.js';

/**
 * The portfolio's routing entries as a deploy would write them (owner `portfolio`), with the local
 * names filled in, and checked as the deploy checks them: each entry by the routing-entry validator
 * route-call reads with, and all of them for ring-to loops. Throws with every problem.
 */
export const localRoutingEntries = (
  portfolio: Portfolio,
  standIns: readonly LocalStandIn[],
): RoutingEntry[] => {
  const entries = routingEntriesOf(portfolio, localDeployedNames(portfolio, standIns));
  const problems = entries.flatMap((entry) => {
    const parsed = parseRoutingEntry(entry);
    return parsed.ok ? [] : parsed.problems.map((p) => `${entry.trackingId}: ${p}`);
  });
  problems.push(...routingEntryLoops(entries, publishedNumbersOf(portfolio)));
  if (problems.length > 0) {
    throw new Error(`the local routing entries are not valid:\n  - ${problems.join('\n  - ')}`);
  }
  return entries;
};

/**
 * Writes the entries as a deploy does (lambdas/adapters/dynamodb/routing-table-writer: put, so a repeat
 * leaves the same items, retrying unprocessed items with backoff), then deletes the items the
 * portfolio owned before but no longer declares (a persisted table from an earlier run); items
 * owned by the API stay. Returns how many items were written and removed.
 */
export const writeRoutingEntries = async (
  client: DynamoDBClient,
  tableName: string,
  entries: readonly RoutingEntry[],
  updatedAt: string = new Date().toISOString(),
): Promise<{ written: number; removed: number }> => {
  await putRoutingEntries(client, tableName, entries, { updatedAt, sleep: realSleep });

  // As a deploy does: the portfolio's items the table holds and the entries no longer list.
  const declared = new Set(entries.map((e) => e.trackingNumber));
  const { deleted } = await deleteUnlistedPortfolioEntries(client, tableName, declared);
  return { written: entries.length, removed: deleted };
};

/**
 * Writes the portfolio's catalog item (`CATALOG#portfolio`) as a deploy does: checked beside what
 * the management API added to a persisted table, then written, and the API's numbers at the file's
 * locations re-routed. `declaredIn` names the file in the API's refusals.
 */
export const writeLocalCatalog = async (
  client: DynamoDBClient,
  tableName: string,
  portfolio: Portfolio,
  standIns: readonly LocalStandIn[],
  declaredIn: string,
  updatedAt: string = new Date().toISOString(),
): Promise<void> => {
  const catalog = portfolioCatalogOf(
    portfolio,
    localDeployedNames(portfolio, standIns),
    declaredIn,
  );
  const view = await checkPortfolioCatalog(client, tableName, catalog);
  await writePortfolioCatalog(client, tableName, view, { updatedAt, sleep: realSleep });
};
