import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { TableDefinition } from '../../lambdas/contracts/tables.js';

const stringKey = (name: string): dynamodb.Attribute => ({
  name,
  type: dynamodb.AttributeType.STRING,
});

/**
 * A table deployed from its shared definition: on demand, point-in-time recovery (35 days),
 * deletion protection, and retained if the stack is ever deleted.
 */
export const tableFromDefinition = (
  scope: Construct,
  id: string,
  definition: TableDefinition,
): dynamodb.TableV2 => {
  const table = new dynamodb.TableV2(scope, id, {
    partitionKey: stringKey(definition.partitionKey),
    ...(definition.sortKey ? { sortKey: stringKey(definition.sortKey) } : {}),
    billing: dynamodb.Billing.onDemand(),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    ...(definition.timeToLiveAttribute
      ? { timeToLiveAttribute: definition.timeToLiveAttribute }
      : {}),
    globalSecondaryIndexes: Object.entries(definition.indexes).map(([indexName, index]) => ({
      indexName,
      partitionKey: stringKey(index.partitionKey),
      ...(index.sortKey ? { sortKey: stringKey(index.sortKey) } : {}),
    })),
  });
  return table;
};

/**
 * Grants item-level actions on the table itself, not on its indexes (`table.grant` adds
 * `<table>/index/*`, a wildcard these functions do not need).
 */
export const grantItemActions = (
  grantee: iam.IGrantable,
  table: dynamodb.ITableV2,
  ...actions: string[]
): void => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions, resources: [table.tableArn] }),
  );
};

/**
 * Grants Query on each named index of the table, by its own ARN (`<table>/index/<name>`), instead
 * of the `<table>/index/*` wildcard.
 */
export const grantIndexQueries = (
  grantee: iam.IGrantable,
  table: dynamodb.ITableV2,
  definition: TableDefinition,
): void => {
  const indexNames = Object.keys(definition.indexes);
  if (indexNames.length === 0) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['dynamodb:Query'],
      resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
    }),
  );
};
