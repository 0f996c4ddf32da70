import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `npm run call`, run as a child process exactly as the npm script runs it. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

const runCall = (args: readonly string[]): Promise<Run> =>
  new Promise((resolve) => {
    const started = performance.now();
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/call.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        // The script must end on its own: a handle left open would show as a kill here.
        timeout: 20_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({
          code,
          signal: error?.signal ?? null,
          stdout,
          stderr,
          ms: performance.now() - started,
        });
      },
    );
  });

const CALL = ['--to', '+15125550151', '--from', '+15125559876'];
const MONDAY_10AM = ['--at', '2026-11-23T10:00:00-06:00'];

describe.concurrent('npm run call', () => {
  it('--json: one JSON object, transferred to the ring-to of the tracking number', async () => {
    const run = await runCall([...CALL, ...MONDAY_10AM, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.outcome).toBe('transferred');
    expect(report.endpoint).toBe('+15125550101');
    expect(report.location).toMatchObject({ locationId: 'austin-north', source: 'Google Ads' });
    expect(report.trace.map((s: { identifier: string }) => s.identifier)).toContain('lookup-route');
    expect(report.contactRecord.TransferredToEndpoint).toEqual({
      Address: '+15125550101',
      Type: 'TELEPHONE_NUMBER',
    });
    expect(report.invocations[0]).toMatchObject({
      function: 'route-call',
      outcome: { kind: 'ok', result: { status: 'found' } },
    });
  });

  it('prints a readable trace, with the location and the outcome', async () => {
    const run = await runCall([...CALL, ...MONDAY_10AM]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Call to \+15125550151 from \+15125559876 at 2026-11-23T10:00:00-06:00/,
    );
    expect(run.stdout).toMatch(/^\s+1\s+0\.0s\s+enable-flow-logging\s+next/m);
    expect(run.stdout).toContain(
      '"Thanks for calling Austin North Self Storage. This call may be recorded."',
    );
    expect(run.stdout).toContain(
      'Location: Austin North Self Storage (austin-north), source Google Ads, campaign brand',
    );
    expect(run.stdout).toMatch(/Outcome: transferred to \+15125550101\n$/);
    // route-call's own log line goes to the report, not loose onto stdout.
    expect(run.stdout).not.toContain('"msg":"route-call"');
  });

  it('--ring-to no-answer after hours elsewhere: the fallback, as JSON', async () => {
    const run = await runCall([
      '--to',
      '+15125550160',
      '--from',
      '+15125559876',
      ...MONDAY_10AM,
      '--ring-to',
      'no-answer',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.endpoint).toBe('+15125550119');
  });

  it('--digits 2 at austin-north: recording suspended around the payments line', async () => {
    const run = await runCall([...CALL, ...MONDAY_10AM, '--digits', '2', '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.recording.map((r: { state: string }) => r.state)).toEqual([
      'recording',
      'suspended',
      'recording',
    ]);
    expect(report.contactRecord.TransferredToEndpoint.Address).toBe('+15125550190');
  });

  it('--route-call dynamodb-hangs: the static fallback, and the process still ends cleanly', async () => {
    const run = await runCall([
      ...CALL,
      ...MONDAY_10AM,
      '--route-call',
      'dynamodb-hangs',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.attributes.status).toBe('error');
    expect(report.endpoint).toBe('+15125550199');
    expect(report.invocations[0].elapsedMs).toBeLessThan(2_000);
  });

  it.each([
    [['--from', '+15125559876'], /--to is required/],
    [['--to', '+15125550151'], /--from is required/],
    [
      ['--to', '5125550151', '--from', '+15125559876'],
      /--to must be an E\.164 number.*"5125550151"/,
    ],
    [
      [...CALL, '--ring-to', 'maybe'],
      /--ring-to must be one of answer, no-answer, busy, fail, got "maybe"/,
    ],
    [[...CALL, '--at', '2026-11-26T21:00:00'], /--at must be an ISO 8601 time with an offset/],
    [[...CALL, '--at', '2026-02-30T10:00:00-06:00'], /--at must be an ISO 8601 time/],
    [[...CALL, '--at', 'tomorrow'], /--at must be an ISO 8601 time/],
    [[...CALL, '--digits', '2a'], /--digits must be the keys pressed/],
    [[...CALL, '--route-call', 'slow'], /--route-call must be one of real, fail, dynamodb-hangs/],
    [[...CALL, '--colour'], /Unknown option '--colour'/],
    [[...CALL, 'extra'], /positional argument/],
    [[...CALL, '--to'], /--to/],
  ])('%j: usage on stderr, exit 2', async (args, problem) => {
    const run = await runCall(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain('Usage: npm run call -- --to <number> --from <number>');
  });

  it('names every problem at once', async () => {
    const run = await runCall(['--to', 'x', '--ring-to', 'maybe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--to must be an E\.164/);
    expect(run.stderr).toMatch(/--from is required/);
    expect(run.stderr).toMatch(/--ring-to must be one of/);
  });

  it('--help prints the usage on stdout, exit 0', async () => {
    const run = await runCall(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--ring-to <how>');
    expect(run.stderr).toBe('');
  });

  describe('--flow', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'call-cli-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses a flow with an unsupported action, naming it: exit 1', async () => {
      const flow = JSON.parse(
        await readFile(join(ROOT, 'contact-flows/inbound-call.json'), 'utf8'),
      ) as { StartAction: string; Actions: unknown[] };
      flow.Actions.unshift({
        Identifier: 'open-a-task',
        Type: 'CreateTask',
        Parameters: { Name: 'Call back' },
        Transitions: { NextAction: flow.StartAction },
      });
      flow.StartAction = 'open-a-task';
      const path = join(dir, 'with-task.json');
      await writeFile(path, JSON.stringify(flow));
      const run = await runCall([...CALL, ...MONDAY_10AM, '--flow', path]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/does not support: CreateTask \(id open-a-task\)/);
    });

    it('runs the shipped template itself, its placeholders filled with the local values', async () => {
      const run = await runCall([
        ...CALL,
        ...MONDAY_10AM,
        '--flow',
        'contact-flows/inbound-call.json',
        '--json',
      ]);
      expect(run.code).toBe(0);
      expect((JSON.parse(run.stdout) as { endpoint: string }).endpoint).toBe('+15125550101');
    });
  });

  it('a portfolio that cannot be read: its problem, exit 1', async () => {
    const run = await runCall([...CALL, '--portfolio', 'config/no-such-portfolio.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config\/no-such-portfolio\.yaml: 1 problem in the portfolio/);
    expect(run.stdout).toBe('');
  });
});
