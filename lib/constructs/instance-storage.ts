import * as connect from 'aws-cdk-lib/aws-connect';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface InstanceStorageProps {
  readonly instanceArn: string;
  readonly recordingsBucket: s3.IBucket;
  readonly recordingsKey: kms.IKey;
  readonly contactRecordStream: kinesis.IStream;
  /** @default - `connect` */
  readonly recordingsPrefix?: string;
}

/**
 * Where Connect writes call recordings (the recordings bucket, encrypted with its customer key) and
 * contact trace records (the Kinesis stream the call log ingests).
 */
export class InstanceStorage extends Construct {
  constructor(scope: Construct, id: string, props: InstanceStorageProps) {
    super(scope, id);
    const recordings = new connect.CfnInstanceStorageConfig(this, 'CallRecordings', {
      instanceArn: props.instanceArn,
      resourceType: 'CALL_RECORDINGS',
      storageType: 'S3',
      s3Config: {
        bucketName: props.recordingsBucket.bucketName,
        bucketPrefix: props.recordingsPrefix ?? 'connect',
        // Connect wants the full key ARN here, not the key id.
        encryptionConfig: { encryptionType: 'KMS', keyId: props.recordingsKey.keyArn },
      },
    });
    const contactRecords = new connect.CfnInstanceStorageConfig(this, 'ContactTraceRecords', {
      instanceArn: props.instanceArn,
      resourceType: 'CONTACT_TRACE_RECORDS',
      storageType: 'KINESIS_STREAM',
      kinesisStreamConfig: { streamArn: props.contactRecordStream.streamArn },
    });
    // Connect throttles parallel storage-config calls (TooManyRequestsException): one at a time.
    contactRecords.addResourceDependency(recordings);
  }
}
