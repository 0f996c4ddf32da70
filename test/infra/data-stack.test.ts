import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CALL_LOG_TABLE,
  type IndexDefinition,
  ROUTING_TABLE,
} from '../../lambdas/contracts/tables.js';
import { synthApp } from '../support/synth.js';

let data: ReturnType<typeof synthApp>['data'];
let stacks: ReturnType<typeof synthApp>['stacks'];

beforeAll(() => {
  ({ data, stacks } = synthApp({ recordingRetentionDays: 400 }));
});

describe('data stack', () => {
  it('pins the logical ids of its stateful resources (a changed id would replace them)', () => {
    const expected = {
      RoutingTable: 'AWS::DynamoDB::GlobalTable',
      CallLogTable: 'AWS::DynamoDB::GlobalTable',
      RecordingsKey: 'AWS::KMS::Key',
      RecordingsBucket: 'AWS::S3::Bucket',
      AccessLogsBucket: 'AWS::S3::Bucket',
      CallerHashKey: 'AWS::SecretsManager::Secret',
    };
    const resources = data.toJSON().Resources as Record<string, { Type: string }>;
    for (const [logicalId, type] of Object.entries(expected)) {
      expect(resources[logicalId]?.Type, logicalId).toBe(type);
    }
  });

  it('keeps every stateful resource on delete, not after a failed create; termination protection', () => {
    expect(stacks.data.terminationProtection).toBe(true);
    const resources = data.toJSON().Resources as Record<
      string,
      { DeletionPolicy?: string; UpdateReplacePolicy?: string }
    >;
    const stateful = [
      'RoutingTable',
      'CallLogTable',
      'RecordingsKey',
      'RecordingsBucket',
      'CallerHashKey',
    ];
    for (const id of [...stateful, 'AccessLogsBucket']) {
      expect(resources[id]?.DeletionPolicy, id).toBe('RetainExceptOnCreate');
      expect(resources[id]?.UpdateReplacePolicy, id).toBe('Retain');
    }
  });

  it("keeps the callers' hash key in a generated secret, and gives its ARN for the import CLIs", () => {
    expect(data.toJSON().Resources.CallerHashKey.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    expect(data.toJSON().Outputs.CallerHashSecretArn.Value).toEqual({ Ref: 'CallerHashKey' });
  });

  it('protects both tables: point-in-time recovery, deletion protection, on demand', () => {
    const tables = data.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('expires call-log items on their expiresAt (calls, caller items, webhook attempts), routing items never', () => {
    const resources = data.toJSON().Resources;
    expect(resources.CallLogTable.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    expect(resources.RoutingTable.Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it.each([
    ['RoutingTable', ROUTING_TABLE],
    ['CallLogTable', CALL_LOG_TABLE],
  ] as const)(
    'deploys %s with the key schema of its shared definition',
    (logicalId, definition) => {
      const keySchema = (index: IndexDefinition) => [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' }] : []),
      ];
      const table = data.toJSON().Resources[logicalId].Properties;
      expect(table.KeySchema).toEqual(keySchema(definition));
      expect(
        Object.fromEntries(
          table.GlobalSecondaryIndexes.map((i: any) => [i.IndexName, i.KeySchema]),
        ),
      ).toEqual(
        Object.fromEntries(
          Object.entries(definition.indexes).map(([name, index]) => [name, keySchema(index)]),
        ),
      );
    },
  );

  it('names its key alias after the stack prefix, so stages can share an account', () => {
    data.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/call-tracking/recordings' });
    const staging = synthApp({ stackPrefix: 'staging' }).data;
    staging.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/staging/recordings' });
  });

  it('encrypts recordings with a rotated customer key, SSL only, private, versioned, logged', () => {
    data.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const bucket = data.toJSON().Resources.RecordingsBucket.Properties;
    expect(bucket.BucketEncryption.ServerSideEncryptionConfiguration[0]).toEqual({
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: {
        SSEAlgorithm: 'aws:kms',
        KMSMasterKeyID: { 'Fn::GetAtt': ['RecordingsKey', 'Arn'] },
      },
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: 'AccessLogsBucket' });
    expect(bucket.LifecycleConfiguration.Rules[0]).toMatchObject({
      ExpirationInDays: 400,
      NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      Status: 'Enabled',
    });
  });

  it('denies every request to the recordings bucket that is not over TLS', () => {
    data.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: 'RecordingsBucket' },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});
