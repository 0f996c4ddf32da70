import type { PortfolioCatalog } from './catalog.js';
import { fillDeployTimeValues, parseDeployTimeValues } from './deploy-time-values.js';
import { isRecord } from './is-record.js';
import { isE164, NOT_E164 } from './phone-number.js';
import { type InboundNumber, routingEntryLoops } from './portfolio/loops.js';
import {
  parseJsonProperty,
  type ResourceChange,
  type ResourceProperties,
} from './resource-change.js';
import type { RoutingEntry } from './route.js';
import { type ParsedRoutingEntry, parseRoutingEntry } from './routing-entry.js';

/**
 * What one deploy step of the routing-table custom resource writes and deletes, decided from the
 * request alone (what to delete is then found among the items the portfolio owns in the table).
 * Whatever it throws fails the deploy with the error's message in the CloudFormation events, so
 * every message says what to fix.
 *
 * ResourceProperties (CloudFormation turns every scalar into a string, hence the JSON):
 * - `TableName`: the routing table.
 * - `DocumentBucket`, `DocumentKey`, `DeployTimeValues`: where the rest is, see
 *   {@link RoutingTableDocument}; read into the three below by {@link withDocumentInline}.
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

/** CloudFormation shows the reason in a narrow column and truncates long ones: keep it short. */
const MAX_LISTED_PROBLEMS = 10;

const listProblems = (problems: readonly string[]): string => {
  const shown = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
};

// ---------------------------------------------------------------------------------------------
// Properties
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
export type RoutingTableProperties = ResourceProperties;

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

/** The desired state of a Create or Update, as {@link parseRoutingTableProperties} reads it. */
export interface RoutingTableRequest {
  readonly tableName: string;
  readonly entries: RoutingEntry[];
  readonly published: InboundNumber[];
  readonly catalog: PortfolioCatalog | undefined;
}

/**
 * The desired state of a Create or Update, fully validated: throws
 * {@link InvalidRoutingEntriesError} or {@link RoutingLoopError}.
 */
export const parseRoutingTableProperties = (props: RoutingTableProperties): RoutingTableRequest => {
  const problems: string[] = [];
  const tableName = tableNameOf(props);
  if (!tableName) problems.push('TableName must be the name of the routing table');

  const entries: RoutingEntry[] = [];
  const entriesJson = parseJsonProperty(props.Entries, 'Entries');
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
    const publishedJson = parseJsonProperty(props.PublishedNumbers, 'PublishedNumbers');
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
    const catalogJson = parseJsonProperty(props.Catalog, 'Catalog');
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

// ---------------------------------------------------------------------------------------------
// The document: what the stack writes at synth and ships as an S3 asset
// ---------------------------------------------------------------------------------------------

/**
 * The portfolio's part of the table as synthesized: too big for the resource's properties at
 * thousands of numbers (CloudFormation's 1 MB template and provider payload), so the stack ships
 * it as an S3 asset and passes `DocumentBucket` and `DocumentKey` (named by the content's hash,
 * so a change re-runs the resource) and `DeployTimeValues` (JSON: placeholder key to value, the
 * claimed numbers and created queues' ARNs, resolved by CloudFormation).
 */
export interface RoutingTableDocument {
  readonly entries: readonly RoutingEntry[];
  readonly publishedNumbers: readonly InboundNumber[];
  readonly catalog: PortfolioCatalog;
}

/** Where the document is, when the properties name one (older stacks sent it inline). */
export const documentLocationOf = (
  props: RoutingTableProperties,
): { readonly bucket: string; readonly key: string } | undefined => {
  const { DocumentBucket: bucket, DocumentKey: key } = props;
  if (bucket === undefined && key === undefined) return undefined;
  if (typeof bucket !== 'string' || bucket === '' || typeof key !== 'string' || key === '') {
    throw new InvalidRoutingEntriesError([
      'DocumentBucket and DocumentKey must both name the S3 object of the routing document',
    ]);
  }
  return { bucket, key };
};

/**
 * The properties with the document's parts inline (`Entries`, `PublishedNumbers`, `Catalog`, as
 * older stacks sent them), its placeholders filled with the deploy-time values.
 */
export const withDocumentInline = (
  props: RoutingTableProperties,
  documentText: string,
): RoutingTableProperties => {
  const values = parseDeployTimeValues(props.DeployTimeValues, 'DeployTimeValues');
  if (typeof values === 'string') throw new InvalidRoutingEntriesError([values]);
  const json = parseJsonProperty(documentText, 'the routing document');
  if (typeof json === 'string') throw new InvalidRoutingEntriesError([json]);
  const document = fillDeployTimeValues(json.value, values);
  if (!isRecord(document)) {
    throw new InvalidRoutingEntriesError([
      'the routing document must be a JSON object of entries, publishedNumbers and catalog',
    ]);
  }
  return {
    TableName: props.TableName,
    Entries: JSON.stringify(document.entries),
    PublishedNumbers: JSON.stringify(document.publishedNumbers ?? []),
    ...(document.catalog === undefined ? {} : { Catalog: JSON.stringify(document.catalog) }),
  };
};

// ---------------------------------------------------------------------------------------------
// Plan: what to put and what to delete
// ---------------------------------------------------------------------------------------------

export const physicalIdOf = (tableName: string): string => `routing-table:${tableName}`;

/** What one custom-resource event does to the table. */
export interface RoutingTablePlan {
  readonly physicalResourceId: string;
  /** Undefined when a Delete names no table: there is nothing to clean up. */
  readonly tableName: string | undefined;
  /** Entries to write (put, so a repeat leaves the same items). */
  readonly put: readonly RoutingEntry[];
  /**
   * Whether to delete the items the portfolio owns in the table that `put` does not list: an
   * Update drops what the file no longer declares (and a rolled-back one what it had added), a
   * Delete everything. Read from the table, not from the previous properties, so neither an
   * older document nor a failed write earlier can leave an entry behind.
   */
  readonly removeUnlisted: boolean;
  /** The portfolio's catalog to write; undefined when the stack sends none. */
  readonly catalog?: PortfolioCatalog;
  /** Delete: the catalog item goes with the entries. */
  readonly removeCatalog?: boolean;
}

/** Pure: decides from the request (its document inline) what to write and what to delete. */
export const planRoutingTableSync = (change: ResourceChange): RoutingTablePlan => {
  if (change.requestType === 'Delete') {
    return {
      // Echo the id CloudFormation holds: a different one on Delete is an error.
      physicalResourceId: change.physicalResourceId,
      tableName: tableNameOf(change.properties),
      put: [],
      removeUnlisted: true,
      ...(change.properties.Catalog === undefined && change.properties.DocumentKey === undefined
        ? {}
        : { removeCatalog: true }),
    };
  }
  const { tableName, entries, catalog } = parseRoutingTableProperties(change.properties);
  const base = {
    physicalResourceId: physicalIdOf(tableName),
    tableName,
    put: entries,
    ...(catalog ? { catalog } : {}),
  };
  if (change.requestType === 'Create') return { ...base, removeUnlisted: false };
  // A new table name changes the physical id, so CloudFormation replaces the resource and then
  // sends Delete (with the old properties) for the old table: nothing to remove from the new one.
  return { ...base, removeUnlisted: tableNameOf(change.oldProperties) === tableName };
};
