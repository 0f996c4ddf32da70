import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { PortfolioCatalog } from '../../lambdas/domain/catalog.js';
import type { InboundNumber } from '../../lambdas/domain/portfolio/loops.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { CustomResourceHandler } from './custom-resource-handler.js';
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
 * Writes the portfolio's routing entries into the routing table whenever they change (a custom
 * resource runs only when its properties change, so hand edits to the table are not repaired),
 * idempotently, and removes the entries the portfolio no longer declares. Entries created through the API are left
 * alone (but re-routed when their portfolio location changes). At deploy the claimed numbers are
 * known, so the loop check runs once more there, with the API's numbers too.
 */
export class RoutingTableSync extends Construct {
  constructor(scope: Construct, id: string, props: RoutingTableSyncProps) {
    super(scope, id);
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
      // The catalog items: the API's read, the portfolio's written.
      'dynamodb:GetItem',
      'dynamodb:PutItem',
    );
    const stack = Stack.of(this);
    new CustomResource(this, 'Entries', {
      serviceToken: handler.serviceToken,
      resourceType: 'Custom::RoutingTableEntries',
      properties: {
        TableName: props.table.tableName,
        Entries: stack.toJsonString(props.entries),
        PublishedNumbers: stack.toJsonString(props.publishedNumbers),
        Catalog: stack.toJsonString(props.catalog),
      },
    });
  }
}
