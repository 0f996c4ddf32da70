import { type CfnResource, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag writes a resource in a granular finding id (`AwsSolutions-IAM5[Resource::...]`):
 * `<LogicalId.Attr>` for an attribute of a resource in the same stack, the literal otherwise.
 */
export const nagAttribute = (resource: CfnResource, attribute: string): string =>
  `<${Stack.of(resource).getLogicalId(resource)}.${attribute}>`;

/** The stack's region and account as cdk-nag renders them in an ARN. */
export const nagRegionAccount = (scope: IConstruct): string => {
  const stack = Stack.of(scope);
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `${region}:${account}`;
};
