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
  /**
   * Live media streaming to Kinesis Video Streams, where the system's own voicemail takes the
   * caller's message from (Connect keeps one such config per instance).
   * @default - media streaming storage is not configured by the stack
   */
  readonly mediaStreams?: MediaStreamStorage;
}

export interface MediaStreamStorage {
  /** The start of the streams' names; Connect appends `-connect-<alias>-contact-<id>`. */
  readonly prefix: string;
  readonly key: kms.IKey;
  /** @default MEDIA_STREAM_RETENTION_HOURS */
  readonly retentionHours?: number;
}

/**
 * How long Kinesis Video keeps a message's audio: as long as the contact-record stream keeps the
 * record (7 days), so a record retried or re-driven from the failure queue until then can still
 * read its message. Audio is 16 KB a second per track: a week of it costs little.
 */
export const MEDIA_STREAM_RETENTION_HOURS = 7 * 24;

/**
 * Where Connect writes call recordings (the recordings bucket, encrypted with its customer key),
 * contact trace records (the Kinesis stream the call log ingests) and live media streams (Kinesis
 * Video, encrypted with the same key, read by the voicemail packager).
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
    if (props.mediaStreams) {
      configs.push(
        new connect.CfnInstanceStorageConfig(this, 'MediaStreams', {
          instanceArn: props.instanceArn,
          resourceType: 'MEDIA_STREAMS',
          storageType: 'KINESIS_VIDEO_STREAM',
          kinesisVideoStreamConfig: {
            prefix: props.mediaStreams.prefix,
            retentionPeriodHours: props.mediaStreams.retentionHours ?? MEDIA_STREAM_RETENTION_HOURS,
            encryptionConfig: { encryptionType: 'KMS', keyId: props.mediaStreams.key.keyArn },
          },
        }),
      );
    }
    // Connect throttles parallel storage-config calls (TooManyRequestsException): one at a time.
    configs.slice(1).forEach((config, i) => {
      config.addResourceDependency(configs[i] as connect.CfnInstanceStorageConfig);
    });
  }
}
