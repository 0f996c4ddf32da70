import type { InboundNumber } from '../../lambdas/domain/portfolio/loops.js';
import type { ResourceChange, ResourceProperties } from '../../lambdas/domain/resource-change.js';

/**
 * The requests a custom resource's use case receives, built the way `customResourceEvents`
 * (fixtures.ts) builds the CloudFormation events they are read from.
 */
export const resourceChanges = {
  create: (properties: ResourceProperties): ResourceChange => ({
    requestType: 'Create',
    properties,
  }),
  update: (
    properties: ResourceProperties,
    oldProperties: ResourceProperties,
    physicalResourceId: string,
  ): ResourceChange => ({ requestType: 'Update', physicalResourceId, properties, oldProperties }),
  remove: (properties: ResourceProperties, physicalResourceId: string): ResourceChange => ({
    requestType: 'Delete',
    physicalResourceId,
    properties,
  }),
};

/** The routing table the routing-sync tests write. */
export const ROUTING_TABLE = 'calltrack-routing';

/** The routing-table custom resource's properties, as the construct passes them (JSON strings). */
export const routingTableProps = (
  entries: readonly unknown[],
  published: readonly InboundNumber[] = [],
  table = ROUTING_TABLE,
) => ({
  TableName: table,
  Entries: JSON.stringify(entries),
  PublishedNumbers: JSON.stringify(published),
});

type RoutingTableProps = ReturnType<typeof routingTableProps>;

/** An update of the routing-table resource, its physical id the one its create answered. */
export const routingTableUpdate = (properties: RoutingTableProps, old: RoutingTableProps) =>
  resourceChanges.update(properties, old, `routing-table:${old.TableName}`);
