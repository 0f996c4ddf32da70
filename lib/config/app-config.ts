import { MAX_ROUTE_MAX_STALE_SECONDS } from '../../lambdas/contracts/environment.js';
import { DEFAULT_RETENTION_DAYS } from '../../lambdas/domain/retention.js';
import type { CallTrackingConfig } from '../call-tracking-app.js';
import { alarmEmailProblem } from '../constructs/alarm-topic.js';
import { callbackUrlProblem, domainPrefixProblem } from '../constructs/api-auth.js';
import { corsOriginProblem, DEFAULT_API_THROTTLE } from '../constructs/reporting-api.js';
import { DEFAULT_CONNECT_CONCURRENT_CALLS } from './capacity.js';
import { ContextError } from './context-error.js';
import { loadPortfolio } from './load-portfolio.js';

/**
 * The app's configuration from CDK context (`-c key=value`, or cdk.json) and the environment the
 * CDK CLI sets: every value checked, a refused one a {@link ContextError} (or, for the portfolio
 * file, a PortfolioError) whose message says what is wrong and what to pass instead.
 */

/** A context value as the app reads it: absent or empty is undefined. */
export type ContextReader = (key: string) => string | undefined;

/** The account and region `cdk` resolves from the profile (CDK_DEFAULT_ACCOUNT / _REGION). */
export interface DeployEnvironment {
  readonly CDK_DEFAULT_ACCOUNT?: string | undefined;
  readonly CDK_DEFAULT_REGION?: string | undefined;
}

export { ContextError } from './context-error.js';

/**
 * A whole number from min to max given as `-c <key>`, or undefined when absent; refused with the
 * range and why the key matters.
 */
const boundedWholeNumber = (
  key: string,
  text: string | undefined,
  range: {
    readonly min: number;
    readonly max: number;
    readonly unit: string;
    readonly why: string;
  },
): number | undefined => {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new ContextError(
      `-c ${key}=${text} is not a whole number of ${range.unit} from ${range.min} to ${range.max}: ${range.why}`,
    );
  }
  return value;
};

/** `-c routeMaxStaleHours`: 0 (never serve an expired route) to 168 (a week), whole hours. */
const routeMaxStaleHours = (text: string | undefined): { routeMaxStaleHours?: number } => {
  const hours = boundedWholeNumber('routeMaxStaleHours', text, {
    min: 0,
    max: MAX_ROUTE_MAX_STALE_SECONDS / 3600,
    unit: 'hours',
    why: 'it bounds how old a cached route route-call may serve while DynamoDB fails (0 turns that off)',
  });
  return hours === undefined ? {} : { routeMaxStaleHours: hours };
};

/** `-c connectConcurrentCalls`: the instance's concurrent-call quota, 1 to 10 000. */
const connectConcurrentCalls = (text: string | undefined): number =>
  boundedWholeNumber('connectConcurrentCalls', text, {
    min: 1,
    max: 10_000,
    unit: 'calls',
    why: 'give the instance\'s "Concurrent active calls per instance" quota (Service Quotas, Amazon Connect); route-call and recording-control reserve that much Lambda concurrency',
  }) ?? DEFAULT_CONNECT_CONCURRENT_CALLS;

export const readAppConfig = (
  context: ContextReader,
  env: DeployEnvironment,
): CallTrackingConfig => {
  const positiveInteger = (key: string, fallback: number, unit = 'days'): number => {
    const text = context(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) {
      throw new ContextError(`-c ${key}=${text} is not a positive whole number of ${unit}`);
    }
    return value;
  };

  const positiveNumber = (key: string, fallback: number, unit: string): number => {
    const text = context(key);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) {
      throw new ContextError(`-c ${key}=${text} is not a positive number of ${unit}`);
    }
    return value;
  };

  /** A comma-separated list (a JSON array in cdk.json works too), each entry checked. */
  const checkedList = <K extends string>(
    key: string,
    field: K,
    problemOf: (entry: string) => string | undefined,
  ): Partial<Record<K, string[]>> => {
    const text = context(key);
    if (text === undefined) return {};
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    const problems = entries.flatMap((entry) => problemOf(entry) ?? []);
    if (problems.length > 0) throw new ContextError(problems.join('\n'));
    return { [field]: entries } as Partial<Record<K, string[]>>;
  };

  /** The Cognito domain prefix; without one, the default (`<stackPrefix>-<account>`) is checked. */
  const authDomainPrefix = (
    key: string,
    stackPrefix: string,
  ): Partial<Record<'authDomainPrefix', string>> => {
    const prefix = context(key);
    const problem = domainPrefixProblem(prefix ?? stackPrefix.toLowerCase());
    if (problem && prefix === undefined) {
      throw new ContextError(
        `the Cognito domain prefix defaults to the stack prefix and the account, and ${problem}: choose one with -c ${key}=<prefix>`,
      );
    }
    if (problem) {
      throw new ContextError(
        `-c ${key}=${prefix}: ${problem}; the prefix names the token endpoint https://<prefix>.auth.<region>.amazoncognito.com and must be unique in the region`,
      );
    }
    return prefix === undefined ? {} : { authDomainPrefix: prefix };
  };

  /** A true/false context flag as an optional config field; anything else is refused. */
  const optionalBoolean = <K extends string>(
    key: string,
    field: K,
  ): Partial<Record<K, boolean>> => {
    const text = context(key);
    if (text === undefined) return {};
    if (text !== 'true' && text !== 'false') {
      throw new ContextError(`-c ${key}=${text} must be true or false`);
    }
    return { [field]: text === 'true' } as Partial<Record<K, boolean>>;
  };

  const portfolioFile = context('portfolio') ?? 'config/portfolio.yaml';
  const portfolio = loadPortfolio(portfolioFile);
  const account = env.CDK_DEFAULT_ACCOUNT;
  const region = env.CDK_DEFAULT_REGION;
  const stackPrefix = context('stackPrefix') ?? 'call-tracking';
  const recordingRetentionDays = positiveInteger('recordingRetentionDays', DEFAULT_RETENTION_DAYS);
  return {
    portfolio,
    portfolioFile,
    ...(account || region
      ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } }
      : {}),
    stackPrefix,
    ...(context('connectInstanceArn')
      ? { existingInstanceArn: context('connectInstanceArn') as string }
      : {}),
    ...(context('instanceAlias') ? { instanceAlias: context('instanceAlias') as string } : {}),
    ...optionalBoolean('recordingStorage', 'configureRecordingStorage'),
    ...optionalBoolean('contactRecordStorage', 'configureContactRecordStorage'),
    ...(context('voicemailFromEmail')
      ? { voicemailFromEmail: context('voicemailFromEmail') as string }
      : {}),
    ...(context('dashboardUrl') ? { dashboardUrl: context('dashboardUrl') as string } : {}),
    recordingRetentionDays,
    // Callers' data in the call log lives as long as their recordings unless told otherwise.
    callDataRetentionDays: positiveInteger('callDataRetentionDays', recordingRetentionDays),
    ...(context('contactRecordArchiveDays') === undefined
      ? {}
      : { contactRecordArchiveDays: positiveInteger('contactRecordArchiveDays', Number.NaN) }),
    ...checkedList('apiCorsOrigins', 'apiCorsOrigins', corsOriginProblem),
    apiThrottle: {
      rateLimit: positiveNumber(
        'apiThrottleRate',
        DEFAULT_API_THROTTLE.rateLimit,
        'requests per second',
      ),
      burstLimit: positiveInteger('apiThrottleBurst', DEFAULT_API_THROTTLE.burstLimit, 'requests'),
    },
    ...authDomainPrefix('authDomainPrefix', stackPrefix),
    ...checkedList('apiCallbackUrls', 'apiCallbackUrls', callbackUrlProblem),
    ...(context('associationRateLimit') === undefined
      ? {}
      : {
          associationRateLimit: positiveNumber(
            'associationRateLimit',
            Number.NaN,
            'AssociatePhoneNumberContactFlow requests per second (the raised quota)',
          ),
        }),
    ...routeMaxStaleHours(context('routeMaxStaleHours')),
    ...checkedList('alarmEmails', 'alarmEmails', alarmEmailProblem),
    connectConcurrentCalls: connectConcurrentCalls(context('connectConcurrentCalls')),
  };
};
