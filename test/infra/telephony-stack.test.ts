import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/contracts/route-answer.js';
import { deployTimePlaceholder } from '../../lambdas/domain/deploy-time-values.js';
import { queueFlowPlan } from '../../lambdas/domain/portfolio/queue-flow.js';
import { validateFlow } from '../../lambdas/flow/language/index.js';
import { ContextError } from '../../lib/config/context-error.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import {
  TEST_INSTANCE_ARN as arn,
  routingDocumentOf,
  synthApp,
  synthNewInstanceApp,
} from '../support/synth.js';

type Template = ReturnType<typeof synthApp>['telephony'];
const examplePortfolio = loadPortfolio('config/portfolio.yaml');
// The example's telephony stack, as `cdk deploy` names it: the tag value of what it may detach.
const telephonyStackName = 'call-tracking-telephony';

/** A stack that creates its instance; `inExistingInstance` deploys the example as it is. */
let telephony: Template;
let inExistingInstance: Template;

/** The routing document of the example deployed as it is (one claimed number). */
let routing: ReturnType<typeof routingDocumentOf>;

beforeAll(() => {
  ({ telephony } = synthNewInstanceApp());
  const existing = synthApp();
  inExistingInstance = existing.telephony;
  routing = routingDocumentOf(existing);
});

/** The message of the ContextError that refuses the app's configuration. */
const refusalOf = (synth: () => unknown): string => {
  try {
    synth();
  } catch (error) {
    expect(error).toBeInstanceOf(ContextError);
    return (error as Error).message;
  }
  throw new Error('the app was synthesized without a refusal');
};

/** The CloudFormation of a name the stack gives: the stage and the stack id's first group. */
const stackScopedName = (before: string, after: string) => ({
  'Fn::Join': [
    '',
    [
      before,
      {
        'Fn::Select': [
          0,
          {
            'Fn::Split': [
              '-',
              { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] },
            ],
          },
        ],
      },
      after,
    ],
  ],
});

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, Record<string, any>][];

const logicalIdOf = (template: Template, type: string, match: (props: any) => boolean) => {
  const found = resourcesOf(template, type).find(([, r]) => match(r.Properties));
  if (!found) throw new Error(`no ${type} matches`);
  return found[0];
};

/** Every IAM statement of the role of the function whose description matches. */
const statementsOfFunction = (description: RegExp, template: Template = telephony): any[] => {
  const [, fn] =
    resourcesOf(template, 'AWS::Lambda::Function').find(([, r]) =>
      description.test(r.Properties.Description ?? ''),
    ) ?? [];
  const roleId = fn?.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};

/** The contact flow resource of a flow type (one of each): the inbound flow by default. */
const flowOfType = (template: Template, type = 'CONTACT_FLOW') =>
  resourcesOf(template, 'AWS::Connect::ContactFlow').find(([, r]) => r.Properties.Type === type);

/** The flow content as deployed, each `Fn::GetAtt` rendered as `<LogicalId>.<Attribute>`. */
const flowContent = (template: Template, type = 'CONTACT_FLOW') => {
  const [, flow] = flowOfType(template, type) ?? [];
  const content = flow?.Properties.Content;
  const parts: unknown[] = content['Fn::Join'] ? content['Fn::Join'][1] : [content];
  return parts
    .map((part: any) => (typeof part === 'string' ? part : part['Fn::GetAtt'].join('.')))
    .join('');
};

describe('telephony stack: Connect instance and storage', () => {
  it('creates an instance kept on delete but not after a failed create, with calls and logs', () => {
    const [[, instance]] = resourcesOf(telephony, 'AWS::Connect::Instance') as any;
    expect(instance.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(instance.UpdateReplacePolicy).toBe('Retain');
    expect(instance.Properties).toMatchObject({
      IdentityManagementType: 'CONNECT_MANAGED',
      Attributes: { InboundCalls: true, OutboundCalls: true, ContactflowLogs: true },
    });
  });

  it("keeps a created instance's flow logs a month, in a group made before the instance", () => {
    const [[, instance]] = resourcesOf(telephony, 'AWS::Connect::Instance') as any;
    const groups = Object.entries(telephony.findResources('AWS::Logs::LogGroup')).filter(
      ([, group]: [string, any]) =>
        JSON.stringify(group.Properties.LogGroupName ?? '').includes('/aws/connect/'),
    ) as [string, any][];
    expect(groups).toHaveLength(1);
    const [groupId, group] = groups[0] as [string, any];
    // Connect's own name for it: /aws/connect/<instance alias>.
    expect(group.Properties.LogGroupName).toBe(`/aws/connect/${instance.Properties.InstanceAlias}`);
    expect(group.Properties.RetentionInDays).toBe(30);
    expect(instance.DependsOn).toContain(groupId);
    // An existing instance's group is Connect's: the stack cannot own it (README, Operations).
    expect(
      Object.values(inExistingInstance.findResources('AWS::Logs::LogGroup')).filter((g: any) =>
        JSON.stringify(g.Properties.LogGroupName ?? '').includes('/aws/connect/'),
      ),
    ).toEqual([]);
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
    const existing = synthApp({
      existingInstanceArn: arn,
      configureContactRecordStorage: false,
    }).telephony;
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

describe('telephony stack: existing instances, stages and deploy order', () => {
  it("keeps an existing instance's recordings storage but streams its contact records", () => {
    const configs = resourcesOf(inExistingInstance, 'AWS::Connect::InstanceStorageConfig');
    expect(configs.map(([, c]) => c.Properties.ResourceType)).toEqual(['CONTACT_TRACE_RECORDS']);
  });

  it('says at synth how a redeploy after teardown keeps recordings: -c recordingStorage=true', () => {
    const redeployNote = Match.stringLikeRegexp('torn down.*-c recordingStorage=true');
    const { stacks } = synthApp();
    expect(Annotations.fromStack(stacks.telephony).findInfo('*', redeployNote)).toHaveLength(1);
    const redeploy = synthApp({ configureRecordingStorage: true });
    expect(Annotations.fromStack(redeploy.stacks.telephony).findInfo('*', redeployNote)).toEqual(
      [],
    );
    const configs = resourcesOf(redeploy.telephony, 'AWS::Connect::InstanceStorageConfig');
    expect(configs.map(([, c]) => c.Properties.ResourceType)).toEqual([
      'CALL_RECORDINGS',
      'CONTACT_TRACE_RECORDS',
      'MEDIA_STREAMS',
    ]);
  });

  it('refuses an existing instance in another region than the stack', () => {
    expect(() => synthApp({ existingInstanceArn: arn.replace('us-east-1', 'eu-west-2') })).toThrow(
      /connectInstanceArn is in eu-west-2 but the stack deploys to us-east-1/,
    );
  });

  it('fails on "number:" entries into a new instance, naming them and both fixes', () => {
    const message = refusalOf(() => synthApp({ existingInstanceArn: undefined }));
    expect(message).toContain(
      'config/portfolio.yaml: 7 tracking numbers are given as "number:" (austin-north-main, austin-north-google, austin-north-yelp, round-rock-main, round-rock-google, denver-central-main, denver-central-gbp)',
    );
    expect(message).toContain('-c connectInstanceArn=arn:aws:connect:');
    expect(message).toContain('or declare them with "claim:"');

    const twelve = Array.from({ length: 12 }, (_, i) => ({
      id: `line-${i + 1}`,
      location: 'austin-north',
      source: 'Ad',
      number: `+151255502${String(i).padStart(2, '0')}`,
    }));
    expect(
      refusalOf(() =>
        synthApp({
          existingInstanceArn: undefined,
          portfolio: { ...examplePortfolio, trackingNumbers: twelve },
        }),
      ),
    ).toContain(
      '(line-1, line-2, line-3, line-4, line-5, line-6, line-7, line-8, line-9, line-10 and 2 more)',
    );
  });

  it('fails on an instance of another account than the target, unless the account is unknown', () => {
    const elsewhere = arn.replace('123456789012', '210987654321');
    expect(refusalOf(() => synthApp({ existingInstanceArn: elsewhere }))).toContain(
      'connectInstanceArn is in account 210987654321 but the stack deploys to account 123456789012',
    );
    // Offline without credentials the CLI resolves no account: nothing to compare with.
    const offline = synthApp({ existingInstanceArn: elsewhere, env: { region: 'us-east-1' } });
    offline.telephony.hasResourceProperties('AWS::Connect::ContactFlow', {
      InstanceArn: elsewhere,
    });
  });

  it('fails on queues given by ARN in another instance, or into a new one', () => {
    const queueIn = (instanceId: string) =>
      `arn:aws:connect:us-east-1:123456789012:instance/${instanceId}/queue/q-1`;
    const withQueue = (queueArn: string) => ({
      ...examplePortfolio,
      queues: [{ id: 'call-center', name: 'Storage call center', arn: queueArn }],
    });
    expect(
      refusalOf(() => synthApp({ portfolio: withQueue(queueIn('another-instance')) })),
    ).toContain('queues call-center are given by an ARN of another instance');
    expect(
      refusalOf(() =>
        synthNewInstanceApp({
          portfolio: { ...withQueue(queueIn('any')), trackingNumbers: [] },
        }),
      ),
    ).toContain('queues call-center are given by "arn:"');
  });

  it('fails on an instance alias Connect refuses, given or derived from the stack prefix', () => {
    expect(refusalOf(() => synthNewInstanceApp({ instanceAlias: 'd-calls' }))).toContain(
      '-c instanceAlias=d-calls is not a Connect instance alias',
    );
    expect(
      refusalOf(() => synthNewInstanceApp({ stackPrefix: 'a-very-long-stage-name-for-tracking' })),
    ).toContain('choose one with -c instanceAlias=<alias>');
  });

  it('fails on a queue whose name, as created, is longer than Connect takes', () => {
    const longName = { id: 'call-center', name: 'Storage call center '.repeat(5).trim() };
    expect(
      refusalOf(() =>
        synthApp({
          stackPrefix: 'call-tracking-staging',
          portfolio: { ...examplePortfolio, queues: [longName] },
        }),
      ),
    ).toMatch(
      /queue call-center would be created as "(Storage call center ){4}Storage call center \(call-tracking-staging-xxxxxxxx\)".*, 132 characters, and Connect takes at most 127: shorten its name or -c stackPrefix/,
    );
  });

  it('fails on claims that can find no number: a prefix outside the country or the type', () => {
    const claiming = (type: 'DID' | 'TOLL_FREE', prefix: string) => ({
      ...examplePortfolio,
      trackingNumbers: [
        {
          id: 'ad',
          location: 'austin-north',
          source: 'Ad',
          claim: { country: 'US', type, prefix },
        },
      ],
    });
    const refusalOfClaim = (type: 'DID' | 'TOLL_FREE', prefix: string) =>
      refusalOf(() => synthApp({ portfolio: claiming(type, prefix) }));
    expect(refusalOfClaim('DID', '+44207')).toContain(
      'tracking number ad claims a DID in US with prefix +44207, but numbers of US start with +1',
    );
    for (const local of ['+1512', '+15']) {
      expect(refusalOfClaim('TOLL_FREE', local)).toContain('which is not a toll-free area code');
    }
    expect(refusalOfClaim('DID', '+1800')).toContain(
      'a toll-free area code: claim it with type TOLL_FREE',
    );
    for (const [type, prefix] of [
      ['TOLL_FREE', '+1888'],
      ['TOLL_FREE', '+18'],
      ['DID', '+1303'],
    ] as const) {
      expect(() => synthApp({ portfolio: claiming(type, prefix) }), prefix).not.toThrow();
    }
  });

  it('prefixes the names it gives Connect resources with the stage and the stack id', () => {
    const staging = synthNewInstanceApp({ stackPrefix: 'staging' }).telephony;
    staging.hasResourceProperties('AWS::Connect::Instance', {
      InstanceAlias: 'staging-123456789012',
    });
    staging.hasResourceProperties('AWS::Connect::ContactFlow', {
      Name: stackScopedName('staging-', '-inbound'),
    });
    staging.hasResourceProperties('AWS::Connect::HoursOfOperation', {
      Name: stackScopedName('staging-', '-call-center-hours'),
    });
    staging.hasResourceProperties('AWS::Connect::Queue', {
      Name: stackScopedName('Storage call center (staging-', ')'),
    });
  });

  it('keeps created queues and hours on delete (a routing profile may use them)', () => {
    for (const type of ['AWS::Connect::Queue', 'AWS::Connect::HoursOfOperation']) {
      const created = resourcesOf(telephony, type);
      expect(created, type).toHaveLength(1);
      for (const [, resource] of created) {
        expect(resource.DeletionPolicy, type).toBe('RetainExceptOnCreate');
        expect(resource.UpdateReplacePolicy, type).toBe('Retain');
      }
    }
  });

  it('has a bounded number of outputs however many numbers it claims', () => {
    const claims = Array.from({ length: 300 }, (_, i) => ({
      id: `claim-${i}`,
      location: 'austin-north',
      source: `campaign ${i}`,
      claim: { country: 'US', type: 'DID' as const, prefix: '+1512' },
    }));
    const many = synthApp({
      portfolio: { ...examplePortfolio, trackingNumbers: claims },
    }).telephony;
    expect(resourcesOf(many, 'AWS::Connect::PhoneNumber')).toHaveLength(300);
    // Besides the exports the operations stack reads (one per watched resource, not per number).
    const outputs = Object.keys(many.toJSON().Outputs).filter(
      (k) => !k.startsWith('ExportsOutput'),
    );
    expect(outputs.sort()).toEqual(['ContactRecordStreamArn', 'InboundFlowArn', 'InstanceArn']);
  });

  it('writes routing entries before it associates numbers with the flow', () => {
    const [[entriesId]] = resourcesOf(telephony, 'Custom::RoutingTableEntries') as any;
    const [[, association]] = resourcesOf(telephony, 'Custom::PhoneNumberFlowAssociation') as any;
    expect(association.DependsOn).toContain(entriesId);
  });

  it('removes the contact-record stream with the stack (transport, not state)', () => {
    const [[, stream]] = resourcesOf(telephony, 'AWS::Kinesis::Stream') as any;
    expect(stream.DeletionPolicy).toBe('Delete');
  });

  it('gives every function its own log group with a retention', () => {
    const functions = resourcesOf(telephony, 'AWS::Lambda::Function');
    // Five handlers, two provider frameworks (the association's with isComplete and onTimeout).
    expect(functions.length).toBe(9);
    for (const [, fn] of functions) {
      const logGroupId = fn.Properties.LoggingConfig.LogGroup.Ref;
      expect(telephony.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(30);
    }
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

  it('bounds how long route-call serves a known route while DynamoDB fails: 24 h unless -c routeMaxStaleHours', () => {
    const variablesOf = (template: Template) =>
      Object.values(template.findResources('AWS::Lambda::Function'))
        .map((fn) => fn.Properties)
        .find((p) => /Answers the inbound flow/.test(p.Description)).Environment.Variables;
    // Unset: the handler's default (DEFAULT_ROUTE_MAX_STALE_SECONDS, 24 h).
    expect(variablesOf(telephony)).not.toHaveProperty('ROUTE_MAX_STALE_SECONDS');
    expect(variablesOf(synthApp({ routeMaxStaleHours: 6 }).telephony)).toMatchObject({
      ROUTE_MAX_STALE_SECONDS: '21600',
    });
  });

  it('lets route-call do nothing but GetItem on the routing table and on first-time-caller items', () => {
    const statements = statementsOfFunction(/Answers the inbound flow/);
    expect(statements.map((s) => s.Action)).toEqual([
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      'dynamodb:GetItem',
      'dynamodb:GetItem',
    ]);
    expect(JSON.stringify(statements[1].Resource)).toMatch(/RoutingTable/);
    expect(JSON.stringify(statements[1].Resource)).not.toContain('*');
    expect(statements[1]).not.toHaveProperty('Condition');
    // Of the call log, only items whose partition key starts CALLER# (no call, no rollup).
    expect(JSON.stringify(statements[2].Resource)).toMatch(/CallLogTable/);
    expect(statements[2].Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CALLER#*'] },
    });
  });

  it('gives route-call the call log table for the first-time-caller answer', () => {
    telephony.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Answers the inbound flow'),
      Environment: {
        Variables: Match.objectLike({
          CALL_LOG_TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('CallLogTable') },
        }),
      },
    });
  });

  it('lets the routing-entry writer only read, write and delete items of the routing table', () => {
    const statements = statementsOfFunction(/routing entries into the routing table/);
    expect(statements[1]).toMatchObject({
      Action: [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:Scan',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ],
      Resource: { 'Fn::ImportValue': expect.stringMatching(/RoutingTable/) },
    });
    // X-Ray, the table, its document in the asset bucket.
    expect(statements).toHaveLength(3);
  });

  it('lets the number associator point numbers at the inbound flow only, and detach only numbers tagged as the stack’s', () => {
    const instanceId = logicalIdOf(telephony, 'AWS::Connect::Instance', () => true);
    const flowId = logicalIdOf(
      telephony,
      'AWS::Connect::ContactFlow',
      (p) => p.Type === 'CONTACT_FLOW',
    );
    const numbersAndFlow = [
      expect.objectContaining({ 'Fn::Join': expect.anything() }),
      // legacy-phone-number: older and ported numbers, scoped to the instance
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [instanceId, 'Arn'] }, '/phone-number/*']] },
      { 'Fn::GetAtt': [flowId, 'ContactFlowArn'] },
    ];
    const statements = statementsOfFunction(/Associates the tracking numbers/);
    expect(statements.slice(1, 4)).toEqual([
      { Action: 'connect:ListPhoneNumbersV2', Effect: 'Allow', Resource: '*' },
      {
        Action: 'connect:AssociatePhoneNumberContactFlow',
        Effect: 'Allow',
        Resource: numbersAndFlow,
      },
      {
        Action: 'connect:DisassociatePhoneNumberContactFlow',
        Effect: 'Allow',
        Resource: numbersAndFlow,
        Condition: { StringEquals: { 'aws:ResourceTag/CallTrackingStack': telephonyStackName } },
      },
    ]);
    // No other statement grants either action.
    const granting = statements.filter((s) =>
      [s.Action].flat().some((a: string) => /PhoneNumberContactFlow/.test(a)),
    );
    expect(granting).toHaveLength(2);
    // What carries the tag: every number the stack claims, and the flow.
    const claimed = resourcesOf(telephony, 'AWS::Connect::PhoneNumber');
    expect(claimed.length).toBeGreaterThan(0);
    for (const [, number] of claimed as any) {
      expect(number.Properties.Tags).toContainEqual({
        Key: 'CallTrackingStack',
        Value: telephonyStackName,
      });
    }
    const [, flow] = resourcesOf(telephony, 'AWS::Connect::ContactFlow').find(
      ([id]) => id === flowId,
    ) as any;
    expect(flow.Properties.Tags).toContainEqual({
      Key: 'CallTrackingStack',
      Value: telephonyStackName,
    });
  });

  it('associates asynchronously: the provider polls isComplete every 5 s for at most 55 minutes', () => {
    const [[, association]] = resourcesOf(telephony, 'Custom::PhoneNumberFlowAssociation') as any;
    const frameworkOnEvent = association.Properties.ServiceToken['Fn::GetAtt'][0];
    const [, onEvent] =
      resourcesOf(telephony, 'AWS::Lambda::Function').find(([id]) => id === frameworkOnEvent) ?? [];
    const stateMachineId = onEvent?.Properties.Environment.Variables.WAITER_STATE_MACHINE_ARN.Ref;
    const [, machine] =
      resourcesOf(telephony, 'AWS::StepFunctions::StateMachine').find(
        ([id]) => id === stateMachineId,
      ) ?? [];
    if (!machine) throw new Error('the association provider has no waiter state machine');
    const definition = JSON.parse(
      (machine.Properties.DefinitionString['Fn::Join'][1] as unknown[])
        .map((part) => (typeof part === 'string' ? part : '<ref>'))
        .join(''),
    );
    const [retry] = definition.States['framework-isComplete-task'].Retry;
    expect(retry.IntervalSeconds).toBe(5);
    // CloudFormation waits an hour at most for a custom resource: the provider gives up first.
    expect(retry.IntervalSeconds * retry.MaxAttempts).toBe(55 * 60);
    expect(machine.Properties.LoggingConfiguration.Level).toBe('ALL');

    // Our function is the isComplete handler too, with time for a 2-minute batch.
    const ours = logicalIdOf(telephony, 'AWS::Lambda::Function', (p) =>
      /Associates the tracking numbers/.test(p.Description ?? ''),
    );
    const [, isComplete] =
      resourcesOf(telephony, 'AWS::Lambda::Function').find(([, fn]) =>
        /framework - isComplete .*TrackingNumbers/.test(fn.Properties.Description ?? ''),
      ) ?? [];
    expect(isComplete?.Properties.Environment.Variables.USER_IS_COMPLETE_FUNCTION_ARN).toEqual({
      'Fn::GetAtt': [ours, 'Arn'],
    });
    telephony.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Associates the tracking numbers'),
      Timeout: 240,
    });
  });

  it("keeps the association's progress in a table of its own, reached by that function only", () => {
    const [[tableId, table]] = resourcesOf(telephony, 'AWS::DynamoDB::GlobalTable') as any;
    expect(table.DeletionPolicy).toBe('Delete');
    expect(table.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: 'expiresAt',
      Enabled: true,
    });
    const statements = statementsOfFunction(/Associates the tracking numbers/);
    expect(statements).toContainEqual({
      Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      Effect: 'Allow',
      Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
    });
    telephony.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('Associates the tracking numbers'),
      Environment: { Variables: { PROGRESS_TABLE_NAME: { Ref: tableId } } },
    });
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
            Action: [
              'connect:SuspendContactRecording',
              'connect:ResumeContactRecording',
              'connect:StopContactRecording',
            ],
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [instanceId, 'Arn'] }, '/contact/*']] },
          },
        ]),
      },
    });
  });
});

describe('telephony stack: contact records into the call log', () => {
  it('reads the CTR stream in batches, retries only failed records, and keeps what still fails', () => {
    const streamId = logicalIdOf(telephony, 'AWS::Kinesis::Stream', () => true);
    const queueId = logicalIdOf(telephony, 'AWS::SQS::Queue', () => true);
    telephony.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [streamId, 'Arn'] },
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    telephony.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it('lets the ingest write only items of the call-log table, and read routing entries', () => {
    const statements = statementsOfFunction(/Turns contact trace records into call-log items/);
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([
      {
        Action: [
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:DeleteItem',
          // A batch's caller items, calls and month days read together; month rows written.
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
        ],
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/CallLogTable/) },
      },
      {
        Action: 'dynamodb:GetItem',
        Effect: 'Allow',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/RoutingTable/) },
      },
    ]);
    const [, fn] =
      resourcesOf(telephony, 'AWS::Lambda::Function').find(([, r]) =>
        /Turns contact trace records into call-log items/.test(r.Properties.Description ?? ''),
      ) ?? [];
    expect(fn?.Properties.Environment.Variables.ROUTING_TABLE_NAME).toEqual({
      'Fn::ImportValue': expect.stringMatching(/RoutingTable/),
    });
  });

  it("reads the callers' hash key from the data stack's secret, and nothing else of Secrets Manager", () => {
    const [, fn] =
      resourcesOf(telephony, 'AWS::Lambda::Function').find(([, r]) =>
        /Turns contact trace records into call-log items/.test(r.Properties.Description ?? ''),
      ) ?? [];
    const secret = { 'Fn::ImportValue': expect.stringMatching(/CallerHashKey/) };
    expect(fn?.Properties.Environment.Variables.CALLER_HASH_SECRET_ARN).toEqual(secret);
    const statements = statementsOfFunction(/Turns contact trace records into call-log items/);
    const secrets = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    expect(secrets).toEqual([
      {
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Effect: 'Allow',
        Resource: secret,
      },
    ]);
  });

  it('sends malformed records to the failures queue: its URL in the environment, SendMessage on it', () => {
    const queueId = logicalIdOf(telephony, 'AWS::SQS::Queue', () => true);
    const [, fn] =
      resourcesOf(telephony, 'AWS::Lambda::Function').find(([, r]) =>
        /Turns contact trace records into call-log items/.test(r.Properties.Description ?? ''),
      ) ?? [];
    expect(fn?.Properties.Environment.Variables.FAILURE_QUEUE_URL).toEqual({ Ref: queueId });
    // The calls' TTL: the recordings' retention, as callDataRetentionDays defaults to it.
    expect(fn?.Properties.Environment.Variables.CALL_DATA_RETENTION_DAYS).toBe('365');
    const statements = statementsOfFunction(/Turns contact trace records into call-log items/);
    const sqs = statements.filter((s) => JSON.stringify(s.Action).includes('sqs:SendMessage'));
    expect(sqs).toHaveLength(1);
    expect([sqs[0]?.Action].flat()).toContain('sqs:SendMessage');
    expect(sqs[0]?.Resource).toEqual({ 'Fn::GetAtt': [queueId, 'Arn'] });
    expect(JSON.stringify(sqs[0]?.Action)).not.toContain('*');
  });
});

describe('telephony stack: the inbound flow and the numbers', () => {
  it('publishes the flow with every placeholder replaced by a reference', () => {
    const content = flowContent(telephony);
    expect(content).not.toMatch(/\$\{[A-Za-z]+\}/);
    expect(content).toContain(`"${fnId(/Answers the inbound flow/)}.Arn"`);
    expect(content).toContain(`"${fnId(/^Suspends call recording/)}.Arn"`);
    expect(content).toContain('"ThirdPartyPhoneNumber":"+15125550199"');
    for (const key of ROUTE_ANSWER_KEYS) expect(content).toContain(`"$.External.${key}"`);
  });

  it('gives every function the flow invokes no more time than the flow waits for it', () => {
    const flow = JSON.parse(flowContent(telephony));
    const invocations = flow.Actions.filter((a: any) => a.Type === 'InvokeLambdaFunction');
    expect(invocations.length).toBeGreaterThanOrEqual(3);
    for (const action of invocations) {
      const logicalId = action.Parameters.LambdaFunctionARN.replace(/\.Arn$/, '');
      const fn = telephony.toJSON().Resources[logicalId];
      expect(fn?.Type, action.Identifier).toBe('AWS::Lambda::Function');
      expect(fn.Properties.Timeout, action.Identifier).toBeLessThanOrEqual(
        Number(action.Parameters.InvocationTimeLimitSeconds),
      );
    }
  });

  it('publishes a customer queue and an agent whisper flow, and the inbound flow names both as hooks', () => {
    const queueFlow = flowOfType(telephony, 'CUSTOMER_QUEUE');
    const whisper = flowOfType(telephony, 'AGENT_WHISPER');
    expect(resourcesOf(telephony, 'AWS::Connect::ContactFlow')).toHaveLength(3);
    const inbound = JSON.parse(flowContent(telephony));
    const hooks = inbound.Actions.filter((a: any) => a.Type === 'UpdateContactEventHooks').map(
      (a: any) => a.Parameters.EventHooks,
    );
    expect(hooks).toEqual([
      { CustomerQueue: `${queueFlow?.[0]}.ContactFlowArn` },
      { AgentWhisper: `${whisper?.[0]}.ContactFlowArn` },
      { CustomerQueue: `${queueFlow?.[0]}.ContactFlowArn` },
      { AgentWhisper: `${whisper?.[0]}.ContactFlowArn` },
    ]);
    // Both pass the Flow Language rules as the type they are deployed as.
    expect(
      validateFlow(JSON.parse(flowContent(telephony, 'CUSTOMER_QUEUE')), {
        flowType: 'CUSTOMER_QUEUE',
      }),
    ).toEqual([]);
    expect(
      validateFlow(JSON.parse(flowContent(telephony, 'AGENT_WHISPER')), {
        flowType: 'AGENT_WHISPER',
      }),
    ).toEqual([]);
  });

  it("bounds the queue flow's wait by the example queue's 30 minutes: offers from 60 s, then a message", () => {
    const queueFlow = JSON.parse(flowContent(telephony, 'CUSTOMER_QUEUE'));
    const plan = queueFlowPlan(examplePortfolio);
    expect(plan).toMatchObject({ offerAfterSeconds: 60, maxWaitSeconds: 1800 });
    expect(plan.worstCaseSeconds).toBeLessThanOrEqual(1800);
    const byType = (type: string) => queueFlow.Actions.filter((a: any) => a.Type === type);
    expect(byType('Loop').map((a: any) => a.Parameters.LoopCount)).toEqual([
      String(plan.offerRounds),
    ]);
    expect(
      byType('MessageParticipantIteratively').map(
        (a: any) => a.Parameters.InterruptFrequencySeconds,
      ),
    ).toEqual(['60']);
  });

  it('publishes the flow only after both functions are associated with the instance', () => {
    const [, flow] = flowOfType(telephony) as [string, any];
    const associations = resourcesOf(telephony, 'AWS::Connect::IntegrationAssociation').map(
      ([id]) => id,
    );
    expect(flow.DependsOn).toEqual(expect.arrayContaining(associations));
  });

  it('claims the numbers to claim, kept on delete, and associates every number with the flow', () => {
    const claimed = resourcesOf(inExistingInstance, 'AWS::Connect::PhoneNumber');
    expect(claimed).toHaveLength(1);
    const [claimedId, number] = claimed[0] ?? [];
    expect(number?.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(number?.UpdateReplacePolicy).toBe('Retain');
    expect(number?.Properties).toMatchObject({ CountryCode: 'US', Type: 'DID', Prefix: '+1303' });

    const [[, association]] = resourcesOf(
      inExistingInstance,
      'Custom::PhoneNumberFlowAssociation',
    ) as any;
    const numbers = JSON.stringify(association.Properties.PhoneNumbers);
    for (const n of ['+15125550150', '+15125550151', '+13035550171']) expect(numbers).toContain(n);
    expect(numbers).toContain(JSON.stringify({ 'Fn::GetAtt': [claimedId, 'Address'] }));
    expect(association.DependsOn).toContain(claimedId);
  });

  it('writes one routing entry per tracking number, owned by the portfolio', () => {
    const { entries, publishedNumbers } = routing.document;
    expect(entries).toHaveLength(8);
    expect(entries.every((entry) => entry.owner === 'portfolio')).toBe(true);
    expect(publishedNumbers.map((p) => p.number)).toContain('+15125550100');
  });

  it('sends the portfolio catalog, naming the file, with the claimed number and queue ARN', () => {
    const { catalog } = routing.document;
    expect(catalog.declaredIn).toBe('config/portfolio.yaml');
    expect(catalog.trackingNumbers).toHaveLength(8);
    const [claimedId] = Object.keys(inExistingInstance.findResources('AWS::Connect::PhoneNumber'));
    const mailer = catalog.trackingNumbers.find((t) => t.id === 'denver-central-mailer');
    expect(mailer?.number).toBe(deployTimePlaceholder(`${claimedId}.Address`));
    const [queueId] = Object.keys(inExistingInstance.findResources('AWS::Connect::Queue'));
    expect(catalog.queues[0]?.arn).toBe(deployTimePlaceholder(`${queueId}.QueueArn`));
  });

  it('ships entries and catalog as an S3 asset, passing only the deploy-time values', () => {
    const { properties } = routing;
    expect(properties.DocumentKey).toMatch(/^[0-9a-f]{64}\.json$/);
    expect(properties).not.toHaveProperty('Entries');
    const values = JSON.stringify(properties.DeployTimeValues);
    const [claimedId] = Object.keys(inExistingInstance.findResources('AWS::Connect::PhoneNumber'));
    expect(values).toContain(JSON.stringify({ 'Fn::GetAtt': [claimedId, 'Address'] }));
    // A whole number is the only token the document may carry: nothing else left unresolved.
    expect(JSON.stringify(routing.document)).not.toMatch(/Token\[|Fn::/);
  });

  it("lets the sync function read the asset bucket's JSON documents, its previous one included, and nothing else", () => {
    const reads = statementsOfFunction(
      /routing entries into the routing table/,
      inExistingInstance,
    ).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(reads).toHaveLength(1);
    expect(reads[0].Action).toBe('s3:GetObject');
    // A rollback runs the sync with the previous document before this policy is rolled back.
    const resource = JSON.stringify(reads[0].Resource);
    expect(resource).toMatch(/:s3:::cdk-[a-z0-9]+-assets-123456789012-us-east-1\/\*\.json"/);
    expect(routing.properties.DocumentKey).toMatch(/\.json$/);
  });
});

const fnId = (description: RegExp) =>
  logicalIdOf(telephony, 'AWS::Lambda::Function', (p) => description.test(p.Description));
