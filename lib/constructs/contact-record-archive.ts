import { Aws, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CONTACT_RECORD_ARCHIVE_ERROR_PREFIX,
  CONTACT_RECORD_ARCHIVE_PREFIX,
} from '../../lambdas/contracts/contact-record-archive.js';
import { nagImport } from './nag.js';

export interface ContactRecordArchiveProps {
  /** The stream Connect writes contact trace records to. */
  readonly stream: kinesis.IStream;
  /** The archive bucket (data stack: retained, KMS, lifecycle, access logs). */
  readonly bucket: s3.IBucket;
  /** The key the archive's objects are encrypted with. */
  readonly key: kms.IKey;
}

/**
 * Every raw contact record, kept past the stream's retention: a Firehose delivery stream reads the
 * CTR stream (a second consumer beside the ingest, so the ingest's failures cannot lose a record
 * here) and writes gzip objects of newline-delimited records, by UTC day, for `npm run replay`.
 * Built on the L1 resource with its own role: the L2 grants read-write on the whole bucket.
 */
export class ContactRecordArchive extends Construct {
  readonly deliveryStream: firehose.CfnDeliveryStream;

  constructor(scope: Construct, id: string, props: ContactRecordArchiveProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'Reads the contact-record stream and writes the archive',
    });
    props.stream.grantRead(role);
    const prefixes = [CONTACT_RECORD_ARCHIVE_PREFIX, CONTACT_RECORD_ARCHIVE_ERROR_PREFIX];
    // What Firehose's S3 destination needs (its developer guide's policy), and no more.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [props.bucket.bucketArn],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        resources: prefixes.map((prefix) => props.bucket.arnForObjects(`${prefix}*`)),
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` },
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${props.bucket.bucketArn}/*` },
        },
      }),
    );
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    const logStream = logGroup.addStream('S3Delivery');
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge(
      ...prefixes.map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${nagImport(props.bucket, props.bucket.bucketArn)}/${prefix}*]`,
        reason: `Firehose names archive objects itself (a day prefix and a generated name): it writes only under ${prefix} of the archive bucket.`,
      })),
    );

    this.deliveryStream = new firehose.CfnDeliveryStream(this, 'Delivery', {
      deliveryStreamType: 'KinesisStreamAsSource',
      kinesisStreamSourceConfiguration: {
        kinesisStreamArn: props.stream.streamArn,
        roleArn: role.roleArn,
      },
      extendedS3DestinationConfiguration: {
        bucketArn: props.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${CONTACT_RECORD_ARCHIVE_PREFIX}!{timestamp:yyyy/MM/dd}/`,
        errorOutputPrefix: `${CONTACT_RECORD_ARCHIVE_ERROR_PREFIX}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        compressionFormat: 'GZIP',
        encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: props.key.keyArn } },
        // Firehose's largest buffer: the fewest objects; a record is archived within 15 minutes.
        bufferingHints: { intervalInSeconds: 900, sizeInMBs: 128 },
        // One record per line. Replay also splits records written back to back, should the
        // delimiter ever be missing (local/import-records.ts jsonTextsOf).
        processingConfiguration: {
          enabled: true,
          processors: [{ type: 'AppendDelimiterToRecord' }],
        },
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: logGroup.logGroupName,
          logStreamName: logStream.logStreamName,
        },
      },
    });
    // Firehose checks its role when the stream is created: the policy must exist first.
    this.deliveryStream.node.addDependency(role);
    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Server-side encryption of a delivery stream cannot be set when its source is a Kinesis stream; the source stream is encrypted and every archived object is written with the archive KMS key.',
    });
  }
}
