import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { RoutingTableDocument } from '../../lambdas/domain/routing-table-plan.js';
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

/**
 * The routing table's custom resource and the document it names, read from the S3 asset the
 * synth staged into the cloud assembly (placeholders in it, their values in DeployTimeValues).
 */
export const routingDocumentOf = ({ app, telephony }: ReturnType<typeof synthApp>) => {
  const [sync] = Object.values(telephony.findResources('Custom::RoutingTableEntries'));
  if (!sync) throw new Error('the telephony stack has no Custom::RoutingTableEntries');
  const file = join(app.outdir, `asset.${sync.Properties.DocumentKey}`);
  return {
    properties: sync.Properties,
    document: JSON.parse(readFileSync(file, 'utf8')) as RoutingTableDocument,
  };
};
