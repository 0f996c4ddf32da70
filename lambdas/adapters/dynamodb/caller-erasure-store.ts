import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CallLogItem } from '../../domain/call-log-item.js';
import type { ErasureAuditEntry } from '../../domain/erasure.js';
import { callerIndexKey, callerKey, callKey } from './call-log-keys.js';

/**
 * The call log's side of an erasure (use-cases/erase-caller.ts): a caller's calls from the
 * byCaller index, their deletion, and the audit entries (`pk = ERASURE, sk = <at>#<erasureId>`,
 * no index key, so no call query sees them).
 */

/** What an erasure needs of a call. */
export type CallerCall = Pick<
  CallLogItem,
  | 'contactId'
  | 'startedAt'
  | 'locationId'
  | 'recordings'
  | 'voicemailKey'
  | 'leadStatus'
  | 'value'
  | 'note'
  | 'tags'
>;

export interface CallerErasureStore {
  /** Every call of the caller, at every location, oldest first. */
  callsOf(caller: string): Promise<CallerCall[]>;
  /** False when it was already gone. */
  deleteCall(contactId: string): Promise<boolean>;
  /** The caller's first-time item at a location; false when there was none. */
  deleteCallerHistory(locationId: string, caller: string): Promise<boolean>;
  recordErasure(entry: ErasureAuditEntry): Promise<void>;
  /** The newest first. */
  erasures(limit: number): Promise<ErasureAuditEntry[]>;
}

const AUDIT_PK = 'ERASURE';

const PROJECTION = [
  'contactId',
  'startedAt',
  'locationId',
  'recordings',
  'voicemailKey',
  'leadStatus',
  '#value',
  'note',
  'tags',
].join(', ');

export const createCallerErasureStore = (
  client: DynamoDBClient,
  tableName: string,
): CallerErasureStore => {
  const deleted = async (Key: Record<string, AttributeValue>): Promise<boolean> => {
    const output = await client.send(
      new DeleteItemCommand({ TableName: tableName, Key, ReturnValues: 'ALL_OLD' }),
    );
    return output.Attributes !== undefined;
  };
  return {
    async callsOf(caller) {
      const calls: CallerCall[] = [];
      let start: Record<string, AttributeValue> | undefined;
      do {
        const output = await client.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'byCaller',
            KeyConditionExpression: 'callerNumberKey = :caller',
            ExpressionAttributeValues: { ':caller': { S: callerIndexKey(caller) } },
            // `value` is a DynamoDB reserved word.
            ProjectionExpression: PROJECTION,
            ExpressionAttributeNames: { '#value': 'value' },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of output.Items ?? []) calls.push(unmarshall(item) as CallerCall);
        start = output.LastEvaluatedKey;
      } while (start);
      return calls;
    },

    deleteCall: (contactId) => deleted(marshall(callKey(contactId))),

    deleteCallerHistory: (locationId, caller) => deleted(callerKey(locationId, caller)),

    async recordErasure(entry) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: marshall({ pk: AUDIT_PK, sk: `${entry.at}#${entry.erasureId}`, ...entry }),
        }),
      );
    },

    async erasures(limit) {
      const output = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: AUDIT_PK } },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return (output.Items ?? []).map((item) => {
        const { erasureId, at, by, removed } = unmarshall(item) as ErasureAuditEntry;
        return { erasureId, at, by, removed };
      });
    },
  };
};
