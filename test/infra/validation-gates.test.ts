import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { addSynthGates } from '../../lib/call-tracking-app.js';
import { CDK_JSON_CONTEXT } from '../support/synth.js';

/** Synthesises one small stack with the app's context (cdk.json) and gates. */
const synthWithGates = (build: (stack: Stack) => void) => {
  const app = new App({ context: CDK_JSON_CONTEXT });
  addSynthGates(app);
  const stack = new Stack(app, 'Gate', { env: { account: '123456789012', region: 'us-east-1' } });
  build(stack);
  return Template.fromStack(stack);
};

const instance = (stack: Stack) =>
  new connect.CfnInstance(stack, 'Instance', {
    identityManagementType: 'CONNECT_MANAGED',
    attributes: { inboundCalls: true, outboundCalls: true },
  });

describe('synth gates', () => {
  it('pass a resource that satisfies the schema and the AwsSolutions rules', () => {
    expect(() => synthWithGates(instance)).not.toThrow();
  });

  it('fail synth on a property the CloudFormation schema does not know', () => {
    expect(() =>
      synthWithGates((stack) => {
        (instance(stack) as CfnResource).addPropertyOverride('Attributes.InboundCallz', true);
      }),
    ).toThrow(/InboundCallz/);
  });

  it('fail synth on a cdk-nag finding that nobody acknowledged', () => {
    // A queue without a dead-letter queue or SSL enforcement breaks AwsSolutions-SQS3/SQS4.
    expect(() => synthWithGates((stack) => new sqs.Queue(stack, 'Queue'))).toThrow(
      /AwsSolutions-SQS/,
    );
  });
});
