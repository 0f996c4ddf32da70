import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { CallLogItem } from '../domain/call-log-item.js';

/**
 * Writing the call log (CALL_LOG_TABLE): the call item, kept at its newest contact record, and the
 * first-time-caller item of each caller × location (the lead). Every write is conditional, so a
 * record replayed any number of times, in any order, leaves the same items.
 */

// ---------------------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------------------

export type CallWriteResult = 'written' | 'stale';

/**
 * Puts the call item unless the stored one is as new or newer: `lastUpdate` is a normalised ISO
 * timestamp, so string order is time order. `stale` (an older or duplicate record) changes nothing.
 */
export const putCallIfNewer = async (
  client: DynamoDBClient,
  tableName: string,
  item: CallLogItem,
): Promise<CallWriteResult> => {
  try {
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item, { removeUndefinedValues: true }),
        ConditionExpression: 'attribute_not_exists(pk) OR lastUpdate < :incoming',
        ExpressionAttributeValues: { ':incoming': { S: item.lastUpdate } },
      }),
    );
    return 'written';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'stale';
    throw error;
  }
};

/**
 * Marks a stored call as not the first from its caller at its location. Does nothing (and says
 * so) when the call is not stored yet: its own ingest will find out it is not the first.
 */
export const markNotFirstTime = async (
  client: DynamoDBClient,
  tableName: string,
  contactId: string,
): Promise<'marked' | 'absent'> => {
  try {
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: `CALL#${contactId}` }, sk: { S: 'CALL' } },
        UpdateExpression: 'SET firstTime = :false',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':false': { BOOL: false } },
      }),
    );
    return 'marked';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return 'absent';
    throw error;
  }
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

/** `CALLER#<locationId>#<caller>`, sk `FIRST`. */
export const callerKey = (
  locationId: string,
  caller: string,
): { pk: { S: string }; sk: { S: string } } => ({
  pk: { S: `CALLER#${locationId}#${caller}` },
  sk: { S: 'FIRST' },
});

/**
 * The order of calls from one caller: start time, then contact id (so equal start times still
 * have one first call, the same whatever order the records arrive in).
 */
export const callOrderKey = (call: Pick<CallerCall, 'startedAt' | 'contactId'>): string =>
  `${call.startedAt}#${call.contactId}`;

interface StoredFirst {
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
): Promise<FirstTimeResult> => {
  if (call.locationId === undefined) return { first: false, reason: 'no-location' };
  if (call.caller === undefined || call.caller.trim() === '') {
    return { first: false, reason: 'no-caller' };
  }
  const key = callerKey(call.locationId, call.caller);
  const incomingKey = callOrderKey(call);
  for (let attempt = 1; attempt <= FIRST_TIME_ATTEMPTS; attempt += 1) {
    const stored = await getStoredFirst(client, tableName, key);
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
      return { first: true, displaced };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Another call changed the item since the read: read again and decide again.
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
