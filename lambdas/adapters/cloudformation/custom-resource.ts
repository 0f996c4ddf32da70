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

/**
 * Set in an asynchronous onEvent's answer. The provider framework merges that answer into the
 * requests it sends the isComplete handler, so one function can serve both and tell them apart.
 */
export const AWAITING_COMPLETION = 'AwaitingCompletion';

/** The isComplete answer: `Data` is only allowed once complete. */
export interface IsCompleteResult {
  IsComplete: boolean;
}

/** The two phases of an asynchronous custom resource, each given the change and the request id. */
export interface AsyncPhases {
  /** Accepts the change (fast, validating): the id and attributes of the resource. */
  start(change: ResourceChange, requestId: string): Promise<AppliedChange>;
  /** Works on it for a while, within `remainingTimeMs()` of the invocation: true when done. */
  resume(
    change: ResourceChange,
    requestId: string,
    remainingTimeMs: () => number,
  ): Promise<boolean>;
}

/** The part of the Lambda context that tells how long the invocation has left. */
export interface InvocationTime {
  getRemainingTimeInMillis(): number;
}

/**
 * One function that is both the onEvent and the isComplete handler of a provider
 * (aws-cdk-lib/custom-resources `Provider` with `isCompleteHandler`): the first call of a request
 * starts it, the framework's later calls (marked by {@link AWAITING_COMPLETION}) resume it.
 */
export const asyncCustomResource = ({ start, resume }: AsyncPhases) => {
  return async (
    event: CloudFormationCustomResourceEvent & { readonly [AWAITING_COMPLETION]?: boolean },
    // Lambda always passes it; a call without one (a local run) has no time limit.
    context?: InvocationTime,
  ): Promise<(CustomResourceResult & { [AWAITING_COMPLETION]: true }) | IsCompleteResult> => {
    if (event[AWAITING_COMPLETION] === true) {
      const remainingTimeMs = context
        ? () => context.getRemainingTimeInMillis()
        : () => Number.POSITIVE_INFINITY;
      return {
        IsComplete: await resume(resourceChangeOf(event), event.RequestId, remainingTimeMs),
      };
    }
    const answer = await customResourceOnEvent((change) => start(change, event.RequestId))(event);
    return { ...answer, [AWAITING_COMPLETION]: true };
  };
};
