import * as connect from 'aws-cdk-lib/aws-connect';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { RECORDINGS_PREFIX } from '../../lambdas/domain/recordings.js';

export interface InstanceStorageProps {
  readonly instanceArn: string;
  /**
   * Where Connect writes call recordings. Connect keeps one recordings location per instance, and
   * an instance made in the console already has one: leave this out to keep it.
   * @default - recordings storage is not configured by the stack
   */
  readonly recordings?: {
    readonly bucket: s3.IBucket;
    readonly key: kms.IKey;
    /** @default - `connect` */
    readonly prefix?: string;
  };
  /**
   * The Kinesis stream Connect writes contact trace records to (one per instance).
   * @default - contact-record storage is not configured by the stack
   */
  readonly contactRecordStream?: kinesis.IStream;
}

/**
 * Where Connect writes call recordings (the recordings bucket, encrypted with its customer key) and
 * contact trace records (the Kinesis stream the call log ingests).
 */
export class InstanceStorage extends Construct {
  constructor(scope: Construct, id: string, props: InstanceStorageProps) {
    super(scope, id);
    const configs: connect.CfnInstanceStorageConfig[] = [];
    if (props.recordings) {
      configs.push(
        new connect.CfnInstanceStorageConfig(this, 'CallRecordings', {
          instanceArn: props.instanceArn,
          resourceType: 'CALL_RECORDINGS',
          storageType: 'S3',
          s3Config: {
            bucketName: props.recordings.bucket.bucketName,
            bucketPrefix: props.recordings.prefix ?? RECORDINGS_PREFIX,
            // Connect wants the full key ARN here, not the key id.
            encryptionConfig: { encryptionType: 'KMS', keyId: props.recordings.key.keyArn },
          },
        }),
      );
    }
    if (props.contactRecordStream) {
      configs.push(
        new connect.CfnInstanceStorageConfig(this, 'ContactTraceRecords', {
          instanceArn: props.instanceArn,
          resourceType: 'CONTACT_TRACE_RECORDS',
          storageType: 'KINESIS_STREAM',
          kinesisStreamConfig: { streamArn: props.contactRecordStream.streamArn },
        }),
      );
    }
    // Connect throttles parallel storage-config calls (TooManyRequestsException): one at a time.
    configs.slice(1).forEach((config, i) => {
      config.addResourceDependency(configs[i] as connect.CfnInstanceStorageConfig);
    });
  }
}
