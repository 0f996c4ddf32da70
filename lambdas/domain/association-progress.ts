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
  /**
   * When the request gives up (epoch ms): set once by its first onEvent, so the bound is wall
   * clock, not the provider's attempts × each attempt's work.
   */
  readonly deadline: number;
}

/** The stored progress belongs to another request now: this one must stop writing. */
export class ProgressTakenOverError extends Error {
  constructor(resourceId: string, requestId: string) {
    super(
      `the association progress of ${resourceId} no longer belongs to request ${requestId}: a later request (a rollback or another deploy) took it over, so ${requestId} stops here`,
    );
    this.name = 'ProgressTakenOverError';
  }
}

/** Where the progress is kept (a DynamoDB table when deployed, a Map in tests). */
export interface AssociationProgressStore {
  read(resourceId: string): Promise<AssociationProgress | undefined>;
  /**
   * Writes the progress only if the stored one belongs to request `owner` (undefined: only if
   * none is stored), else throws {@link ProgressTakenOverError}: a stale request can never
   * overwrite a newer one's progress.
   */
  write(
    resourceId: string,
    progress: AssociationProgress,
    owner: string | undefined,
  ): Promise<void>;
  /** Removes the progress of request `owner`, else throws {@link ProgressTakenOverError}. */
  remove(resourceId: string, owner: string): Promise<void>;
}
