import { CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  callOutcomeMetric,
  METRIC_NAMESPACE,
  ROUTE_CALL_METRICS,
  ROUTE_CALL_STATUS_DIMENSION,
} from '../lambdas/contracts/metrics.js';
import { CALL_OUTCOMES } from '../lambdas/domain/call-outcome.js';
import { AlarmTopic } from './constructs/alarm-topic.js';
import { CallerAlarms, FIVE_MINUTES, ONE_MINUTE } from './constructs/caller-alarms.js';

export interface OperationsStackProps extends StackProps {
  readonly alarmEmails?: readonly string[];
  readonly instanceArn: string;
  /** The inbound flow's name, the ContactFlowName dimension of its flow errors. */
  readonly inboundFlowName: string;
  readonly routeCall: lambda.IFunction;
  readonly recordingControl: lambda.IFunction;
  readonly ingest: lambda.IFunction;
  readonly ingestFailures: sqs.IQueue;
  readonly api: apigw.IHttpApi;
  readonly tables: readonly dynamodb.ITableV2[];
  /** Connect's concurrent-call quota, drawn on the concurrency graph. */
  readonly connectConcurrentCalls: number;
}

const sum = (metric: cloudwatch.Metric, period = ONE_MINUTE) =>
  metric.with({ statistic: 'Sum', period });

/**
 * What a platform team watches: the alarm topic, the alarms (each with the topic as its action)
 * and one dashboard answering "are calls working?". A stack of its own, so alarms can be tuned
 * and redeployed without touching the telephony stack callers depend on.
 */
export class OperationsStack extends Stack {
  readonly topic: AlarmTopic;
  readonly alarms: CallerAlarms;
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.topic = new AlarmTopic(this, 'AlarmTopic', {
      ...(props.alarmEmails ? { emails: props.alarmEmails } : {}),
    });
    const alarms = new CallerAlarms(this, 'Alarms', this.topic.topic);
    this.alarms = alarms;

    // Connect's metrics, AWS/Connect, dimensions InstanceId and MetricGroup:
    // https://docs.aws.amazon.com/connect/latest/adminguide/monitoring-cloudwatch.html
    // (the metric names are confirmed there; the MetricGroup values VoiceCalls, ContactFlow and
    // CallRecordings are as that page lists them and are an assumption until seen in an account).
    const instanceId = Fn.select(1, Fn.split('/', props.instanceArn));
    const connect = (metricName: string, metricGroup: string, extra: Record<string, string> = {}) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Connect',
        metricName,
        dimensionsMap: { InstanceId: instanceId, MetricGroup: metricGroup, ...extra },
      });
    const answers = (status: string) =>
      sum(
        new cloudwatch.Metric({
          namespace: METRIC_NAMESPACE,
          metricName: ROUTE_CALL_METRICS.calls,
          dimensionsMap: { [ROUTE_CALL_STATUS_DIMENSION]: status },
        }),
        FIVE_MINUTES,
      );
    const routeErrors = sum(props.routeCall.metricErrors(), FIVE_MINUTES);
    const routeThrottles = sum(props.routeCall.metricThrottles(), FIVE_MINUTES);

    // The share of calls sent to the static fallback. Source: route-call, not the ingest's
    // outcomes: the flow takes the fallback when route-call answers error or unknown, or fails or
    // is throttled (it then logs nothing, so its Errors and Throttles count too), and route-call's
    // metrics arrive within a minute while contact records arrive after the call ends.
    const fallbackShare = new cloudwatch.MathExpression({
      label: 'Calls to the static fallback (%)',
      expression: 'IF(f + u + e + le + lt > 0, 100 * (u + e + le + lt) / (f + u + e + le + lt), 0)',
      usingMetrics: {
        f: answers('found'),
        u: answers('unknown'),
        e: answers('error'),
        le: routeErrors,
        lt: routeThrottles,
      },
      period: FIVE_MINUTES,
    });
    const errorAnswerRate = new cloudwatch.MathExpression({
      label: 'route-call status=error (%)',
      // Below 10 answers in 5 minutes one bad call is not a rate: the error alarms cover it.
      expression: 'IF(f + u + e >= 10, 100 * e / (f + u + e), 0)',
      usingMetrics: { f: answers('found'), u: answers('unknown'), e: answers('error') },
      period: FIVE_MINUTES,
    });

    // --- route-call: every failure sends a caller to the static fallback number.
    alarms.add('RouteCallErrors', {
      metric: sum(props.routeCall.metricErrors()),
      threshold: 1, // one failed invocation is one caller sent to the fallback untracked
      callers:
        'calls reach the static fallback number, without disclosure, recording or attribution.',
      check: "route-call's log group (level=error lines) and its recent deploys.",
    });
    alarms.add('RouteCallThrottles', {
      metric: sum(props.routeCall.metricThrottles()),
      threshold: 1, // its reserved concurrency equals the call quota: any throttle is a sizing bug
      callers: 'calls reach the static fallback number untracked.',
      check:
        'route-call reserved concurrency against -c connectConcurrentCalls and ConcurrentCalls.',
    });
    alarms.add('RouteCallErrorAnswers', {
      metric: errorAnswerRate,
      threshold: 5, // above a few percent it is DynamoDB or the table, not a single bad number
      callers:
        'a share of calls go to the static fallback because route-call answered status=error.',
      check:
        'the reason field of route-call status=error lines; DynamoDB throttling on the routing table.',
    });
    alarms.add('StaticFallbackShare', {
      metric: fallbackShare,
      threshold: 10, // unknown numbers are normal at a low rate; a tenth of calls is not
      evaluationPeriods: 2,
      callers: 'one call in ten or more reaches the static fallback instead of its location.',
      check:
        'route-call status=unknown lines (numbers missing from the routing table) and its errors.',
    });

    // --- recording-control: the payments leg.
    alarms.add('RecordingControlErrors', {
      metric: sum(props.recordingControl.metricErrors()),
      threshold: 1, // a failed suspend may record card details (PCI DSS)
      callers: 'the payments leg may be recorded, or recording not resumed after it.',
      check:
        "recording-control's log group and the connect:Suspend/ResumeContactRecording permissions.",
    });

    // --- the Connect instance.
    alarms.add('ContactFlowErrors', {
      metric: sum(
        connect('ContactFlowErrors', 'ContactFlow', { ContactFlowName: props.inboundFlowName }),
      ),
      threshold: 1, // the flow's error branches end in the fallback or a disconnect
      callers: 'calls take an error branch of the inbound flow (fallback or disconnect).',
      check: "the instance's flow logs (CloudWatch, /aws/connect/<alias>) for the failing block.",
    });
    alarms.add('ThrottledCalls', {
      metric: sum(connect('ThrottledCalls', 'VoiceCalls')),
      threshold: 1, // a throttled call is a caller who heard nothing
      callers: 'calls are rejected by Connect before the flow starts.',
      check: 'ConcurrentCalls on the dashboard against the quota; request a higher quota.',
    });
    alarms.add('CallsBreachingConcurrencyQuota', {
      metric: sum(connect('CallsBreachingConcurrencyQuota', 'VoiceCalls')),
      threshold: 1, // each one is a caller turned away
      callers: 'calls beyond the concurrent-call quota are turned away.',
      check: 'the "Concurrent active calls per instance" quota in Service Quotas.',
    });
    alarms.add('ConcurrentCallsNearQuota', {
      metric: connect('ConcurrentCallsPercentage', 'VoiceCalls').with({
        statistic: 'Maximum',
        period: ONE_MINUTE,
      }),
      threshold: 80, // room for a burst while a quota increase (days) is requested
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      callers: 'none yet; the next burst will be turned away.',
      check: 'request a higher concurrent-call quota, then raise -c connectConcurrentCalls.',
    });
    alarms.add('CallRecordingUploadErrors', {
      metric: sum(connect('CallRecordingUploadError', 'CallRecordings'), FIVE_MINUTES),
      threshold: 1, // a recording that fails to upload is lost
      callers: 'none on the call; its recording is missing from the call log.',
      check: "the recordings bucket's policy and KMS key grants to Connect.",
    });

    // --- the ingest: the call log falls behind or loses calls.
    alarms.add('IngestIteratorAge', {
      metric: props.ingest.metric('IteratorAge', { statistic: 'Maximum', period: FIVE_MINUTES }),
      threshold: 15 * 60 * 1000, // 15 minutes behind: reports are visibly late; the stream keeps 7 days
      callers: 'none on the call; the call log and reports lag behind.',
      check: "the ingest's Errors and Duration, and DynamoDB throttling on the call log.",
    });
    alarms.add('IngestErrors', {
      metric: sum(props.ingest.metricErrors(), FIVE_MINUTES),
      threshold: 1,
      // Batches are retried: one bad period is a blip, two in three is a record that keeps failing.
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      callers: 'none on the call; calls are missing from the call log until retried.',
      check: "the ingest's log group (level=error) for the record and reason.",
    });
    alarms.add('IngestFailureQueue', {
      metric: props.ingestFailures.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: FIVE_MINUTES,
      }),
      threshold: 1, // every message is a call the log does not hold; the stream keeps it 7 days
      callers: 'none on the call; those calls are missing from the call log.',
      check: 'the messages in the queue (the reason and the record), then replay them.',
    });

    // --- the API.
    alarms.add('Api5xx', {
      metric: sum(props.api.metricServerError(), FIVE_MINUTES),
      threshold: 5, // a few 5xx are retried by clients; five in five minutes is a failing route
      callers: 'none on the call; dashboards and integrations fail.',
      check: "the API function's log group and its throttles (its concurrency is capped).",
    });
    alarms.add('ApiLatencyP99', {
      metric: props.api.metricLatency({ statistic: 'p99', period: FIVE_MINUTES }),
      threshold: 5000, // a third of the 15 s function timeout, for 15 minutes
      evaluationPeriods: 3,
      callers: 'none on the call; dashboards are slow.',
      check: 'DynamoDB latency and throttling on the call log.',
    });

    // --- DynamoDB: read and write throttle events per table.
    props.tables.forEach((table, index) => {
      const events = (metricName: string) =>
        sum(
          new cloudwatch.Metric({
            namespace: 'AWS/DynamoDB',
            metricName,
            dimensionsMap: { TableName: table.tableName },
          }),
        );
      alarms.add(`DynamoThrottles${index}`, {
        metric: new cloudwatch.MathExpression({
          label: 'Throttle events',
          expression: 'r + w',
          usingMetrics: { r: events('ReadThrottleEvents'), w: events('WriteThrottleEvents') },
          period: ONE_MINUTE,
        }),
        threshold: 1, // on-demand tables throttle only past their limits: it is a real event
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        callers: 'route-call answers from its cache or status=error (fallback); the call log lags.',
        check: "the table's consumed capacity and hot keys (CloudWatch Contributor Insights).",
      });
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Calls by route-call answer',
            left: ['found', 'unknown', 'error'].map((status) =>
              answers(status).with({ label: status }),
            ),
            stacked: true,
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'Share of calls to the static fallback (%)',
            left: [fallbackShare],
            leftAnnotations: [{ value: 10, label: 'alarm' }],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Calls logged by outcome (from contact records)',
            left: CALL_OUTCOMES.map((outcome) =>
              sum(
                new cloudwatch.Metric({
                  namespace: METRIC_NAMESPACE,
                  metricName: callOutcomeMetric(outcome),
                }),
                FIVE_MINUTES,
              ).with({ label: outcome }),
            ),
            stacked: true,
            width: 24,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'route-call lookup and duration (p99, ms)',
            left: [
              new cloudwatch.Metric({
                namespace: METRIC_NAMESPACE,
                metricName: ROUTE_CALL_METRICS.lookupMs,
                dimensionsMap: { [ROUTE_CALL_STATUS_DIMENSION]: 'found' },
                statistic: 'p99',
                label: 'lookup (found)',
              }),
              props.routeCall.metricDuration({ statistic: 'p99', label: 'duration' }),
            ],
            width: 12,
          }),
          new cloudwatch.GraphWidget({
            title: 'route-call errors, throttles, stale answers',
            left: [
              sum(props.routeCall.metricErrors()).with({ label: 'errors' }),
              sum(props.routeCall.metricThrottles()).with({ label: 'throttles' }),
              sum(
                new cloudwatch.Metric({
                  namespace: METRIC_NAMESPACE,
                  metricName: ROUTE_CALL_METRICS.stale,
                  dimensionsMap: { [ROUTE_CALL_STATUS_DIMENSION]: 'found' },
                }),
              ).with({ label: 'stale answers' }),
            ],
            width: 12,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Ingest lag (iterator age, ms) and failures',
            left: [props.ingest.metric('IteratorAge', { statistic: 'Maximum' })],
            right: [
              props.ingestFailures.metricApproximateNumberOfMessagesVisible({
                label: 'failure queue',
              }),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'API 5xx and p99 latency',
            left: [sum(props.api.metricServerError()).with({ label: '5xx' })],
            right: [props.api.metricLatency({ statistic: 'p99', label: 'p99 ms' })],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Connect concurrent calls against the quota',
            left: [connect('ConcurrentCalls', 'VoiceCalls').with({ statistic: 'Maximum' })],
            leftAnnotations: [{ value: props.connectConcurrentCalls, label: 'quota' }],
            right: [
              sum(connect('CallsBreachingConcurrencyQuota', 'VoiceCalls')).with({
                label: 'breaching',
              }),
              sum(connect('ThrottledCalls', 'VoiceCalls')).with({ label: 'throttled' }),
            ],
            width: 8,
          }),
        ],
      ],
    });

    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.topic.topic.topicArn,
      description: 'subscribe chat or a pager (HTTPS, Lambda, SQS) here besides the emails',
    });
  }
}
