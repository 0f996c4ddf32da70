import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ingestEnvironment,
  priceTableVariable,
  voicemailEmailsVariable,
} from '../../lambdas/contracts/environment.js';
import type { PriceTable } from '../../lambdas/domain/call-cost.js';
import { RECORDINGS_PREFIX } from '../../lambdas/domain/recordings.js';
import { HandlerFunction } from './handler-function.js';
import { nagImport, nagRegionAccount } from './nag.js';
import { grantItemActions } from './tables.js';

export interface ContactRecordIngestProps {
  /** The stream Connect writes contact trace records to. */
  readonly stream: kinesis.IStream;
  /** The call log the records become. */
  readonly callLogTable: dynamodb.ITableV2;
  /** Read (GetItem) to attribute calls that never asked route-call, e.g. imported history. */
  readonly routingTable: dynamodb.ITableV2;
  /** The key of the callers' hashes the rollups count unique callers by. */
  readonly callerHashSecret: secretsmanager.ISecret;
  /** The system's own voicemail. @default - no message is stored */
  readonly voicemail?: IngestVoicemailProps;
  /** The rates the calls' costs are estimated with (the portfolio's `pricing`). */
  readonly prices?: PriceTable;
  /** Days the call log keeps a call and its caller item (their TTL). @default - kept until erased */
  readonly callDataRetentionDays?: number;
}

export interface IngestVoicemailProps {
  readonly bucket: s3.IBucket;
  /** The recordings key: the bucket's, the media streams' and the transcripts'. */
  readonly key: kms.IKey;
  /** The media streams' name prefix (InstanceStorage's MEDIA_STREAMS config). */
  readonly streamPrefix: string;
  /** The SES identity (a verified address) emails are sent from. @default - no email */
  readonly fromEmail?: string;
  /** Location id → the address its emails go to (the portfolio's voicemailEmail). */
  readonly emails: Readonly<Record<string, string>>;
  /** Where a call's page is, for the email's link. @default - set later with addEnvironment */
  readonly linkBase?: string;
}

/**
 * Contact trace records into the call log: the ingest function reads the CTR stream in batches,
 * reports the records it could not write so only those are retried, splits a failing batch to find
 * a poison record, and sends what still fails (with the record's position, so it can be read back
 * from the stream) to a failure queue: nothing is lost. Malformed records go to the same queue
 * from the function itself, with their data and the reason, so they are kept, not retried.
 */
export class ContactRecordIngest extends Construct {
  readonly function: HandlerFunction;
  readonly failures: sqs.Queue;

  constructor(scope: Construct, id: string, props: ContactRecordIngestProps) {
    super(scope, id);
    this.failures = new sqs.Queue(this, 'Failures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failures).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the failure destination of the contact-record ingest; records in it are re-driven by an operator, not by another consumer.',
    });

    this.function = new HandlerFunction(this, 'Handler', {
      handler: 'ingest-contact-records',
      description: 'Turns contact trace records into call-log items (idempotent, ordered)',
      // A batch may read several messages from Kinesis Video (each bounded to 30 s).
      timeout: Duration.seconds(props.voicemail ? 300 : 60),
      environment: ingestEnvironment.variables({
        callLogTableName: props.callLogTable.tableName,
        callerHashSecretArn: props.callerHashSecret.secretArn,
        routingTableName: props.routingTable.tableName,
        // Malformed records are sent here (with their data and reason) instead of being retried.
        failureQueueUrl: this.failures.queueUrl,
        recordingsBucketName: props.voicemail?.bucket.bucketName,
        recordingsKeyArn: props.voicemail?.key.keyArn,
        voicemailFromEmail: props.voicemail?.fromEmail,
        voicemailEmails: props.voicemail
          ? voicemailEmailsVariable(props.voicemail.emails)
          : undefined,
        voicemailLinkBase: props.voicemail?.linkBase,
        priceTable: props.prices ? priceTableVariable(props.prices) : undefined,
        callDataRetentionDays: props.callDataRetentionDays?.toString(),
        // Set with the bus's grant (WebhookFanOut.grantPublish): the bus is the API stack's.
        eventBusName: undefined,
      }),
    });
    if (props.voicemail) this.grantVoicemail(props.voicemail);
    // SQS-managed encryption: no KMS key to grant.
    this.failures.grantSendMessages(this.function.function);
    // Query and DeleteItem: a rollup is recomputed from its members' partition, and deleted when
    // no call counts in it any more; BatchGetItem: a batch's caller items, its calls and the days
    // of its months are read together; BatchWriteItem: month rows (rollup-writer.ts).
    grantItemActions(
      this.function.function,
      props.callLogTable,
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:DeleteItem',
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
    );
    grantItemActions(this.function.function, props.routingTable, 'dynamodb:GetItem');
    props.callerHashSecret.grantRead(this.function.function);
    this.function.function.addEventSource(
      new KinesisEventSource(props.stream, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(5),
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(7),
        onFailure: new SqsDlq(this.failures),
      }),
    );
  }

  /** What the voicemail packager calls: Kinesis Video, the bucket's voicemail prefix, Transcribe, SES. */
  private grantVoicemail(voicemail: IngestVoicemailProps): void {
    const fn = this.function.function;
    const { partition } = Stack.of(this);
    const regionAccount = `${Stack.of(this).region}:${Stack.of(this).account}`;
    // Connect names each stream `<prefix>-connect-<alias>-contact-<id>`, and makes more as calls need.
    const streams = `stream/${voicemail.streamPrefix}-connect-*/*`;
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kinesisvideo:GetDataEndpoint', 'kinesisvideo:GetMedia'],
        resources: [`arn:${partition}:kinesisvideo:${regionAccount}:${streams}`],
      }),
    );
    const prefix = `${RECORDINGS_PREFIX}/voicemail/*`;
    // The message and (Transcribe writes as the caller) its transcript; Transcribe also reads the
    // message with the caller's permissions. Explicit actions: no grant's wildcard families.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [voicemail.bucket.arnForObjects(prefix)],
      }),
    );
    // The streams, the objects and the transcripts are all under the recordings key.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [voicemail.key.keyArn],
      }),
    );
    const jobs = 'transcription-job/voicemail-*';
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['transcribe:StartTranscriptionJob'],
        resources: [`arn:${partition}:transcribe:${regionAccount}:${jobs}`],
      }),
    );
    if (voicemail.fromEmail) {
      const domain = voicemail.fromEmail.split('@')[1] ?? voicemail.fromEmail;
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          // The address's identity, or its domain's when the domain is what was verified.
          resources: [voicemail.fromEmail, domain].map(
            (identity) => `arn:${partition}:ses:${regionAccount}:identity/${identity}`,
          ),
        }),
      );
    }
    const nagArn = (service: string, resource: string) =>
      `arn:<AWS::Partition>:${service}:${nagRegionAccount(this)}:${resource}`;
    const acknowledge = (resource: string, reason: string) =>
      Validations.of(this.function.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason,
      });
    acknowledge(
      nagArn('kinesisvideo', streams),
      'Connect creates the media streams itself, one per concurrent call, under the prefix the stack gives it: their names are not known at synth.',
    );
    acknowledge(
      nagArn('transcribe', jobs),
      'One transcription job per message, named after its contact id: the wildcard covers only the voicemail jobs.',
    );
    acknowledge(
      `${nagImport(voicemail.bucket, voicemail.bucket.bucketArn)}/${prefix}`,
      'Messages and transcripts are keyed by day and contact id; the grant is limited to the voicemail prefix of the recordings bucket.',
    );
  }
}
