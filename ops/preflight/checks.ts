import {
  associationSeconds,
  associationTimeProblem,
} from '../../lambdas/contracts/association-time.js';
import {
  connectNamePrefix,
  createdConnectNames,
  STACK_ID_GROUP_PATTERN,
} from '../../lambdas/contracts/connect-names.js';
import { CONNECT_QUEUE_ARN_PATTERN, instanceIdOf } from '../../lambdas/domain/connect-arn.js';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import { portfolioProblems } from '../../lib/config/deploy-target.js';
import type {
  AccountFacts,
  InstanceDescription,
  InstanceFacts,
  NamedResource,
  ReadFailure,
  Reading,
} from './facts.js';
import {
  CLAIM_RELEASE_ALLOWANCE,
  type ConnectQuotaKey,
  MINIMUM_UNRESERVED_CONCURRENCY,
  QUOTAS,
  quotaRequestCommand,
  type ServiceQuota,
} from './quotas.js';

/**
 * What would fail at the first deploy, decided from what was read (facts.ts): no I/O here, so
 * every verdict is tested without AWS. A failure is something the deploy (or the first call) would
 * certainly run into; a warning is a risk or a check that could not be made.
 */

export interface PreflightInput {
  readonly portfolio: Portfolio;
  /** `-c stackPrefix`: in the names of the flow, queues and hours the stack creates. */
  readonly stackPrefix: string;
  /** `-c connectInstanceArn`; without it the stack creates an instance. */
  readonly instanceArn?: string;
  /** `-c instanceAlias` of a new instance. @default - `<stackPrefix>-<account id>` */
  readonly instanceAlias?: string;
  /** Concurrent executions the stacks reserve for their functions. */
  readonly stackReservedConcurrency: number;
}

export interface Finding {
  /** Which check: `instance`, `names`, `numbers`, `phone-number-quota`, ... */
  readonly check: string;
  readonly message: string;
}

export interface QuotaIncrease {
  readonly serviceCode: string;
  readonly quotaCode: string;
  readonly quotaName: string;
  /** The value in force (or the default, when it could not be read). */
  readonly current: number;
  readonly needed: number;
  /** The command that requests it. */
  readonly request: string;
}

export interface PreflightReport {
  /** Nothing would fail. */
  readonly ok: boolean;
  readonly failures: readonly Finding[];
  readonly warnings: readonly Finding[];
  readonly quotaIncreases: readonly QuotaIncrease[];
  /** What was checked and found fine. */
  readonly passed: readonly Finding[];
}

/** Past this, the first deploy spends long enough associating numbers to be worth a faster rate. */
const SLOW_ASSOCIATION_SECONDS = 20 * 60;

const RETRY_HINT = 'run preflight again in a minute';

/** A failed read in words: what could not be read, why, and what to do. */
export const describeReadFailure = (what: string, failure: ReadFailure): string => {
  const said = `(${failure.detail})`;
  switch (failure.kind) {
    case 'missing':
      return `${what}: not found ${said}`;
    case 'denied':
      return `${what}: ${failure.action} is denied to these credentials ${said}; run preflight with the credentials you deploy with (--profile), or allow ${failure.action}`;
    case 'throttled':
      return `${what}: ${failure.action} was still throttled after retries ${said}; other tools are calling the API in this account: ${RETRY_HINT}`;
    case 'failed':
      return `${what}: ${failure.action} failed ${said}; ${RETRY_HINT}`;
  }
};

const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** The numbers an instance holds before the stack claims any, and those it should but does not. */
interface HeldNumbers {
  readonly inInstance: number;
  readonly toBringIn: number;
}

/** The tracking numbers the portfolio gives as `number:`: they must be in the instance already. */
const givenNumbersOf = (portfolio: Portfolio) =>
  portfolio.trackingNumbers.filter((t) => t.number !== undefined);

type Report = (check: string, message: string) => void;

/** The verdicts being collected, and the helpers every check uses to reach one. */
class Verdicts {
  readonly failures: Finding[] = [];
  readonly warnings: Finding[] = [];
  readonly passed: Finding[] = [];
  readonly quotaIncreases: QuotaIncrease[] = [];

  constructor(private readonly facts: AccountFacts) {}

  readonly fail: Report = (check, message) => {
    this.failures.push({ check, message });
  };
  readonly warn: Report = (check, message) => {
    this.warnings.push({ check, message });
  };
  readonly pass: Report = (check, message) => {
    this.passed.push({ check, message });
  };

  /** A reading's value, or undefined after reporting (with `report`) why it could not be read. */
  valueOf<T>(
    reading: Reading<T> | undefined,
    check: string,
    what: string,
    report: Report,
  ): T | undefined {
    if (reading === undefined) return undefined;
    if ('value' in reading) return reading.value;
    report(check, describeReadFailure(what, reading.failure));
    return undefined;
  }

  /** A quota's value; its documented default, with a warning, when it could not be read. */
  quotaOf(key: ConnectQuotaKey): number {
    const quota: ServiceQuota = QUOTAS[key];
    const reading = this.facts.quotas[key];
    if (reading && 'value' in reading) return reading.value;
    if (reading) {
      this.warn(
        'quotas',
        `${describeReadFailure(`quota "${quota.name}" (${quota.quotaCode})`, reading.failure)}; assuming the default of ${quota.defaultValue}`,
      );
    }
    return quota.defaultValue;
  }

  /** False, with the increase to request listed, when `needed` exceeds the quota's `current`. */
  withinQuota(quota: ServiceQuota, current: number, needed: number): boolean {
    if (needed <= current) return true;
    this.quotaIncreases.push({
      serviceCode: quota.serviceCode,
      quotaCode: quota.quotaCode,
      quotaName: quota.name,
      current,
      needed,
      request: quotaRequestCommand(quota, needed),
    });
    return false;
  }
}

export const planPreflight = (input: PreflightInput, facts: AccountFacts): PreflightReport => {
  const v = new Verdicts(facts);
  const held = facts.instance
    ? checkInstance(input, facts, facts.instance, v)
    : checkNewInstance(input, facts, v);
  // Unknown when the instance could not be read: its own failure says so.
  if (held) checkPhoneNumberQuota(input, held, facts.instance === undefined, v);
  checkAssociationRate(input, v);
  checkLambdaConcurrency(input, facts, v);
  checkDeployTarget(input, facts, v);
  return {
    ok: v.failures.length === 0,
    failures: v.failures,
    warnings: v.warnings,
    quotaIncreases: v.quotaIncreases,
    passed: v.passed,
  };
};

/**
 * The existing instance: in the region, active, taking and placing calls, none of the stack's
 * names taken, room for what it adds, the queues given by ARN and the `number:` entries in it.
 * Returns the numbers it holds, or undefined when they could not be read.
 */
const checkInstance = (
  input: PreflightInput,
  facts: AccountFacts,
  instance: InstanceFacts,
  v: Verdicts,
): HeldNumbers | undefined => {
  const region = instance.arn.split(':')[3];
  if (region !== facts.region) {
    v.fail(
      'instance',
      `the instance is in ${region} but preflight read ${facts.region}: Connect invokes functions in its own region only, so deploy (and run preflight) with --region ${region}`,
    );
    return undefined;
  }
  if (!('value' in instance.description)) {
    const { failure } = instance.description;
    v.fail(
      'instance',
      failure.kind === 'missing'
        ? `instance ${instance.arn} does not exist in ${facts.region} (${failure.detail}): check the ARN (Connect console > the instance > Account overview) and that it belongs to the account you deploy to; nothing else of the instance was checked`
        : `${describeReadFailure(`instance ${instance.arn}`, failure)}; nothing else of the instance was checked`,
    );
    return undefined;
  }
  checkInstanceUsable(instance.arn, instance.description.value, v);

  // The new stack's id is unknown until CloudFormation creates it: every name carries it.
  const created = createdConnectNames(
    input.portfolio,
    connectNamePrefix(input.stackPrefix, STACK_ID_GROUP),
  );
  checkNames(
    instance.contactFlows,
    'contact flow',
    created.contactFlows,
    'contactFlowsPerInstance',
    v,
  );
  const queues = checkNames(instance.queues, 'queue', created.queues, 'queuesPerInstance', v);
  checkNames(
    instance.hoursOfOperation,
    'hours of operation',
    created.hoursOfOperation,
    'hoursOfOperationPerInstance',
    v,
  );
  checkNames(
    instance.routingProfiles,
    'routing profile',
    created.routingProfiles,
    'routingProfilesPerInstance',
    v,
  );
  checkQueueArns(input, instance.arn, queues, v);

  const numbers = v.valueOf(
    instance.phoneNumbers,
    'numbers',
    "the instance's phone numbers",
    v.fail,
  );
  if (numbers === undefined) return undefined;
  const claimed = new Set(numbers);
  const given = givenNumbersOf(input.portfolio);
  const absent = given.filter((t) => !claimed.has(t.number as string));
  if (absent.length > 0) {
    v.fail(
      'numbers',
      `${plural(absent.length, 'tracking number is', 'tracking numbers are')} given as "number:" but not claimed in the instance: ${absent.map((t) => `${t.id} (${t.number})`).join(', ')}; claim or port them into this instance (Connect console > Channels > Phone numbers), or declare them with "claim:" so the stack claims new ones`,
    );
  } else if (given.length > 0) {
    v.pass(
      'numbers',
      `all ${plural(given.length, '"number:" entry', '"number:" entries')} claimed in the instance`,
    );
  }
  return { inInstance: numbers.length, toBringIn: absent.length };
};

const checkInstanceUsable = (arn: string, described: InstanceDescription, v: Verdicts) => {
  const failuresBefore = v.failures.length;
  if (described.status !== 'ACTIVE') {
    v.fail(
      'instance',
      `the instance is ${described.status}, not ACTIVE: wait until it is active (a CREATION_FAILED instance never will: create another)`,
    );
  }
  if (!described.inboundCallsEnabled) {
    v.fail(
      'instance',
      'the instance does not take inbound calls, so no tracking number would ring: turn on "Receive inbound calls" (Connect console > the instance > Telephony), or aws connect update-instance-attribute --attribute-type INBOUND_CALLS --value true',
    );
  }
  if (!described.outboundCallsEnabled) {
    v.fail(
      'instance',
      'the instance does not place outbound calls, and the transfer to each location\'s ring-to number is one: turn on "Make outbound calls" (Connect console > the instance > Telephony), or aws connect update-instance-attribute --attribute-type OUTBOUND_CALLS --value true',
    );
  }
  if (v.failures.length === failuresBefore) {
    v.pass(
      'instance',
      `instance ${described.alias ?? arn}: active, takes inbound calls, places outbound calls`,
    );
  }
};

/** Stands in for the new stack's id group in the names it will give (lambdas/contracts/connect-names.ts). */
const STACK_ID_GROUP = '<stack-id>';

/** Matches the names an earlier stack of the same prefix gave, whatever its stack id. */
const earlierStackName = (name: string): RegExp => {
  const [before, after] = name
    .split(STACK_ID_GROUP)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${before}${STACK_ID_GROUP_PATTERN}${after ?? ''}$`);
};

/**
 * The names the stack gives its resources of one kind, against the instance's. They carry the new
 * stack's id, so none can be taken; what an earlier stack of the same prefix left (its queues and
 * hours are kept on delete) is said, since it counts against the instance's quota and a kept queue
 * can be adopted with `arn:`. Returns the instance's resources.
 */
const checkNames = (
  reading: Reading<readonly NamedResource[]> | undefined,
  kind: string,
  wanted: readonly string[],
  quotaKey: ConnectQuotaKey,
  v: Verdicts,
): readonly NamedResource[] | undefined => {
  const existing = v.valueOf(reading, 'names', `the instance's ${kind} list`, v.fail);
  if (existing === undefined) return undefined;
  const patterns = wanted.map(earlierStackName);
  const left = existing.filter((resource) => patterns.some((p) => p.test(resource.name)));
  if (left.length > 0) {
    v.warn(
      'names',
      `${kind} left by an earlier deploy of this stack prefix: ${left.map((r) => `"${r.name}"`).join(', ')}; the new stack's names carry its own id and do not collide, but these count against the instance's quota: adopt a kept queue with "arn:" in the portfolio, or delete what nothing uses in the Connect console`,
    );
  }
  if (wanted.length > 0) {
    v.pass(
      'names',
      `the stack's ${kind} names carry its new stack id (${wanted.map((n) => `"${n}"`).join(', ')}): none can be taken`,
    );
  }
  const quota = QUOTAS[quotaKey];
  const current = v.quotaOf(quotaKey);
  const needed = existing.length + wanted.length;
  if (!v.withinQuota(quota, current, needed)) {
    v.fail(
      'instance-quotas',
      `the instance has ${existing.length} and the stack adds ${wanted.length} (${kind}), past its quota "${quota.name}" (${quota.quotaCode}) of ${current}: request ${needed}`,
    );
  }
  return existing;
};

/** Queues the portfolio gives by ARN: a fallback to a queue of another instance never answers. */
const checkQueueArns = (
  input: PreflightInput,
  instanceArn: string,
  queues: readonly NamedResource[] | undefined,
  v: Verdicts,
) => {
  const instanceId = instanceIdOf(instanceArn);
  const queueArns = new Set(queues?.map((queue) => queue.arn));
  for (const queue of input.portfolio.queues) {
    if (queue.arn === undefined) continue;
    const ofThisInstance = CONNECT_QUEUE_ARN_PATTERN.exec(queue.arn)?.[1] === instanceId;
    if (ofThisInstance && (queues === undefined || queueArns.has(queue.arn))) continue;
    v.fail(
      'queues',
      `queue ${queue.id} is given as arn: ${queue.arn}, which is not a queue of the instance: copy the ARN of one of its queues (Connect console > Routing > Queues > the queue > Show additional queue information), or leave the arn out so the stack creates the queue`,
    );
  }
};

/**
 * A new instance: no `number:` entries (it holds no numbers), room for one more instance in the
 * account, and no leftover with the stack's alias. A new instance holds no numbers: the `number:`
 * entries are numbers still to bring into it.
 */
const checkNewInstance = (input: PreflightInput, facts: AccountFacts, v: Verdicts): HeldNumbers => {
  const given = givenNumbersOf(input.portfolio);
  const held: HeldNumbers = { inInstance: 0, toBringIn: given.length };
  if (given.length > 0) {
    v.fail(
      'numbers',
      `${plural(given.length, 'tracking number is', 'tracking numbers are')} given as "number:" (${given.map((t) => t.id).join(', ')}), but without an instance ARN the stack creates a new Connect instance, which holds no numbers: deploy to the instance that has them (--instance-arn here, -c connectInstanceArn=<its ARN> for cdk deploy), or declare them with "claim:"`,
    );
  }
  const instances = v.valueOf(
    facts.instances,
    'instances',
    "the account's Connect instances",
    v.warn,
  );
  if (instances === undefined) return held;
  const quota = QUOTAS.instancesPerAccount;
  const current = v.quotaOf('instancesPerAccount');
  if (v.withinQuota(quota, current, instances.length + 1)) {
    v.pass(
      'instance-quota',
      `${instances.length} of ${current} Connect instances in ${facts.region}: room for the new one`,
    );
  } else {
    v.fail(
      'instance-quota',
      `the account has ${plural(instances.length, 'Connect instance')} in ${facts.region} and its quota "${quota.name}" (${quota.quotaCode}) is ${current}: creating one more fails; request ${instances.length + 1}, or deploy to an existing instance with -c connectInstanceArn=<its ARN>`,
    );
  }
  // Without an alias the stack uses <prefix>-<account id>: any such alias is this stack's own.
  const defaultAlias = new RegExp(`^${input.stackPrefix.replace(/[^\w]/g, '\\$&')}-\\d{12}$`);
  const isOwn = (alias: string) =>
    input.instanceAlias !== undefined ? alias === input.instanceAlias : defaultAlias.test(alias);
  const leftover = instances.find(
    (instance) => instance.alias !== undefined && isOwn(instance.alias),
  );
  if (leftover) {
    v.fail(
      'instance-alias',
      `an instance with the alias "${leftover.alias}" exists in the account already (left by an earlier deploy?): creating the stack's instance fails with "Instance alias is already used"; deploy into it with -c connectInstanceArn=<its ARN>, delete it, or choose another -c instanceAlias=<alias>`,
    );
  }
  return held;
};

/** What the instance holds plus what the stack claims, under the quota; churn if it fails. */
const checkPhoneNumberQuota = (
  input: PreflightInput,
  held: HeldNumbers,
  newInstance: boolean,
  v: Verdicts,
) => {
  const claims = input.portfolio.trackingNumbers.filter((t) => t.claim !== undefined).length;
  const quota = QUOTAS.phoneNumbersPerInstance;
  const current = v.quotaOf('phoneNumbersPerInstance');
  // The "number:" entries missing from the instance count too: the fix is to bring them in.
  const needed = held.inInstance + held.toBringIn + claims;
  const counted = `${held.inInstance} in the instance${held.toBringIn > 0 ? `, ${held.toBringIn} "number:" ${held.toBringIn === 1 ? 'entry' : 'entries'} to bring into it` : ''}, ${claims} to claim`;
  if (v.withinQuota(quota, current, needed)) {
    v.pass(
      'phone-number-quota',
      `${needed} phone numbers (${counted}) within the quota of ${current} per instance`,
    );
  } else {
    v.fail(
      'phone-number-quota',
      `the instance would hold ${needed} phone numbers (${counted}) but its quota "${quota.name}" (${quota.quotaCode}) is ${current}: the claims past it fail the deploy; request ${needed}${newInstance ? ` (an instance's quota can be raised only once it exists: deploy first with at most ${current} claims, request the increase for the new instance, then add the rest)` : ''}`,
    );
  }
  if (claims === 0) return;
  // A failed first deploy releases what it claimed (RetainExceptOnCreate), and a retry claims
  // again: one failed attempt and its retry count three times the claims against the allowance.
  const allowance = CLAIM_RELEASE_ALLOWANCE.timesPhoneNumberQuota * Math.max(current, needed);
  const afterOneRetry = 3 * claims;
  if (afterOneRetry > allowance) {
    v.warn(
      'claim-release',
      `the deploy claims ${claims} numbers; if it fails they are released, and a retry claims them again: ${afterOneRetry} claims and releases of the ${CLAIM_RELEASE_ALLOWANCE.name} of ${allowance}. Past it, claims are refused for up to 180 days: before the first deploy, ${CLAIM_RELEASE_ALLOWANCE.request}`,
    );
  } else {
    v.pass(
      'claim-release',
      `${plural(claims, 'claim')}: a failed first deploy and its retry use ${afterOneRetry} of the claim/release allowance of ${allowance}`,
    );
  }
};

/**
 * The association at the account's rate, as synth checks it (lambdas/contracts/association-time.ts):
 * past what a deploy may wait, synth refuses the portfolio, so it fails here too.
 */
const checkAssociationRate = (input: PreflightInput, v: Verdicts) => {
  const count = input.portfolio.trackingNumbers.length;
  const rate = v.quotaOf('associatePhoneNumberContactFlowRate');
  const quota = QUOTAS.associatePhoneNumberContactFlowRate;
  const problem = associationTimeProblem(count, rate);
  if (problem) {
    v.fail(
      'association-rate',
      `${problem}, and synth refuses it: request a higher "${quota.name}" (${quota.quotaCode}) and deploy with -c associationRateLimit=<the new rate>, or split the numbers across instances`,
    );
    return;
  }
  const minutes = Math.ceil(associationSeconds(count, rate) / 60);
  const time = `associating ${plural(count, 'tracking number')} with the flow takes about ${minutes} min at ${rate} requests/s`;
  if (minutes * 60 <= SLOW_ASSOCIATION_SECONDS) {
    v.pass('association-rate', time);
    return;
  }
  v.warn(
    'association-rate',
    `${time}, a rate shared by every caller of the API in the account: request a higher "${quota.name}" (${quota.quotaCode})`,
  );
};

/**
 * What `cdk synth` refuses of the portfolio itself (lib/config/deploy-target.ts: names Connect
 * would refuse, claims that can find no number), so that preflight never says all clear to a
 * portfolio synth would stop; what synth refuses of the instance is checked above, with its facts.
 */
const checkDeployTarget = (input: PreflightInput, facts: AccountFacts, v: Verdicts) => {
  const problems = portfolioProblems({
    portfolio: input.portfolio,
    stackPrefix: input.stackPrefix,
    env: { region: facts.region },
    recordingRetentionDays: 365,
    ...(input.instanceArn === undefined ? {} : { existingInstanceArn: input.instanceArn }),
    ...(input.instanceAlias === undefined ? {} : { instanceAlias: input.instanceAlias }),
  });
  for (const problem of problems) v.fail('synth', `cdk synth would refuse this: ${problem}`);
  if (problems.length === 0) v.pass('synth', 'nothing in the portfolio that cdk synth refuses');
};

/** Lambda keeps 100 concurrent executions unreserved; route-call runs once for every call. */
const checkLambdaConcurrency = (input: PreflightInput, facts: AccountFacts, v: Verdicts) => {
  const quota = QUOTAS.lambdaConcurrentExecutions;
  const lambda = v.valueOf(
    facts.lambda,
    'lambda-concurrency',
    `Lambda's account settings (check by hand that ${MINIMUM_UNRESERVED_CONCURRENCY} concurrent executions stay unreserved, quota ${quota.quotaCode})`,
    v.warn,
  );
  if (lambda === undefined) return;
  const reserved = input.stackReservedConcurrency;
  const left = lambda.unreservedConcurrentExecutions - reserved;
  const reservedElsewhere = lambda.concurrentExecutions - lambda.unreservedConcurrentExecutions;
  const needed = reservedElsewhere + reserved + MINIMUM_UNRESERVED_CONCURRENCY;
  if (v.withinQuota(quota, lambda.concurrentExecutions, needed)) {
    v.pass(
      'lambda-concurrency',
      `${left} of ${lambda.concurrentExecutions} Lambda concurrent executions stay unreserved after the stack's ${reserved}`,
    );
    return;
  }
  v.fail(
    'lambda-concurrency',
    `only ${left} of the account's ${lambda.concurrentExecutions} Lambda concurrent executions would stay unreserved (the stack reserves ${reserved}): Lambda keeps at least ${MINIMUM_UNRESERVED_CONCURRENCY} unreserved, and route-call, which runs for every call, shares them with every other function of the account; request "${quota.name}" (${quota.quotaCode}) of ${needed}`,
  );
};
