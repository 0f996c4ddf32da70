import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { CALL_LOG_EXPIRY_ATTRIBUTE } from '../../contracts/tables.js';
import { type CallLogItem, type LeadUpdate, rollupGroupId } from '../../domain/call-log-item.js';
import { batchGetItems } from './batch-items.js';
import { callerKey, callKey, STORED_RECORD_FIELDS, storedCallLogItem } from './call-log-keys.js';
import { getCall, settleCall } from './rollup-writer.js';

/**
 * Writing the call log (CALL_LOG_TABLE): the call item, kept at its newest contact record, and the
 * first-time-caller item of each caller × location (the lead), and the lead fields the API sets.
 * Every write is conditional, so a record replayed any number of times, in any order, leaves the
 * same items. Every change to a call bumps its `revision`; rollups are rollup-writer.ts's.
 */

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

export type CallWriteResult = 'written' | 'stale';

/** `SET`/`REMOVE` clauses with `#fN`/`:fN` placeholders; undefined sets nothing, null removes. */
const setAndRemove = (
  fields: Readonly<Record<string, unknown>>,
): {
  readonly clauses: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
} => {
  const set: string[] = [];
  const remove: string[] = [];
  const names: Record<string, string> = {};
  const plain: Record<string, unknown> = {};
  Object.entries(fields).forEach(([name, value], index) => {
    if (value === undefined) return;
    names[`#f${index}`] = name;
    if (value === null) {
      remove.push(`#f${index}`);
    } else {
      set.push(`#f${index} = :f${index}`);
      plain[`:f${index}`] = value;
    }
  });
  const clauses = [
    ...(set.length > 0 ? [`SET ${set.join(', ')}`] : []),
    ...(remove.length > 0 ? [`REMOVE ${remove.join(', ')}`] : []),
  ];
  return { clauses, names, values: marshall(plain) };
};

/** The clauses with one more SET action (joined to the SET clause, or a new one first). */
const withClause = (clauses: readonly string[], action: string): string[] => {
  const set = clauses.findIndex((c) => c.startsWith('SET '));
  if (set < 0) return [`SET ${action}`, ...clauses];
  return clauses.map((c, i) => (i === set ? `${c}, ${action}` : c));
};

/**
 * Writes the call's record fields unless the stored call is as new or newer: `lastUpdate` is a
 * normalised ISO timestamp, so string order is time order. An update, not a put, so what the API
 * set (lead status, value, note, tags, spam, handled) survives a later record; a record field the record
 * lacks is removed. Bumps `revision` and adds the call's rollup group to `rollupGroups`. `stale`
 * (an older or duplicate record) changes nothing. A write tells the call as it was before (absent
 * when this write logged it first): its events need both.
 */
export interface CallWrite {
  readonly write: CallWriteResult;
  readonly previous?: CallLogItem;
}

export const writeCallIfNewer = async (
  client: DynamoDBClient,
  tableName: string,
  item: CallLogItem,
  /** The TTL (epoch seconds) if this write stores the call first; a later write keeps its own. */
  expiresAt?: number,
): Promise<CallWrite> => {
  const stored = storedCallLogItem(item);
  const fields = Object.fromEntries(
    STORED_RECORD_FIELDS.map((field) => [field, stored[field] ?? null]),
  );
  const { clauses, names, values } = setAndRemove(fields);
  try {
    const output = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(callKey(item.contactId)),
        UpdateExpression: [
          ...(expiresAt === undefined
            ? clauses
            : withClause(clauses, `#ttl = if_not_exists(#ttl, :ttl)`)),
          'ADD revision :one, rollupGroups :group',
        ].join(' '),
        ConditionExpression: 'attribute_not_exists(pk) OR lastUpdate < :incoming',
        ExpressionAttributeNames: {
          ...names,
          ...(expiresAt === undefined ? {} : { '#ttl': CALL_LOG_EXPIRY_ATTRIBUTE }),
        },
        ExpressionAttributeValues: {
          ...values,
          ...(expiresAt === undefined ? {} : { ':ttl': { N: String(expiresAt) } }),
          ':incoming': { S: item.lastUpdate },
          ':one': { N: '1' },
          ':group': { SS: [rollupGroupId(item)] },
        },
        // Free with the write: the old item tells a first log from an update.
        ReturnValues: 'ALL_OLD',
      }),
    );
    return output.Attributes
      ? { write: 'written', previous: unmarshall(output.Attributes) as CallLogItem }
      : { write: 'written' };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { write: 'stale' };
    throw error;
  }
};

/**
 * Marks a stored call as not the first from its caller at its location. `unchanged` when the call
 * is not stored yet (its own ingest will find out it is not the first) or is already marked: a
 * replay bumps no revision.
 */
export const markNotFirstTime = async (
  client: DynamoDBClient,
  tableName: string,
  contactId: string,
): Promise<'marked' | 'unchanged'> => {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(callKey(contactId)),
        UpdateExpression: 'SET firstTime = :false ADD revision :one',
        ConditionExpression: 'attribute_exists(pk) AND firstTime <> :false',
        ExpressionAttributeValues: { ':false': { BOOL: false }, ':one': { N: '1' } },
      }),
    );
    return 'marked';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'unchanged';
    throw error;
  }
};

/**
 * Applies a lead update (PATCH /calls/{contactId}) and settles the call's rollups, so conversions
 * move. `null` clears a field, an absent one is left alone; tags are stored as a list. Returns the
 * updated call, or undefined when there is no such call. Validating values is the API's job; this
 * only refuses what DynamoDB would (a value that is not a finite number). An update with no field
 * writes nothing and returns the stored call. If the settle fails, the update is stored and the
 * error thrown: repeating the request settles.
 */
export const updateLead = async (
  client: DynamoDBClient,
  tableName: string,
  contactId: string,
  update: LeadUpdate,
): Promise<CallLogItem | undefined> => {
  const { leadStatus, value, note, tags, spam, handled } = update;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError(`lead value must be a finite number, got ${value}`);
  }
  const { clauses, names, values } = setAndRemove({
    leadStatus,
    value,
    note,
    tags,
    spam,
    handled,
  });
  if (clauses.length === 0) return getCall(client, tableName, contactId);
  let updated: CallLogItem;
  try {
    const output = await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: marshall(callKey(contactId)),
        UpdateExpression: [...clauses, 'ADD revision :one'].join(' '),
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    updated = unmarshall(output.Attributes ?? {}) as CallLogItem;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
  await settleCall(client, tableName, contactId);
  return updated;
};

// ---------------------------------------------------------------------------------------------
// First-time callers (leads)
// ---------------------------------------------------------------------------------------------

/** A call as the first-time check sees it. */
export interface CallerCall {
  readonly contactId: string;
  readonly startedAt: string;
  readonly locationId?: string;
  readonly caller?: string;
}

export type FirstTimeResult =
  | {
      readonly first: true;
      /**
       * Calls that were once the first of this caller at this location and are not any more: the
       * ingest marks each `firstTime = false`. Returned on every replay too (the marking is
       * idempotent), so a marking that failed once is done on the retry.
       */
      readonly displaced: readonly string[];
    }
  | { readonly first: false; readonly reason: 'no-location' | 'no-caller' | 'earlier-call' };

/**
 * The order of calls from one caller: start time, then contact id (so equal start times still
 * have one first call, the same whatever order the records arrive in).
 */
export const callOrderKey = (call: Pick<CallerCall, 'startedAt' | 'contactId'>): string =>
  `${call.startedAt}#${call.contactId}`;

export interface StoredFirst {
  readonly firstContactId: string;
  readonly firstKey: string;
  readonly displaced: readonly string[];
}

const readStoredFirst = (
  item: Record<string, AttributeValue> | undefined,
): StoredFirst | undefined => {
  if (!item) return undefined;
  const firstContactId = item.firstContactId?.S;
  const firstKey = item.firstKey?.S;
  if (firstContactId === undefined || firstKey === undefined) {
    throw new Error(`corrupt first-caller item ${item.pk?.S ?? '?'}: no firstContactId/firstKey`);
  }
  return { firstContactId, firstKey, displaced: item.displacedContactIds?.SS ?? [] };
};

const getStoredFirst = async (
  client: DynamoDBClient,
  tableName: string,
  key: ReturnType<typeof callerKey>,
): Promise<StoredFirst | undefined> => {
  const output = await client.send(
    new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
  );
  return readStoredFirst(output.Item);
};

/**
 * Caller items read ahead for a batch of records (one BatchGetItem per 100), by partition key:
 * `null` when there was none. Only a starting point: every write is still a compare-and-swap, and
 * a lost one reads the item again.
 */
export type KnownCallerItems = Map<string, StoredFirst | null>;

/** Reads the caller items of `calls` at once (those with a location and a caller). */
export const readCallerItems = async (
  client: DynamoDBClient,
  tableName: string,
  calls: readonly Pick<CallerCall, 'locationId' | 'caller'>[],
): Promise<KnownCallerItems> => {
  const keys = new Map<string, ReturnType<typeof callerKey>>();
  for (const { locationId, caller } of calls) {
    if (locationId === undefined || caller === undefined || caller.trim() === '') continue;
    const key = callerKey(locationId, caller);
    keys.set(key.pk.S, key);
  }
  const known: KnownCallerItems = new Map([...keys.keys()].map((pk) => [pk, null]));
  for (const item of await batchGetItems(client, tableName, [...keys.values()])) {
    known.set(item.pk?.S ?? '', readStoredFirst(item) ?? null);
  }
  return known;
};

/** Compare-and-swap attempts before giving up (each lost race means another call just wrote). */
const FIRST_TIME_ATTEMPTS = 5;

/**
 * Whether this call is the earliest from its caller at its location, recording it if so.
 *
 * The caller item holds the earliest call (`firstContactId`, `firstStartedAt`, `firstKey` =
 * {@link callOrderKey}) and every call it displaced (`displacedContactIds`). It is read, then
 * replaced only if unchanged since the read (`attribute_not_exists(pk)` or `firstKey = :read`), a
 * compare-and-swap retried on a lost race, so the displaced call is always known exactly. A call
 * with no location (an unknown number) or no caller number is never a lead and writes nothing.
 */
export const recordFirstTimeCaller = async (
  client: DynamoDBClient,
  tableName: string,
  call: CallerCall,
  /** The TTL (epoch seconds) of the caller item this writes. */
  expiresAt?: number,
  /** Read ahead for the batch ({@link readCallerItems}): the first attempt starts from it. */
  known?: KnownCallerItems,
): Promise<FirstTimeResult> => {
  if (call.locationId === undefined) return { first: false, reason: 'no-location' };
  if (call.caller === undefined || call.caller.trim() === '') {
    return { first: false, reason: 'no-caller' };
  }
  const key = callerKey(call.locationId, call.caller);
  const incomingKey = callOrderKey(call);
  for (let attempt = 1; attempt <= FIRST_TIME_ATTEMPTS; attempt += 1) {
    const ahead = attempt === 1 ? known?.get(key.pk.S) : undefined;
    const stored =
      ahead === undefined ? await getStoredFirst(client, tableName, key) : (ahead ?? undefined);
    if (stored?.firstContactId === call.contactId) {
      return { first: true, displaced: stored.displaced };
    }
    if (stored !== undefined && stored.firstKey < incomingKey) {
      return { first: false, reason: 'earlier-call' };
    }
    const displaced = stored ? [...new Set([...stored.displaced, stored.firstContactId])] : [];
    const item: Record<string, AttributeValue> = {
      ...key,
      firstContactId: { S: call.contactId },
      firstStartedAt: { S: call.startedAt },
      firstKey: { S: incomingKey },
      ...(displaced.length > 0 ? { displacedContactIds: { SS: displaced } } : {}),
      ...(expiresAt === undefined ? {} : { [CALL_LOG_EXPIRY_ATTRIBUTE]: { N: String(expiresAt) } }),
    };
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: item,
          ...(stored === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'firstKey = :read',
                ExpressionAttributeValues: { ':read': { S: stored.firstKey } },
              }),
        }),
      );
      // Later records of the batch start from what this one wrote.
      known?.set(key.pk.S, {
        firstContactId: call.contactId,
        firstKey: incomingKey,
        displaced,
      });
      return { first: true, displaced };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Another call changed the item since the read: read again and decide again.
      known?.delete(key.pk.S);
    }
  }
  throw new FirstTimeContentionError(call.contactId, FIRST_TIME_ATTEMPTS);
};

/**
 * Whether the caller item still names this call as the first (a consistent read). The ingest asks
 * after writing a call with `firstTime = true`: if an earlier call displaced this one between the
 * first-time check and the call's write (records of one caller on two shards), the displacing
 * ingest found no call item to mark, and this call must mark itself.
 */
export const isStillFirst = async (
  client: DynamoDBClient,
  tableName: string,
  call: Required<Pick<CallerCall, 'contactId' | 'locationId' | 'caller'>>,
): Promise<boolean> => {
  const stored = await getStoredFirst(client, tableName, callerKey(call.locationId, call.caller));
  return stored?.firstContactId === call.contactId;
};

/** Calls from one caller kept changing the caller item: retry the record later. */
export class FirstTimeContentionError extends Error {
  constructor(
    readonly contactId: string,
    readonly attempts: number,
  ) {
    super(
      `first-time check of contact ${contactId} lost ${attempts} races for its caller item: retry`,
    );
    this.name = 'FirstTimeContentionError';
  }
}
