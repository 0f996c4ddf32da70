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
  ApiError,
  type ApiRequest,
  type ApiResponse,
  type RouteHandlers,
} from '../domain/api-contract.js';
import {
  type ApiCatalog,
  apiRoutingEntries,
  type CatalogTrackingNumber,
  type CatalogView,
  catalogProblems,
  locationBodySchema,
  locationIdSchema,
  locationResource,
  locationsOf,
  parseBody,
  trackingNumberBodySchema,
  trackingNumberResource,
  trackingNumbersOf,
} from '../domain/catalog.js';
import { isE164, NOT_E164 } from '../domain/phone-number.js';
import { createRoutePreview } from './api-route-preview.js';

/**
 * The management API's handlers: locations and tracking numbers, over the catalog items of the
 * routing table (see catalog-store), and the route preview. Every change is validated over the
 * portfolio's part and the API's together, with the file's own rules, before anything is written.
 */

export type ManagementOperation =
  | 'listLocations'
  | 'getLocation'
  | 'putLocation'
  | 'deleteLocation'
  | 'listTrackingNumbers'
  | 'getTrackingNumber'
  | 'putTrackingNumber'
  | 'deleteTrackingNumber'
  | 'previewRoute';

export interface ManagementDependencies {
  readonly client: DynamoDBClient;
  readonly routingTableName: string;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Read-validate-write attempts when another write wins the race. @default 3 */
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Rounds of re-reading the catalog after a write before giving up on a busy catalog. */
const RECONCILE_ATTEMPTS = 5;

const notDeployed = () =>
  new ApiError(
    503,
    'not-deployed',
    'the routing table holds no portfolio catalog yet: deploy the stack (or start the local system) first',
  );

const invalid = (
  what: string,
  problems: readonly string[],
  code: 'invalid-body' | 'invalid-path' = 'invalid-body',
) => new ApiError(400, code, `${what}: fix each problem listed and send it again`, problems);

/** The tracking number in the path: `+1…`, `%2B1…`, or ` 1…` (a `+` decoded as a space). */
export const trackingNumberFromPath = (raw: string | undefined): string => {
  const value = (raw ?? '').replace(/^%2B/i, '+').replace(/^ /, '+');
  if (!isE164(value)) {
    throw invalid(
      'the tracking number in the path is not valid',
      [`number ${JSON.stringify(raw ?? '')} ${NOT_E164}; in a URL write + as %2B`],
      'invalid-path',
    );
  }
  return value;
};

const locationIdFromPath = (raw: string | undefined): string => {
  const parsed = locationIdSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      'the location id in the path is not valid',
      [`id ${JSON.stringify(raw ?? '')} ${parsed.error.issues[0]?.message ?? 'is not valid'}`],
      'invalid-path',
    );
  }
  return parsed.data;
};

/** Refuses an edit of what the file declares: the next deploy would undo it. */
const declaredInPortfolio = (view: CatalogView, what: string) =>
  new ApiError(
    409,
    'declared-in-portfolio',
    `${what} is declared in ${view.portfolio.declaredIn}: change it there and deploy, so a deploy never undoes an edit`,
  );

/** Refuses a catalog the file's rules refuse: 422 for loops alone, else 400 with everything. */
const checkView = (view: CatalogView): void => {
  const { problems, loops } = catalogProblems(view);
  if (problems.length > 0) {
    throw invalid('the change breaks the portfolio rules', [...problems, ...loops]);
  }
  if (loops.length > 0) {
    throw new ApiError(
      422,
      'routing-loop',
      'the change would make calls ring the system itself in an endless loop',
      loops,
    );
  }
};

const noContent: ApiResponse = { statusCode: 204 };

export const createManagementHandlers = (
  deps: ManagementDependencies,
): Pick<RouteHandlers, ManagementOperation> => {
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
    if (!portfolio) throw notDeployed();
    return { portfolio, api };
  };

  /**
   * Read, decide, write the API's catalog conditionally on its version; when another write won,
   * all over again (a few times, then 409 `conflict`). `decide` throws ApiError to refuse, or
   * returns the new API catalog (undefined: nothing to write) and what to do once it is written.
   * The catalog is written first: a failure after it is repaired by repeating the request.
   */
  const change = async <T>(
    decide: (view: CatalogView) => {
      api?: Omit<ApiCatalog, 'version'>;
      after: (view: CatalogView) => Promise<T>;
      /** The tracking numbers whose routing items `after` writes or deletes. */
      affects?: (view: CatalogView) => readonly string[];
    },
  ): Promise<T> => {
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
          throw new ApiError(409, 'catalog-full', error.message);
        }
        if (!(error instanceof CatalogConflictError)) throw error;
        if (attempt >= maxAttempts) {
          throw new ApiError(
            409,
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
        if (!kept.has(number)) await deleteApiRoutingEntry(client, table, number);
      }
      view = latest;
    }
  };

  /** Rewrites the routing items of the API's numbers that `where` selects. */
  const writeEntries = async (view: CatalogView, where: (t: CatalogTrackingNumber) => boolean) => {
    await putRoutingEntries(client, table, apiRoutingEntries(view, where), {
      updatedAt: clock().toISOString(),
      sleep,
    });
  };

  const findLocation = (view: CatalogView, id: string) =>
    locationsOf(view).find((l) => l.item.id === id);
  const findNumber = (view: CatalogView, number: string) =>
    trackingNumbersOf(view).find((t) => t.item.number === number);

  return {
    async listLocations() {
      const view = await readView();
      const locations = locationsOf(view)
        .map((l) => locationResource(view, l))
        .sort((a, b) => a.id.localeCompare(b.id));
      return { statusCode: 200, body: { items: locations } };
    },

    async getLocation(request: ApiRequest) {
      const id = locationIdFromPath(request.pathParameters.id);
      const view = await readView();
      const found = findLocation(view, id);
      if (!found) throw new ApiError(404, 'not-found', `there is no location ${id}`);
      return { statusCode: 200, body: locationResource(view, found) };
    },

    async putLocation(request: ApiRequest) {
      const id = locationIdFromPath(request.pathParameters.id);
      const body = parseBody(locationBodySchema, request.body);
      if (!body.ok) throw invalid(`location ${id} is not valid`, body.problems);
      const location = { id, ...body.value };
      return change((view) => {
        const existing = findLocation(view, id);
        if (existing?.owner === 'portfolio') throw declaredInPortfolio(view, `location ${id}`);
        const others = view.api.locations.filter((l) => l.id !== id);
        return {
          api: { ...view.api, locations: [...others, location] },
          affects: (v) =>
            v.api.trackingNumbers.filter((t) => t.location === id).map((t) => t.number),
          async after(next) {
            // The API's numbers of this location embed its route: rewrite them.
            await writeEntries(next, (t) => t.location === id);
            const saved = findLocation(next, id);
            return {
              statusCode: existing ? 200 : 201,
              body: saved && locationResource(next, saved),
            };
          },
        };
      });
    },

    async deleteLocation(request: ApiRequest) {
      const id = locationIdFromPath(request.pathParameters.id);
      return change((view) => {
        const existing = findLocation(view, id);
        if (!existing) throw new ApiError(404, 'not-found', `there is no location ${id}`);
        if (existing.owner === 'portfolio') throw declaredInPortfolio(view, `location ${id}`);
        const using = trackingNumbersOf(view).filter((t) => t.item.location === id);
        if (using.length > 0) {
          throw new ApiError(
            409,
            'in-use',
            `location ${id} still has tracking numbers: move them to another location or delete them first`,
            using.map((t) => `tracking number ${t.item.number} (${t.item.id}) routes to ${id}`),
          );
        }
        return {
          api: { ...view.api, locations: view.api.locations.filter((l) => l.id !== id) },
          after: async () => noContent,
        };
      });
    },

    async listTrackingNumbers() {
      const view = await readView();
      const trackingNumbers = trackingNumbersOf(view)
        .map((t) => trackingNumberResource(view, t))
        .sort((a, b) => a.number.localeCompare(b.number));
      return { statusCode: 200, body: { items: trackingNumbers } };
    },

    async getTrackingNumber(request: ApiRequest) {
      const number = trackingNumberFromPath(request.pathParameters.number);
      const view = await readView();
      const found = findNumber(view, number);
      if (!found) throw new ApiError(404, 'not-found', `there is no tracking number ${number}`);
      return { statusCode: 200, body: trackingNumberResource(view, found) };
    },

    async putTrackingNumber(request: ApiRequest) {
      const number = trackingNumberFromPath(request.pathParameters.number);
      const body = parseBody(trackingNumberBodySchema, request.body);
      if (!body.ok) throw invalid(`tracking number ${number} is not valid`, body.problems);
      const entry: CatalogTrackingNumber = { ...body.value, number };
      return change((view) => {
        const existing = findNumber(view, number);
        if (existing?.owner === 'portfolio') {
          throw declaredInPortfolio(view, `tracking number ${number}`);
        }
        const others = view.api.trackingNumbers.filter((t) => t.number !== number);
        return {
          api: { ...view.api, trackingNumbers: [...others, entry] },
          affects: () => [number],
          async after(next) {
            // Written at once: route-call routes the number from its next call on.
            await writeEntries(next, (t) => t.number === number);
            const saved = findNumber(next, number);
            return {
              statusCode: existing ? 200 : 201,
              body: saved && trackingNumberResource(next, saved),
            };
          },
        };
      });
    },

    async deleteTrackingNumber(request: ApiRequest) {
      const number = trackingNumberFromPath(request.pathParameters.number);
      return change((view) => {
        const existing = findNumber(view, number);
        if (!existing) {
          return {
            async after() {
              // An item left by a delete interrupted after its catalog write goes now.
              if (await deleteApiRoutingEntry(client, table, number)) return noContent;
              throw new ApiError(404, 'not-found', `there is no tracking number ${number}`);
            },
          };
        }
        if (existing.owner === 'portfolio') {
          throw declaredInPortfolio(view, `tracking number ${number}`);
        }
        return {
          api: {
            ...view.api,
            trackingNumbers: view.api.trackingNumbers.filter((t) => t.number !== number),
          },
          affects: () => [number],
          async after() {
            await deleteApiRoutingEntry(client, table, number);
            return noContent;
          },
        };
      });
    },

    previewRoute: createRoutePreview({ client, routingTableName: table, clock }),
  };
};
