import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Portfolio, PortfolioAgent } from '../../lambdas/domain/portfolio/schema.js';
import { deployTargetProblems } from '../../lib/config/deploy-target.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import type { TelephonyStack } from '../../lib/telephony-stack.js';
import { everyNumberClaimed, synthApp, TEST_ENV, TEST_INSTANCE_ARN } from '../support/synth.js';

/**
 * The call center as the telephony stack builds it: queues with their own hours and limits,
 * routing profiles that serve every queue a caller can be sent to, and agents whose first
 * password is never in the template.
 */

const examplePortfolio = loadPortfolio('config/portfolio.yaml');
const INSTANCE = TEST_INSTANCE_ARN;
const EXISTING_QUEUE = `${INSTANCE}/queue/11111111-2222-3333-4444-555555555555`;
const SECURITY_PROFILE = `${INSTANCE}/security-profile/0c4d6a8e-1111-2222-3333-444455556666`;

const agent = (username: string, signIn: PortfolioAgent['signIn']): PortfolioAgent => ({
  username,
  firstName: 'Maria',
  lastName: 'Lopez',
  routingProfile: 'call-center-agents',
  securityProfile: SECURITY_PROFILE,
  signIn,
});

/**
 * The example plus a payments queue that names no routing profile and is open all day, an
 * existing queue by ARN as a fallback, and two agents.
 */
const staffedPortfolio: Portfolio = {
  ...examplePortfolio,
  queues: [
    ...examplePortfolio.queues,
    { id: 'payments', name: 'Payments desk' },
    { id: 'overflow', name: 'Overflow', arn: EXISTING_QUEUE, maxWaitSeconds: 600 },
  ],
  locations: examplePortfolio.locations.map((location, i) => {
    if (i === 1) return { ...location, fallback: { type: 'queue', queue: 'overflow' } };
    if (!location.menu) return location;
    return {
      ...location,
      menu: { ...location.menu, payments: { type: 'queue', queue: 'payments' } },
    };
  }),
  agents: [agent('maria.lopez', 'connect'), agent('sam@example.com', 'external')],
};

let example: Template;
let staffed: Template;
let staffedStack: TelephonyStack;

beforeAll(() => {
  example = synthApp().telephony;
  const synth = synthApp({ portfolio: staffedPortfolio });
  staffed = synth.telephony;
  staffedStack = synth.stacks.telephony;
});

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, { Properties: any; [k: string]: any }][];

/** The logical id of the created queue whose name starts with `name`. */
const createdQueueId = (template: Template, name: string): string => {
  const found = resourcesOf(template, 'AWS::Connect::Queue').find(([, r]) =>
    JSON.stringify(r.Properties.Name).includes(`"${name} (`),
  );
  if (!found) throw new Error(`no created queue named ${name}`);
  return found[0];
};

/** Every queue ARN a routing profile of the template serves, as it is written there. */
const servedQueueArns = (template: Template): string[] =>
  resourcesOf(template, 'AWS::Connect::RoutingProfile').flatMap(([, r]) =>
    r.Properties.QueueConfigs.map((c: any) => JSON.stringify(c.QueueReference.QueueArn)),
  );

/** The queues the flow can send a caller to: fallbacks and payment lines, as ARNs in the template. */
const reachableQueueArns = (template: Template, portfolio: Portfolio): string[] =>
  portfolio.locations
    .flatMap((l) => [l.fallback, ...(l.menu ? [l.menu.payments] : [])])
    .flatMap((target) => (target.type === 'queue' ? [target.queue] : []))
    .map((queueId) => {
      const queue = portfolio.queues.find((q) => q.id === queueId);
      if (queue?.arn) return JSON.stringify(queue.arn);
      return JSON.stringify({
        'Fn::GetAtt': [createdQueueId(template, queue?.name ?? ''), 'QueueArn'],
      });
    });

describe('the call center of the example portfolio', () => {
  it('creates its queue with its own hours, in its own time zone, and its maximum contacts', () => {
    const queueId = createdQueueId(example, 'Storage call center');
    const [queue] = resourcesOf(example, 'AWS::Connect::Queue');
    expect(queue?.[1].Properties.MaxContacts).toBe(50);
    const [[hoursId, hours]] = resourcesOf(example, 'AWS::Connect::HoursOfOperation') as any;
    expect(hours.Properties.TimeZone).toBe('America/Chicago');
    expect(hours.Properties.Config).toHaveLength(7);
    expect(hours.Properties.Config).toContainEqual({
      Day: 'SATURDAY',
      StartTime: { Hours: 8, Minutes: 0 },
      EndTime: { Hours: 20, Minutes: 0 },
    });
    expect(queue?.[1].Properties.HoursOfOperationArn).toEqual({
      'Fn::GetAtt': [hoursId, 'HoursOfOperationArn'],
    });
    expect(queueId).toBe(queue?.[0]);
  });

  it('serves the queue with its declared routing profile, a voice call at a time, kept on delete', () => {
    const profiles = resourcesOf(example, 'AWS::Connect::RoutingProfile');
    expect(profiles).toHaveLength(1);
    const [[, profile]] = profiles as any;
    const queueArn = { 'Fn::GetAtt': [createdQueueId(example, 'Storage call center'), 'QueueArn'] };
    expect(profile.Properties).toMatchObject({
      Description: 'call-tracking routing profile call-center-agents',
      DefaultOutboundQueueArn: queueArn,
      MediaConcurrencies: [{ Channel: 'VOICE', Concurrency: 1 }],
      QueueConfigs: [
        { Priority: 1, Delay: 0, QueueReference: { Channel: 'VOICE', QueueArn: queueArn } },
      ],
    });
    expect(profile.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(profile.UpdateReplacePolicy).toBe('Retain');
  });

  it('puts every queue the flow can reach in a routing profile', () => {
    const served = servedQueueArns(example);
    expect(reachableQueueArns(example, examplePortfolio).length).toBeGreaterThan(0);
    for (const arn of reachableQueueArns(example, examplePortfolio)) expect(served).toContain(arn);
  });

  it('creates no agent: the example staffs its queue in the Connect console', () => {
    expect(resourcesOf(example, 'AWS::Connect::User')).toEqual([]);
    expect(resourcesOf(example, 'AWS::SecretsManager::Secret')).toEqual([]);
  });
});

describe('a call center with queues no profile names, an existing queue and agents', () => {
  it('serves the queues no declared profile lists with a default routing profile', () => {
    const payments = { 'Fn::GetAtt': [createdQueueId(staffed, 'Payments desk'), 'QueueArn'] };
    staffed.hasResourceProperties('AWS::Connect::RoutingProfile', {
      Description: 'call-tracking queues no declared routing profile serves',
      DefaultOutboundQueueArn: payments,
      QueueConfigs: [
        { Priority: 1, Delay: 0, QueueReference: { Channel: 'VOICE', QueueArn: payments } },
        { Priority: 1, Delay: 0, QueueReference: { Channel: 'VOICE', QueueArn: EXISTING_QUEUE } },
      ],
    });
    const served = servedQueueArns(staffed);
    const reachable = reachableQueueArns(staffed, staffedPortfolio);
    expect(reachable).toHaveLength(3);
    for (const arn of reachable) expect(served).toContain(arn);
  });

  it('keeps a queue without hours always open and without a contact limit', () => {
    const [, payments] = resourcesOf(staffed, 'AWS::Connect::Queue').find(
      ([id]) => id === createdQueueId(staffed, 'Payments desk'),
    ) as any;
    expect(payments.Properties.MaxContacts).toBeUndefined();
    const [alwaysOpenId, alwaysOpen] = resourcesOf(staffed, 'AWS::Connect::HoursOfOperation').find(
      ([, r]) => r.Properties.TimeZone === 'UTC',
    ) as any;
    // 00:00 to 00:00 is the whole day in Connect.
    expect(alwaysOpen.Properties.Config).toHaveLength(7);
    expect(alwaysOpen.Properties.Config).toContainEqual({
      Day: 'SUNDAY',
      StartTime: { Hours: 0, Minutes: 0 },
      EndTime: { Hours: 0, Minutes: 0 },
    });
    expect(payments.Properties.HoursOfOperationArn).toEqual({
      'Fn::GetAtt': [alwaysOpenId, 'HoursOfOperationArn'],
    });
  });

  it('creates agents in their routing profile, the first password only a Secrets Manager reference', () => {
    const users = resourcesOf(staffed, 'AWS::Connect::User').map(([, r]) => r);
    expect(users.map((u) => u.Properties.Username)).toEqual(['maria.lopez', 'sam@example.com']);
    const [connectManaged, external] = users;
    expect(connectManaged?.Properties).toMatchObject({
      SecurityProfileArns: [SECURITY_PROFILE],
      RoutingProfileArn: {
        'Fn::GetAtt': [
          expect.stringContaining('RoutingProfilecallcenteragents'),
          'RoutingProfileArn',
        ],
      },
      IdentityInfo: { FirstName: 'Maria', LastName: 'Lopez' },
      PhoneConfig: { PhoneType: 'SOFT_PHONE' },
    });
    const password = JSON.stringify(connectManaged?.Properties.Password);
    expect(password).toMatch(
      /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"[^"]+"\},":SecretString:password::\}\}"\]\]\}$/,
    );
    // SAML or a directory signs the agent in: Connect refuses a password then.
    expect(external?.Properties.Password).toBeUndefined();
    staffed.resourceCountIs('AWS::SecretsManager::Secret', 1);
    staffed.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 32, RequireEachIncludedType: true }),
    });
    for (const user of users) expect(user.DeletionPolicy ?? 'Delete').toBe('Delete');
  });

  it("exposes each queue's maximum wait for the queue flows, 30 minutes where none is declared", () => {
    expect(Object.fromEntries(staffedStack.queueMaxWaitSeconds)).toEqual({
      'call-center': 1800,
      payments: 1800,
      overflow: 600,
    });
  });
});

describe('the deploy target refuses a call center Connect would refuse', () => {
  const problemsOf = (portfolio: Portfolio, existingInstanceArn: string | undefined) =>
    deployTargetProblems({
      portfolio: everyNumberClaimed(portfolio),
      env: TEST_ENV,
      stackPrefix: 'call-tracking',
      recordingRetentionDays: 365,
      ...(existingInstanceArn ? { existingInstanceArn } : {}),
    });
  const withAgents = { ...examplePortfolio, agents: staffedPortfolio.agents };

  it('takes agents whose security profile is of the instance', () => {
    expect(problemsOf(withAgents, INSTANCE)).toEqual([]);
  });

  it('fails on agents with a security profile of another instance', () => {
    const other = 'arn:aws:connect:us-east-1:123456789012:instance/other/security-profile/p1';
    const [first, second] = withAgents.agents as [PortfolioAgent, PortfolioAgent];
    const problems = problemsOf(
      { ...withAgents, agents: [first, { ...second, securityProfile: other }] },
      INSTANCE,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      'agents sam@example.com have a security profile of another instance than connectInstanceArn',
    );
  });

  it('fails on agents in a new instance, whose security profiles have no ARN yet', () => {
    expect(problemsOf(withAgents, undefined).join('\n')).toContain(
      'agents maria.lopez, sam@example.com are declared, but the stack creates a new instance',
    );
  });

  it('fails on a routing profile whose name, as created, is longer than Connect takes', () => {
    const [profile] = examplePortfolio.routingProfiles as [Portfolio['routingProfiles'][number]];
    const problems = problemsOf(
      { ...examplePortfolio, routingProfiles: [{ ...profile, name: 'Agents '.repeat(15).trim() }] },
      INSTANCE,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /routing profile call-center-agents would be created as "(Agents ){14}Agents \(call-tracking-xxxxxxxx\)".*, 129 characters, and Connect takes at most 127/,
      ),
    ]);
  });
});
