import { RemovalPolicy } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { nagAttribute } from './nag.js';

export interface ConnectInstanceProps {
  /**
   * ARN of an Amazon Connect instance the stack should use instead of creating one.
   * @default - a new instance is created (kept when the stack is deleted)
   */
  readonly existingInstanceArn?: string;
  /** Alias of a new instance: its login subdomain, so it must be unique across AWS. */
  readonly instanceAlias: string;
}

/**
 * The Amazon Connect instance: an existing one by ARN, or a new one. A new instance is kept when the
 * stack is deleted, because an account may create or delete at most 100 instances in 30 days and
 * deleting it would also strand its phone numbers; but a failed first deploy removes it
 * (RetainExceptOnCreate), so the retry's CreateInstance does not meet its alias.
 */
export class ConnectInstance extends Construct {
  readonly instanceArn: string;
  /** True when the stack created the instance. */
  readonly created: boolean;
  /** The instance ARN as cdk-nag writes it in finding ids. */
  readonly nagArn: string;

  constructor(scope: Construct, id: string, props: ConnectInstanceProps) {
    super(scope, id);
    // Its format, region and account are checked before any stack is built (config/deploy-target).
    if (props.existingInstanceArn !== undefined) {
      this.instanceArn = props.existingInstanceArn;
      this.created = false;
      this.nagArn = this.instanceArn;
      return;
    }
    // Connect writes flow logs to /aws/connect/<alias> and creates the group without a retention
    // when it is missing: made first, it keeps a month, like every function's log. Removed with
    // the stack (a redeploy after a teardown would otherwise meet the name).
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/aws/connect/${props.instanceAlias}`,
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const instance = new connect.CfnInstance(this, 'Instance', {
      identityManagementType: 'CONNECT_MANAGED',
      instanceAlias: props.instanceAlias,
      attributes: {
        inboundCalls: true,
        // Transfers to a location's ring-to number are outbound legs.
        outboundCalls: true,
        contactflowLogs: true,
      },
    });
    instance.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    instance.node.addDependency(flowLogs);
    this.instanceArn = instance.attrArn;
    this.created = true;
    this.nagArn = nagAttribute(instance, 'Arn');
  }
}
