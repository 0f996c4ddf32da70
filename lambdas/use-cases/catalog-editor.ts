import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { realSleep } from '../adapters/cloudformation/custom-resource.js';
import {
  CatalogConflictError,
  CatalogFullError,
  deleteApiRoutingEntry,
  putApiCatalog,
  readApiCatalog,
  readPortfolioCatalog,
} from '../adapters/dynamodb/catalog-store.js';
import { putRoutingEntries } from '../adapters/dynamodb/routing-table-writer.js';
import {
  type ApiCatalog,
  apiRoutingEntries,
  type CatalogTrackingNumber,
  type CatalogView,
  catalogProblems,
} from '../domain/catalog.js';
import {
  ConflictError,
  invalidResource,
  NotDeployedError,
  RoutingLoopError,
} from '../domain/request-errors.js';

/**
 * Changing the API's part of the catalog (the catalog items of the routing table, see
 * catalog-store) and the routing items it implies. Every change is validated over the portfolio's
 * part and the API's together, with the file's own rules, before anything is written.
 */

export interface CatalogEditorDependencies {
  readonly client: DynamoDBClient;
  readonly routingTableName: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Read-validate-write attempts when another write wins the race. @default 3 */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What a change decides on the catalog it read. */
export interface CatalogChange<T> {
  /** The new API catalog; undefined: nothing to write. */
  readonly api?: Omit<ApiCatalog, 'version'>;
  /** What to do once the catalog is written (or, with nothing to write, on the one read). */
  readonly after: (view: CatalogView) => Promise<T>;
  /** The tracking numbers whose routing items `after` writes or deletes. */
  readonly affects?: (view: CatalogView) => readonly string[];
}

export interface CatalogEditor {
  /** Both parts of the catalog; NotDeployedError before the first deploy wrote the portfolio's. */
  readView(): Promise<CatalogView>;
  change<T>(decide: (view: CatalogView) => CatalogChange<T>): Promise<T>;
  /** Rewrites the routing items of the API's numbers that `where` selects. */
  writeEntries(view: CatalogView, where: (t: CatalogTrackingNumber) => boolean): Promise<void>;
  /** Deletes the API's routing item of a number; false when there was none. */
  deleteEntry(number: string): Promise<boolean>;
}

/** Rounds of re-reading the catalog after a write before giving up on a busy catalog. */
const RECONCILE_ATTEMPTS = 5;

/** Refuses an edit of what the file declares: the next deploy would undo it. */
export const declaredInPortfolio = (view: CatalogView, what: string): ConflictError =>
  new ConflictError(
    'declared-in-portfolio',
    `${what} is declared in ${view.portfolio.declaredIn}: change it there and deploy, so a deploy never undoes an edit`,
  );

/** Refuses a catalog the file's rules refuse: RoutingLoopError for loops alone, else everything. */
const checkView = (view: CatalogView): void => {
  const { problems, loops } = catalogProblems(view);
  if (problems.length > 0) {
    throw invalidResource('body', 'the change breaks the portfolio rules', [...problems, ...loops]);
  }
  if (loops.length > 0) throw new RoutingLoopError(loops);
};

export const createCatalogEditor = (deps: CatalogEditorDependencies): CatalogEditor => {
  const {
    client,
    routingTableName: table,
    clock = () => new Date(),
    maxAttempts = 3,
    sleep = realSleep,
  } = deps;

  const readView = async (): Promise<CatalogView> => {
    const [portfolio, api] = await Promise.all([
      readPortfolioCatalog(client, table),
      readApiCatalog(client, table),
    ]);
    if (!portfolio) throw new NotDeployedError();
    return { portfolio, api };
  };

  const writeEntries: CatalogEditor['writeEntries'] = async (view, where) => {
    await putRoutingEntries(client, table, apiRoutingEntries(view, where), {
      updatedAt: clock().toISOString(),
      sleep,
    });
  };

  const deleteEntry = (number: string) => deleteApiRoutingEntry(client, table, number);

  /**
   * The routing items are written after the catalog, so a write racing this one may have written
   * them from an older catalog (or deleted them) in between. Once they are written, read the
   * catalog again: if another write moved its version on, write the numbers this change touched
   * from the newest catalog, and check again. Each writer does this for its own numbers, so the
   * items end as the last catalog says.
   */
  const reconcile = async (
    written: CatalogView,
    affects: (view: CatalogView) => readonly string[],
  ): Promise<void> => {
    let view = written;
    const numbers = new Set(affects(written));
    for (let attempt = 1; attempt <= RECONCILE_ATTEMPTS; attempt += 1) {
      const latest = await readView();
      if (latest.api.version === view.api.version) return;
      for (const number of affects(latest)) numbers.add(number);
      const kept = new Set(latest.api.trackingNumbers.map((t) => t.number));
      await writeEntries(latest, (t) => numbers.has(t.number));
      for (const number of numbers) {
        if (!kept.has(number)) await deleteEntry(number);
      }
      view = latest;
    }
  };

  /**
   * Read, decide, write the API's catalog conditionally on its version; when another write won,
   * all over again (a few times, then ConflictError `conflict`). `decide` throws to refuse, or
   * returns the new API catalog (undefined: nothing to write) and what to do once it is written.
   * The catalog is written first: a failure after it is repaired by repeating the request.
   */
  const change = async <T>(decide: (view: CatalogView) => CatalogChange<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      const view = await readView();
      const { api, after, affects } = decide(view);
      if (!api) return after(view);
      const next: CatalogView = { ...view, api: { ...api, version: view.api.version + 1 } };
      checkView(next);
      try {
        await putApiCatalog(client, table, api, view.api.version, clock().toISOString());
      } catch (error) {
        if (error instanceof CatalogFullError) {
          throw new ConflictError('catalog-full', error.message);
        }
        if (!(error instanceof CatalogConflictError)) throw error;
        if (attempt >= maxAttempts) {
          throw new ConflictError(
            'conflict',
            'the catalog kept changing under this request (other writes at the same time): send it again',
          );
        }
        await sleep(50 * attempt);
        continue;
      }
      const result = await after(next);
      if (affects) await reconcile(next, affects);
      return result;
    }
  };

  return { readView, change, writeEntries, deleteEntry };
};
