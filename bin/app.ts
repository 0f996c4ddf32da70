#!/usr/bin/env node
/**
 * The CDK app: the only place that reads context and environment.
 *
 *   npx cdk deploy --all -c portfolio=config/portfolio.yaml [-c connectInstanceArn=arn:...]
 */
import { App } from 'aws-cdk-lib';
import { PortfolioError } from '../lambdas/domain/portfolio/parse.js';
import { addCallTrackingStacks } from '../lib/call-tracking-app.js';
import { loadPortfolio } from '../lib/config/load-portfolio.js';
import { callbackUrlProblem, domainPrefixProblem } from '../lib/constructs/api-auth.js';
import { corsOriginProblem, DEFAULT_API_THROTTLE } from '../lib/constructs/reporting-api.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

/** A refused context value: reported as a message, not a stack trace. */
class ContextError extends Error {}

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
const optionalBoolean = <K extends string>(key: string, field: K): Partial<Record<K, boolean>> => {
  const text = context(key);
  if (text === undefined) return {};
  if (text !== 'true' && text !== 'false') {
    throw new ContextError(`-c ${key}=${text} must be true or false`);
  }
  return { [field]: text === 'true' } as Partial<Record<K, boolean>>;
};

try {
  const portfolioFile = context('portfolio') ?? 'config/portfolio.yaml';
  const portfolio = loadPortfolio(portfolioFile);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stackPrefix = context('stackPrefix') ?? 'call-tracking';
  addCallTrackingStacks(app, {
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
    recordingRetentionDays: positiveInteger('recordingRetentionDays', 365),
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
  });
} catch (error) {
  if (error instanceof PortfolioError || error instanceof ContextError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
