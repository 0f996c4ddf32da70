import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMESPACE, ROUTE_CALL_METRICS } from '../../lambdas/contracts/metrics.js';
import { capacityPlan } from '../../lib/config/capacity.js';
import { synthApp } from '../support/synth.js';

type Synth = ReturnType<typeof synthApp>;
let synth: Synth;

beforeAll(() => {
  synth = synthApp({ alarmEmails: ['ops@example.com'], connectConcurrentCalls: 40 });
});

interface AlarmProps {
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Threshold: number;
  AlarmActions: unknown[];
  OKActions: unknown[];
  AlarmDescription: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Metrics?: {
    Id: string;
    Expression?: string;
    MetricStat?: { Metric: { MetricName: string; Namespace: string }; Stat: string };
  }[];
}

const alarms = (): Record<string, AlarmProps> =>
  Object.fromEntries(
    Object.entries(synth.operations.findResources('AWS::CloudWatch::Alarm')).map(([id, r]) => [
      id.replace(/^Alarms/, '').replace(/[0-9A-F]{8}$/, ''),
      (r as { Properties: AlarmProps }).Properties,
    ]),
  );

/** metric, statistic, threshold of an alarm; a metric-math alarm lists its metrics. */
const pinOf = (alarm: AlarmProps) =>
  alarm.Metrics
    ? {
        expression: alarm.Metrics.find((m) => m.Expression)?.Expression,
        metrics: alarm.Metrics.flatMap((m) =>
          m.MetricStat
            ? [
                `${m.MetricStat.Metric.Namespace}/${m.MetricStat.Metric.MetricName} ${m.MetricStat.Stat}`,
              ]
            : [],
        ).sort(),
        threshold: alarm.Threshold,
      }
    : {
        metric: `${alarm.Namespace}/${alarm.MetricName}`,
        statistic: alarm.Statistic ?? alarm.ExtendedStatistic,
        threshold: alarm.Threshold,
      };

describe('the operations stack', () => {
  it('pins every alarm: its metric, statistic and threshold', () => {
    const pins = Object.fromEntries(Object.entries(alarms()).map(([id, a]) => [id, pinOf(a)]));
    // The route-call answers by status: found, unknown and error.
    const answers = Array(3).fill(`${METRIC_NAMESPACE}/${ROUTE_CALL_METRICS.calls} Sum`);
    expect(pins).toEqual({
      RouteCallErrors: { metric: 'AWS/Lambda/Errors', statistic: 'Sum', threshold: 1 },
      RouteCallThrottles: { metric: 'AWS/Lambda/Throttles', statistic: 'Sum', threshold: 1 },
      RouteCallErrorAnswers: {
        expression: 'IF(f + u + e >= 10, 100 * e / (f + u + e), 0)',
        metrics: answers,
        threshold: 5,
      },
      StaticFallbackShare: {
        expression:
          'IF(f + u + e + le + lt > 0, 100 * (u + e + le + lt) / (f + u + e + le + lt), 0)',
        metrics: ['AWS/Lambda/Errors Sum', 'AWS/Lambda/Throttles Sum', ...answers],
        threshold: 10,
      },
      RecordingControlErrors: { metric: 'AWS/Lambda/Errors', statistic: 'Sum', threshold: 1 },
      ContactFlowErrors: {
        metric: 'AWS/Connect/ContactFlowErrors',
        statistic: 'Sum',
        threshold: 1,
      },
      ThrottledCalls: { metric: 'AWS/Connect/ThrottledCalls', statistic: 'Sum', threshold: 1 },
      CallsBreachingConcurrencyQuota: {
        metric: 'AWS/Connect/CallsBreachingConcurrencyQuota',
        statistic: 'Sum',
        threshold: 1,
      },
      ConcurrentCallsNearQuota: {
        metric: 'AWS/Connect/ConcurrentCallsPercentage',
        statistic: 'Maximum',
        threshold: 80,
      },
      CallRecordingUploadErrors: {
        metric: 'AWS/Connect/CallRecordingUploadError',
        statistic: 'Sum',
        threshold: 1,
      },
      IngestIteratorAge: {
        metric: 'AWS/Lambda/IteratorAge',
        statistic: 'Maximum',
        threshold: 900000,
      },
      IngestErrors: { metric: 'AWS/Lambda/Errors', statistic: 'Sum', threshold: 1 },
      IngestFailureQueue: {
        metric: 'AWS/SQS/ApproximateNumberOfMessagesVisible',
        statistic: 'Maximum',
        threshold: 1,
      },
      Api5xx: { metric: 'AWS/ApiGateway/5xx', statistic: 'Sum', threshold: 5 },
      ApiLatencyP99: { metric: 'AWS/ApiGateway/Latency', statistic: 'p99', threshold: 5000 },
      DynamoThrottles0: {
        expression: 'r + w',
        metrics: ['AWS/DynamoDB/ReadThrottleEvents Sum', 'AWS/DynamoDB/WriteThrottleEvents Sum'],
        threshold: 1,
      },
      DynamoThrottles1: {
        expression: 'r + w',
        metrics: ['AWS/DynamoDB/ReadThrottleEvents Sum', 'AWS/DynamoDB/WriteThrottleEvents Sum'],
        threshold: 1,
      },
    });
  });

  it('gives every alarm the topic as its alarm and OK action, and says what callers experience', () => {
    const topic = { Ref: Object.keys(synth.operations.findResources('AWS::SNS::Topic'))[0] };
    for (const alarm of Object.values(alarms())) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(alarm.AlarmDescription).toMatch(/^Callers: .+ First check: .+/);
    }
  });

  it('watches Connect by instance and metric group, the flow errors by the inbound flow', () => {
    const dims = (id: string) =>
      Object.fromEntries((alarms()[id]?.Dimensions ?? []).map((d) => [d.Name, d.Value]));
    expect(Object.keys(dims('ThrottledCalls')).sort()).toEqual(['InstanceId', 'MetricGroup']);
    expect(dims('ThrottledCalls').MetricGroup).toBe('VoiceCalls');
    expect(dims('CallRecordingUploadErrors').MetricGroup).toBe('CallRecordings');
    expect(dims('ContactFlowErrors')).toMatchObject({ MetricGroup: 'ContactFlow' });
    expect(dims('ContactFlowErrors').ContactFlowName).toBeDefined();
  });

  it('encrypts the topic, enforces TLS and subscribes the alarm emails', () => {
    synth.operations.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.anyValue(),
    });
    synth.operations.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    synth.operations.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    synth.operations.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } }),
        ]),
      },
    });
  });

  it('has the dashboard', () => {
    synth.operations.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('reserves concurrency for the flow functions from the call quota and caps the others', () => {
    const plan = capacityPlan(40);
    const reserved = (template: Synth['telephony'], description: RegExp) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map(
          (r) =>
            (r as { Properties: { Description?: string; ReservedConcurrentExecutions?: number } })
              .Properties,
        )
        .find((p) => description.test(p.Description ?? ''))?.ReservedConcurrentExecutions;
    expect(reserved(synth.telephony, /^Answers the inbound flow/)).toBe(40);
    expect(reserved(synth.telephony, /^Suspends call recording/)).toBe(40);
    expect(reserved(synth.telephony, /^Turns contact trace records/)).toBe(plan.ingest);
    expect(reserved(synth.api, /^Serves the reporting API's read routes/)).toBe(plan.apiRead);
    expect(reserved(synth.api, /^Serves the reporting and management/)).toBe(plan.apiAdmin);
    expect(plan.apiRead + plan.apiAdmin).toBe(plan.api);
    expect(plan.accountLimitNeeded).toBe(40 + 40 + plan.ingest + plan.api + 100);
  });
});
