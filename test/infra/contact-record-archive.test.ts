import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTACT_RECORD_ARCHIVE_PREFIX } from '../../lambdas/contracts/contact-record-archive.js';
import { synthApp } from '../support/synth.js';

/**
 * The contact-record archive: every raw record kept past the stream's 7 days, in a retained,
 * encrypted, logged bucket with a lifecycle, written by a delivery stream whose role can do only
 * that; `npm run replay --archive` reads it (test/integration/replay.dynalite.test.ts).
 */

type Template = ReturnType<typeof synthApp>['telephony'];
let data: Template;
let telephony: Template;

beforeAll(() => {
  ({ data, telephony } = synthApp());
});

describe('the archive bucket (data stack)', () => {
  it('is retained, KMS-encrypted with the recordings key, private, logged, and expires by lifecycle', () => {
    const buckets = data.findResources('AWS::S3::Bucket');
    const archive = buckets.ContactRecordArchiveBucket;
    expect(archive?.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(archive?.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': ['RecordingsKey', 'Arn'] },
            },
          },
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: 'AccessLogsBucket' },
        LogFilePrefix: 'contact-record-archive/',
      },
    });
    const [rule] = archive?.Properties.LifecycleConfiguration.Rules ?? [];
    expect(rule).toMatchObject({
      ExpirationInDays: 400,
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 30 }],
      Status: 'Enabled',
    });
    const longer = synthApp({ contactRecordArchiveDays: 730 }).data.findResources(
      'AWS::S3::Bucket',
    );
    expect(
      longer.ContactRecordArchiveBucket?.Properties.LifecycleConfiguration.Rules[0]
        .ExpirationInDays,
    ).toBe(730);
    data.hasOutput('ContactRecordArchiveBucketName', {
      Value: { Ref: 'ContactRecordArchiveBucket' },
    });
  });
});

describe('the archive delivery stream (telephony stack)', () => {
  it('reads the contact-record stream and writes gzip, newline-delimited records by day with the key', () => {
    telephony.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    telephony.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: {
        KinesisStreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ContactRecordStream'), 'Arn'] },
      },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        Prefix: `${CONTACT_RECORD_ARCHIVE_PREFIX}!{timestamp:yyyy/MM/dd}/`,
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: {
          KMSEncryptionConfig: {
            AWSKMSKeyARN: { 'Fn::ImportValue': Match.stringLikeRegexp('RecordingsKey') },
          },
        },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [{ Type: 'AppendDelimiterToRecord' }],
        },
        CloudWatchLoggingOptions: Match.objectLike({ Enabled: true }),
      }),
    });
  });

  it('gives its role only the archive prefixes, the key through S3, and the stream', () => {
    const policies = Object.values(telephony.findResources('AWS::IAM::Policy')).filter((p) =>
      JSON.stringify(p.Properties.Roles).includes('ContactRecordArchiveRole'),
    );
    const statements = policies.flatMap((p) => p.Properties.PolicyDocument.Statement);
    const text = JSON.stringify(statements);
    expect(text).not.toMatch(/"s3:\*"|"s3:DeleteObject|"kms:\*"/);
    const writes = statements.find((s) => JSON.stringify(s.Action).includes('s3:PutObject'));
    expect(JSON.stringify(writes.Resource)).toContain('/contact-records/*');
    expect(JSON.stringify(writes.Resource)).toContain('/contact-record-errors/*');
    const kms = statements.find((s) => JSON.stringify(s.Action).includes('kms:GenerateDataKey'));
    expect(kms.Condition.StringEquals['kms:ViaService']).toBe('s3.us-east-1.amazonaws.com');
    expect(text).toContain('kinesis:GetRecords');
  });
});
