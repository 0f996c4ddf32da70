import { RemovalPolicy } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { alwaysOpenHoursName, portfolioQueueName } from '../../lambdas/contracts/connect-names.js';
import type { PortfolioQueue } from '../../lambdas/domain/portfolio/schema.js';

const ALL_DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export interface PortfolioQueuesProps {
  readonly instanceArn: string;
  /** Prefix of created names, so stages can share an instance. */
  readonly namePrefix: string;
  readonly queues: readonly PortfolioQueue[];
}

/**
 * The call-center queues the portfolio's fallbacks and payment lines name: existing queues by ARN,
 * the others created here. Created queues are always open: whether anyone answers is a matter of
 * staffing the queue in Connect, and a caller in a queue is never in silence.
 *
 * Created queues and their hours are kept when the stack is deleted (but removed when the create
 * that made them rolls back): Connect refuses to delete a queue a routing profile uses, which would
 * fail `cdk destroy`, and the staffing around a queue is the operator's work. A later stack adopts
 * a kept queue through its `arn:` in the portfolio.
 */
export class PortfolioQueues extends Construct {
  private readonly arns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: PortfolioQueuesProps) {
    super(scope, id);
    let alwaysOpen: connect.CfnHoursOfOperation | undefined;
    const alwaysOpenArn = () => {
      alwaysOpen ??= new connect.CfnHoursOfOperation(this, 'AlwaysOpen', {
        instanceArn: props.instanceArn,
        name: alwaysOpenHoursName(props.namePrefix),
        description: 'Hours of the call-tracking queues: staffing decides who answers',
        timeZone: 'UTC',
        config: ALL_DAYS.map((day) => ({
          day,
          // 00:00 to 00:00 is a whole day in Connect (23:59 would close a minute a day).
          startTime: { hours: 0, minutes: 0 },
          endTime: { hours: 0, minutes: 0 },
        })),
      });
      alwaysOpen.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      return alwaysOpen.attrHoursOfOperationArn;
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
        hoursOfOperationArn: alwaysOpenArn(),
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
