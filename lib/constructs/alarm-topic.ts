import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** People paged by email (each confirms the subscription once). @default - none */
  readonly emails?: readonly string[];
}

/**
 * The topic every alarm notifies: encrypted with its own key (which CloudWatch may use, or its
 * notifications are dropped) and reachable only over TLS. Other subscribers (chat, a pager
 * service's HTTPS endpoint) subscribe to its ARN, the stack output AlarmTopicArn.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: 'Encrypts the call-tracking alarm topic',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      // Alarm notifications are transient: nothing stays encrypted under this key.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An alarm publishes as CloudWatch: without these it cannot write to an encrypted topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Call tracking alarms',
      masterKey: key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }
}

/** Why an alarm email is refused, or undefined (a plain local@domain.tld check, no lookup). */
export const alarmEmailProblem = (email: string): string | undefined =>
  /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(email)
    ? undefined
    : `-c alarmEmails: "${email}" is not an email address (give a comma-separated list, e.g. -c alarmEmails=ops@example.com,oncall@example.com)`;
