import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Portfolio } from '../../lambdas/domain/portfolio/schema.js';
import type { RoutingTableDocument } from '../../lambdas/domain/routing-table-plan.js';
import { addCallTrackingStacks, type CallTrackingConfig } from '../../lib/call-tracking-app.js';
import { EXAMPLE_INSTANCE_ARN } from '../../lib/config/deploy-target.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';

/** The context `cdk synth` runs with (feature flags, the validation gate), from cdk.json. */
export const CDK_JSON_CONTEXT = JSON.parse(readFileSync('cdk.json', 'utf8')).context;

export const TEST_ENV = { account: '123456789012', region: 'us-east-1' } as const;

/**
 * The existing instance the example portfolio deploys into: its seven `number:` entries are numbers
 * already in an instance, and a new instance holds none (synth refuses that).
 */
export const TEST_INSTANCE_ARN = EXAMPLE_INSTANCE_ARN;

/** The example portfolio with every `number:` entry turned into a claim of a US number. */
export const everyNumberClaimed = (portfolio: Portfolio): Portfolio => ({
  ...portfolio,
  trackingNumbers: portfolio.trackingNumbers.map(({ number, ...entry }) =>
    number === undefined
      ? entry
      : { ...entry, claim: { country: 'US', type: 'DID', prefix: number.slice(0, 5) } },
  ),
});

/**
 * Synthesises the app as `cdk synth` does (CloudFormation validation and cdk-nag as failing gates),
 * into {@link TEST_INSTANCE_ARN} unless told otherwise, without bundling the functions, which infra
 * tests do not need.
 */
export const synthApp = (overrides: Partial<CallTrackingConfig> = {}) => {
  const app = new App({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = addCallTrackingStacks(app, {
    portfolio: loadPortfolio('config/portfolio.yaml'),
    env: TEST_ENV,
    existingInstanceArn: TEST_INSTANCE_ARN,
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
    operations: Template.fromStack(stacks.operations),
  };
};

/** The app with a new Connect instance: the example portfolio with every number claimed. */
export const synthNewInstanceApp = (overrides: Partial<CallTrackingConfig> = {}) =>
  synthApp({
    existingInstanceArn: undefined,
    portfolio: everyNumberClaimed(loadPortfolio('config/portfolio.yaml')),
    ...overrides,
  });

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
