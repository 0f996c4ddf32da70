import {
  type CfnResource,
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { PortfolioTrackingNumber } from '../../lambdas/domain/portfolio/schema.js';
import { CustomResourceHandler } from './custom-resource-handler.js';
import { nagRegionAccount } from './nag.js';

export interface TrackingNumbersProps {
  readonly instanceArn: string;
  readonly contactFlowArn: string;
  readonly trackingNumbers: readonly PortfolioTrackingNumber[];
}

/**
 * The portfolio's tracking numbers in Connect: numbers to claim are claimed here (and retained when
 * the stack is deleted: a released number sits in a cooldown of up to 180 days and claim/release
 * churn is capped), numbers already in the instance are used as they are, and all of them are
 * associated with the inbound flow by a custom resource, since no CloudFormation resource does it.
 */
export class TrackingNumbers extends Construct {
  private readonly numbers = new Map<string, string>();
  readonly claimed: connect.CfnPhoneNumber[] = [];
  /** The custom resource that associates every tracking number with the flow. */
  readonly association: CustomResource;

  constructor(scope: Construct, id: string, props: TrackingNumbersProps) {
    super(scope, id);
    for (const entry of props.trackingNumbers) {
      if (entry.number !== undefined) {
        this.numbers.set(entry.id, entry.number);
        continue;
      }
      if (!entry.claim) throw new Error(`tracking number ${entry.id} has neither number nor claim`);
      const phoneNumber = new connect.CfnPhoneNumber(this, `Claim-${entry.id}`, {
        targetArn: props.instanceArn,
        countryCode: entry.claim.country,
        type: entry.claim.type,
        ...(entry.claim.prefix ? { prefix: entry.claim.prefix } : {}),
        description: `call tracking: ${entry.id}`,
      });
      phoneNumber.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      this.claimed.push(phoneNumber);
      this.numbers.set(entry.id, phoneNumber.attrAddress);
    }

    const handler = new CustomResourceHandler(this, 'AssociateHandler', {
      handler: 'associate-phone-numbers',
      description: 'Associates the tracking numbers with the inbound contact flow',
      // Connect throttles its control plane; adaptive retries over many numbers take a while.
      timeout: Duration.minutes(5),
    });
    const stack = Stack.of(this);
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:ListPhoneNumbersV2'],
        resources: ['*'],
      }),
    );
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'connect:AssociatePhoneNumberContactFlow',
          'connect:DisassociatePhoneNumberContactFlow',
        ],
        resources: [
          stack.formatArn({ service: 'connect', resource: 'phone-number', resourceName: '*' }),
          // Older and ported numbers are the instance-scoped `legacy-phone-number` resource type.
          `${props.instanceArn}/phone-number/*`,
          props.contactFlowArn,
        ],
      }),
    );
    Validations.of(handler.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'connect:ListPhoneNumbersV2 supports no resource-level permissions; it is read-only and used to find the ids of the tracking numbers.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:connect:${nagRegionAccount(this)}:phone-number/*]`,
        reason:
          'Numbers ported in or claimed outside the stack have ids unknown at synth; the action is limited to associating numbers with this one flow.',
      },
    );

    this.association = new CustomResource(this, 'FlowAssociation', {
      serviceToken: handler.serviceToken,
      resourceType: 'Custom::PhoneNumberFlowAssociation',
      properties: {
        InstanceArn: props.instanceArn,
        ContactFlowArn: props.contactFlowArn,
        PhoneNumbers: stack.toJsonString([...this.numbers.values()]),
      },
    });
    for (const claimed of this.claimed) {
      (this.association.node.defaultChild as CfnResource).addResourceDependency(claimed);
    }
  }

  /** The E.164 number of a tracking number entry (a token for numbers claimed at deploy). */
  numberOf(entry: PortfolioTrackingNumber): string {
    const number = this.numbers.get(entry.id);
    if (!number) throw new Error(`tracking number ${entry.id} is not in this portfolio`);
    return number;
  }
}
