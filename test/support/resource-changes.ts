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
