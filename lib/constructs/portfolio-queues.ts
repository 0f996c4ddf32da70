import { RemovalPolicy } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import {
  alwaysOpenHoursName,
  portfolioQueueName,
  queueHoursName,
} from '../../lambdas/contracts/connect-names.js';
import { queueMaxWaitSeconds } from '../../lambdas/domain/portfolio/call-center.js';
import type { PortfolioQueue } from '../../lambdas/domain/portfolio/schema.js';
import { DAYS, parseDayHours, type WeeklyHours } from '../../lambdas/domain/weekly-hours.js';

const CONNECT_DAYS = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
} as const;

const MINUTES_PER_DAY = 24 * 60;

/** A time of day as Connect takes it; 24:00 is 00:00, which ends a range at midnight. */
const connectTime = (minutes: number) => ({
  hours: Math.floor((minutes % MINUTES_PER_DAY) / 60),
  minutes: minutes % 60,
});

/**
 * The portfolio's weekly hours as Connect's hours-of-operation config: one entry per open range, a
 * closed day none. 00:00 to 00:00 is a whole day in Connect (23:59 would close a minute a day).
 */
export const hoursOfOperationConfig = (
  hours: WeeklyHours,
): connect.CfnHoursOfOperation.HoursOfOperationConfigProperty[] =>
  DAYS.flatMap((day) => {
    const ranges = parseDayHours(hours[day]);
    // The schema has refused unreadable hours already.
    if (typeof ranges === 'string') throw new Error(`${day}: ${ranges}`);
    return ranges.map(([start, end]) => ({
      day: CONNECT_DAYS[day],
      startTime: connectTime(start),
      endTime: connectTime(end),
    }));
  });

const ALWAYS_OPEN = Object.fromEntries(DAYS.map((day) => [day, 'open-24h'])) as WeeklyHours;

export interface PortfolioQueuesProps {
  readonly instanceArn: string;
  /** Prefix of created names, so stages can share an instance. */
  readonly namePrefix: string;
  readonly queues: readonly PortfolioQueue[];
}

/**
 * The call-center queues the portfolio's fallbacks and payment lines name: existing queues by ARN,
 * the others created here, each with its own hours (in its own time zone) and maximum contacts
 * when it declares them, else open all day, every day: whether anyone answers is then a matter of
 * staffing, which the flow checks before it queues a caller.
 *
 * Created queues and their hours are kept when the stack is deleted (but removed when the create
 * that made them rolls back): Connect refuses to delete a queue a routing profile uses, which would
 * fail `cdk destroy`, and the staffing around a queue is the operator's work. A later stack adopts
 * a kept queue through its `arn:` in the portfolio.
 */
export class PortfolioQueues extends Construct {
  private readonly arns = new Map<string, string>();
  /** Each queue's bound on a caller's wait, in seconds, for the queue flows. */
  readonly maxWaitSeconds: ReadonlyMap<string, number>;

  constructor(scope: Construct, id: string, props: PortfolioQueuesProps) {
    super(scope, id);
    this.maxWaitSeconds = new Map(props.queues.map((q) => [q.id, queueMaxWaitSeconds(q)]));
    const hours = (
      constructId: string,
      name: string,
      description: string,
      timeZone: string,
      weekly: WeeklyHours,
    ) => {
      const created = new connect.CfnHoursOfOperation(this, constructId, {
        instanceArn: props.instanceArn,
        name,
        description,
        timeZone,
        config: hoursOfOperationConfig(weekly),
      });
      created.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      return created.attrHoursOfOperationArn;
    };
    let alwaysOpenArn: string | undefined;
    const hoursArnOf = (queue: PortfolioQueue) => {
      if (queue.hours !== undefined && queue.timeZone !== undefined) {
        return hours(
          `Hours-${queue.id}`,
          queueHoursName(queue, props.namePrefix),
          `Hours of the call-tracking queue ${queue.id}`,
          queue.timeZone,
          queue.hours,
        );
      }
      alwaysOpenArn ??= hours(
        'AlwaysOpen',
        alwaysOpenHoursName(props.namePrefix),
        'Hours of the call-tracking queues: staffing decides who answers',
        'UTC',
        ALWAYS_OPEN,
      );
      return alwaysOpenArn;
    };
    for (const queue of props.queues) {
      if (queue.arn !== undefined) {
        this.arns.set(queue.id, queue.arn);
        continue;
      }
      const created = new connect.CfnQueue(this, `Queue-${queue.id}`, {
        instanceArn: props.instanceArn,
        name: portfolioQueueName(queue, props.namePrefix),
        description: `call-tracking queue ${queue.id}`,
        hoursOfOperationArn: hoursArnOf(queue),
        ...(queue.maxContacts !== undefined ? { maxContacts: queue.maxContacts } : {}),
      });
      created.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      this.arns.set(queue.id, created.attrQueueArn);
    }
  }

  /** The ARN of a portfolio queue (a token for created queues). */
  arnOf(queueId: string): string {
    const arn = this.arns.get(queueId);
    if (!arn) throw new Error(`queue "${queueId}" is not declared in the portfolio's queues`);
    return arn;
  }
}
