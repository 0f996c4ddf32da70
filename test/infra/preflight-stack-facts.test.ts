import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectNamePrefix, createdConnectNames } from '../../lambdas/contracts/connect-names.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { STACK_RESERVED_CONCURRENCY } from '../../ops/preflight/stack-facts.js';
import { synthApp, TEST_ENV } from '../support/synth.js';

/**
 * What `npm run preflight` assumes of the stacks, against what they synthesize: the names it looks
 * for in the instance, and the concurrency their functions reserve. A change in lib/ that
 * preflight does not follow fails here.
 */

const INSTANCE_ARN = `arn:aws:connect:${TEST_ENV.region}:${TEST_ENV.account}:instance/5e1f7a00-64b3-4c2d-8e9f-00000000c0de`;

let templates: Template[];

beforeAll(() => {
  const { app } = synthApp({ existingInstanceArn: INSTANCE_ARN, stackPrefix: 'staging' });
  templates = app.node
    .findAll()
    .filter(Stack.isStack)
    .map((stack) => Template.fromStack(stack));
});

const propertiesOf = (type: string): Record<string, any>[] =>
  templates.flatMap((template) =>
    Object.values(template.findResources(type)).map((resource) => resource.Properties ?? {}),
  );

/** Stands in for the part of a name resolved at deploy: the stack id's first group. */
const DEPLOY_TIME = '<deploy-time>';

/** A synthesized name, `Fn::Join` parts that only a deploy resolves shown as DEPLOY_TIME. */
const nameOf = (name: unknown): unknown => {
  const join = (name as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) return name;
  return join[1].map((part) => (typeof part === 'string' ? part : DEPLOY_TIME)).join(join[0]);
};

const namesOf = (type: string) => propertiesOf(type).map((p) => nameOf(p.Name));

describe('the stack facts preflight uses', () => {
  it('names the flow, queues, hours and routing profiles as createdConnectNames says, with the stack id in each', () => {
    const expected = createdConnectNames(
      loadPortfolio('config/portfolio.yaml'),
      connectNamePrefix('staging', DEPLOY_TIME),
    );

    expect(namesOf('AWS::Connect::ContactFlow')).toEqual(expected.contactFlows);
    expect(namesOf('AWS::Connect::Queue')).toEqual(expected.queues);
    expect(namesOf('AWS::Connect::HoursOfOperation')).toEqual(expected.hoursOfOperation);
    expect(namesOf('AWS::Connect::RoutingProfile')).toEqual(expected.routingProfiles);
    expect(expected.contactFlows).toEqual([
      `staging-${DEPLOY_TIME}-customer-queue`,
      `staging-${DEPLOY_TIME}-agent-whisper`,
      `staging-${DEPLOY_TIME}-inbound`,
    ]);
  });

  it('reserves the concurrency STACK_RESERVED_CONCURRENCY says', () => {
    const reserved = propertiesOf('AWS::Lambda::Function').reduce(
      (sum, p) => sum + Number(p.ReservedConcurrentExecutions ?? 0),
      0,
    );

    expect(propertiesOf('AWS::Lambda::Function').length).toBeGreaterThan(0);
    expect(reserved).toBe(STACK_RESERVED_CONCURRENCY);
  });
});
