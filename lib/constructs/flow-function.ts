import { Stack } from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { HandlerFunction, type HandlerFunctionProps } from './handler-function.js';

export interface FlowFunctionProps extends HandlerFunctionProps {
  readonly instanceArn: string;
}

/**
 * A Lambda function that contact flows invoke: only the Connect instance may invoke it (source ARN
 * and account), and it is associated with the instance, which a published flow requires.
 */
export class FlowFunction extends HandlerFunction {
  readonly association: connect.CfnIntegrationAssociation;

  constructor(scope: Construct, id: string, props: FlowFunctionProps) {
    super(scope, id, props);
    this.function.addPermission('InvokedByConnect', {
      principal: new iam.ServicePrincipal('connect.amazonaws.com'),
      sourceArn: props.instanceArn,
      sourceAccount: Stack.of(this).account,
    });
    this.association = new connect.CfnIntegrationAssociation(this, 'Association', {
      instanceId: props.instanceArn, // despite its name, this property takes the instance ARN
      integrationType: 'LAMBDA_FUNCTION',
      integrationArn: this.function.functionArn,
    });
  }
}
