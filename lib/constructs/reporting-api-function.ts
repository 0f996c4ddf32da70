import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CONTACT_RECORD_ARCHIVE_PREFIX } from '../../lambdas/contracts/contact-record-archive.js';
import { apiEnvironment } from '../../lambdas/contracts/environment.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { RECORDINGS_PREFIX } from '../../lambdas/domain/recordings.js';
import { HandlerFunction } from './handler-function.js';
import { nagImport } from './nag.js';
import { grantIndexQueries, grantItemActions } from './tables.js';

export interface ReportingApiFunctionProps {
  readonly callLogTable: dynamodb.ITableV2;
  readonly routingTable: dynamodb.ITableV2;
  readonly recordingsBucket: s3.IBucket;
  /** The key the recordings (and the archive) are encrypted with. */
  readonly recordingsKey: kms.IKey;
  /** The contact-record archive an erasure rewrites. @default - erasures leave the archive alone */
  readonly contactRecordArchive?: s3.IBucket;
}

/**
 * What presigning a call's recording and message links takes (GET /calls/{id}, and an event's
 * data, which is that answer): the links are signed with the role's credentials, so the role must
 * read the objects under the recordings prefix and decrypt them.
 */
export const grantRecordingLinks = (
  handler: HandlerFunction,
  bucket: s3.IBucket,
  key: kms.IKey,
): void => {
  handler.function.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${RECORDINGS_PREFIX}/*`)],
    }),
  );
  Validations.of(handler.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagImport(bucket, bucket.bucketArn)}/${RECORDINGS_PREFIX}/*]`,
    reason:
      'Recording object keys are made by Connect per contact and unknown at deploy; the function only reads (GetObject) what Connect writes under the recordings prefix, to presign playback links.',
  });
  handler.function.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: viaS3(handler),
    }),
  );
};

/**
 * Only when S3 asks KMS on the role's behalf (a presigned GET, an archive object read or written):
 * the role cannot decrypt with the key directly. kms:ViaService, AWS KMS Developer Guide,
 * "AWS KMS condition keys" (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 */
const viaS3 = (scope: Construct) => ({
  StringEquals: { 'kms:ViaService': `s3.${Stack.of(scope).region}.amazonaws.com` },
});

/**
 * What erasing a caller on request takes (POST /privacy/erasures, use-cases/erase-caller.ts), and
 * only that: every version of the objects under the recordings prefix (listing versions is
 * limited to the prefix), and reading and rewriting the archive's objects under its prefix. The
 * call items are deleted with the call log's DeleteItem, which the lead routes have already.
 */
export const grantErasure = (
  handler: HandlerFunction,
  recordings: s3.IBucket,
  key: kms.IKey,
  archive: s3.IBucket | undefined,
): void => {
  const fn = handler.function;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucketVersions'],
      resources: [recordings.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${RECORDINGS_PREFIX}/*`] } },
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [recordings.arnForObjects(`${RECORDINGS_PREFIX}/*`)],
    }),
  );
  if (!archive) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [archive.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${CONTACT_RECORD_ARCHIVE_PREFIX}*`] } },
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [archive.arnForObjects(`${CONTACT_RECORD_ARCHIVE_PREFIX}*`)],
    }),
  );
  // Rewritten objects are encrypted with the bucket's key again.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey'],
      resources: [key.keyArn],
      conditions: viaS3(handler),
    }),
  );
  Validations.of(handler.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagImport(archive, archive.bucketArn)}/${CONTACT_RECORD_ARCHIVE_PREFIX}*]`,
    reason:
      "Firehose names archive objects itself (a day prefix and a generated name); an erasure reads and rewrites only the objects under the archive prefix that hold the caller's records.",
  });
};

/**
 * The two functions behind the reporting API's routes, one code (`api`), two roles:
 * - `reader` serves the read routes (every GET a read-only token may call): it may read calls,
 *   rollups and routing entries (GetItem, and Query on the call log and its indexes), presign
 *   recording links (GetObject and Decrypt via S3) and read the cursor key, and nothing else, so a
 *   read-only token never reaches code holding a write right;
 * - `handler` serves the admin routes: it also writes a call's lead fields and recomputes the
 *   rollups they count in, writes routing entries (the management routes), erases a caller and
 *   publishes call events; never Scan (every listing is an index Query).
 * The cursor key is a generated secret, the HMAC key that makes page cursors tamper-evident.
 */
export class ReportingApiFunction extends Construct {
  /** The admin routes' function. */
  readonly handler: HandlerFunction;
  /** The read routes' function, without a write right. */
  readonly reader: HandlerFunction;
  readonly cursorSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: ReportingApiFunctionProps) {
    super(scope, id);
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorKey', {
      description: 'HMAC key that signs the page cursors of the reporting API',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Losing it only invalidates the cursors of pages being read; the stack can recreate it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs page cursors only (they expire after 24 hours) and protects no stored data; scheduled rotation would need a custom rotation function. It is rotated by hand (aws secretsmanager put-secret-value, README API: Cursors); the API still accepts cursors signed with the previous version (AWSPREVIOUS).',
    });

    const apiFunction = (id: string, description: string) =>
      new HandlerFunction(this, id, {
        handler: 'api',
        description,
        // Below the HTTP API's 30 s integration limit, so a slow request ends in this function's log.
        timeout: Duration.seconds(15),
        memorySize: 512,
        environment: apiEnvironment.variables({
          callLogTableName: props.callLogTable.tableName,
          routingTableName: props.routingTable.tableName,
          recordingsBucketName: props.recordingsBucket.bucketName,
          contactRecordArchiveBucketName: props.contactRecordArchive?.bucketName,
          cursorSecretArn: this.cursorSecret.secretArn,
          // Set with the bus's grant (WebhookFanOut.grantPublish), on the admin function only.
          eventBusName: undefined,
        }),
      });
    this.handler = apiFunction(
      'Handler',
      'Serves the reporting and management API (calls, reports, locations, numbers)',
    );
    this.reader = apiFunction(
      'Reader',
      "Serves the reporting API's read routes (calls, reports, locations, numbers), read-only",
    );

    for (const [grantee, mayWrite] of [
      [this.reader, false],
      [this.handler, true],
    ] as const) {
      const fn = grantee.function;
      const also = (actions: readonly string[]) => (mayWrite ? actions : []);
      grantItemActions(
        fn,
        props.callLogTable,
        'dynamodb:GetItem',
        'dynamodb:Query',
        // A lead update settles the call's rollups, month rows included (rollup-writer.ts).
        ...also([
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
        ]),
      );
      grantIndexQueries(fn, props.callLogTable, CALL_LOG_TABLE);
      grantItemActions(
        fn,
        props.routingTable,
        // The catalog items and entries are read by key, never scanned or queried
        // (lambdas/adapters/dynamodb/catalog-store.ts); entries are written in batches.
        'dynamodb:GetItem',
        ...also(['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']),
      );
      grantRecordingLinks(grantee, props.recordingsBucket, props.recordingsKey);
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [this.cursorSecret.secretArn],
        }),
      );
    }
    grantErasure(
      this.handler,
      props.recordingsBucket,
      props.recordingsKey,
      props.contactRecordArchive,
    );
  }
}
