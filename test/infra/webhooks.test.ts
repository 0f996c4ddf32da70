import { beforeAll, describe, expect, it } from 'vitest';
import { CALL_EVENT_SOURCE } from '../../lambdas/contracts/webhooks.js';
import {
  WEBHOOK_MAX_ATTEMPTS,
  WEBHOOK_RETRY_DELAYS_SECONDS,
} from '../../lambdas/domain/webhook-event.js';
import { synthApp } from '../support/synth.js';

/**
 * The webhook fan-out as deployed (lib/constructs/webhook-fan-out.ts, in the API stack): the
 * EventBridge bus, its rule to the encrypted queue, the dead-letter queue, the delivery function on
 * the queue, and the publishers (ingest, API) allowed to put events on that bus only. synthApp
 * fails on either gate (schema, cdk-nag), so a template here passed them.
 */

type Template = ReturnType<typeof synthApp>['api'];
let api: Template;
let telephony: Template;
let stacks: ReturnType<typeof synthApp>['stacks'];

beforeAll(() => {
  ({ api, telephony, stacks } = synthApp());
}, 120_000);

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, Record<string, any>][];

const functionNamed = (template: Template, description: RegExp): [string, Record<string, any>] => {
  const found = resourcesOf(template, 'AWS::Lambda::Function').filter(([, f]) =>
    description.test(String(f.Properties.Description)),
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Record<string, any>];
};

const statementsOf = (template: Template, fn: Record<string, any>): any[] => {
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};

describe('webhooks: bus, queues, delivery function', () => {
  it('routes call events from the bus to an encrypted queue with a 14-day dead-letter queue', () => {
    const [[busId]] = resourcesOf(api, 'AWS::Events::EventBus') as [[string, unknown]];
    const [[, rule]] = resourcesOf(api, 'AWS::Events::Rule') as [[string, any]];
    expect(rule.Properties).toMatchObject({
      EventBusName: { Ref: busId },
      EventPattern: { source: [CALL_EVENT_SOURCE] },
      State: 'ENABLED',
    });
    const queues = resourcesOf(api, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    const [dlqId, dlq] = queues.find(([, q]) => !q.Properties.RedrivePolicy) ?? [];
    const [queueId, queue] = queues.find(([, q]) => q.Properties.RedrivePolicy) ?? [];
    expect(rule.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
    ]);
    expect(dlq?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
    const schedule = WEBHOOK_RETRY_DELAYS_SECONDS.reduce((a, b) => a + b, 0);
    expect(queue?.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: WEBHOOK_MAX_ATTEMPTS,
      },
    });
    // The queue keeps a task through its whole schedule (at least 24 h of retries).
    expect(schedule).toBeGreaterThanOrEqual(86_400);
    expect(queue?.Properties.MessageRetentionPeriod).toBeGreaterThan(schedule);
    // Both refuse plain HTTP (enforceSSL).
    const policies = resourcesOf(api, 'AWS::SQS::QueuePolicy').map(([, p]) =>
      JSON.stringify(p.Properties.PolicyDocument),
    );
    expect(policies.filter((p) => p.includes('aws:SecureTransport'))).toHaveLength(2);
  });

  it('runs the delivery function on the queue, reporting failed items, with what it needs only', () => {
    const [fnId, fn] = functionNamed(api, /^Fans call events out to webhook/);
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 60 });
    expect(Object.keys(fn.Properties.Environment.Variables).sort()).toEqual(
      ['CALL_LOG_TABLE_NAME', 'RECORDINGS_BUCKET_NAME', 'WEBHOOK_QUEUE_URL'].sort(),
    );
    const [[, mapping]] = resourcesOf(api, 'AWS::Lambda::EventSourceMapping') as [[string, any]];
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: fnId },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
    });
    // Visibility at least six times the function's timeout (Lambda's advice for SQS sources).
    const [, queue] =
      resourcesOf(api, 'AWS::SQS::Queue').find(([, q]) => q.Properties.RedrivePolicy) ?? [];
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 60);
    const actions = statementsOf(api, fn).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'sqs:SendMessage',
        'sqs:ChangeMessageVisibility',
        'sqs:ReceiveMessage',
        'sqs:DeleteMessage',
        's3:GetObject',
        'kms:Decrypt',
      ]),
    );
    for (const never of [
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'events:PutEvents',
    ]) {
      expect(actions).not.toContain(never);
    }
  });

  it('lets the ingest put events on that bus, and deploys the telephony stack after the API stack', () => {
    const [, ingest] = functionNamed(telephony, /^Turns contact trace records/);
    expect(ingest.Properties.Environment.Variables.EVENT_BUS_NAME).toEqual({
      'Fn::ImportValue': expect.stringMatching(/^call-tracking-api:ExportsOutputRefWebhooksBus/),
    });
    const putEvents = statementsOf(telephony, ingest).filter(
      (s) => s.Action === 'events:PutEvents',
    );
    expect(putEvents).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::ImportValue': expect.stringMatching(/WebhooksBus\w+Arn/) },
      }),
    ]);
    expect(stacks.telephony.dependencies).toContain(stacks.api);
  });
});
