import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addCallTrackingStacks, type CallTrackingConfig } from '../../lib/call-tracking-app.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';

/** The context `cdk synth` runs with (feature flags, the validation gate), from cdk.json. */
export const CDK_JSON_CONTEXT = JSON.parse(readFileSync('cdk.json', 'utf8')).context;

export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * Synthesises the app as `cdk synth` does (CloudFormation validation and cdk-nag as failing gates),
 * without bundling the functions, which infra tests do not need.
 */
export const synthApp = (overrides: Partial<CallTrackingConfig> = {}) => {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = addCallTrackingStacks(app, {
    portfolio: loadPortfolio('config/portfolio.yaml'),
    env: TEST_ENV,
    stackPrefix: 'call-tracking',
    recordingRetentionDays: 365,
    ...overrides,
  });
  return {
    app,
    stacks,
    data: Template.fromStack(stacks.data),
    telephony: Template.fromStack(stacks.telephony),
    api: Template.fromStack(stacks.api),
  };
};
