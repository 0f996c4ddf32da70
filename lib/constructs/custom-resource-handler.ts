import { type CfnResource, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.js';
import { nagAttribute } from './nag.js';

/**
 * A custom resource's onEvent function (one of ours, in `lambdas/handlers/`) behind the CDK
 * provider framework, which reports success or failure to CloudFormation for it.
 */
export class CustomResourceHandler extends HandlerFunction {
  readonly serviceToken: string;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id, props);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
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
  }
}
