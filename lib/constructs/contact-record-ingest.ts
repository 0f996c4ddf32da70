import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ingestEnvironment } from '../../lambdas/contracts/environment.js';
import { HandlerFunction } from './handler-function.js';
import { grantItemActions } from './tables.js';

export interface ContactRecordIngestProps {
  /** The stream Connect writes contact trace records to. */
  readonly stream: kinesis.IStream;
  /** The call log the records become. */
  readonly callLogTable: dynamodb.ITableV2;
  /** Read (GetItem) to attribute calls that never asked route-call, e.g. imported history. */
  readonly routingTable: dynamodb.ITableV2;
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
      timeout: Duration.seconds(60),
      environment: ingestEnvironment.variables({
        callLogTableName: props.callLogTable.tableName,
        routingTableName: props.routingTable.tableName,
        // Malformed records are sent here (with their data and reason) instead of being retried.
        failureQueueUrl: this.failures.queueUrl,
      }),
    });
    // SQS-managed encryption: no KMS key to grant.
    this.failures.grantSendMessages(this.function.function);
    // Query and DeleteItem: a rollup is recomputed from its members' partition, and deleted when
    // no call counts in it any more (rollup-writer.ts).
    grantItemActions(
      this.function.function,
      props.callLogTable,
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:DeleteItem',
    );
    grantItemActions(this.function.function, props.routingTable, 'dynamodb:GetItem');
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
}
