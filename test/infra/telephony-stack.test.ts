import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/domain/route.js';
import { synthApp } from '../support/synth.js';

type Template = ReturnType<typeof synthApp>['telephony'];
let telephony: Template;

beforeAll(() => {
  ({ telephony } = synthApp());
});

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, Record<string, any>][];

const logicalIdOf = (template: Template, type: string, match: (props: any) => boolean) => {
  const found = resourcesOf(template, type).find(([, r]) => match(r.Properties));
  if (!found) throw new Error(`no ${type} matches`);
  return found[0];
};

/** The flow content as deployed: Fn::Join parts with tokens rendered as `{ref}` markers. */
const flowContent = (template: Template) => {
  const [, flow] = resourcesOf(template, 'AWS::Connect::ContactFlow')[0] ?? [];
  const content = flow?.Properties.Content;
  const parts: unknown[] = content['Fn::Join'] ? content['Fn::Join'][1] : [content];
  return parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
};

describe('telephony stack: Connect instance and storage', () => {
  it('creates a retained instance with inbound and outbound calls and flow logs', () => {
    const [[, instance]] = resourcesOf(telephony, 'AWS::Connect::Instance') as any;
    expect(instance.DeletionPolicy).toBe('Retain');
    expect(instance.Properties).toMatchObject({
      IdentityManagementType: 'CONNECT_MANAGED',
      Attributes: { InboundCalls: true, OutboundCalls: true, ContactflowLogs: true },
    });
  });

  it('stores recordings in the recordings bucket under its KMS key, and CTRs in the stream', () => {
    telephony.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      ResourceType: 'CALL_RECORDINGS',
      StorageType: 'S3',
      S3Config: {
        BucketName: { 'Fn::ImportValue': Match.stringLikeRegexp('RecordingsBucket') },
        EncryptionConfig: {
          EncryptionType: 'KMS',
          KeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('RecordingsKey') },
        },
      },
    });
    const streamId = logicalIdOf(telephony, 'AWS::Kinesis::Stream', () => true);
    telephony.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      ResourceType: 'CONTACT_TRACE_RECORDS',
      StorageType: 'KINESIS_STREAM',
      KinesisStreamConfig: { StreamArn: { 'Fn::GetAtt': [streamId, 'Arn'] } },
    });
    telephony.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
      RetentionPeriodHours: 168,
    });
  });

  it('uses an existing instance by ARN, without creating one', () => {
    const arn =
      'arn:aws:connect:us-east-1:123456789012:instance/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0';
    const existing = synthApp({ existingInstanceArn: arn, manageInstanceStorage: false }).telephony;
    existing.resourceCountIs('AWS::Connect::Instance', 0);
    existing.resourceCountIs('AWS::Connect::InstanceStorageConfig', 0);
    existing.hasResourceProperties('AWS::Connect::ContactFlow', { InstanceArn: arn });
    existing.hasResourceProperties('AWS::Connect::IntegrationAssociation', { InstanceId: arn });
  });

  it('fails with a clear message on a malformed instance ARN', () => {
    expect(() => synthApp({ existingInstanceArn: 'arn:aws:connect:us-east-1:1:instance' })).toThrow(
      /is not an Amazon Connect instance ARN: copy it from the Connect console/,
    );
  });
});

describe('telephony stack: functions the flow invokes', () => {
  it('runs route-call on Node.js 22, arm64, within the flow timeout, reading the routing table', () => {
    telephony.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Answers the inbound flow'),
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 3,
      Environment: {
        Variables: Match.objectLike({
          ROUTING_TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('RoutingTable') },
        }),
      },
    });
  });

  it('lets route-call do nothing but GetItem on the routing table', () => {
    const routeCall = resourcesOf(telephony, 'AWS::Lambda::Function').find(([, r]) =>
      /Answers the inbound flow/.test(r.Properties.Description),
    )?.[1];
    const roleId = routeCall?.Properties.Role['Fn::GetAtt'][0];
    const policies = resourcesOf(telephony, 'AWS::IAM::Policy').filter(([, p]) =>
      p.Properties.Roles.some((r: any) => r.Ref === roleId),
    );
    const statements = policies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const dynamo = statements.filter((s: any) => JSON.stringify(s.Action).includes('dynamodb'));
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0].Action).toBe('dynamodb:GetItem');
    const resources = [dynamo[0].Resource].flat();
    for (const resource of resources) expect(JSON.stringify(resource)).toMatch(/RoutingTable/);
  });

  it('lets only this Connect instance invoke the functions, and associates them with it', () => {
    const instanceId = logicalIdOf(telephony, 'AWS::Connect::Instance', () => true);
    const permissions = resourcesOf(telephony, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'connect.amazonaws.com',
    );
    expect(permissions).toHaveLength(2);
    for (const [, permission] of permissions) {
      expect(permission.Properties.SourceArn).toEqual({ 'Fn::GetAtt': [instanceId, 'Arn'] });
      expect(permission.Properties.SourceAccount).toBe('123456789012');
    }
    expect(resourcesOf(telephony, 'AWS::Connect::IntegrationAssociation')).toHaveLength(2);
    telephony.hasResourceProperties('AWS::Connect::IntegrationAssociation', {
      InstanceId: { 'Fn::GetAtt': [instanceId, 'Arn'] },
      IntegrationType: 'LAMBDA_FUNCTION',
      IntegrationArn: { 'Fn::GetAtt': [fnId(/Answers the inbound flow/), 'Arn'] },
    });
  });

  it("scopes recording control to this instance's contacts", () => {
    const instanceId = logicalIdOf(telephony, 'AWS::Connect::Instance', () => true);
    telephony.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['connect:SuspendContactRecording', 'connect:ResumeContactRecording'],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [instanceId, 'Arn'] }, '/contact/*']] },
          },
        ]),
      },
    });
  });
});

describe('telephony stack: the inbound flow and the numbers', () => {
  it('publishes the flow with every placeholder replaced by a reference', () => {
    const content = flowContent(telephony);
    expect(content).not.toMatch(/\$\{[A-Za-z]+\}/);
    expect(content).toContain(fnId(/Answers the inbound flow/));
    expect(content).toContain(fnId(/Suspends and resumes/));
    expect(content).toContain('"ThirdPartyPhoneNumber":"+15125550199"');
    for (const key of ROUTE_ANSWER_KEYS) expect(content).toContain(`"$.External.${key}"`);
  });

  it('publishes the flow only after both functions are associated with the instance', () => {
    const [[, flow]] = resourcesOf(telephony, 'AWS::Connect::ContactFlow') as any;
    const associations = resourcesOf(telephony, 'AWS::Connect::IntegrationAssociation').map(
      ([id]) => id,
    );
    expect(flow.DependsOn).toEqual(expect.arrayContaining(associations));
  });

  it('claims the numbers to claim, retained, and associates every number with the flow', () => {
    const claimed = resourcesOf(telephony, 'AWS::Connect::PhoneNumber');
    expect(claimed).toHaveLength(1);
    const [claimedId, number] = claimed[0] ?? [];
    expect(number?.DeletionPolicy).toBe('Retain');
    expect(number?.Properties).toMatchObject({ CountryCode: 'US', Type: 'DID', Prefix: '+1303' });

    const [[, association]] = resourcesOf(telephony, 'Custom::PhoneNumberFlowAssociation') as any;
    const numbers = JSON.stringify(association.Properties.PhoneNumbers);
    for (const n of ['+15125550150', '+15125550151', '+13035550171']) expect(numbers).toContain(n);
    expect(numbers).toContain(JSON.stringify({ 'Fn::GetAtt': [claimedId, 'Address'] }));
    expect(association.DependsOn).toContain(claimedId);
  });

  it('writes one routing entry per tracking number, owned by the portfolio', () => {
    const [[, sync]] = resourcesOf(telephony, 'Custom::RoutingTableEntries') as any;
    const entries = JSON.stringify(sync.Properties.Entries);
    expect(entries.match(/\\"trackingId\\":/g)).toHaveLength(8);
    expect(entries).toContain('\\"owner\\":\\"portfolio\\"');
    expect(JSON.stringify(sync.Properties.PublishedNumbers)).toContain('+15125550100');
  });
});

const fnId = (description: RegExp) =>
  logicalIdOf(telephony, 'AWS::Lambda::Function', (p) => description.test(p.Description));
