import { DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import {
  type CustomResourceResult,
  realSleep,
} from '../adapters/cloudformation/custom-resource.js';
import {
  CatalogRulesError,
  checkPortfolioCatalog,
  deletePortfolioCatalog,
  writePortfolioCatalog,
} from '../adapters/dynamodb/catalog-store.js';
import {
  deletePortfolioEntries,
  putRoutingEntries,
  UnprocessedWritesError,
} from '../adapters/dynamodb/routing-table-writer.js';
import type { CatalogView, PortfolioCatalog } from '../domain/catalog.js';
import { isRecord } from '../domain/is-record.js';
import { isE164, NOT_E164 } from '../domain/phone-number.js';
import { type InboundNumber, routingEntryLoops } from '../domain/portfolio.js';
import type { RoutingEntry } from '../domain/route.js';
import { type ParsedRoutingEntry, parseRoutingEntry } from '../domain/routing-entry.js';

/**
 * onEvent handler of the custom resource that writes the portfolio's routing entries into the
 * routing table (aws-cdk-lib/custom-resources `Provider`). Whatever it throws fails the deploy with
 * the error's message in the CloudFormation events, so every message says what to fix.
 *
 * ResourceProperties (CloudFormation turns every scalar into a string, hence the JSON):
 * - `TableName`: the routing table.
 * - `Entries`: JSON of RoutingEntry[], the entries the portfolio file declares.
 * - `PublishedNumbers`: JSON of InboundNumber[], the locations' published lines (optional).
 * - `Catalog`: JSON of PortfolioCatalog, the file's locations, queues and numbers (optional). It is
 *   written as the `CATALOG#portfolio` item the management API validates against; before that, the
 *   catalog is checked beside the API's part (no loop with an API-added number, no API number left
 *   at a location the file drops), and afterwards the API's numbers at the file's locations get
 *   their routes rewritten, so a deploy never leaves them routing the old way.
 *
 * The stack only ever deletes items whose stored owner is `portfolio`: numbers managed through the
 * API live in the same table and must survive every deploy.
 */

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** The resource properties cannot be written: the message lists each bad entry. */
export class InvalidRoutingEntriesError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the routing table cannot be written, fix the portfolio: ${listProblems(problems)}`);
    this.name = 'InvalidRoutingEntriesError';
  }
}

/** A number the system dials is a number that reaches the system. */
export class RoutingLoopError extends Error {
  constructor(readonly loops: readonly string[]) {
    super(`routing loop${loops.length === 1 ? '' : 's'} in the portfolio: ${listProblems(loops)}`);
    this.name = 'RoutingLoopError';
  }
}

/** Thrown by the writer when DynamoDB keeps refusing part of a batch; exported for callers. */
/** The new portfolio cannot stand beside what the management API added; exported for callers. */
export { CatalogRulesError, UnprocessedWritesError };

/** The table named in TableName does not exist (wrong name, or the data stack is not deployed). */
export class RoutingTableNotFoundError extends Error {
  constructor(readonly tableName: string) {
    super(
      `routing table ${tableName} does not exist in this account and region: deploy the data stack first or check the TableName property`,
    );
    this.name = 'RoutingTableNotFoundError';
  }
}

/** CloudFormation shows the reason in a narrow column and truncates long ones: keep it short. */
const MAX_LISTED_PROBLEMS = 10;

const listProblems = (problems: readonly string[]): string => {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
};

// ---------------------------------------------------------------------------------------------
// Plan: pure, what to put and what to delete
// ---------------------------------------------------------------------------------------------

/** A published number, as the stack sends it; the problems found, or none. */
const publishedNumberProblems = (value: unknown): string[] => {
  if (!isRecord(value)) return ['must be {number, declaredBy}'];
  const problems: string[] = [];
  if (typeof value.number !== 'string' || !isE164(value.number)) {
    problems.push(`number ${NOT_E164}`);
  }
  if (typeof value.declaredBy !== 'string' || value.declaredBy.trim() === '') {
    problems.push('declaredBy must not be empty');
  }
  return problems;
};

/**
 * The properties as CloudFormation sends them: `TableName`, `Entries` and `PublishedNumbers` are
 * read from it, and nothing in it can be trusted to have any shape.
 */
export type RoutingTableProperties = Readonly<Record<string, unknown>>;

const parseJson = (value: unknown, property: string): { ok: true; value: unknown } | string => {
  if (typeof value !== 'string') return `${property} must be a JSON string, got ${typeof value}`;
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    return `${property} is not valid JSON (${(error as Error).message})`;
  }
};

/** Names an entry the way the deployer can find it in the portfolio file. */
const entryLabel = (raw: unknown, index: number): string => {
  const entry = isRecord(raw) ? raw : {};
  const parts = [entry.trackingId, entry.trackingNumber].filter((p) => typeof p === 'string');
  return `Entries[${index}]${parts.length > 0 ? ` (${parts.join(' ')})` : ''}`;
};

const labelled = (label: string, problems: readonly string[]): string[] =>
  problems.map((problem) => `${label} ${problem}`);

/**
 * A sanity check of what CDK computed, not a second portfolio parser: the portfolio was validated
 * at synth, but claimed numbers and queue ARNs were tokens then and are only real values now. The
 * same check as route-call's, plus: the stack writes only the entries the portfolio file owns.
 */
const checkEntry = (raw: unknown): ParsedRoutingEntry => {
  const parsed = parseRoutingEntry(raw);
  return parsed.ok && parsed.entry.owner !== 'portfolio'
    ? {
        ok: false,
        problems: [
          'owner must be "portfolio": the stack writes only the entries the portfolio file owns',
        ],
      }
    : parsed;
};

/** A sanity check of the catalog CDK computed (the file was validated at synth). */
const catalogProblemsOf = (value: unknown): string[] => {
  if (!isRecord(value)) return ['must be a JSON object'];
  const problems: string[] = [];
  if (typeof value.declaredIn !== 'string' || value.declaredIn.trim() === '') {
    problems.push('declaredIn must name the portfolio file');
  }
  if (!isRecord(value.defaults) || typeof value.defaults.staticFallbackNumber !== 'string') {
    problems.push('defaults must hold staticFallbackNumber');
  }
  for (const list of ['queues', 'locations', 'trackingNumbers']) {
    if (!Array.isArray(value[list])) problems.push(`${list} must be an array`);
  }
  if (Array.isArray(value.trackingNumbers)) {
    value.trackingNumbers.forEach((t: unknown, i) => {
      const number = isRecord(t) ? t.number : undefined;
      if (typeof number !== 'string' || !isE164(number)) {
        problems.push(`trackingNumbers[${i}].number ${NOT_E164}`);
      }
    });
  }
  return problems;
};

/** The table name, when the property holds one. */
const tableNameOf = (props: RoutingTableProperties): string | undefined =>
  typeof props.TableName === 'string' && props.TableName.trim() !== ''
    ? props.TableName
    : undefined;

/**
 * The desired state of a Create or Update, fully validated: throws
 * {@link InvalidRoutingEntriesError} or {@link RoutingLoopError}.
 */
export const parseRoutingTableProperties = (
  props: RoutingTableProperties,
): {
  tableName: string;
  entries: RoutingEntry[];
  published: InboundNumber[];
  catalog: PortfolioCatalog | undefined;
} => {
  const problems: string[] = [];
  const tableName = tableNameOf(props);
  if (!tableName) problems.push('TableName must be the name of the routing table');

  const entries: RoutingEntry[] = [];
  const entriesJson = parseJson(props.Entries, 'Entries');
  if (typeof entriesJson === 'string') problems.push(entriesJson);
  else if (!Array.isArray(entriesJson.value)) problems.push('Entries must be a JSON array');
  else {
    entriesJson.value.forEach((raw: unknown, index) => {
      const checked = checkEntry(raw);
      if (checked.ok) entries.push(checked.entry);
      else problems.push(...labelled(entryLabel(raw, index), checked.problems));
    });
  }

  const published: InboundNumber[] = [];
  // Optional: a portfolio whose locations publish no numbers of their own may leave it out.
  if (props.PublishedNumbers !== undefined) {
    const publishedJson = parseJson(props.PublishedNumbers, 'PublishedNumbers');
    if (typeof publishedJson === 'string') problems.push(publishedJson);
    else if (!Array.isArray(publishedJson.value)) {
      problems.push('PublishedNumbers must be a JSON array');
    } else {
      publishedJson.value.forEach((raw: unknown, index) => {
        const found = publishedNumberProblems(raw);
        if (found.length === 0) published.push(raw as InboundNumber);
        else problems.push(...labelled(`PublishedNumbers[${index}]`, found));
      });
    }
  }

  let catalog: PortfolioCatalog | undefined;
  // Optional: a stack from before the management API sends none.
  if (props.Catalog !== undefined) {
    const catalogJson = parseJson(props.Catalog, 'Catalog');
    if (typeof catalogJson === 'string') problems.push(catalogJson);
    else {
      const found = catalogProblemsOf(catalogJson.value);
      if (found.length === 0) catalog = catalogJson.value as PortfolioCatalog;
      else problems.push(...labelled('Catalog', found));
    }
  }

  // One item per tracking number: a repeat would silently overwrite the other entry (and
  // BatchWriteItem rejects a batch holding the same key twice).
  const firstIndex = new Map<string, number>();
  entries.forEach((entry, index) => {
    const first = firstIndex.get(entry.trackingNumber);
    if (first === undefined) firstIndex.set(entry.trackingNumber, index);
    else {
      problems.push(
        `tracking number ${entry.trackingNumber} is declared twice (${entries[first]?.trackingId} and ${entry.trackingId}): a number can route to only one location; remove one`,
      );
    }
  });

  if (problems.length > 0 || !tableName) throw new InvalidRoutingEntriesError(problems);

  const loops = routingEntryLoops(entries, published);
  if (loops.length > 0) throw new RoutingLoopError(loops);
  return { tableName, entries, published, catalog };
};

/**
 * The tracking numbers of a previous set of entries. Lenient on purpose: it reads what an earlier
 * deploy (or a failed Create being rolled back) sent, and a Delete that throws leaves the stack
 * stuck in DELETE_FAILED, so anything unreadable is simply not touched.
 */
export const previousTrackingNumbers = (props: RoutingTableProperties | undefined): string[] => {
  const json = parseJson(props?.Entries, 'Entries');
  if (typeof json === 'string' || !Array.isArray(json.value)) return [];
  const numbers = json.value.flatMap((raw: unknown) => {
    const number = isRecord(raw) ? raw.trackingNumber : undefined;
    return typeof number === 'string' && isE164(number) ? [number] : [];
  });
  return [...new Set(numbers)];
};

export const physicalIdOf = (tableName: string): string => `routing-table:${tableName}`;

/** What one custom-resource event does to the table. */
export interface RoutingTablePlan {
  readonly physicalResourceId: string;
  /** Undefined when a Delete names no table: there is nothing to clean up. */
  readonly tableName: string | undefined;
  /** Entries to write (put, so a repeat leaves the same items). */
  readonly put: readonly RoutingEntry[];
  /** Tracking numbers whose items to delete, if and only if the portfolio still owns them. */
  readonly remove: readonly string[];
  /** The portfolio's catalog to write; undefined when the stack sends none. */
  readonly catalog?: PortfolioCatalog;
  /** Delete: the catalog item goes with the entries. */
  readonly removeCatalog?: boolean;
}

/** Pure: decides from the event alone what to write and what to delete. */
export const planRoutingTableSync = (
  event: CloudFormationCustomResourceEvent,
): RoutingTablePlan => {
  if (event.RequestType === 'Delete') {
    return {
      // Echo the id CloudFormation holds: a different one on Delete is an error.
      physicalResourceId: event.PhysicalResourceId,
      tableName: tableNameOf(event.ResourceProperties),
      put: [],
      remove: previousTrackingNumbers(event.ResourceProperties),
      ...(event.ResourceProperties.Catalog === undefined ? {} : { removeCatalog: true }),
    };
  }
  const { tableName, entries, catalog } = parseRoutingTableProperties(event.ResourceProperties);
  const base = {
    physicalResourceId: physicalIdOf(tableName),
    tableName,
    put: entries,
    ...(catalog ? { catalog } : {}),
  };
  if (event.RequestType === 'Create') return { ...base, remove: [] };

  // A new table name changes the physical id, so CloudFormation replaces the resource and then
  // sends Delete (with the old properties) for the old table: nothing to remove from the new one.
  if (tableNameOf(event.OldResourceProperties) !== tableName) return { ...base, remove: [] };
  const kept = new Set(entries.map((e) => e.trackingNumber));
  return {
    ...base,
    remove: previousTrackingNumbers(event.OldResourceProperties).filter((n) => !kept.has(n)),
  };
};

// ---------------------------------------------------------------------------------------------
// Handler
// ---------------------------------------------------------------------------------------------

export interface SyncRoutingTableDependencies {
  readonly dynamodb: DynamoDBClient;
  readonly now?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly log?: (line: string) => void;
}

/** The onEvent function, with its collaborators passed in so tests can point it anywhere. */
export const syncRoutingTable =
  ({
    dynamodb,
    now = () => new Date(),
    sleep = realSleep,
    log = (line) => console.log(line),
  }: SyncRoutingTableDependencies) =>
  async (event: CloudFormationCustomResourceEvent): Promise<CustomResourceResult> => {
    const plan = planRoutingTableSync(event);
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
        removed = await deletePortfolioEntries(dynamodb, tableName, plan.remove);
        if (plan.removeCatalog) await deletePortfolioCatalog(dynamodb, tableName);
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        // On Delete a missing table means there is nothing left to clean up.
        if (event.RequestType !== 'Delete') throw new RoutingTableNotFoundError(tableName);
      }
    }
    log(
      JSON.stringify({
        level: 'info',
        message: 'routing table synced',
        requestType: event.RequestType,
        tableName: tableName ?? 'none',
        written: plan.put.length,
        // API-owned numbers at the file's locations, their routes rewritten.
        apiRewritten,
        deleted: removed.deleted,
        // Absent already, or owned by the API: left alone.
        leftAlone: removed.skipped,
      }),
    );
    return event.RequestType === 'Delete'
      ? { PhysicalResourceId: plan.physicalResourceId }
      : {
          PhysicalResourceId: plan.physicalResourceId,
          Data: { EntryCount: String(plan.put.length) },
        };
  };

// Module scope: created once per container, reused across invocations.
const dynamodb = new DynamoDBClient({});

export const handler = middy(syncRoutingTable({ dynamodb }));
