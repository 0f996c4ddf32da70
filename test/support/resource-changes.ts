import type { InboundNumber } from '../../lambdas/domain/portfolio/loops.js';
import type { ResourceChange, ResourceProperties } from '../../lambdas/domain/resource-change.js';
import { INSTANCE_ARN } from './fixtures.js';

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

/** The phone-number association resource's properties, as the construct passes them. */
export const associationProps = (
  numbers: readonly unknown[],
  flowId = 'flow-a',
  instanceArn = INSTANCE_ARN,
) => ({
  InstanceArn: instanceArn,
  ContactFlowArn: `${instanceArn}/contact-flow/${flowId}`,
  PhoneNumbers: JSON.stringify(numbers),
});

type AssociationProps = ReturnType<typeof associationProps>;

/** The physical id the association's create answers for INSTANCE_ARN. */
export const ASSOCIATION_PHYSICAL_ID = `phone-numbers:${INSTANCE_ARN}`;

export const associationUpdate = (properties: AssociationProps, old: AssociationProps) =>
  resourceChanges.update(properties, old, ASSOCIATION_PHYSICAL_ID);

export const associationDelete = (properties: Record<string, string>) =>
  resourceChanges.remove(properties, ASSOCIATION_PHYSICAL_ID);
