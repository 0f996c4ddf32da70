import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException,
  ConnectClient,
  DescribeInstanceCommand,
  ListContactFlowsCommand,
  ListHoursOfOperationsCommand,
  ListInstancesCommand,
  ListPhoneNumbersV2Command,
  ListQueuesCommand,
  ListRoutingProfilesCommand,
  ResourceNotFoundException,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { GetAccountSettingsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetAWSDefaultServiceQuotaCommand,
  GetServiceQuotaCommand,
  NoSuchResourceException,
  AccessDeniedException as QuotasAccessDenied,
  ServiceQuotasClient,
} from '@aws-sdk/client-service-quotas';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { type PreflightClientFactory, preflightMain } from '../../ops/preflight/cli.js';
import { STACK_RESERVED_CONCURRENCY } from '../../ops/preflight/stack-facts.js';
import { type CliRun, runInProcess } from '../support/cli.js';
import { INSTANCE_ARN, INSTANCE_ID, queueArn } from '../support/fixtures.js';

/**
 * `npm run preflight` in-process, over a mocked account (aws-sdk-client-mock): what it reads,
 * what it says would fail, the quota increases it names, its exit codes and its --json.
 */

const connect = mockClient(ConnectClient);
const serviceQuotas = mockClient(ServiceQuotasClient);
const lambda = mockClient(LambdaClient);

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' };
const makeClients: PreflightClientFactory = ({ region }) => {
  const config = { region: region ?? 'us-east-1', credentials, maxAttempts: 1 };
  return {
    connect: new ConnectClient(config),
    serviceQuotas: new ServiceQuotasClient(config),
    lambda: new LambdaClient(config),
  };
};

const runPreflight = (args: readonly string[]): Promise<CliRun> =>
  runInProcess((argv, output) => preflightMain(argv, output, makeClients), args);

const EXAMPLE = loadPortfolio('config/portfolio.yaml');
/** The example's `number:` entries: the numbers its instance must hold. */
const GIVEN_NUMBERS = EXAMPLE.trackingNumbers.flatMap((t) => (t.number ? [t.number] : []));
const CLAIMS = EXAMPLE.trackingNumbers.filter((t) => t.claim).length;
const OTHER_NUMBER = '+15125550177';

const quotaValues: Record<string, number> = {};
const DEFAULT_QUOTAS = {
  'L-8F812903': 20, // phone numbers per instance
  'L-AA17A6B9': 2, // instances
  'L-22922690': 100,
  'L-19A87C94': 50,
  'L-20CD02F7': 100,
  'L-D3E7BE26': 500,
  'L-D2ECB451': 2,
};

const names = (list: readonly string[], kind: string) =>
  list.map((Name, i) => ({ Name, Arn: `${INSTANCE_ARN}/${kind}/${kind}-${i}` }));

/** An instance that takes the example: active, the numbers claimed, no name taken. */
const healthyAccount = () => {
  connect.on(DescribeInstanceCommand).resolves({
    Instance: {
      InstanceStatus: 'ACTIVE',
      InstanceAlias: 'acme-storage',
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    },
  });
  connect
    .on(ListContactFlowsCommand)
    .resolves({
      ContactFlowSummaryList: names(['Default inbound'], 'contact-flow'),
      NextToken: 'p2',
    })
    .on(ListContactFlowsCommand, { NextToken: 'p2' })
    .resolves({ ContactFlowSummaryList: names(['Sample queue customer'], 'contact-flow') });
  connect.on(ListQueuesCommand).resolves({
    QueueSummaryList: [{ Name: 'BasicQueue', Arn: queueArn('basic') }],
  });
  connect
    .on(ListHoursOfOperationsCommand)
    .resolves({ HoursOfOperationSummaryList: names(['Basic Hours'], 'operating-hours') });
  connect
    .on(ListRoutingProfilesCommand)
    .resolves({ RoutingProfileSummaryList: names(['Basic Routing Profile'], 'routing-profile') });
  connect.on(ListPhoneNumbersV2Command).resolves({
    ListPhoneNumbersSummaryList: [...GIVEN_NUMBERS, OTHER_NUMBER].map((PhoneNumber, i) => ({
      PhoneNumber,
      PhoneNumberId: `pn-${i}`,
    })),
  });
  Object.assign(quotaValues, DEFAULT_QUOTAS);
  serviceQuotas.on(GetServiceQuotaCommand).callsFake(async ({ QuotaCode }) => {
    const Value = quotaValues[QuotaCode];
    if (Value === undefined) throw new NoSuchResourceException({ message: 'no', $metadata: {} });
    return { Quota: { QuotaCode, Value } };
  });
  lambda.on(GetAccountSettingsCommand).resolves({
    AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 900 },
  });
};

const INSTANCE = ['--instance-arn', INSTANCE_ARN];

const jsonOf = (run: CliRun) => JSON.parse(run.stdout) as Record<string, any>;
const failuresOf = (run: CliRun) =>
  (jsonOf(run).failures as { check: string; message: string }[]).map((f) => f.check);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'preflight-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The example portfolio, changed by `edit`, written to a file of its own. */
const examplePortfolioWith = async (file: string, edit: (raw: any) => void): Promise<string> => {
  const { readFile } = await import('node:fs/promises');
  const raw = parse(await readFile('config/portfolio.yaml', 'utf8'));
  edit(raw);
  const path = join(dir, file);
  await writeFile(path, stringify(raw));
  return path;
};

beforeEach(() => {
  connect.reset();
  serviceQuotas.reset();
  lambda.reset();
  for (const key of Object.keys(quotaValues)) delete quotaValues[key];
  healthyAccount();
});

describe('npm run preflight, into an existing instance', () => {
  it('all clear: exit 0, every check passed, and the deploy command to run', async () => {
    const run = await runPreflight(INSTANCE);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Nothing would fail. Deploy with:');
    expect(run.stdout).toContain(
      `npx cdk deploy --all -c portfolio=config/portfolio.yaml -c connectInstanceArn=${INSTANCE_ARN}`,
    );
    expect(run.stdout).not.toContain('Would fail');
    expect(connect).toHaveReceivedCommandWith(DescribeInstanceCommand, { InstanceId: INSTANCE_ID });
    // Every page of every list is read.
    expect(connect).toHaveReceivedCommandTimes(ListContactFlowsCommand, 2);
    expect(connect).toHaveReceivedCommandWith(ListQueuesCommand, { QueueTypes: ['STANDARD'] });
    expect(connect).toHaveReceivedCommandWith(ListPhoneNumbersV2Command, {
      TargetArn: INSTANCE_ARN,
    });
    // The phone-number quota is the instance's own.
    expect(serviceQuotas).toHaveReceivedCommandWith(GetServiceQuotaCommand, {
      ServiceCode: 'connect',
      QuotaCode: 'L-8F812903',
      ContextId: INSTANCE_ARN,
    });
    expect(connect).not.toHaveReceivedCommand(ListInstancesCommand);
  });

  it('--json: one object with the verdicts, the quota increases and the target', async () => {
    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(0);
    const report = jsonOf(run);
    expect(Object.keys(report)).toEqual([
      'ok',
      'region',
      'portfolio',
      'instanceArn',
      'stackPrefix',
      'failures',
      'warnings',
      'quotaIncreases',
      'passed',
    ]);
    expect(report).toMatchObject({
      ok: true,
      region: 'us-east-1',
      portfolio: 'config/portfolio.yaml',
      instanceArn: INSTANCE_ARN,
      stackPrefix: 'call-tracking',
      failures: [],
      quotaIncreases: [],
    });
    expect(new Set(report.passed.map((p: { check: string }) => p.check))).toEqual(
      new Set([
        'instance',
        'names',
        'numbers',
        'phone-number-quota',
        'claim-release',
        'association-rate',
        'lambda-concurrency',
        'synth',
      ]),
    );
    const phones = report.passed.find((p: { check: string }) => p.check === 'phone-number-quota');
    expect(phones.message).toContain(
      `${GIVEN_NUMBERS.length + 1 + CLAIMS} phone numbers (${GIVEN_NUMBERS.length + 1} in the instance, ${CLAIMS} to claim) within the quota of 20`,
    );
  });

  it('fails on a "number:" entry the instance does not hold, naming it and the fix', async () => {
    connect.on(ListPhoneNumbersV2Command).resolves({
      ListPhoneNumbersSummaryList: GIVEN_NUMBERS.slice(1).map((PhoneNumber, i) => ({
        PhoneNumber,
        PhoneNumberId: `pn-${i}`,
      })),
    });

    const run = await runPreflight(INSTANCE);

    expect(run.code).toBe(1);
    const missing = EXAMPLE.trackingNumbers.find((t) => t.number === GIVEN_NUMBERS[0]);
    expect(run.stdout).toContain(
      `1 tracking number is given as "number:" but not claimed in the instance: ${missing?.id} (${GIVEN_NUMBERS[0]})`,
    );
    expect(run.stdout).toContain('or declare them with "claim:"');
    expect(run.stdout).toContain('1 check fails');
    // Once brought in, it counts against the phone-number quota too.
    expect(run.stdout).toContain(
      `(${GIVEN_NUMBERS.length - 1} in the instance, 1 "number:" entry to bring into it, ${CLAIMS} to claim)`,
    );
  });

  it('names what an earlier deploy of the prefix left, without failing: the new names carry the new stack id', async () => {
    connect.on(ListContactFlowsCommand).resolves({
      ContactFlowSummaryList: names(
        ['call-tracking-1a2b3c4d-inbound', 'call-tracking-inbound'],
        'contact-flow',
      ),
    });
    connect.on(ListQueuesCommand).resolves({
      QueueSummaryList: [
        { Name: 'Storage call center (call-tracking-1a2b3c4d)', Arn: queueArn('left') },
        { Name: 'Storage call center (staging-1a2b3c4d)', Arn: queueArn('other-stage') },
      ],
    });
    connect.on(ListHoursOfOperationsCommand).resolves({
      HoursOfOperationSummaryList: names(['call-tracking-1a2b3c4d-call-center-hours'], 'hours'),
    });

    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(0);
    const warnings = jsonOf(run)
      .warnings.filter((w: { check: string }) => w.check === 'names')
      .map((w: { message: string }) => w.message);
    // Only this prefix's leftovers, with an id: not another stage's, not a name without one.
    expect(warnings).toEqual([
      expect.stringMatching(
        /^contact flow left by an earlier deploy of this stack prefix: "call-tracking-1a2b3c4d-inbound";/,
      ),
      expect.stringMatching(
        /^queue left by an earlier deploy of this stack prefix: "Storage call center \(call-tracking-1a2b3c4d\)";/,
      ),
      expect.stringMatching(
        /^hours of operation left by an earlier deploy .*: "call-tracking-1a2b3c4d-call-center-hours";/,
      ),
    ]);
    expect(warnings[1]).toContain('adopt a kept queue with "arn:" in the portfolio');

    const staging = await runPreflight([...INSTANCE, '--stack-prefix', 'staging', '--json']);
    expect(
      jsonOf(staging)
        .warnings.map((w: { message: string }) => w.message)
        .join('\n'),
    ).toContain('"Storage call center (staging-1a2b3c4d)"');
  });

  it('fails when the numbers it would hold pass the quota, and names the increase to request', async () => {
    quotaValues['L-8F812903'] = 5;

    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(1);
    const needed = GIVEN_NUMBERS.length + 1 + CLAIMS;
    expect(failuresOf(run)).toEqual(['phone-number-quota']);
    expect(jsonOf(run).quotaIncreases).toEqual([
      {
        serviceCode: 'connect',
        quotaCode: 'L-8F812903',
        quotaName: 'Phone numbers per instance',
        current: 5,
        needed,
        request: `aws service-quotas request-service-quota-increase --service-code connect --quota-code L-8F812903 --desired-value ${needed} --context-id <instance ARN>`,
      },
    ]);
    const text = await runPreflight(INSTANCE);
    expect(text.stdout).toContain(
      `Phone numbers per instance (connect L-8F812903): 5 now, ${needed} needed`,
    );
  });

  it("counts the routing profiles the call center adds against the instance's quota", async () => {
    quotaValues['L-D3E7BE26'] = 1;

    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(1);
    expect(jsonOf(run).failures).toEqual([
      expect.objectContaining({
        check: 'instance-quotas',
        message: expect.stringContaining(
          'the instance has 1 and the stack adds 1 (routing profile), past its quota "Routing profiles per instance" (L-D3E7BE26) of 1: request 2',
        ),
      }),
    ]);
  });

  it('assumes the documented default, and says so, when a quota cannot be read', async () => {
    serviceQuotas
      .on(GetServiceQuotaCommand, { QuotaCode: 'L-8F812903' })
      .rejects(new QuotasAccessDenied({ message: 'not allowed', $metadata: {} }));

    const run = await runPreflight([...INSTANCE, '--json']);

    const report = jsonOf(run);
    expect(report.warnings[0].message).toContain(
      'quota "Phone numbers per instance" (L-8F812903): servicequotas:GetServiceQuota is denied to these credentials',
    );
    expect(report.warnings[0].message).toContain('assuming the default of 5');
    // The example needs more than 5.
    expect(run.code).toBe(1);
    expect(failuresOf(run)).toEqual(['phone-number-quota']);
  });

  it('reads the AWS default where Service Quotas holds no applied value', async () => {
    delete quotaValues['L-D2ECB451'];
    serviceQuotas.on(GetAWSDefaultServiceQuotaCommand).resolves({ Quota: { Value: 2 } });

    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(0);
    expect(serviceQuotas).toHaveReceivedCommandWith(GetAWSDefaultServiceQuotaCommand, {
      ServiceCode: 'connect',
      QuotaCode: 'L-D2ECB451',
    });
  });

  it('fails when fewer than 100 Lambda concurrent executions stay unreserved', async () => {
    lambda.on(GetAccountSettingsCommand).resolves({
      AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 50 },
    });

    const run = await runPreflight([...INSTANCE, '--json']);

    expect(run.code).toBe(1);
    const report = jsonOf(run);
    expect(report.failures).toEqual([
      expect.objectContaining({
        check: 'lambda-concurrency',
        message: expect.stringMatching(
          new RegExp(
            `^only ${50 - STACK_RESERVED_CONCURRENCY} of the account's 1000 Lambda concurrent executions would stay unreserved \\(the stack reserves ${STACK_RESERVED_CONCURRENCY}\\)`,
          ),
        ),
      }),
    ]);
    // 950 reserved by other functions + the stack's own + 100 unreserved.
    expect(report.quotaIncreases).toEqual([
      expect.objectContaining({
        serviceCode: 'lambda',
        quotaCode: 'L-B99A9384',
        current: 1000,
        needed: 1050 + STACK_RESERVED_CONCURRENCY,
      }),
    ]);
  });

  it('fails on an instance that is not active or takes no calls', async () => {
    connect.on(DescribeInstanceCommand).resolves({
      Instance: {
        InstanceStatus: 'CREATION_IN_PROGRESS',
        InboundCallsEnabled: false,
        OutboundCallsEnabled: false,
      },
    });

    const run = await runPreflight([...INSTANCE, '--json']);

    const messages = jsonOf(run).failures.map((f: { message: string }) => f.message);
    expect(messages).toEqual([
      expect.stringContaining('the instance is CREATION_IN_PROGRESS, not ACTIVE'),
      expect.stringContaining('--attribute-type INBOUND_CALLS --value true'),
      expect.stringContaining('--attribute-type OUTBOUND_CALLS --value true'),
    ]);
  });

  it('fails on a queue given by ARN that is not a queue of the instance', async () => {
    const other = 'arn:aws:connect:us-east-1:111122223333:instance/another-instance/queue/q1';
    const file = await examplePortfolioWith('queue-arn.yaml', (raw) => {
      // An existing queue keeps the hours and limits it has in Connect.
      const { hours, timeZone, maxContacts, ...queue } = raw.queues[0];
      raw.queues[0] = { ...queue, arn: other };
    });

    const run = await runPreflight([...INSTANCE, '--portfolio', file, '--json']);

    expect(run.code).toBe(1);
    expect(jsonOf(run).failures).toEqual([
      expect.objectContaining({
        check: 'queues',
        message: expect.stringContaining(
          `queue call-center is given as arn: ${other}, which is not a queue of the instance`,
        ),
      }),
    ]);
  });

  describe('when the instance cannot be read', () => {
    it('missing: says so and checks nothing else of the instance', async () => {
      connect
        .on(DescribeInstanceCommand)
        .rejects(new ResourceNotFoundException({ message: 'Instance not found', $metadata: {} }));

      const run = await runPreflight(INSTANCE);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `[instance] instance ${INSTANCE_ARN} does not exist in us-east-1 (ResourceNotFoundException: Instance not found): check the ARN`,
      );
      expect(connect).not.toHaveReceivedCommand(ListQueuesCommand);
      expect(connect).not.toHaveReceivedCommand(ListPhoneNumbersV2Command);
      // Its numbers are unknown: no verdict on them either way.
      expect(run.stdout).not.toContain('[phone-number-quota]');
    });

    it('access denied: names the action and the credentials to use', async () => {
      connect
        .on(DescribeInstanceCommand)
        .rejects(new AccessDeniedException({ message: 'User is not authorized', $metadata: {} }));

      const run = await runPreflight(INSTANCE);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'connect:DescribeInstance is denied to these credentials (AccessDeniedException: User is not authorized); run preflight with the credentials you deploy with (--profile)',
      );
    });

    it('throttled: says to run again', async () => {
      connect
        .on(DescribeInstanceCommand)
        .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

      const run = await runPreflight(INSTANCE);

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        'connect:DescribeInstance was still throttled after retries (ThrottlingException: Rate exceeded)',
      );
      expect(run.stdout).toContain('run preflight again in a minute');
    });
  });
});

describe('npm run preflight, into a new instance', () => {
  beforeEach(() => {
    connect
      .on(ListInstancesCommand)
      .resolves({ InstanceSummaryList: [{ InstanceAlias: 'sales' }] });
  });

  it('fails on the example\'s "number:" entries, naming -c connectInstanceArn and claim:', async () => {
    const run = await runPreflight(['--json']);

    expect(run.code).toBe(1);
    const [numbers] = jsonOf(run).failures;
    expect(numbers.check).toBe('numbers');
    expect(numbers.message).toContain(
      `${GIVEN_NUMBERS.length} tracking numbers are given as "number:"`,
    );
    expect(numbers.message).toContain('-c connectInstanceArn=<its ARN> for cdk deploy');
    expect(numbers.message).toContain('declare them with "claim:"');
    expect(connect).not.toHaveReceivedCommand(DescribeInstanceCommand);
  });

  it('passes a portfolio that claims its numbers, with room for one more instance', async () => {
    const file = await examplePortfolioWith('claims.yaml', (raw) => {
      for (const t of raw.trackingNumbers) {
        if (t.number) {
          delete t.number;
          t.claim = { country: 'US', type: 'DID' };
        }
      }
    });

    const run = await runPreflight(['--portfolio', file]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1 of 2 Connect instances in us-east-1: room for the new one');
    expect(run.stdout).toContain(`npx cdk deploy --all -c portfolio=${file}\n`);
  });

  it("fails when the account has no room for another instance, or one has the stack's alias", async () => {
    connect.on(ListInstancesCommand).resolves({
      InstanceSummaryList: [
        { InstanceAlias: 'sales' },
        { InstanceAlias: 'call-tracking-111122223333' },
      ],
    });

    const run = await runPreflight(['--json']);

    const report = jsonOf(run);
    expect(report.failures.map((f: { check: string }) => f.check)).toEqual([
      'numbers',
      'instance-quota',
      'instance-alias',
    ]);
    expect(report.failures[2].message).toContain('"Instance alias is already used"');
    expect(report.quotaIncreases).toEqual([
      expect.objectContaining({ quotaCode: 'L-AA17A6B9', current: 2, needed: 3 }),
    ]);
    // A chosen alias is the only one that counts.
    const chosen = await runPreflight(['--instance-alias', 'acme-calls', '--json']);
    expect(failuresOf(chosen)).toEqual(['numbers', 'instance-quota']);
  });
});

describe('npm run preflight, bad input', () => {
  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'unexpected argument extra'],
    [['--instance-arn', 'arn:aws:connect:us-east-1:1:instance'], 'is not a Connect instance ARN'],
    [[...INSTANCE, '--region', 'eu-west-2'], '--region eu-west-2 but the instance is in us-east-1'],
    [[...INSTANCE, '--instance-alias', 'x'], 'give it or --instance-arn, not both'],
    [['--portfolio', 'config/none.yaml'], 'cannot read the portfolio config/none.yaml'],
  ])('%j: exit 2, the problem and the usage on stderr', async (args, problem) => {
    const run = await runPreflight(args);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(problem);
    expect(run.stderr).toContain('Usage: npm run preflight');
    expect(connect).not.toHaveReceivedAnyCommand();
  });

  it('an invalid portfolio: exit 1 with every problem, as synth reports them', async () => {
    const file = await examplePortfolioWith('loop.yaml', (raw) => {
      raw.locations[0].ringTo = raw.locations[0].publishedNumbers[0];
    });

    const run = await runPreflight(['--portfolio', file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^preflight: .*loop\.yaml: 1 problem in the portfolio/);
  });

  it('no region anywhere: exit 2, naming --region and AWS_REGION', async () => {
    const regionless: PreflightClientFactory = () => {
      const config = { region: () => Promise.reject(new Error('Region is missing')), credentials };
      return {
        connect: new ConnectClient(config),
        serviceQuotas: new ServiceQuotasClient(config),
        lambda: new LambdaClient(config),
      };
    };

    const run = await runInProcess((argv, output) => preflightMain(argv, output, regionless), []);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('preflight: no AWS region: pass --region, or set AWS_REGION\n');
    expect(connect).not.toHaveReceivedAnyCommand();
  });

  it('no credentials: exit 1, saying which to use, before any read', async () => {
    const anonymous: PreflightClientFactory = ({ region }) => {
      const config = {
        region: region ?? 'us-east-1',
        credentials: () =>
          Promise.reject(new Error('Could not load credentials from any providers')),
      };
      return {
        connect: new ConnectClient(config),
        serviceQuotas: new ServiceQuotasClient(config),
        lambda: new LambdaClient(config),
      };
    };

    const run = await runInProcess(
      (argv, output) => preflightMain(argv, output, anonymous),
      INSTANCE,
    );

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'preflight: no AWS credentials (Could not load credentials from any providers): run it with the credentials you deploy with (--profile <name>',
    );
    expect(connect).not.toHaveReceivedAnyCommand();
  });

  it('--help: the usage, exit 0', async () => {
    const run = await runPreflight(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--instance-arn <arn>');
  });
});
