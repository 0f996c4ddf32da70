/**
 * `npm run preflight` without its process (scripts/preflight.ts runs it on the process's
 * streams): reads the account a first deploy goes to and says what would fail there and which
 * quota increases to request. Exit 0 when nothing would fail, 1 when something would, 2 for bad
 * arguments.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConnectClient } from '@aws-sdk/client-connect';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { CONNECT_INSTANCE_ARN_PATTERN } from '../../lambdas/domain/connect-arn.js';
import { PortfolioError } from '../../lambdas/domain/portfolio/parse.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import type { CliOutput } from '../../local/cli-output.js';
import { type Finding, type PreflightReport, planPreflight } from './checks.js';
import { type PreflightClients, readAccountFacts } from './read-account.js';
import { STACK_RESERVED_CONCURRENCY } from './stack-facts.js';

const DEFAULT_PORTFOLIO = 'config/portfolio.yaml';
const DEFAULT_STACK_PREFIX = 'call-tracking';

const USAGE = `Usage: npm run preflight -- [options]

Before the first cdk deploy: reads your AWS account (with your credentials, nothing is changed)
and prints what the deploy would fail on and which quota increases to request. Exit 0 when
nothing would fail, 1 when something would, 2 for bad arguments.

Give the same values as to cdk deploy:
  --portfolio <file>       the portfolio (-c portfolio; default ${DEFAULT_PORTFOLIO})
  --instance-arn <arn>     the existing Connect instance (-c connectInstanceArn); without it the
                           stack creates one
  --instance-alias <alias> the new instance's alias (-c instanceAlias)
  --stack-prefix <prefix>  the stack prefix (-c stackPrefix; default ${DEFAULT_STACK_PREFIX}): it is in
                           the names of the flow, queues and hours the stack creates
AWS:
  --region <region>        default: the instance's region, else AWS_REGION or the profile's
  --profile <name>         the AWS profile to use
Output:
  --json                   print the report as one JSON object
  -h, --help               print this help
`;

class UsageError extends Error {}

/** How preflight reaches AWS; tests pass clients of their own. */
export type PreflightClientFactory = (options: {
  readonly region?: string;
  readonly profile?: string;
}) => PreflightClients;

const awsClients: PreflightClientFactory = ({ region, profile }) => {
  // Adaptive retries ride out Connect's 2 requests a second; reads are few, so 6 attempts do.
  const config = {
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 6,
  };
  return {
    connect: new ConnectClient(config),
    serviceQuotas: new ServiceQuotasClient(config),
    lambda: new LambdaClient(config),
  };
};

const parse = (argv: readonly string[]) => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      portfolio: { type: 'string', default: DEFAULT_PORTFOLIO },
      'instance-arn': { type: 'string' },
      'instance-alias': { type: 'string' },
      'stack-prefix': { type: 'string', default: DEFAULT_STACK_PREFIX },
      region: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true as const };
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument ${positionals[0]}: every value follows its option`);
  }
  const instanceArn = values['instance-arn'];
  if (instanceArn !== undefined) {
    if (!CONNECT_INSTANCE_ARN_PATTERN.test(instanceArn)) {
      throw new UsageError(
        `--instance-arn ${instanceArn} is not a Connect instance ARN: copy it from the Connect console (the instance > Account overview), e.g. arn:aws:connect:us-east-1:123456789012:instance/<uuid>`,
      );
    }
    const instanceRegion = instanceArn.split(':')[3];
    if (values.region !== undefined && values.region !== instanceRegion) {
      throw new UsageError(
        `--region ${values.region} but the instance is in ${instanceRegion}: the stack deploys to the instance's region, so leave --region out or give ${instanceRegion}`,
      );
    }
    if (values['instance-alias'] !== undefined) {
      throw new UsageError(
        '--instance-alias names a new instance: give it or --instance-arn, not both',
      );
    }
  }
  if (!existsSync(values.portfolio)) {
    throw new UsageError(
      `cannot read the portfolio ${values.portfolio}: give an existing file with --portfolio`,
    );
  }
  return {
    help: false as const,
    json: values.json,
    profile: values.profile,
    portfolio: values.portfolio,
    stackPrefix: values['stack-prefix'],
    instanceArn,
    instanceAlias: values['instance-alias'],
    region: values.region ?? instanceArn?.split(':')[3],
  };
};

const findingLines = (findings: readonly Finding[]) =>
  findings.map(({ check, message }) => `  - [${check}] ${message}`);

const formatReport = (report: PreflightReport, target: string, deployCommand: string): string => {
  const lines = [`Preflight of ${target}`, ''];
  if (report.failures.length > 0) {
    lines.push(`Would fail (${report.failures.length}):`, ...findingLines(report.failures), '');
  }
  if (report.quotaIncreases.length > 0) {
    lines.push('Quota increases to request (Service Quotas console, or the command):');
    for (const q of report.quotaIncreases) {
      lines.push(
        `  - ${q.quotaName} (${q.serviceCode} ${q.quotaCode}): ${q.current} now, ${q.needed} needed`,
        `      ${q.request}`,
      );
    }
    lines.push('');
  }
  if (report.warnings.length > 0) {
    lines.push(`Warnings (${report.warnings.length}):`, ...findingLines(report.warnings), '');
  }
  lines.push(`Passed (${report.passed.length}):`, ...findingLines(report.passed), '');
  lines.push(
    report.ok
      ? `Nothing would fail. Deploy with:\n  ${deployCommand}`
      : `${report.failures.length} ${report.failures.length === 1 ? 'check fails' : 'checks fail'}: fix ${report.failures.length === 1 ? 'it' : 'them'} (and request the quota increases) before cdk deploy.`,
  );
  return lines.join('\n');
};

const run = async (
  argv: readonly string[],
  output: CliOutput,
  makeClients: PreflightClientFactory,
): Promise<number> => {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    output.stderr.write(`preflight: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    output.stdout.write(USAGE);
    return 0;
  }
  const portfolio = loadPortfolio(args.portfolio);
  const clients = makeClients({
    ...(args.region ? { region: args.region } : {}),
    ...(args.profile ? { profile: args.profile } : {}),
  });
  const region = await clients.connect.config.region().catch(() => undefined);
  if (!region) {
    output.stderr.write('preflight: no AWS region: pass --region, or set AWS_REGION\n');
    return 2;
  }
  try {
    await clients.connect.config.credentials();
  } catch (error) {
    output.stderr.write(
      `preflight: no AWS credentials (${(error as Error).message}): run it with the credentials you deploy with (--profile <name>, AWS_PROFILE, or aws sso login first)\n`,
    );
    return 1;
  }
  const facts = await readAccountFacts(clients, {
    region,
    ...(args.instanceArn ? { instanceArn: args.instanceArn } : {}),
  });
  const report = planPreflight(
    {
      portfolio,
      stackPrefix: args.stackPrefix,
      ...(args.instanceArn ? { instanceArn: args.instanceArn } : {}),
      ...(args.instanceAlias ? { instanceAlias: args.instanceAlias } : {}),
      stackReservedConcurrency: STACK_RESERVED_CONCURRENCY,
    },
    facts,
  );
  if (args.json) {
    output.stdout.write(
      `${JSON.stringify({
        ok: report.ok,
        region,
        portfolio: args.portfolio,
        instanceArn: args.instanceArn ?? null,
        stackPrefix: args.stackPrefix,
        failures: report.failures,
        warnings: report.warnings,
        quotaIncreases: report.quotaIncreases,
        passed: report.passed,
      })}\n`,
    );
  } else {
    const target = args.instanceArn
      ? `instance ${args.instanceArn}`
      : `a new Connect instance in ${region}`;
    const context = [
      `-c portfolio=${args.portfolio}`,
      ...(args.instanceArn ? [`-c connectInstanceArn=${args.instanceArn}`] : []),
      ...(args.instanceAlias ? [`-c instanceAlias=${args.instanceAlias}`] : []),
      ...(args.stackPrefix !== DEFAULT_STACK_PREFIX ? [`-c stackPrefix=${args.stackPrefix}`] : []),
    ];
    output.stdout.write(
      `${formatReport(report, `${args.stackPrefix} (${args.portfolio}) into ${target}`, `npx cdk deploy --all ${context.join(' ')}`)}\n`,
    );
  }
  return report.ok ? 0 : 1;
};

/** The exit code; the report on `output.stdout`, problems on `output.stderr`. */
export const preflightMain = (
  argv: readonly string[],
  output: CliOutput,
  makeClients: PreflightClientFactory = awsClients,
): Promise<number> =>
  run(argv, output, makeClients).catch((error: unknown) => {
    // An invalid portfolio fails synth too: its message lists every problem.
    const message =
      error instanceof PortfolioError ? error.message : `${(error as Error)?.message ?? error}`;
    output.stderr.write(`preflight: ${message}\n`);
    return 1;
  });
