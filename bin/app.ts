#!/usr/bin/env node
/**
 * The CDK app: the only place that reads context and environment.
 *
 *   npx cdk deploy --all -c portfolio=config/portfolio.yaml [-c connectInstanceArn=arn:...]
 */
import { App } from 'aws-cdk-lib';
import { PortfolioError } from '../lambdas/domain/portfolio.js';
import { addCallTrackingStacks } from '../lib/call-tracking-app.js';
import { loadPortfolio } from '../lib/load-portfolio.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

const positiveInteger = (key: string, fallback: number): number => {
  const text = context(key);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`-c ${key}=${text} is not a positive whole number of days`);
  }
  return value;
};

/** A true/false context flag as an optional config field; anything else is refused. */
const optionalBoolean = <K extends string>(key: string, field: K): Partial<Record<K, boolean>> => {
  const text = context(key);
  if (text === undefined) return {};
  if (text !== 'true' && text !== 'false') {
    throw new Error(`-c ${key}=${text} must be true or false`);
  }
  return { [field]: text === 'true' } as Partial<Record<K, boolean>>;
};

try {
  const portfolioFile = context('portfolio') ?? 'config/portfolio.yaml';
  const portfolio = loadPortfolio(portfolioFile);
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  addCallTrackingStacks(app, {
    portfolio,
    portfolioFile,
    ...(account || region
      ? { env: { ...(account ? { account } : {}), ...(region ? { region } : {}) } }
      : {}),
    stackPrefix: context('stackPrefix') ?? 'call-tracking',
    ...(context('connectInstanceArn')
      ? { existingInstanceArn: context('connectInstanceArn') as string }
      : {}),
    ...(context('instanceAlias') ? { instanceAlias: context('instanceAlias') as string } : {}),
    ...optionalBoolean('recordingStorage', 'configureRecordingStorage'),
    ...optionalBoolean('contactRecordStorage', 'configureContactRecordStorage'),
    recordingRetentionDays: positiveInteger('recordingRetentionDays', 365),
  });
} catch (error) {
  if (error instanceof PortfolioError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
