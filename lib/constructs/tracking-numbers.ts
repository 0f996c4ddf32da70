import {
  type CfnResource,
  CustomResource,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { associationTimeProblem } from '../../lambdas/contracts/association-time.js';
import {
  ASSOCIATION_TOTAL_TIMEOUT_MS,
  associatePhoneNumbersEnvironment,
  associationRateLimitProblem,
  DEFAULT_ASSOCIATION_RATE_LIMIT,
  NUMBER_OWNER_TAG,
} from '../../lambdas/contracts/environment.js';
import {
  ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE,
  ASSOCIATION_PROGRESS_TABLE,
} from '../../lambdas/contracts/tables.js';
import type { PortfolioTrackingNumber } from '../../lambdas/domain/portfolio/schema.js';
import { CustomResourceHandler } from './custom-resource-handler.js';
import { nagRegionAccount } from './nag.js';
import { grantItemActions } from './tables.js';

/**
 * How long the association may take in all. CloudFormation waits at most an hour for any custom
 * resource (ServiceTimeout, 1 to 3600 s), so the request gives up first, with its own message.
 * The provider's totalTimeout alone would not bound it: the framework turns it into attempts
 * (totalTimeout / queryInterval), each up to a 2-minute isComplete call; the handler itself fails
 * once this long has passed since its onEvent (use-cases/associate-phone-numbers.ts).
 */
const TOTAL_TIMEOUT = Duration.millis(ASSOCIATION_TOTAL_TIMEOUT_MS);

export interface TrackingNumbersProps {
  readonly instanceArn: string;
  readonly contactFlowArn: string;
  readonly trackingNumbers: readonly PortfolioTrackingNumber[];
  /**
   * The account's AssociatePhoneNumberContactFlow quota, requests a second (raise it through
   * Service Quotas first); the association uses 80 % of it.
   * @default 2 (Connect's default quota)
   */
  readonly associationRateLimit?: number;
}

/**
 * Refuses a portfolio whose association cannot finish within the provider's total timeout, with
 * a margin for throttling and pauses: a Create or a flow change associates every number.
 */
const checkAssociationFits = (count: number, rateLimit: number): void => {
  const problem = associationRateLimitProblem(rateLimit, String(rateLimit));
  if (problem) throw new Error(`associationRateLimit ${problem}`);
  const late = associationTimeProblem(count, rateLimit);
  if (late) {
    throw new Error(
      `${late}: raise the AssociatePhoneNumberContactFlow quota and pass it as -c associationRateLimit=<requests a second>, or split the numbers across instances`,
    );
  }
};

/**
 * The portfolio's tracking numbers in Connect: numbers to claim are claimed here (and retained when
 * the stack is deleted: a released number sits in a cooldown of up to 180 days and claim/release
 * churn is capped), numbers already in the instance are used as they are, and all of them are
 * associated with the inbound flow by a custom resource, since no CloudFormation resource does it:
 * an asynchronous one (isComplete), paced to Connect's request rate, touching only what changed.
 */
export class TrackingNumbers extends Construct {
  private readonly numbers = new Map<string, string>();
  readonly claimed: connect.CfnPhoneNumber[] = [];
  /** The custom resource that associates every tracking number with the flow. */
  readonly association: CustomResource;

  constructor(scope: Construct, id: string, props: TrackingNumbersProps) {
    super(scope, id);
    const stack = Stack.of(this);
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
        // What lets the association detach it again (the role's condition below).
        tags: [{ key: NUMBER_OWNER_TAG, value: stack.stackName }],
      });
      phoneNumber.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
      this.claimed.push(phoneNumber);
      this.numbers.set(entry.id, phoneNumber.attrAddress);
    }

    const rateLimit = props.associationRateLimit ?? DEFAULT_ASSOCIATION_RATE_LIMIT;
    checkAssociationFits(this.numbers.size, rateLimit);

    // The association's progress between isComplete calls (Connect cannot be asked which flow a
    // number points at): at most one small item, removed when done, so it goes with the stack.
    const progress = new dynamodb.TableV2(this, 'AssociationProgress', {
      partitionKey: {
        name: ASSOCIATION_PROGRESS_TABLE.partitionKey,
        type: dynamodb.AttributeType.STRING,
      },
      billing: dynamodb.Billing.onDemand(),
      timeToLiveAttribute: ASSOCIATION_PROGRESS_EXPIRY_ATTRIBUTE,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(progress).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The table holds only the progress of an association under way; lost, the association is redone (every call is idempotent), so point-in-time recovery would protect nothing.',
    });
    const handler = new CustomResourceHandler(this, 'AssociateHandler', {
      handler: 'associate-phone-numbers',
      description: 'Associates the tracking numbers with the inbound contact flow',
      // Each isComplete call works 2 minutes at most and stops a minute before this timeout
      // (use-cases/associate-phone-numbers.ts): well inside 4.
      timeout: Duration.minutes(4),
      environment: associatePhoneNumbersEnvironment.variables({
        progressTableName: progress.tableName,
        rateLimitPerSecond: props.associationRateLimit?.toString(),
      }),
      completion: { queryInterval: Duration.seconds(5), totalTimeout: TOTAL_TIMEOUT },
    });
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:ListPhoneNumbersV2'],
        resources: ['*'],
      }),
    );
    const numbersOfAnyId = [
      stack.formatArn({ service: 'connect', resource: 'phone-number', resourceName: '*' }),
      // Older and ported numbers are the instance-scoped `legacy-phone-number` resource type.
      `${props.instanceArn}/phone-number/*`,
    ];
    // Any number, but only to this flow: both resources of the request must be allowed.
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:AssociatePhoneNumberContactFlow'],
        resources: [...numbersOfAnyId, props.contactFlowArn],
      }),
    );
    // A disassociation names no flow, so the tag narrows it: only numbers the stack claimed or
    // the team tagged as this stack's (ids of ported numbers are unknown at synth, and 2,000 ARNs
    // would not fit a policy). The flow carries the tag too, in case Connect checks it as well.
    handler.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['connect:DisassociatePhoneNumberContactFlow'],
        resources: [...numbersOfAnyId, props.contactFlowArn],
        conditions: {
          StringEquals: { [`aws:ResourceTag/${NUMBER_OWNER_TAG}`]: stack.stackName },
        },
      }),
    );
    // Its progress item only: no Scan, no Query, no other table.
    grantItemActions(
      handler.function,
      progress,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:DeleteItem',
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
          "Numbers ported in or claimed outside the stack have ids unknown at synth: association is limited to this one flow, disassociation to numbers tagged as this stack's.",
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
