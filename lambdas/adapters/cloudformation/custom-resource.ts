import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import type { ResourceChange } from '../../domain/resource-change.js';

/**
 * What the project's custom-resource onEvent handlers (aws-cdk-lib/custom-resources `Provider`)
 * share: the event read as a request, their answer to CloudFormation, and the pause they wait
 * between retries.
 */

/** The onEvent answer: the physical id, and the attributes `Fn::GetAtt` can read. */
export interface CustomResourceResult {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

/** A real pause; handlers take `sleep` as a dependency so tests can pass one that returns at once. */
export const realSleep = (ms: number): Promise<void> =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The event as the change it asks for; the properties are passed on as CloudFormation sent them. */
export const resourceChangeOf = (event: CloudFormationCustomResourceEvent): ResourceChange => {
  switch (event.RequestType) {
    case 'Create':
      return { requestType: 'Create', properties: event.ResourceProperties };
    case 'Update':
      return {
        requestType: 'Update',
        physicalResourceId: event.PhysicalResourceId,
        properties: event.ResourceProperties,
        oldProperties: event.OldResourceProperties,
      };
    case 'Delete':
      return {
        requestType: 'Delete',
        physicalResourceId: event.PhysicalResourceId,
        properties: event.ResourceProperties,
      };
  }
};

/** What applying a change reports: the resource's physical id and its `Fn::GetAtt` attributes. */
export interface AppliedChange {
  readonly physicalResourceId: string;
  readonly data: Readonly<Record<string, string>>;
}

/**
 * An onEvent function that reads the event, applies the change and answers CloudFormation. A
 * Delete answers with the id alone: a deleted resource has no attributes left to read.
 */
export const customResourceOnEvent =
  (apply: (change: ResourceChange) => Promise<AppliedChange>) =>
  async (event: CloudFormationCustomResourceEvent): Promise<CustomResourceResult> => {
    const change = resourceChangeOf(event);
    const { physicalResourceId, data } = await apply(change);
    return change.requestType === 'Delete'
      ? { PhysicalResourceId: physicalResourceId }
      : { PhysicalResourceId: physicalResourceId, Data: { ...data } };
  };
