import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { EXAMPLE_INSTANCE_ARN } from '../../lib/config/deploy-target.js';

/** Runs the CDK app as `cdk synth` does (context through CDK_CONTEXT_JSON), without bundling. */
const synth = (portfolio: string, context: Record<string, string> = {}) => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_NO_WARNINGS: '1',
      CDK_OUTDIR: outdir,
      CDK_DEFAULT_REGION: 'us-east-1',
      CDK_CONTEXT_JSON: JSON.stringify({
        ...JSON.parse(readFileSync('cdk.json', 'utf8')).context,
        portfolio,
        ...context,
        'aws:cdk:bundling-stacks': [],
      }),
    },
  });
  return { ...result, outdir };
};

const writePortfolio = (change: (raw: any) => void) => {
  const raw = parse(readFileSync('config/portfolio.yaml', 'utf8'));
  change(raw);
  const path = join(mkdtempSync(join(tmpdir(), 'portfolio-')), 'looping.yaml');
  writeFileSync(path, stringify(raw));
  return path;
};

// Each test runs the whole app in a child process: three stacks through both gates take longer
// than the default 30 s when the machine is busy.
describe('cdk synth of the app', { timeout: 120_000 }, () => {
  it('succeeds on the example portfolio, with the data, telephony, api and operations stacks', () => {
    const result = synth('config/portfolio.yaml', { connectInstanceArn: EXAMPLE_INSTANCE_ARN });
    expect(result.stderr).not.toMatch(/problem/);
    expect(result.status).toBe(0);
    const templates = readdirSync(result.outdir).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual([
      'call-tracking-api.template.json',
      'call-tracking-data.template.json',
      'call-tracking-operations.template.json',
      'call-tracking-telephony.template.json',
    ]);
  });

  it('fails on the example portfolio into a new instance, naming the fixes, not a stack trace', () => {
    const result = synth('config/portfolio.yaml');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '7 tracking numbers are given as "number:" (austin-north-main,',
    );
    expect(result.stderr).toContain('-c connectInstanceArn=arn:aws:connect:');
    expect(result.stderr).toContain('or declare them with "claim:"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(result.outdir)).toEqual([]); // refused before any template is written
  });

  it('fails on refused API settings with a message saying what to give, not a stack trace', () => {
    const result = synth('config/portfolio.yaml', {
      connectInstanceArn: EXAMPLE_INSTANCE_ARN,
      apiCorsOrigins: 'https://dashboard.example.com,*',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apiCorsOrigins must list the origins, not "*"');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const throttle = synth('config/portfolio.yaml', {
      connectInstanceArn: EXAMPLE_INSTANCE_ARN,
      apiThrottleRate: 'fast',
    });
    expect(throttle.status).toBe(1);
    expect(throttle.stderr).toContain(
      '-c apiThrottleRate=fast is not a positive number of requests per second',
    );
  });

  it('fails on a portfolio with a ring loop, naming the file and the entry', () => {
    const path = writePortfolio((raw) => {
      raw.locations[0].ringTo = raw.locations[0].publishedNumbers[0];
    });
    const result = synth(path, { connectInstanceArn: EXAMPLE_INSTANCE_ARN });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${path}: 1 problem in the portfolio`);
    expect(result.stderr).toContain(
      'locations[0] (austin-north).ringTo is +15125550100, which is also locations[0] (austin-north).publishedNumbers[0]',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('fails on a missing portfolio file with what to do', () => {
    const result = synth('config/no-such-portfolio.yaml');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('pass an existing file with -c portfolio=<path>');
  });
});
