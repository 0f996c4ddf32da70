import type { AssociationScope, UnfinishedChange } from './phone-number-association-plan.js';

/**
 * How far the association of one request has got, kept between the provider's isComplete
 * invocations. Connect has no API this project trusts to read which flow a number points at
 * (ListFlowAssociations exists, but whether it reports AssociatePhoneNumberContactFlow's
 * associations is unverified), so the progress cannot be read back from Connect: it is written
 * down, keyed by the resource's physical id (CloudFormation runs one operation per resource at a
 * time), and removed when the request completes. A request that fails leaves it behind, which is
 * how the rollback after it learns how far the failed change got.
 */
export interface AssociationProgress extends UnfinishedChange {
  /** The CloudFormation request this progress belongs to. */
  readonly requestId: string;
  readonly scope: AssociationScope;
  /** Steps completed, in order: the next invocation resumes here. */
  readonly done: number;
}

/** Where the progress is kept (a DynamoDB table when deployed, a Map in tests). */
export interface AssociationProgressStore {
  read(resourceId: string): Promise<AssociationProgress | undefined>;
  write(resourceId: string, progress: AssociationProgress): Promise<void>;
  remove(resourceId: string): Promise<void>;
}
