import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';

/** Runs the CDK app as `cdk synth` does (context through CDK_CONTEXT_JSON), without bundling. */
const synth = (portfolio: string) => {
  const outdir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  return spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_NO_WARNINGS: '1',
      CDK_OUTDIR: outdir,
      CDK_DEFAULT_REGION: 'us-east-1',
      CDK_CONTEXT_JSON: JSON.stringify({
        ...JSON.parse(readFileSync('cdk.json', 'utf8')).context,
        portfolio,
        'aws:cdk:bundling-stacks': [],
      }),
    },
  });
};

const writePortfolio = (change: (raw: any) => void) => {
  const raw = parse(readFileSync('config/portfolio.yaml', 'utf8'));
  change(raw);
  const path = join(mkdtempSync(join(tmpdir(), 'portfolio-')), 'looping.yaml');
  writeFileSync(path, stringify(raw));
  return path;
};

describe('cdk synth of the app', () => {
  it('succeeds on the example portfolio', () => {
    const result = synth('config/portfolio.yaml');
    expect(result.stderr).not.toMatch(/problem/);
    expect(result.status).toBe(0);
  });

  it('fails on a portfolio with a ring loop, naming the file and the entry', () => {
    const path = writePortfolio((raw) => {
      raw.locations[0].ringTo = raw.locations[0].publishedNumbers[0];
    });
    const result = synth(path);
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
