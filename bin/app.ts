#!/usr/bin/env node
/**
 * The CDK app: the only place that reads context and environment (checked by lib/config/app-config.ts).
 *
 *   npx cdk deploy --all -c portfolio=config/portfolio.yaml [-c connectInstanceArn=arn:...]
 */
import { App } from 'aws-cdk-lib';
import { PortfolioError } from '../lambdas/domain/portfolio/parse.js';
import { addCallTrackingStacks } from '../lib/call-tracking-app.js';
import { ContextError, readAppConfig } from '../lib/config/app-config.js';

const app = new App();
const context = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};

try {
  addCallTrackingStacks(app, readAppConfig(context, process.env));
} catch (error) {
  if (error instanceof PortfolioError || error instanceof ContextError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
