import { type CfnResource, type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.js';
import { nagAttribute } from './nag.js';

/** How the provider framework waits for an asynchronous resource. */
export interface CompletionProps {
  /** The pause between two isComplete calls. */
  readonly queryInterval: Duration;
  /** How long the framework waits in all before it fails the resource (at most 2 hours). */
  readonly totalTimeout: Duration;
}

export interface CustomResourceHandlerProps extends HandlerFunctionProps {
  /**
   * Makes the resource asynchronous: the same function is also the isComplete handler (it tells
   * the two requests apart: lambdas/adapters/cloudformation/custom-resource.ts
   * `asyncCustomResource`), called until it answers complete.
   * @default - synchronous: onEvent alone, within the function's timeout
   */
  readonly completion?: CompletionProps;
}

/**
 * A custom resource's function (one of ours, in `lambdas/handlers/`) behind the CDK provider
 * framework, which reports success or failure to CloudFormation for it: its onEvent handler, and
 * with `completion` its isComplete handler too (the framework then adds a Step Functions state
 * machine that calls it until it is done).
 */
export class CustomResourceHandler extends HandlerFunction {
  readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: CustomResourceHandlerProps) {
    super(scope, id, props);
    const logGroup = new logs.LogGroup(this, 'ProviderLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      ...(props.completion
        ? {
            isCompleteHandler: this.function,
            queryInterval: props.completion.queryInterval,
            totalTimeout: props.completion.totalTimeout,
            // Every state change, not only errors (the framework logs none by default); the
            // requests themselves are in our function's own logs.
            disableWaiterStateMachineLogging: false,
            waiterStateMachineLogOptions: {
              destination: logGroup,
              level: sfn.LogLevel.ALL,
              includeExecutionData: false,
            },
          }
        : {}),
      logGroup,
    });
    this.serviceToken = provider.serviceToken;
    const onEvent = this.function.node.defaultChild as CfnResource;
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The CDK provider framework function is CDK code: its role uses AWSLambdaBasicExecutionRole to write its own logs only.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::${nagAttribute(onEvent, 'Arn')}:*]`,
        reason:
          'The CDK provider framework may invoke any version of our onEvent function (<arn>:*); it can invoke nothing else.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'The CDK provider framework pins its own runtime; it is updated with aws-cdk-lib, not by this project.',
      },
    );
    if (props.completion) acknowledgeWaiter(provider);
  }
}

/** The findings on what the provider framework adds for an asynchronous resource. */
const acknowledgeWaiter = (provider: cr.Provider): void => {
  const frameworkFunction = (name: string) =>
    provider.node.findChild(`framework-${name}`).node.defaultChild as CfnResource;
  Validations.of(provider).acknowledge(
    ...['isComplete', 'onTimeout'].map((name) => ({
      id: `AwsSolutions-IAM5[Resource::${nagAttribute(frameworkFunction(name), 'Arn')}:*]`,
      reason: `The provider framework's state machine may invoke any version of its own ${name} function (<arn>:*); it can invoke nothing else.`,
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The Step Functions role of the provider framework delivers its logs (logs:CreateLogDelivery and the like), which support no resource-level permissions.',
    },
    {
      id: 'AwsSolutions-SF2',
      reason:
        'The provider framework offers no X-Ray option for its waiter state machine; it only calls the isComplete function every few seconds, whose own logs say what it did.',
    },
  );
};
