/**
 * The quotas a first deploy can run into, as Service Quotas names them (service code and quota
 * code), with the default a new account starts from (Amazon Connect administrator guide, "service
 * quotas"; Lambda developer guide). The README's quota table lists the same ones.
 */

export interface ServiceQuota {
  readonly serviceCode: 'connect' | 'lambda';
  readonly quotaCode: string;
  /** As the Service Quotas console shows it. */
  readonly name: string;
  /** Assumed when the applied value cannot be read. */
  readonly defaultValue: number;
  /** Per instance (resource-level: read with the instance ARN as context) or per account and region. */
  readonly scope: 'instance' | 'account';
}

export const QUOTAS = {
  phoneNumbersPerInstance: {
    serviceCode: 'connect',
    quotaCode: 'L-8F812903',
    name: 'Phone numbers per instance',
    defaultValue: 5,
    scope: 'instance',
  },
  instancesPerAccount: {
    serviceCode: 'connect',
    quotaCode: 'L-AA17A6B9',
    name: 'Amazon Connect instance count',
    defaultValue: 2,
    scope: 'account',
  },
  contactFlowsPerInstance: {
    serviceCode: 'connect',
    quotaCode: 'L-22922690',
    name: 'Contact flows per instance',
    defaultValue: 100,
    scope: 'instance',
  },
  queuesPerInstance: {
    serviceCode: 'connect',
    quotaCode: 'L-19A87C94',
    name: 'Queues per instance',
    defaultValue: 50,
    scope: 'instance',
  },
  hoursOfOperationPerInstance: {
    serviceCode: 'connect',
    quotaCode: 'L-20CD02F7',
    name: 'Hours of operation per instance',
    defaultValue: 100,
    scope: 'instance',
  },
  routingProfilesPerInstance: {
    serviceCode: 'connect',
    quotaCode: 'L-D3E7BE26',
    name: 'Routing profiles per instance',
    defaultValue: 500,
    scope: 'instance',
  },
  associatePhoneNumberContactFlowRate: {
    serviceCode: 'connect',
    quotaCode: 'L-D2ECB451',
    name: 'Rate of AssociatePhoneNumberContactFlow API requests',
    defaultValue: 2,
    scope: 'account',
  },
  lambdaConcurrentExecutions: {
    serviceCode: 'lambda',
    quotaCode: 'L-B99A9384',
    name: 'Concurrent executions',
    defaultValue: 1000,
    scope: 'account',
  },
} as const satisfies Record<string, ServiceQuota>;

export type QuotaKey = keyof typeof QUOTAS;

/** The Connect quotas preflight reads through Service Quotas (Lambda's comes from Lambda itself). */
export const CONNECT_QUOTA_KEYS = [
  'phoneNumbersPerInstance',
  'instancesPerAccount',
  'contactFlowsPerInstance',
  'queuesPerInstance',
  'hoursOfOperationPerInstance',
  'routingProfilesPerInstance',
  'associatePhoneNumberContactFlowRate',
] as const satisfies readonly QuotaKey[];

export type ConnectQuotaKey = (typeof CONNECT_QUOTA_KEYS)[number];

/**
 * Claiming plus releasing numbers is capped at twice the phone-number quota per rolling 180 days
 * (API reference, ClaimPhoneNumber). It has no Service Quotas code: AWS asks for a Support case.
 */
export const CLAIM_RELEASE_ALLOWANCE = {
  name: 'Phone number claim/release allowance (200% of phone numbers per instance, 180 days)',
  timesPhoneNumberQuota: 2,
  request:
    'open an AWS Support case (Service limit increase, Amazon Connect) asking for a claim/release exception',
} as const;

/** Lambda refuses reservations that leave fewer unreserved concurrent executions than this. */
export const MINIMUM_UNRESERVED_CONCURRENCY = 100;

/** How a quota is raised: the command a platform team runs (or the console page it opens). */
export const quotaRequestCommand = (quota: ServiceQuota, needed: number): string =>
  `aws service-quotas request-service-quota-increase --service-code ${quota.serviceCode} --quota-code ${quota.quotaCode} --desired-value ${needed}${quota.scope === 'instance' ? ' --context-id <instance ARN>' : ''}`;
