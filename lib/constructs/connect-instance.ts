import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { CONNECT_INSTANCE_ARN_PATTERN } from '../../lambdas/domain/connect-arn.js';
import { nagAttribute } from './nag.js';

export interface ConnectInstanceProps {
  /**
   * ARN of an Amazon Connect instance the stack should use instead of creating one.
   * @default - a new instance is created (and retained when the stack is deleted)
   */
  readonly existingInstanceArn?: string;
  /** Alias of a new instance: its login subdomain, so it must be unique across AWS. */
  readonly instanceAlias: string;
}

/**
 * The Amazon Connect instance: an existing one by ARN, or a new one. A new instance is retained on
 * stack deletion, because an account may create or delete at most 100 instances in 30 days and
 * deleting it would also strand its phone numbers.
 */
export class ConnectInstance extends Construct {
  readonly instanceArn: string;
  /** True when the stack created the instance. */
  readonly created: boolean;
  /** The instance ARN as cdk-nag writes it in finding ids. */
  readonly nagArn: string;

  constructor(scope: Construct, id: string, props: ConnectInstanceProps) {
    super(scope, id);
    if (props.existingInstanceArn !== undefined) {
      if (!CONNECT_INSTANCE_ARN_PATTERN.test(props.existingInstanceArn)) {
        throw new Error(
          `connectInstanceArn "${props.existingInstanceArn}" is not an Amazon Connect instance ARN: copy it from the Connect console (Overview > Distribution settings), e.g. arn:aws:connect:us-east-1:123456789012:instance/<uuid>`,
        );
      }
      const { region } = Stack.of(this);
      const instanceRegion = props.existingInstanceArn.split(':')[3];
      if (!Token.isUnresolved(region) && instanceRegion !== region) {
        throw new Error(
          `connectInstanceArn is in ${instanceRegion} but the stack deploys to ${region}: Connect invokes functions in its own region only. Deploy with CDK_DEFAULT_REGION=${instanceRegion} (or AWS_REGION) set to the instance's region`,
        );
      }
      this.instanceArn = props.existingInstanceArn;
      this.created = false;
      this.nagArn = this.instanceArn;
      return;
    }
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
    instance.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.instanceArn = instance.attrArn;
    this.created = true;
    this.nagArn = nagAttribute(instance, 'Arn');
  }
}
