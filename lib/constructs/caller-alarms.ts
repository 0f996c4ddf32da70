import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface CallerAlarmSpec {
  readonly metric: cloudwatch.IMetric;
  /** Alarm when the metric is at or above this. */
  readonly threshold: number;
  /** What callers (or the people reading the call log) experience while it is in alarm. */
  readonly callers: string;
  /** The first thing to check. */
  readonly check: string;
  /** @default 1 */
  readonly evaluationPeriods?: number;
  /** @default - evaluationPeriods */
  readonly datapointsToAlarm?: number;
}

/** Counts and rates: no data means nothing happened, not a failure. */
const NO_DATA = cloudwatch.TreatMissingData.NOT_BREACHING;

/**
 * Makes alarms that page: every one notifies the topic when it fires and when it recovers, and its
 * description says what callers experience and where to look first.
 */
export class CallerAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly #action: actions.SnsAction;

  constructor(scope: Construct, id: string, topic: sns.ITopic) {
    super(scope, id);
    this.#action = new actions.SnsAction(topic);
  }

  add(id: string, spec: CallerAlarmSpec): cloudwatch.Alarm {
    const evaluationPeriods = spec.evaluationPeriods ?? 1;
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm ?? evaluationPeriods,
      treatMissingData: NO_DATA,
      alarmDescription: `Callers: ${spec.callers} First check: ${spec.check}`,
    });
    alarm.addAlarmAction(this.#action);
    alarm.addOkAction(this.#action);
    this.alarms.push(alarm);
    return alarm;
  }
}

export const ONE_MINUTE = Duration.minutes(1);
export const FIVE_MINUTES = Duration.minutes(5);
