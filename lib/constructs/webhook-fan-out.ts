import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { webhookDeliveryEnvironment } from '../../lambdas/contracts/environment.js';
import { CALL_EVENT_SOURCE } from '../../lambdas/contracts/webhooks.js';
import {
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../lambdas/domain/webhook-event.js';
import { HandlerFunction } from './handler-function.js';
import { grantRecordingLinks } from './reporting-api-function.js';
import { grantItemActions } from './tables.js';

export interface WebhookFanOutProps {
  /** Subscriptions and attempts (webhook-store.ts), and the calls an event's data is read from. */
  readonly callLogTable: dynamodb.ITableV2;
  readonly recordingsBucket: s3.IBucket;
  readonly recordingsKey: kms.IKey;
}

/** Tasks one invocation takes: each POST may wait its 10 s, one after the other. */
const BATCH_SIZE = 5;
const FUNCTION_TIMEOUT = Duration.seconds(60);

/**
 * Webhooks on AWS's own services, no polling loop of ours: the ingest and the API put call event
 * notices on an EventBridge bus; a rule sends them to an SQS queue; the delivery function fans a
 * notice out into one task message per subscriber (on the same queue) and POSTs each task, signed.
 * A failed POST reports its message failed after delaying it by the retry schedule
 * (ChangeMessageVisibility: 20 s, then up to 12 h, 32.6 h in all), its receive count the attempt
 * number; after WEBHOOK_MAX_ATTEMPTS receives the redrive policy moves it to the dead-letter queue
 * (14 days), which `npm run replay-webhooks` moves back. API destinations are not used: they
 * cannot sign a body with a per-subscription secret.
 */
export class WebhookFanOut extends Construct {
  readonly bus: events.EventBus;
  readonly queue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly function: HandlerFunction;

  constructor(scope: Construct, id: string, props: WebhookFanOutProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Call events (call.completed, call.updated, voicemail.received) for webhooks',
    });
    this.deadLetters = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the webhook queue; its messages are moved back by npm run replay-webhooks (StartMessageMoveTask), not consumed.',
    });
    const schedule = WEBHOOK_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);
    this.queue = new sqs.Queue(this, 'Deliveries', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's advice: six times the function's timeout, so a batch in flight is not redelivered.
      visibilityTimeout: Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6),
      // The whole retry schedule and two days more: a task outlives its last attempt.
      retentionPeriod: Duration.seconds(schedule + 2 * 86_400),
      deadLetterQueue: { queue: this.deadLetters, maxReceiveCount: WEBHOOK_MAX_ATTEMPTS },
    });
    new events.Rule(this, 'ToQueue', {
      eventBus: this.bus,
      description: 'Every call event to the webhook queue',
      eventPattern: { source: [CALL_EVENT_SOURCE] },
      targets: [new targets.SqsQueue(this.queue)],
    });

    this.function = new HandlerFunction(this, 'Handler', {
      handler: 'deliver-webhooks',
      description: 'Fans call events out to webhook subscriptions and delivers them, signed',
      timeout: FUNCTION_TIMEOUT,
      environment: webhookDeliveryEnvironment.variables({
        callLogTableName: props.callLogTable.tableName,
        recordingsBucketName: props.recordingsBucket.bucketName,
        queueUrl: this.queue.queueUrl,
      }),
    });
    const fn = this.function.function;
    // Subscriptions (GetItem, Query), attempts (PutItem), the call (GetItem); nothing else.
    grantItemActions(
      fn,
      props.callLogTable,
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
    );
    grantRecordingLinks(this.function, props.recordingsBucket, props.recordingsKey);
    // Tasks it fans out, retries it delays (ChangeMessageVisibility comes with consuming).
    this.queue.grantSendMessages(fn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ChangeMessageVisibility'],
        resources: [this.queue.queueArn],
      }),
    );
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: BATCH_SIZE,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** Lets a function publish call events on the bus, and tells it where (EVENT_BUS_NAME). */
  grantPublish(handler: HandlerFunction, variable: string): void {
    this.bus.grantPutEventsTo(handler.function);
    handler.function.addEnvironment(variable, this.bus.eventBusName);
  }
}
