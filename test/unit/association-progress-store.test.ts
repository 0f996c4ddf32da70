import {
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
import type { AssociationProgress } from '../../lambdas/domain/association-progress.js';

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
};

beforeEach(() => {
  dynamo.reset();
});

describe('dynamoDbProgressStore', () => {
  it('writes the progress under the resource id, expiring a week later', async () => {
    await store.write('phone-numbers:arn', progress);

    expect(dynamo).toHaveReceivedCommandWith(PutItemCommand, {
      TableName: 'progress',
      Item: {
        pk: { S: 'phone-numbers:arn' },
        progress: { S: JSON.stringify(progress) },
        expiresAt: { N: String(NOW / 1000 + 7 * 24 * 3600) },
      },
    });
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

  it('removes the item', async () => {
    await store.remove('id');

    expect(dynamo).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: 'progress',
      Key: { pk: { S: 'id' } },
    });
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
