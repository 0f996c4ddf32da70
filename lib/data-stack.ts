import {
  CfnOutput,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { CALL_LOG_TABLE, ROUTING_TABLE } from '../lambdas/contracts/tables.js';
import { tableFromDefinition } from './constructs/tables.js';

export interface DataStackProps extends StackProps {
  /** Prefix of the names the stack gives resources, so stages can share an account. */
  readonly namePrefix: string;
  /** Days a call recording is kept before S3 deletes it. @default - 365 days */
  readonly recordingRetentionDays?: number;
  /**
   * Days raw contact records are kept in the archive `npm run replay` rebuilds the call log from.
   * @default - 400 days (a year of reports, and a month to notice a problem)
   */
  readonly contactRecordArchiveDays?: number;
  /** Days S3 server access logs of the recordings bucket are kept. @default - 90 days */
  readonly accessLogRetentionDays?: number;
}

/**
 * The stateful half of the system, deployed apart so the rest can be torn down and redeployed
 * freely: the routing table, the call log, and the recordings bucket with its KMS key. Termination
 * protection is on and every resource here is retained if the stack is deleted.
 */
export class DataStack extends Stack {
  readonly routingTable: dynamodb.TableV2;
  readonly callLogTable: dynamodb.TableV2;
  readonly recordingsKey: kms.Key;
  readonly recordingsBucket: s3.Bucket;
  /** Raw contact records, by day, as the archive's delivery stream writes them. */
  readonly contactRecordArchive: s3.Bucket;
  /** The key of the callers' hashes the rollups count unique callers by (caller-hash.ts). */
  readonly callerHashSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: true, ...props });
    const recordingRetentionDays = props.recordingRetentionDays ?? 365;

    this.routingTable = tableFromDefinition(this, 'RoutingTable', ROUTING_TABLE);
    this.callLogTable = tableFromDefinition(this, 'CallLogTable', CALL_LOG_TABLE);

    this.recordingsKey = new kms.Key(this, 'RecordingsKey', {
      description: 'Encrypts call recordings written by Amazon Connect',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    this.recordingsKey.addAlias(`alias/${props.namePrefix}/recordings`);

    this.callerHashSecret = new secretsmanager.Secret(this, 'CallerHashKey', {
      description:
        "HMAC key of the callers' hashes in the rollups (unique callers): without it a hash is not a number",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Kept with the tables it keys: a new key would count every earlier caller again.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    Validations.of(this.callerHashSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Rotating this key unlinks every caller hash made before from those made after (a caller who called on both sides counts twice in a range spanning the rotation), so it is rotated by hand when wanted (aws secretsmanager put-secret-value, README 'Privacy and compliance'), not on a schedule.",
    });

    const accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED, // S3 server access logs cannot target a KMS bucket
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogRetentionDays ?? 90) }],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    Validations.of(accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket is the access-log destination of the recordings bucket; logging it into another bucket would need an endless chain of log buckets.',
    });

    this.recordingsBucket = new s3.Bucket(this, 'RecordingsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.recordingsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'recordings/',
      lifecycleRules: [
        {
          id: 'recording-retention',
          expiration: Duration.days(recordingRetentionDays),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    this.contactRecordArchive = new s3.Bucket(this, 'ContactRecordArchiveBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.recordingsKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'contact-record-archive/',
      lifecycleRules: [
        {
          id: 'contact-record-retention',
          // Replays are rare: after a month the objects wait in Glacier Instant Retrieval, still
          // readable at once, for about a sixth of the storage price.
          transitions: [
            {
              storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
              transitionAfter: Duration.days(30),
            },
          ],
          expiration: Duration.days(props.contactRecordArchiveDays ?? 400),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });

    // Stateful resources keep their logical IDs forever: a changed ID replaces the resource.
    for (const [construct, logicalId] of [
      [this.routingTable, 'RoutingTable'],
      [this.callLogTable, 'CallLogTable'],
      [this.recordingsKey, 'RecordingsKey'],
      [this.recordingsBucket, 'RecordingsBucket'],
      [accessLogsBucket, 'AccessLogsBucket'],
      [this.contactRecordArchive, 'ContactRecordArchiveBucket'],
      [this.callerHashSecret, 'CallerHashKey'],
    ] as const) {
      (construct.node.defaultChild as CfnResource).overrideLogicalId(logicalId);
    }

    new CfnOutput(this, 'RoutingTableName', { value: this.routingTable.tableName });
    new CfnOutput(this, 'CallLogTableName', { value: this.callLogTable.tableName });
    new CfnOutput(this, 'RecordingsBucketName', { value: this.recordingsBucket.bucketName });
    new CfnOutput(this, 'CallerHashSecretArn', {
      value: this.callerHashSecret.secretArn,
      description:
        'npm run import-records -- --table <CallLogTableName> --caller-hash-secret <this>',
    });
    new CfnOutput(this, 'ContactRecordArchiveBucketName', {
      value: this.contactRecordArchive.bucketName,
      description: 'npm run replay -- --archive <this bucket> --from <day>',
    });
  }
}
