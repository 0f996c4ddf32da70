import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_BUDGET_MS } from '../../lambdas/contracts/environment.js';
import { callMain } from '../../local/call/main.js';
import { type CliRun, runInProcess } from '../support/cli.js';

/**
 * `npm run call`: in-process through callMain (what scripts/call.ts runs), and as a child process
 * exactly as the npm script runs it where the process is what is tested: its exit code, a stdout
 * with nothing else on it, a stack trace on stderr, and ending with no handle left open.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const runCall = (args: readonly string[]): Promise<CliRun> => runInProcess(callMain, args);

/** `preload`: a module imported before the script, to break its environment. */
const runCallProcess = (args: readonly string[], preload?: string): Promise<CliRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(preload ? ['--import', preload] : []), '--import', 'tsx', 'scripts/call.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        // The script must end on its own: a handle left open would show as a kill here.
        timeout: 20_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
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

  it('prints a readable trace, with the location and the outcome (a process)', async () => {
    const run = await runCallProcess([...CALL, ...MONDAY_10AM]);
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

  it('--ring-to no-answer at another location, open: its ring-to rings out, then its fallback', async () => {
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
    expect(report.location).toMatchObject({ locationId: 'round-rock', open: 'true' });
    expect(JSON.stringify(report.trace)).toMatch(/\+15125550111 did not answer/);
    // Its fallback is the system's own voicemail: the flow takes the message, nothing is dialed.
    expect(report).toMatchObject({
      outcome: 'voicemail',
      endpoint: 'none',
      voicemail: { durationSeconds: expect.any(Number) },
      callback: null,
    });
    expect(report.attributes).toMatchObject({
      fallbackType: 'voicemail',
      fallbackNumber: 'none',
      voicemail: 'recording',
    });
  });

  describe('who staffs the call center (austin-north at 3 AM: closed, its fallback the call-center queue)', () => {
    const AT_3_AM = ['--at', '2026-11-23T03:00:00-06:00'];
    const CALL_CENTER =
      'arn:aws:connect:us-east-1:000000000000:instance/00000000-0000-4000-8000-000000000000/queue/call-center';

    it('--agents none: the staffing check finds nobody, the caller leaves a message, never queued', async () => {
      const run = await runCall([...CALL, ...AT_3_AM, '--agents', 'none', '--offline', '--json']);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as Record<string, any>;
      expect(report.outcome).toBe('voicemail');
      expect(report.endpoint).not.toBe(CALL_CENTER);
      expect(report.waitSeconds).toBe(0);
      expect(report.attributes.staffing).toBe('unstaffed');
      expect(report.contactRecord.Attributes.staffing).toBe('unstaffed');
      expect(report.contactRecord.Queue).toBeNull();
      expect(report.call.conditions).toContain('agents: none');
      // The location is closed at 3 AM; the queue's own hours are open, as the stack creates them.
      expect(report.location.open).toBe('false');
      expect(report.hoursChecks).toMatchObject([{ queueArn: CALL_CENTER, open: true }]);
      const staffing = report.trace.find((s: { type: string }) => s.type === 'CheckMetricData');
      expect(staffing).toMatchObject({
        branch: 'next',
        parameters: { MetricType: 'NumberOfAgentsStaffed' },
      });
    });

    it('--agents available (the default): queued, and an agent answers, said in the text', async () => {
      const json = JSON.parse((await runCall([...CALL, ...AT_3_AM, '--offline', '--json'])).stdout);
      expect(json).toMatchObject({ outcome: 'queued', endpoint: CALL_CENTER, waitSeconds: 10 });
      expect(json.attributes.staffing).toBe('staffed');
      expect(json.contactRecord.Agent).toMatchObject({
        ConnectedToAgentTimestamp: expect.any(String),
      });
      expect(json.contactRecord.Queue).toMatchObject({ Duration: 10 });
      const text = await runCall([...CALL, ...AT_3_AM, '--offline']);
      expect(text.stdout).toContain(
        `Outcome: queued in ${CALL_CENTER}, answered by an agent after 10 s`,
      );
    });

    it('--agents busy: the queue flow holds, offers, and at the 30-minute bound takes a message', async () => {
      const json = JSON.parse(
        (await runCall([...CALL, ...AT_3_AM, '--agents', 'busy', '--offline', '--json'])).stdout,
      );
      expect(json).toMatchObject({ outcome: 'voicemail', callback: null });
      expect(json.waitSeconds).toBeGreaterThan(1500);
      expect(json.waitSeconds).toBeLessThanOrEqual(1800);
      expect(json.contactRecord.Agent).toBeNull();
      const text = await runCall([...CALL, ...AT_3_AM, '--agents', 'busy', '--offline']);
      expect(text.stdout).toContain('Staffing\n');
    });

    it.each([
      ['callback', 'callback'],
      ['message', 'voicemail'],
      ['hang-up', 'hung-up'],
    ])('--agents busy --in-queue %s: %s, well before the bound', async (choice, outcome) => {
      const json = JSON.parse(
        (
          await runCall([
            ...CALL,
            ...AT_3_AM,
            '--agents',
            'busy',
            '--in-queue',
            choice,
            '--offline',
            '--json',
          ])
        ).stdout,
      );
      expect(json.outcome).toBe(outcome);
      expect(json.waitSeconds).toBeLessThan(200);
      expect(json.call.conditions).toContain(`in queue: ${choice}`);
      if (outcome === 'callback') {
        expect(json.callback).toMatchObject({ number: '+15125559876' });
        expect(json.attributes.callback).toBe('requested');
      }
    });

    it('--voicemail hang-up: the caller hangs up at the tone, no message', async () => {
      const json = JSON.parse(
        (
          await runCall([
            ...CALL,
            ...AT_3_AM,
            '--agents',
            'none',
            '--voicemail',
            'hang-up',
            '--offline',
            '--json',
          ])
        ).stdout,
      );
      expect(json).toMatchObject({ outcome: 'hung-up', voicemail: null });
      expect(json.attributes.voicemail).toBe('recording');
    });
  });

  it('after hours at another location (round-rock, Monday 12:30, its lunch break): its fallback, the ring-to never rung', async () => {
    const run = await runCall([
      '--to',
      '+15125550160',
      '--from',
      '+15125559876',
      '--at',
      '2026-11-23T12:30:00-06:00',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.location).toMatchObject({ locationId: 'round-rock', open: 'false' });
    const dialed = report.trace
      .filter((s: { type: string }) => s.type === 'TransferParticipantToThirdParty')
      .map(
        (s: { parameters: { ThirdPartyPhoneNumber: string } }) =>
          s.parameters.ThirdPartyPhoneNumber,
      );
    // The system's own voicemail: nothing is dialed.
    expect(dialed).toEqual([]);
    expect(report.outcome).toBe('voicemail');
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

  it('--digits the flow never asked for: reported as unused, readable and as JSON', async () => {
    const [json, readable, used, unknown] = await Promise.all([
      runCall([...CALL, ...MONDAY_10AM, '--digits', '23', '--json']),
      runCall([...CALL, ...MONDAY_10AM, '--digits', '23']),
      runCall([...CALL, ...MONDAY_10AM, '--digits', '2', '--json']),
      // An unknown number reaches no menu: every key goes unused.
      runCall(['--to', '+15125550100', '--from', '+15125559876', '--digits', '1', '--json']),
    ]);
    expect((JSON.parse(json.stdout) as { unusedDigits: string }).unusedDigits).toBe('3');
    expect(readable.stdout).toContain(
      'Unused digits: 3 (the flow asked for fewer keys than --digits gave)',
    );
    expect((JSON.parse(used.stdout) as { unusedDigits: string }).unusedDigits).toBe('');
    expect((JSON.parse(unknown.stdout) as { unusedDigits: string }).unusedDigits).toBe('1');
  });

  it('an unexpected error: its stack trace on stderr, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'call-cli-broken-'));
    try {
      const preload = join(dir, 'no-listen.mjs');
      // No server can listen: dynalite cannot start, which is neither a flow nor a portfolio problem.
      await writeFile(
        preload,
        "import net from 'node:net';\nnet.Server.prototype.listen = function () { throw new Error('simulated: no sockets here'); };\n",
      );
      const run = await runCallProcess([...CALL, ...MONDAY_10AM], preload);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^call: unexpected error: Error: simulated: no sockets here\n\s+at /,
      );
      expect(run.stderr).toMatch(/dynamo\.ts/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('--route-call dynamodb-hangs: the static fallback, and the process still ends cleanly', async () => {
    const run = await runCallProcess([
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
    // route-call gives up at its budget: its answer comes within the budget and a small margin.
    expect(report.invocations[0].elapsedMs).toBeLessThanOrEqual(DEFAULT_ROUTE_BUDGET_MS + 300);
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
    [[...CALL, '--to', '+15125550152'], /--to is given more than once: give it once/],
    [[...CALL, '--json', '--json'], /--json is given more than once/],
    [[...CALL, '--ring-to', 'busy', '--ring-to=answer'], /--ring-to is given more than once/],
    [
      [...CALL, '--agents', 'asleep'],
      /--agents must be one of available, busy, none, got "asleep"/,
    ],
  ])('%j: usage on stderr, exit 2', async (args, problem) => {
    const run = await runCall(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain('Usage: npm run call -- --to <number> --from <number>');
  });

  it('names every problem at once (a process: exit code 2)', async () => {
    const run = await runCallProcess(['--to', 'x', '--ring-to', 'maybe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--to must be an E\.164/);
    expect(run.stderr).toMatch(/--from is required/);
    expect(run.stderr).toMatch(/--ring-to must be one of/);
  });

  it('--help prints the usage on stdout, exit 0 (a process)', async () => {
    const run = await runCallProcess(['--help']);
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

  it('a --flow file that cannot be read: its problem without a stack trace, exit 1', async () => {
    const run = await runCall([...CALL, '--flow', 'contact-flows/no-such-flow.json']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^call: contact-flows\/no-such-flow\.json cannot be read: ENOENT/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('a portfolio that cannot be read: its problem, exit 1', async () => {
    const run = await runCall([...CALL, '--portfolio', 'config/no-such-portfolio.yaml']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/config\/no-such-portfolio\.yaml: 1 problem in the portfolio/);
    expect(run.stdout).toBe('');
  });
});

describe.concurrent('npm run call --flow with a console export', () => {
  /**
   * Shaped as the Connect console exports a flow (Version 2019-10-30, UUID identifiers, the
   * console's Metadata), written for these tests: it checks hours, then asks a CRM function that
   * is not one of the local ones, and says which branch it took.
   */
  const IDS = {
    hours: '7b1e2c3d-4f50-4a61-8b72-9c8d7e6f0b01',
    crm: '8c2f3d4e-5061-4b72-9c83-0d9e8f7a0b02',
    open: '9d304e5f-6172-4c83-8d94-1e0f9a8b0b03',
    closed: 'ae415f60-7283-4d94-9ea5-2f1a0b9c0b04',
    crmFailed: 'bf526071-8394-4ea5-8fb6-3a2b1c0d0b05',
    bye: 'c0637182-94a5-4fb6-90c7-4b3c2d1e0b06',
  };
  const CRM = 'arn:aws:lambda:us-east-1:111122223333:function:crm-lookup';
  const HOURS_ARN =
    'arn:aws:connect:us-east-1:111122223333:instance/0f1e2d3c-4b5a-4697-8887-766554433221/operating-hours/5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d';
  const message = (id: string, text: string) => ({
    Parameters: { Text: text },
    Identifier: id,
    Type: 'MessageParticipant',
    Transitions: {
      NextAction: IDS.bye,
      Errors: [{ NextAction: IDS.bye, ErrorType: 'NoMatchingError' }],
    },
  });
  const exported = {
    Version: '2019-10-30',
    StartAction: IDS.hours,
    Metadata: {
      entryPointPosition: { x: 40, y: 40 },
      snapToGrid: false,
      ActionMetadata: {
        [IDS.hours]: {
          position: { x: 160, y: 40 },
          hours: { id: HOURS_ARN, text: 'Basic Hours' },
        },
        [IDS.crm]: {
          position: { x: 400, y: 40 },
          parameters: { LambdaFunctionARN: { displayName: 'crm-lookup' } },
          dynamicMetadata: {},
        },
        [IDS.open]: { position: { x: 640, y: 40 } },
        [IDS.closed]: { position: { x: 400, y: 240 } },
        [IDS.crmFailed]: { position: { x: 640, y: 240 } },
        [IDS.bye]: { position: { x: 880, y: 40 } },
      },
      Annotations: [],
      name: 'Exported hours and CRM',
      description: '',
      type: 'contactFlow',
      status: 'published',
      hash: {},
    },
    Actions: [
      {
        Parameters: { HoursOfOperationId: HOURS_ARN },
        Identifier: IDS.hours,
        Type: 'CheckHoursOfOperation',
        Transitions: {
          NextAction: IDS.closed,
          Conditions: [
            { NextAction: IDS.crm, Condition: { Operator: 'Equals', Operands: ['True'] } },
            { NextAction: IDS.closed, Condition: { Operator: 'Equals', Operands: ['False'] } },
          ],
          Errors: [{ NextAction: IDS.closed, ErrorType: 'NoMatchingError' }],
        },
      },
      {
        Parameters: {
          LambdaFunctionARN: CRM,
          InvocationTimeLimitSeconds: '3',
          InvocationType: 'SYNCHRONOUS',
          ResponseValidation: { ResponseType: 'STRING_MAP' },
        },
        Identifier: IDS.crm,
        Type: 'InvokeLambdaFunction',
        Transitions: {
          NextAction: IDS.open,
          Errors: [{ NextAction: IDS.crmFailed, ErrorType: 'NoMatchingError' }],
        },
      },
      message(IDS.open, 'We are open. Your tier is $.External.tier.'),
      message(IDS.closed, 'We are closed.'),
      message(IDS.crmFailed, 'We are open, but the CRM did not answer.'),
      {
        Parameters: {},
        Identifier: IDS.bye,
        Type: 'DisconnectParticipant',
        Transitions: {},
      },
    ],
  };

  let dir: string;
  let path: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'call-cli-export-'));
    path = join(dir, 'exported.json');
    await writeFile(path, JSON.stringify(exported, null, 2));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const prompts = (report: Record<string, any>): string[] =>
    report.prompts.map((p: { text: string }) => p.text);
  const SUNDAY_9PM = ['--at', '2026-11-22T21:00:00-06:00'];

  it('hours from the portfolio: austin-north at Monday 10:00 is open; the CRM takes the Error branch, said', async () => {
    const run = await runCall([...CALL, ...MONDAY_10AM, '--flow', path]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Hours of operation (the portfolio's hours of austin-north");
    expect(run.stdout).toMatch(/open at 2026-11-23T16:00:00\.000Z/);
    expect(run.stdout).toContain('"We are open, but the CRM did not answer."');
    expect(run.stdout).toContain(`no local function has the ARN ${CRM}`);
  });

  it('hours from the portfolio: austin-north at Sunday 21:00 is closed', async () => {
    const run = await runCall([...CALL, ...SUNDAY_9PM, '--flow', path, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(prompts(report)).toEqual(['We are closed.']);
    expect(report.hoursChecks).toEqual([
      { hoursOfOperationId: HOURS_ARN, at: '2026-11-23T03:00:00.000Z', open: false },
    ]);
  });

  it('--hours open overrides the portfolio; --lambda gives the CRM its answer', async () => {
    const run = await runCall([
      ...CALL,
      ...SUNDAY_9PM,
      '--flow',
      path,
      '--hours',
      'open',
      '--lambda',
      `${CRM}={"tier":"gold"}`,
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(prompts(report)).toEqual(['We are open. Your tier is gold.']);
    expect(report.invocations).toMatchObject([
      { function: 'given', arn: CRM, outcome: { kind: 'ok', result: { tier: 'gold' } } },
    ]);
    expect(report.call.conditions).toContain('hours: open');
  });

  it('--hours closed at an open time; --lambda <arn>=fail', async () => {
    const closed = await runCall([
      ...CALL,
      ...MONDAY_10AM,
      '--flow',
      path,
      '--hours',
      'closed',
      '--json',
    ]);
    expect(prompts(JSON.parse(closed.stdout) as Record<string, any>)).toEqual(['We are closed.']);
    const failed = await runCall([
      ...CALL,
      ...MONDAY_10AM,
      '--flow',
      path,
      '--lambda',
      `${CRM}=fail`,
      '--json',
    ]);
    const report = JSON.parse(failed.stdout) as Record<string, any>;
    expect(prompts(report)).toEqual(['We are open, but the CRM did not answer.']);
    expect(report.invocations[0]).toMatchObject({ function: 'given', outcome: { kind: 'error' } });
  });

  it('--lambda with a non-string value: the simulator refuses it as a STRING_MAP answer, the Error branch', async () => {
    const run = await runCall([
      ...CALL,
      ...MONDAY_10AM,
      '--flow',
      path,
      '--lambda',
      `${CRM}={"tier":1}`,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(prompts(report)).toEqual(['We are open, but the CRM did not answer.']);
    expect(report.trace.find((s: { identifier: string }) => s.identifier === IDS.crm).note).toMatch(
      /STRING_MAP response: "tier" is 1, not a string/,
    );
  });

  it('a number the portfolio does not route: hours open', async () => {
    const run = await runCall([
      '--to',
      '+15125550100',
      '--from',
      '+15125559876',
      ...SUNDAY_9PM,
      '--flow',
      path,
      '--json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, any>;
    expect(report.hoursChecks[0].open).toBe(true);
    expect(report.hoursSource).toBe('+15125550100 routes to no location: open');
  });

  it.each([
    [['--hours', 'maybe'], /--hours must be one of open, closed, got "maybe"/],
    [['--lambda', 'crm={"a":"1"}'], /--lambda must be <Lambda function ARN>=fail/],
    [['--lambda', `${CRM}`], /--lambda .*crm-lookup: the answer must be fail or a JSON object/],
    [['--lambda', `${CRM}=["a"]`], /the answer must be fail or a JSON object, got \["a"\]/],
    [
      ['--lambda', 'arn:aws:lambda:us-east-1:000000000000:function:route-call=fail'],
      /a local function, set by --route-call or --recording-control/,
    ],
    [['--lambda', `${CRM}=fail`, '--lambda', `${CRM}={}`], /is given twice/],
  ])('%j: usage, exit 2', async (args, problem) => {
    const run = await runCall([...CALL, ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(problem);
  });

  it('the usage says what happens to other functions', async () => {
    const run = await runCall(['--help']);
    expect(run.stdout).toMatch(/any other\s+Lambda ARN the flow invokes answers with an error/);
    expect(run.stdout).toContain('--lambda <arn>=<answer>');
    expect(run.stdout).toContain('--hours <how>');
  });
});
