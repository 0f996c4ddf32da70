import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { realSleep } from '../adapters/cloudformation/custom-resource.js';
import {
  CatalogRulesError,
  checkPortfolioCatalog,
  deletePortfolioCatalog,
  writePortfolioCatalog,
} from '../adapters/dynamodb/catalog-store.js';
import { isMissingTable } from '../adapters/dynamodb/missing-table.js';
import {
  deleteUnlistedPortfolioEntries,
  putRoutingEntries,
} from '../adapters/dynamodb/routing-table-writer.js';
import { readObjectText } from '../adapters/s3/object-text.js';
import type { CatalogView } from '../domain/catalog.js';
import type { ResourceChange } from '../domain/resource-change.js';
import {
  documentLocationOf,
  planRoutingTableSync,
  RoutingLoopError,
  withDocumentInline,
} from '../domain/routing-table-plan.js';

/**
 * Deploys the portfolio's part of the routing table: the plan of one deploy step
 * (domain/routing-table-plan.ts) carried out against DynamoDB, its document read from S3. The
 * catalog is checked before anything is written; entries are put, the catalog written and the
 * API's numbers at the file's locations re-routed, then the entries the portfolio dropped are
 * deleted.
 */

/** The table named in TableName does not exist (wrong name, or the data stack is not deployed). */
export class RoutingTableNotFoundError extends Error {
  constructor(readonly tableName: string) {
    super(
      `routing table ${tableName} does not exist in this account and region: deploy the data stack first or check the TableName property`,
    );
    this.name = 'RoutingTableNotFoundError';
  }
}

export interface SyncRoutingTableDependencies {
  readonly dynamodb: DynamoDBClient;
  /** Reads the routing document the properties name (the stack's S3 asset). */
  readonly s3: S3Client;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** What a sync did: the resource's physical id and how many entries it wrote. */
export interface RoutingTableSynced {
  readonly physicalResourceId: string;
  readonly entryCount: number;
}

/**
 * The change with its document inline. A Delete needs only the table (what to delete is read
 * from it), so it reads no document: a stack whose asset is gone can still be deleted.
 */
const withDocument = async (s3: S3Client, change: ResourceChange): Promise<ResourceChange> => {
  if (change.requestType === 'Delete') return change;
  const location = documentLocationOf(change.properties);
  if (!location) return change;
  const text = await readObjectText(s3, location.bucket, location.key);
  return { ...change, properties: withDocumentInline(change.properties, text) };
};

/** The sync, with its collaborators passed in so tests can point it anywhere. */
export const syncRoutingTable =
  ({
    dynamodb,
    s3,
    now = () => new Date(),
    sleep = realSleep,
    log = (line) => console.log(line),
  }: SyncRoutingTableDependencies) =>
  async (change: ResourceChange): Promise<RoutingTableSynced> => {
    const plan = planRoutingTableSync(await withDocument(s3, change));
    const { tableName } = plan;
    let removed = { deleted: 0, skipped: 0 };
    let apiRewritten = 0;
    if (tableName) {
      try {
        // Checked before anything is written: a refused deploy leaves the table as it was.
        let view: CatalogView | undefined;
        if (plan.catalog) {
          try {
            view = await checkPortfolioCatalog(dynamodb, tableName, plan.catalog);
          } catch (error) {
            if (error instanceof CatalogRulesError && error.problems.length === 0) {
              throw new RoutingLoopError(error.loops);
            }
            throw error;
          }
        }
        const options = { updatedAt: now().toISOString(), sleep };
        await putRoutingEntries(dynamodb, tableName, plan.put, options);
        if (view) apiRewritten = await writePortfolioCatalog(dynamodb, tableName, view, options);
        if (plan.removeUnlisted) {
          const keep = new Set(plan.put.map((entry) => entry.trackingNumber));
          removed = await deleteUnlistedPortfolioEntries(dynamodb, tableName, keep);
        }
        if (plan.removeCatalog) await deletePortfolioCatalog(dynamodb, tableName);
      } catch (error) {
        if (!isMissingTable(error)) throw error;
        // On Delete a missing table means there is nothing left to clean up.
        if (change.requestType !== 'Delete') throw new RoutingTableNotFoundError(tableName);
      }
    }
    log(
      JSON.stringify({
        level: 'info',
        message: 'routing table synced',
        requestType: change.requestType,
        tableName: tableName ?? 'none',
        written: plan.put.length,
        // API-owned numbers at the file's locations, their routes rewritten.
        apiRewritten,
        deleted: removed.deleted,
        // Absent already, or owned by the API: left alone.
        leftAlone: removed.skipped,
      }),
    );
    return { physicalResourceId: plan.physicalResourceId, entryCount: plan.put.length };
  };
