import type { ConnectQuotaKey } from './quotas.js';

/**
 * What preflight read from the account: plain data, so the checks (checks.ts) are pure and the
 * reads (read-account.ts) are the only code that talks to AWS. A read that failed says why
 * instead of holding a value.
 */

/** Why a read failed, in the terms the messages need. */
export interface ReadFailure {
  readonly kind: 'missing' | 'denied' | 'throttled' | 'failed';
  /** The IAM action that was called, e.g. `connect:DescribeInstance`. */
  readonly action: string;
  /** The service's own words (error name and message). */
  readonly detail: string;
}

export type Reading<T> = { readonly value: T } | { readonly failure: ReadFailure };

export interface InstanceDescription {
  readonly status: string;
  readonly alias: string | undefined;
  readonly inboundCallsEnabled: boolean;
  readonly outboundCallsEnabled: boolean;
}

export interface NamedResource {
  readonly name: string;
  readonly arn: string;
}

/** The existing instance the stack would deploy to; nothing else is read when it cannot be described. */
export interface InstanceFacts {
  readonly arn: string;
  readonly description: Reading<InstanceDescription>;
  readonly contactFlows?: Reading<readonly NamedResource[]>;
  readonly queues?: Reading<readonly NamedResource[]>;
  readonly hoursOfOperation?: Reading<readonly NamedResource[]>;
  readonly routingProfiles?: Reading<readonly NamedResource[]>;
  /** The E.164 numbers claimed to the instance. */
  readonly phoneNumbers?: Reading<readonly string[]>;
}

export interface LambdaConcurrency {
  /** The account's quota in the region. */
  readonly concurrentExecutions: number;
  /** What no function has reserved. */
  readonly unreservedConcurrentExecutions: number;
}

export interface AccountFacts {
  readonly region: string;
  /** When an instance ARN was given. */
  readonly instance?: InstanceFacts;
  /** The account's instances in the region, when the stack would create one. */
  readonly instances?: Reading<readonly { readonly alias: string | undefined }[]>;
  readonly quotas: Readonly<Partial<Record<ConnectQuotaKey, Reading<number>>>>;
  readonly lambda: Reading<LambdaConcurrency>;
}
