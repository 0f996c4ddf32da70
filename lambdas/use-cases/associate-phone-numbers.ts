import { createHash } from 'node:crypto';
import type { ConnectClient } from '@aws-sdk/client-connect';
import {
  type Clock,
  createPacedSender,
  realClock,
  StillThrottledError,
} from '../adapters/connect/paced-requests.js';
import {
  isMissingResource,
  type PhoneNumberFlows,
  phoneNumberFlows,
} from '../adapters/connect/phone-number-flows.js';
import {
  ASSOCIATION_RATE_SHARE,
  ASSOCIATION_TOTAL_TIMEOUT_MS,
  DEFAULT_ASSOCIATION_RATE_LIMIT,
} from '../contracts/environment.js';
import type {
  AssociationProgress,
  AssociationProgressStore,
} from '../domain/association-progress.js';
import {
  type AssociationPlan,
  type AssociationState,
  type AssociationStep,
  planAssociation,
  planSteps,
  scopeAfter,
  stateKeyOf,
} from '../domain/phone-number-association-plan.js';
import type { ResourceChange } from '../domain/resource-change.js';

/**
 * Points the tracking numbers at the inbound contact flow (no CloudFormation resource links a
 * number to a flow), as an asynchronous custom resource:
 * - `start` (onEvent) reads the request, checks that every number to associate is in the instance
 *   (so a bad portfolio fails at once), decides the steps (domain/phone-number-association-plan.ts:
 *   only what changed, or only what a failed change reached when this request rolls it back) and
 *   writes the progress down;
 * - `resume` (isComplete, called every few seconds by the provider framework) carries on from the
 *   progress, paced to Connect's rate, for a bounded time, and reports whether it is done.
 *
 * Every step is idempotent (an association is a put; a disassociation of a number that points
 * nowhere is "not found"), so progress lost in a crash costs at most a batch of repeated calls.
 */

/** Some numbers are not claimed in the instance, so they have no id to associate. */
export class NumbersNotInInstanceError extends Error {
  constructor(
    readonly numbers: readonly string[],
    readonly instanceArn: string,
  ) {
    super(
      `${numbers.join(', ')} ${numbers.length === 1 ? 'is' : 'are'} not claimed in Connect instance ${instanceArn}: port or claim ${numbers.length === 1 ? 'it' : 'them'} first, or declare ${numbers.length === 1 ? 'it' : 'them'} with \`claim:\` in the portfolio`,
    );
    this.name = 'NumbersNotInInstanceError';
  }
}

/** The progress of the resource belongs to another request: two operations overlapped. */
export class ProgressOfAnotherRequestError extends Error {
  constructor(resourceId: string, expected: string, found: string) {
    super(
      `the association progress of ${resourceId} belongs to request ${found}, not ${expected}: another deploy is associating the same instance's numbers; let it finish and retry`,
    );
    this.name = 'ProgressOfAnotherRequestError';
  }
}

/** The request ran past its deadline: it stops, before CloudFormation's own hour would. */
export class AssociationDeadlineError extends Error {
  constructor(resourceId: string, requestId: string, done: number, steps: number) {
    super(
      `the association of ${resourceId} (request ${requestId}) did not finish within ${ASSOCIATION_TOTAL_TIMEOUT_MS / 60_000} minutes: ${done} of ${steps} steps done. Most likely Connect throttled it (another caller shares the AssociatePhoneNumberContactFlow quota) or the quota is lower than configured; retry the deploy, or raise the quota and deploy with -c associationRateLimit=<requests a second>`,
    );
    this.name = 'AssociationDeadlineError';
  }
}

/**
 * The time an isComplete invocation keeps in hand: no step or listing starts with less left.
 * A step's worst case is the paced sender's bounded backoff (30 s, MAX_BACKOFF_MS) plus its 7
 * requests (6 retries), each waiting its turn (0.625 s at 1.6/s) and taking a few seconds: about
 * 30 + 7 × (0.6 + 3) ≈ 55 s. A listing is a few pages of 1,000 numbers, under that too.
 */
export const SAFETY_MARGIN_MS = 60_000;

export interface AssociatePhoneNumbersDependencies {
  readonly connect: ConnectClient;
  readonly progress: AssociationProgressStore;
  /** @default the real clock */
  readonly clock?: Clock;
  /** @default Math.random (the backoff's jitter) */
  readonly random?: () => number;
  readonly log?: (line: string) => void;
  /**
   * Listings before a number counts as missing. A number claimed by the same deploy a moment ago
   * may not be listed yet (⚠ unverified whether ListPhoneNumbersV2 lags ClaimPhoneNumber), so a
   * miss is looked up again after a pause instead of failing the deploy at once. @default 3
   */
  readonly listAttempts?: number;
  /** The account's AssociatePhoneNumberContactFlow quota, requests a second. @default 2 */
  readonly rateLimitPerSecond?: number;
  /** How long one isComplete invocation keeps starting steps. @default 120 seconds */
  readonly workBudgetMs?: number;
  /** Steps between two progress writes. @default 20 */
  readonly checkpointEvery?: number;
  /** How long a request may take from its first onEvent. @default 55 minutes */
  readonly totalTimeoutMs?: number;
  /** The invocation time no step starts without. @default {@link SAFETY_MARGIN_MS} */
  readonly safetyMarginMs?: number;
}

/** The request as the provider framework passes it: the change and CloudFormation's request id. */
export interface AssociationRequest {
  readonly change: ResourceChange;
  readonly requestId: string;
  /** The time left in this invocation (the Lambda context's). @default no limit */
  readonly remainingTimeMs?: () => number;
}

export interface AssociationStarted {
  readonly physicalResourceId: string;
  /** Numbers that point at the flow once the request completes. */
  readonly phoneNumberCount: number;
}

/** A state key short enough to store and compare. */
const keyOf = (state: AssociationState | undefined): string | null => {
  const key = stateKeyOf(state);
  return key === null ? null : createHash('sha256').update(key).digest('base64url');
};

/** The instance the request works in: the target's, or on Delete the source's. */
const instanceOf = (plan: AssociationPlan): AssociationState | undefined =>
  plan.target ?? plan.source;

const toAssociate = (steps: readonly AssociationStep[]): string[] =>
  steps.filter((step) => step.action === 'associate').map((step) => step.phoneNumber);

export const associatePhoneNumbers = ({
  connect,
  progress,
  clock = realClock,
  random = Math.random,
  log = (line) => console.log(line),
  listAttempts = 3,
  rateLimitPerSecond = DEFAULT_ASSOCIATION_RATE_LIMIT,
  workBudgetMs = 120_000,
  checkpointEvery = 20,
  totalTimeoutMs = ASSOCIATION_TOTAL_TIMEOUT_MS,
  safetyMarginMs = SAFETY_MARGIN_MS,
}: AssociatePhoneNumbersDependencies) => {
  // A new sender per invocation: the provider's query interval separates invocations anyway.
  const connectCalls = () => {
    const sender = createPacedSender({
      requestsPerSecond: rateLimitPerSecond * ASSOCIATION_RATE_SHARE,
      clock,
      random,
    });
    return { flows: phoneNumberFlows(connect, sender), stats: sender.stats };
  };

  const start = async ({ change, requestId }: AssociationRequest): Promise<AssociationStarted> => {
    const plan = planAssociation(change);
    const resourceId = plan.physicalResourceId;
    const keys = { sourceKey: keyOf(plan.source), targetKey: keyOf(plan.target) };
    const previous = await progress.read(resourceId);
    // The same request again (a retried onEvent): keep its progress.
    if (previous?.requestId !== requestId) {
      const scope = scopeAfter(previous, keys);
      const steps = planSteps(plan, scope);
      // Written first: should the check below fail this request, its rollback finds that it
      // reached nothing, and undoes nothing.
      // Replaces only the record that was read: a request that took it over meanwhile wins.
      await progress.write(
        resourceId,
        {
          requestId,
          ...keys,
          scope,
          done: 0,
          attempted: 0,
          deadline: clock.now() + totalTimeoutMs,
        },
        previous?.requestId,
      );
      const instance = instanceOf(plan);
      const wanted = toAssociate(steps);
      // A rollback never fails on a missing number (see resume); a forward change fails here, early.
      if (instance && wanted.length > 0 && scope.kind !== 'undo') {
        const { flows } = connectCalls();
        const ids = await flows.findIds(instance.instanceArn, wanted, {
          attempts: listAttempts,
          sleep: clock.sleep,
        });
        const missing = wanted.filter((n) => !ids.has(n));
        if (missing.length > 0) throw new NumbersNotInInstanceError(missing, instance.instanceArn);
      }
      log(
        JSON.stringify({
          level: 'info',
          message: 'phone number association started',
          requestType: change.requestType,
          scope: scope.kind,
          steps: steps.length,
          ...(previous ? { after: { requestId: previous.requestId, done: previous.done } } : {}),
        }),
      );
    }
    return {
      physicalResourceId: resourceId,
      phoneNumberCount: plan.target?.phoneNumbers.length ?? 0,
    };
  };

  /** Carries the steps out from `record.done`, while `hasTime()`: how far it got. */
  const carryOut = async (
    plan: AssociationPlan,
    record: AssociationProgress,
    steps: readonly AssociationStep[],
    flows: PhoneNumberFlows,
    hasTime: () => boolean,
  ): Promise<{ done: number; attempted: number; skipped: number }> => {
    const instance = instanceOf(plan);
    if (!instance || record.done >= steps.length) {
      return { done: steps.length, attempted: record.attempted, skipped: 0 };
    }
    // Nothing done yet, so nothing to save: the next invocation lists afresh.
    if (!hasTime()) return { done: record.done, attempted: record.attempted, skipped: 0 };
    let ids: Map<string, string>;
    try {
      ids = await flows.listIds(instance.instanceArn);
    } catch (error) {
      // On Delete an instance that is already gone has no associations left to undo.
      if (!plan.target && isMissingResource(error)) {
        return { done: steps.length, attempted: record.attempted, skipped: steps.length };
      }
      throw error;
    }
    let { done, attempted } = record;
    let skipped = 0;
    const save = () =>
      progress.write(plan.physicalResourceId, { ...record, done, attempted }, record.requestId);
    try {
      while (done < steps.length && hasTime()) {
        if (done >= attempted) {
          // Written before the batch: a rollback after a crash in it undoes the whole batch.
          attempted = Math.min(done + checkpointEvery, steps.length);
          await save();
        }
        const step = steps[done] as AssociationStep;
        const phoneNumberId = ids.get(step.phoneNumber);
        if (!phoneNumberId) {
          // A rollback goes on without a number that left the instance meanwhile; a forward
          // change was checked by start, so a number gone since is an error to report.
          if (step.action === 'associate' && record.scope.kind !== 'undo') {
            throw new NumbersNotInInstanceError([step.phoneNumber], instance.instanceArn);
          }
          skipped += 1;
        } else if (step.action === 'disassociate') {
          await flows.disassociate(instance.instanceId, {
            phoneNumber: step.phoneNumber,
            phoneNumberId,
          });
        } else if (plan.target) {
          // Only a request with a target has associate steps (domain: stepsBetween).
          await flows.associate(
            { instanceId: instance.instanceId, contactFlowId: plan.target.contactFlowId },
            { phoneNumber: step.phoneNumber, phoneNumberId },
          );
        }
        done += 1;
      }
    } catch (error) {
      if (!(error instanceof StillThrottledError)) throw error;
      // Throttled past every retry: keep what is done and let the next invocation go on.
      log(JSON.stringify({ level: 'warn', message: error.message, done }));
    }
    if (done < steps.length) await save();
    return { done, attempted, skipped };
  };

  const resume = async ({
    change,
    requestId,
    remainingTimeMs = () => Number.POSITIVE_INFINITY,
  }: AssociationRequest): Promise<boolean> => {
    const plan = planAssociation(change);
    const resourceId = plan.physicalResourceId;
    const record = await progress.read(resourceId);
    // Removed on completion: this is the framework asking again after its answer was lost.
    if (!record) return true;
    if (record.requestId !== requestId) {
      throw new ProgressOfAnotherRequestError(resourceId, requestId, record.requestId);
    }
    const steps = planSteps(plan, record.scope);
    // Checked before any work, so the request fails with its own message, not CloudFormation's.
    if (clock.now() >= record.deadline) {
      throw new AssociationDeadlineError(resourceId, requestId, record.done, steps.length);
    }
    const budgetEnd = clock.now() + workBudgetMs;
    // Within this invocation's budget, the request's deadline and the Lambda's own timeout.
    const hasTime = () =>
      clock.now() < Math.min(budgetEnd, record.deadline) && remainingTimeMs() >= safetyMarginMs;
    const { flows, stats } = connectCalls();
    const { done, skipped } = await carryOut(plan, record, steps, flows, hasTime);
    const complete = done >= steps.length;
    if (complete) await progress.remove(resourceId, requestId);
    log(
      JSON.stringify({
        level: 'info',
        message: complete ? 'phone numbers associated' : 'phone number association under way',
        requestType: change.requestType,
        instanceArn: instanceOf(plan)?.instanceArn ?? 'none',
        contactFlowId: plan.target?.contactFlowId ?? 'none',
        scope: record.scope.kind,
        steps: steps.length,
        done,
        skipped,
        requests: stats.requests,
        throttled: stats.throttled,
      }),
    );
    return complete;
  };

  return { start, resume };
};
