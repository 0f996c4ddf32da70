import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { callKey, type StoredCallLogItem } from '../../lambdas/adapters/dynamodb/call-log-keys.js';
import { updateLead } from '../../lambdas/adapters/dynamodb/call-log-writer.js';
import {
  RollupContentionError,
  recomputeRollup,
  settleCall,
} from '../../lambdas/adapters/dynamodb/rollup-writer.js';
import { type CallLogItem, rollupGroupId } from '../../lambdas/domain/call-log-item.js';
import { rollupMember } from '../../lambdas/domain/rollup.js';
import { EXAMPLE_ANSWER, EXAMPLE_NUMBERS } from '../support/fixtures.js';

const TABLE = 'calltrack-call-log';
const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });

const storedCall = (overrides: Partial<StoredCallLogItem> = {}): StoredCallLogItem => ({
  ...callKey('c-1'),
  monthKey: '2026-11',
  startedKey: '2026-11-23T16:00:00.000Z#c-1',
  contactId: 'c-1',
  startedAt: '2026-11-23T16:00:00.000Z',
  durationSeconds: 60,
  caller: EXAMPLE_NUMBERS.caller,
  dialed: EXAMPLE_NUMBERS.austinGoogle,
  locationId: EXAMPLE_ANSWER.locationId,
  source: EXAMPLE_ANSWER.source,
  outcome: 'missed',
  answered: false,
  firstTime: true,
  recordings: [],
  lastUpdate: '2026-11-23T16:01:05.000Z',
  revision: 3,
  ...overrides,
});

const GROUP = rollupGroupId(storedCall());
const OLD_GROUP = rollupGroupId(storedCall({ source: 'Yelp' }));

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const queryOf = (...calls: CallLogItem[]) => ({
  Items: calls.map((c) => marshall(rollupMember(c), { removeUndefinedValues: true })),
});

const rollupPuts = () =>
  ddb
    .commandCalls(PutItemCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Item?.pk?.S?.startsWith('ROLLUP#'));

beforeEach(() => {
  ddb.reset();
  ddb.on(PutItemCommand).resolves({});
  ddb.on(DeleteItemCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(GetItemCommand).resolves({});
  ddb.on(UpdateItemCommand).resolves({});
  ddb.on(BatchGetItemCommand).resolves({});
  ddb.on(BatchWriteItemCommand).resolves({});
});

describe('recomputeRollup', () => {
  it('reads the members consistently, puts their aggregate, and stops when a re-read agrees', async () => {
    ddb.on(QueryCommand).resolves(queryOf(storedCall()));
    await recomputeRollup(client, TABLE, GROUP);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      ExpressionAttributeValues: { ':pk': { S: `MEMBERS#${GROUP}` } },
      ConsistentRead: true,
    });
    expect(rollupPuts().map((p) => unmarshall(p.Item ?? {}))).toEqual([
      expect.objectContaining({ pk: 'ROLLUP#2026-11-23', calls: 1, missed: 1 }),
    ]);
  });

  it('reads every page of members', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ ...queryOf(storedCall()), LastEvaluatedKey: { pk: { S: 'x' } } })
      .resolvesOnce(queryOf(storedCall({ contactId: 'c-2' })))
      .resolvesOnce({ ...queryOf(storedCall()), LastEvaluatedKey: { pk: { S: 'x' } } })
      .resolvesOnce(queryOf(storedCall({ contactId: 'c-2' })));
    await recomputeRollup(client, TABLE, GROUP);
    expect(rollupPuts().map((p) => unmarshall(p.Item ?? {}).calls)).toEqual([2]);
  });

  it('a group with no live member has its rollup deleted', async () => {
    await recomputeRollup(client, TABLE, GROUP);
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      Key: marshall({ pk: 'ROLLUP#2026-11-23', sk: GROUP.slice(11) }),
    });
    expect(rollupPuts()).toEqual([]);
  });

  it('members changing on every read: rewrites the latest, then gives up so the caller retries', async () => {
    let n = 0;
    ddb.on(QueryCommand).callsFake(() => {
      n += 1;
      return queryOf(storedCall({ durationSeconds: n }));
    });
    await expect(recomputeRollup(client, TABLE, GROUP)).rejects.toThrow(RollupContentionError);
    expect(rollupPuts().map((p) => unmarshall(p.Item ?? {}).durationSeconds)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  });
});

describe('settleCall', () => {
  it('no such call: nothing written', async () => {
    expect(await settleCall(client, TABLE, 'c-1')).toBe('absent');
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, {
      Key: marshall(callKey('c-1')),
      ConsistentRead: true,
    });
    expect(ddb).not.toHaveReceivedCommand(PutItemCommand);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('puts the member at the call’s revision, tombstones the groups it left, recomputes each', async () => {
    const call = storedCall({ rollupGroups: new Set([GROUP, OLD_GROUP]) });
    ddb.on(GetItemCommand).resolves({ Item: marshall(call) });
    expect(await settleCall(client, TABLE, 'c-1')).toBe('settled');
    const memberPuts = ddb
      .commandCalls(PutItemCommand)
      .map((c) => c.args[0].input)
      .filter((input) => input.Item?.pk?.S?.startsWith('MEMBERS#'));
    expect(memberPuts).toEqual([
      expect.objectContaining({
        Item: marshall(
          { pk: `MEMBERS#${GROUP}`, sk: 'CALL#c-1', ...rollupMember(call) },
          { removeUndefinedValues: true },
        ),
        ConditionExpression: 'attribute_not_exists(pk) OR revision <= :rev',
        ExpressionAttributeValues: { ':rev': { N: '3' } },
      }),
      expect.objectContaining({
        Item: marshall({
          pk: `MEMBERS#${OLD_GROUP}`,
          sk: 'CALL#c-1',
          contactId: 'c-1',
          revision: 3,
          gone: true,
        }),
        ConditionExpression: 'attribute_not_exists(pk) OR revision < :rev',
      }),
    ]);
    const queried = ddb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':pk']?.S);
    expect(queried).toEqual([
      `MEMBERS#${OLD_GROUP}`,
      `MEMBERS#${OLD_GROUP}`,
      `MEMBERS#${GROUP}`,
      `MEMBERS#${GROUP}`,
    ]);
    // Then each month row of those groups, from every day of its month, read consistently.
    const [read] = ddb.commandCalls(BatchGetItemCommand).map((c) => c.args[0].input);
    const request = read?.RequestItems?.[TABLE];
    expect(request?.ConsistentRead).toBe(true);
    expect(request?.Keys?.length).toBeGreaterThanOrEqual(28);
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteItemCommand, 1);
  });

  it('a member of a later revision already stored: still recomputes, and succeeds', async () => {
    ddb.on(GetItemCommand).resolves({ Item: marshall(storedCall()) });
    ddb.on(PutItemCommand, { Item: { pk: { S: `MEMBERS#${GROUP}` } } }).rejects(conditionFailed());
    expect(await settleCall(client, TABLE, 'c-1')).toBe('settled');
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });
});

describe('updateLead', () => {
  it('sets and removes only the given fields, bumps the revision, then settles', async () => {
    const updated = storedCall({ leadStatus: 'rented', tags: ['a'], revision: 4 });
    ddb.on(UpdateItemCommand).resolves({ Attributes: marshall(updated) });
    const result = await updateLead(client, TABLE, 'c-1', {
      leadStatus: 'rented',
      note: null,
      tags: ['a'],
    });
    expect(result).toEqual(updated);
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: marshall(callKey('c-1')),
      UpdateExpression: 'SET #f0 = :f0, #f3 = :f3 REMOVE #f2 ADD revision :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#f0': 'leadStatus', '#f2': 'note', '#f3': 'tags' },
      ExpressionAttributeValues: {
        ':f0': { S: 'rented' },
        ':f3': { L: [{ S: 'a' }] },
        ':one': { N: '1' },
      },
      ReturnValues: 'ALL_NEW',
    });
    // The settle reads the call after the update.
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { Key: marshall(callKey('c-1')) });
  });

  it('no such call: undefined, and no settle', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed());
    expect(await updateLead(client, TABLE, 'c-1', { spam: true })).toBeUndefined();
    expect(ddb).not.toHaveReceivedCommand(GetItemCommand);
  });

  it('no field: no write, the stored call', async () => {
    ddb.on(GetItemCommand).resolves({ Item: marshall(storedCall()) });
    expect(await updateLead(client, TABLE, 'c-1', {})).toEqual(storedCall());
    expect(ddb).not.toHaveReceivedCommand(UpdateItemCommand);
    expect(ddb).not.toHaveReceivedCommand(PutItemCommand);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    'value %d: refused before any request',
    async (value) => {
      await expect(updateLead(client, TABLE, 'c-1', { value })).rejects.toThrow(/finite number/);
      expect(ddb.calls()).toHaveLength(0);
    },
  );
});
