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

/**
 * How cdk-nag writes a value another stack exports to this one (a strong cross-stack reference):
 * the export's name. `exportValue` names the very export the reference itself creates, so this
 * adds no output of its own.
 */
export const nagImport = (producer: IConstruct, value: string): string => {
  const stack = Stack.of(producer);
  const imported = stack.resolve(stack.exportValue(value)) as { 'Fn::ImportValue'?: string };
  const exportName = imported['Fn::ImportValue'];
  if (exportName === undefined) {
    throw new Error(`nagImport: ${JSON.stringify(imported)} is not exported by ${stack.stackName}`);
  }
  return exportName;
};

/**
 * How cdk-nag writes a value the stack knows as a literal or an `Fn::Sub` of pseudo parameters
 * (the CDK bootstrap bucket's name): `${AWS::AccountId}` becomes `<AWS::AccountId>`.
 */
export const nagLiteral = (scope: IConstruct, value: string): string => {
  const resolved: unknown = Stack.of(scope).resolve(value);
  if (typeof resolved === 'string') return resolved;
  const sub = (resolved as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub === 'string') return sub.replace(/\$\{([^}]+)\}/g, '<$1>');
  throw new Error(`nagLiteral: cannot render ${JSON.stringify(resolved)} as cdk-nag does`);
};
