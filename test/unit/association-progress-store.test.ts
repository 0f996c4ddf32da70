import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  dynamoDbProgressStore,
  UnreadableProgressError,
} from '../../lambdas/adapters/dynamodb/association-progress-store.js';
import { associatePhoneNumbersEnvironment } from '../../lambdas/contracts/environment.js';
import {
  type AssociationProgress,
  ProgressTakenOverError,
} from '../../lambdas/domain/association-progress.js';

const dynamo = mockClient(DynamoDBClient);
const NOW = Date.parse('2026-12-01T00:00:00Z');
const store = dynamoDbProgressStore(
  new DynamoDBClient({ region: 'us-east-1' }),
  'progress',
  () => NOW,
);
const progress: AssociationProgress = {
  requestId: 'req-1',
  sourceKey: null,
  targetKey: 'key-b',
  scope: { kind: 'changes' },
  done: 40,
  attempted: 60,
  deadline: NOW + 55 * 60_000,
};

beforeEach(() => {
  dynamo.reset();
});

describe('dynamoDbProgressStore', () => {
  it('writes the progress under the resource id, expiring a week later, if it owns the item', async () => {
    await store.write('phone-numbers:arn', progress, 'req-1');

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'progress',
      Item: {
        pk: { S: 'phone-numbers:arn' },
        requestId: { S: 'req-1' },
        progress: { S: JSON.stringify(progress) },
        expiresAt: { N: String(NOW / 1000 + 7 * 24 * 3600) },
      },
      // An item written before requestId was an attribute of its own may be replaced too.
      ConditionExpression:
        'requestId = :owner OR (attribute_exists(pk) AND attribute_not_exists(requestId))',
      ExpressionAttributeValues: { ':owner': { S: 'req-1' } },
    });
  });

  it('writes a first progress only where there is none', async () => {
    await store.write('phone-numbers:arn', progress, undefined);

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    const input = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.ExpressionAttributeValues).toBeUndefined();
  });

  it('refuses, naming the request, when another request owns the item now', async () => {
    dynamo
      .on(PutItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    const write = store.write('phone-numbers:arn', progress, 'req-1');

    await expect(write).rejects.toBeInstanceOf(ProgressTakenOverError);
    await expect(write).rejects.toThrowError(
      'the association progress of phone-numbers:arn no longer belongs to request req-1: a later request (a rollback or another deploy) took it over, so req-1 stops here',
    );
  });

  it('reads it back consistently, and nothing when nothing is stored', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: { pk: { S: 'id' }, progress: { S: JSON.stringify(progress) } } })
      .resolves({});

    await expect(store.read('id')).resolves.toEqual(progress);
    await expect(store.read('id')).resolves.toBeUndefined();
    expect(dynamo).toHaveReceivedCommandWith(GetItemCommand, { ConsistentRead: true });
  });

  it('fails naming the item and the fix when the stored progress is unreadable', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'id' }, progress: { S: '{' } } });

    const read = store.read('id');

    await expect(read).rejects.toBeInstanceOf(UnreadableProgressError);
    await expect(read).rejects.toThrowError(
      'the association progress of id in table progress is unreadable: delete that item and retry the deploy',
    );
  });

  it("removes the item only while it is the request's", async () => {
    await store.remove('id', 'req-1');

    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: 'progress',
      Key: { pk: { S: 'id' } },
      ConditionExpression: 'requestId = :owner',
      ExpressionAttributeValues: { ':owner': { S: 'req-1' } },
    });
  });

  it('refuses to remove the item of another request', async () => {
    dynamo
      .on(DeleteItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'failed', $metadata: {} }));

    await expect(store.remove('id', 'req-1')).rejects.toBeInstanceOf(ProgressTakenOverError);
  });
});

describe('associatePhoneNumbersEnvironment.read', () => {
  it('needs the progress table and defaults the rate limit to the 2/s quota', () => {
    expect(() => associatePhoneNumbersEnvironment.read({})).toThrowError(/PROGRESS_TABLE_NAME/);
    expect(associatePhoneNumbersEnvironment.read({ PROGRESS_TABLE_NAME: 't' })).toEqual({
      progressTableName: 't',
      rateLimitPerSecond: 2,
    });
  });

  it('takes a raised quota and refuses one that is no rate', () => {
    const read = (value: string) =>
      associatePhoneNumbersEnvironment.read({
        PROGRESS_TABLE_NAME: 't',
        ASSOCIATION_RATE_LIMIT: value,
      });

    expect(read('10').rateLimitPerSecond).toBe(10);
    expect(() => read('fast')).toThrowError(
      'associate-phone-numbers: ASSOCIATION_RATE_LIMIT must be the account\'s AssociatePhoneNumberContactFlow quota in requests a second, from 0.1 to 100, got "fast"',
    );
  });
});
