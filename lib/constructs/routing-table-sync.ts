import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CustomResource, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import type { PortfolioCatalog } from '../../lambdas/domain/catalog.js';
import { deployTimePlaceholder } from '../../lambdas/domain/deploy-time-values.js';
import type { InboundNumber } from '../../lambdas/domain/portfolio/loops.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import type { RoutingTableDocument } from '../../lambdas/domain/routing-table-plan.js';
import { CustomResourceHandler } from './custom-resource-handler.js';
import { nagLiteral } from './nag.js';
import { grantItemActions } from './tables.js';

export interface RoutingTableSyncProps {
  readonly table: dynamodb.ITableV2;
  /** The portfolio's entries, with deploy-time numbers and queue ARNs as tokens. */
  readonly entries: readonly RoutingEntry[];
  /** Published main lines, checked again at deploy against numbers claimed by the stack. */
  readonly publishedNumbers: readonly InboundNumber[];
  /**
   * The portfolio's catalog, written as the `CATALOG#portfolio` item the management API validates
   * against; the API's numbers at the file's locations are rewritten with their new routes.
   */
  readonly catalog: PortfolioCatalog;
}

/**
 * A stable name for a deploy-time value: the attribute it reads (`<logical id>.<attribute>`), or
 * a hash of what it resolves to, so an unrelated change elsewhere leaves the document as it was.
 */
const deployTimeKey = (stack: Stack, token: string): string => {
  const resolved = stack.resolve(token);
  const getAtt = resolved?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && getAtt.length === 2) return `${getAtt[0]}.${getAtt[1]}`;
  if (typeof resolved?.Ref === 'string') return resolved.Ref;
  return createHash('sha256').update(JSON.stringify(resolved)).digest('hex').slice(0, 16);
};

/**
 * The document with every string that holds a token (a claimed number, a created queue's ARN)
 * swapped for its placeholder, and the map from placeholder key to that string, which the
 * properties carry instead.
 */
const withPlaceholders = (
  stack: Stack,
  document: RoutingTableDocument,
): { document: RoutingTableDocument; values: Record<string, string> } => {
  const values: Record<string, string> = {};
  const text = JSON.stringify(document, (_key, value: unknown) => {
    if (typeof value !== 'string' || !Token.isUnresolved(value)) return value;
    const key = deployTimeKey(stack, value);
    values[key] = value;
    return deployTimePlaceholder(key);
  });
  // A string holding a token anywhere is swapped whole for its placeholder, and CloudFormation
  // resolves the whole string into DeployTimeValues: nothing of a token reaches the document.
  return { document: JSON.parse(text), values };
};

/**
 * Writes the portfolio's routing entries into the routing table whenever they change (a custom
 * resource runs only when its properties change, so hand edits to the table are not repaired),
 * idempotently, and removes the entries the portfolio no longer declares. Entries created through the API are left
 * alone (but re-routed when their portfolio location changes). At deploy the claimed numbers are
 * known, so the loop check runs once more there, with the API's numbers too.
 *
 * The entries and catalog travel as an S3 asset, not as properties: at thousands of numbers they
 * are megabytes, over CloudFormation's template limit and the provider's 1 MB payload. The
 * properties keep the asset's key (its content hash: a change re-runs the resource) and the few
 * deploy-time values the document names by placeholder.
 */
export class RoutingTableSync extends Construct {
  constructor(scope: Construct, id: string, props: RoutingTableSyncProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const handler = new CustomResourceHandler(this, 'SyncHandler', {
      handler: 'sync-routing-table',
      description: "Writes the portfolio's routing entries into the routing table",
      timeout: Duration.minutes(2),
    });
    grantItemActions(
      handler.function,
      props.table,
      'dynamodb:BatchWriteItem',
      'dynamodb:DeleteItem',
      // The items the portfolio owns: what an update or delete removes is found among them.
      'dynamodb:Scan',
      // The catalog items: the API's read, the portfolio's written.
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    );

    const { document, values } = withPlaceholders(stack, {
      entries: props.entries,
      publishedNumbers: props.publishedNumbers,
      catalog: props.catalog,
    });
    // Written at synth; the asset stages a copy into the cloud assembly, named by its hash.
    const file = join(mkdtempSync(join(tmpdir(), 'routing-document-')), 'routing-document.json');
    writeFileSync(file, JSON.stringify(document));
    const asset = new s3assets.Asset(this, 'Document', { path: file });
    // Every version of the document has its own key, and a rollback runs the resource again with
    // the previous one before CloudFormation rolls this policy back (the resource depends on it,
    // so it is rolled back first): the grant covers the JSON assets, read-only, not this key alone.
    handler.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [asset.bucket.arnForObjects('*.json')],
      }),
    );
    Validations.of(handler.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::${nagLiteral(this, asset.s3BucketName)}/*.json]`,
      reason:
        "A rollback reads the previous routing document, whose key (its hash) synth cannot know; the grant is s3:GetObject only, on the CDK bootstrap bucket's JSON assets.",
    });

    new CustomResource(this, 'Entries', {
      serviceToken: handler.serviceToken,
      resourceType: 'Custom::RoutingTableEntries',
      properties: {
        TableName: props.table.tableName,
        DocumentBucket: asset.s3BucketName,
        DocumentKey: asset.s3ObjectKey,
        DeployTimeValues: stack.toJsonString(values),
      },
    });
  }
}
