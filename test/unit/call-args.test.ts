import { describe, expect, it } from 'vitest';
import {
  type CallArguments,
  DEFAULT_PORTFOLIO_PATH,
  parseCallArguments,
  USAGE,
  UsageError,
} from '../../local/call/args.js';
import { LOCAL_DATA_DIRECTORY, LOCAL_ROUTE_CALL_ARN } from '../../local/names.js';
import { DEFAULT_PORTFOLIO_PATH as SYSTEM_DEFAULT_PORTFOLIO_PATH } from '../../local/routing-system.js';

/** The arguments of `npm run call`, parsed in-process (test/unit/call-cli.test.ts runs the script). */

const CALL = ['--to', '+15125550151', '--from', '+15125559876'];
const CRM = 'arn:aws:lambda:us-east-1:111122223333:function:crm-lookup';

const parsed = (argv: readonly string[]): CallArguments => {
  const args = parseCallArguments(argv);
  if (!args) throw new Error('expected arguments, got --help');
  return args;
};

/** The UsageError's message, one problem a line; fails when the arguments are accepted. */
const refusal = (argv: readonly string[]): string => {
  try {
    parseCallArguments(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(argv)}`);
};

describe('parseCallArguments', () => {
  it('the defaults: answered, real route-call, queued, recording succeeds, hours from the portfolio', () => {
    const before = Date.now();
    const args = parsed(CALL);
    expect(args).toMatchObject({
      to: '+15125550151',
      from: '+15125559876',
      ringTo: 'answer',
      routeCall: 'real',
      queue: 'queued',
      agents: 'available',
      inQueue: 'wait',
      voicemail: 'leave',
      recordingControl: 'succeed',
      digits: undefined,
      hours: undefined,
      lambdas: {},
      portfolio: DEFAULT_PORTFOLIO_PATH,
      flow: undefined,
      json: false,
      offline: false,
    });
    expect(args.data.href).toBe(LOCAL_DATA_DIRECTORY.href);
    // No --at: now, and its text is that instant.
    expect(args.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(args.at.getTime()).toBeLessThanOrEqual(Date.now());
    expect(args.atText).toBe(args.at.toISOString());
  });

  it('the default portfolio is the local system’s', () => {
    expect(DEFAULT_PORTFOLIO_PATH).toBe(SYSTEM_DEFAULT_PORTFOLIO_PATH);
  });

  it('every option given', () => {
    const args = parsed([
      ...CALL,
      '--at',
      '2026-11-26T21:00:00.5-06:00',
      '--ring-to',
      'busy',
      '--digits',
      '2*#',
      '--route-call',
      'dynamodb-hangs',
      '--queue',
      'at-capacity',
      '--agents',
      'busy',
      '--in-queue',
      'callback',
      '--voicemail',
      'hang-up',
      '--recording-control',
      'fail',
      '--hours=closed',
      '--lambda',
      `${CRM}={"tier":"gold"}`,
      '--lambda',
      `${CRM}:live=fail`,
      '--portfolio',
      'some/portfolio.yaml',
      '--flow',
      'some/flow.json',
      '--json',
      '--data',
      '/tmp/call-args-data',
      '--offline',
    ]);
    expect(args).toMatchObject({
      atText: '2026-11-26T21:00:00.5-06:00',
      ringTo: 'busy',
      digits: '2*#',
      routeCall: 'dynamodb-hangs',
      queue: 'at-capacity',
      agents: 'busy',
      inQueue: 'callback',
      voicemail: 'hang-up',
      recordingControl: 'fail',
      hours: 'closed',
      lambdas: { [CRM]: { tier: 'gold' }, [`${CRM}:live`]: 'fail' },
      portfolio: 'some/portfolio.yaml',
      flow: 'some/flow.json',
      json: true,
      offline: true,
    });
    expect(args.at.toISOString()).toBe('2026-11-27T03:00:00.500Z');
    expect(args.data.pathname).toMatch(/^\/tmp\/call-args-data\/?$/);
  });

  it('--at in UTC (Z) and a leap day', () => {
    expect(parsed([...CALL, '--at', '2028-02-29T10:00Z']).at.toISOString()).toBe(
      '2028-02-29T10:00:00.000Z',
    );
  });

  it('--help (or -h) answers undefined, whatever else is given', () => {
    expect(parseCallArguments(['--help'])).toBeUndefined();
    expect(parseCallArguments(['-h', '--to', 'x'])).toBeUndefined();
  });

  it.each([
    [[], '--to is required\n--from is required'],
    [['--to', '+15125550151'], '--from is required'],
    [
      ['--to', '5125550151', '--from', '+15125559876'],
      '--to must be an E.164 number (+, country code, digits, e.g. +15125550151), got "5125550151"',
    ],
    [
      [...CALL, '--at', '2026-11-26T21:00:00'],
      '--at must be an ISO 8601 time with an offset, e.g. 2026-11-26T21:00:00-06:00, got "2026-11-26T21:00:00"',
    ],
    [[...CALL, '--at', '2026-02-30T10:00:00-06:00'], /^--at must be an ISO 8601 time/],
    [[...CALL, '--at', '2026-11-26T24:00:00-06:00'], /^--at must be an ISO 8601 time/],
    [[...CALL, '--at', '2026-11-26T21:00:00-06:60'], /^--at must be an ISO 8601 time/],
    [[...CALL, '--at', 'tomorrow'], /^--at must be an ISO 8601 time.*got "tomorrow"$/],
    [[...CALL, '--digits', '2a'], '--digits must be the keys pressed (0-9, * and #), got "2a"'],
    [[...CALL, '--digits', ''], '--digits must be the keys pressed (0-9, * and #), got ""'],
    [
      [...CALL, '--ring-to', 'maybe'],
      '--ring-to must be one of answer, no-answer, busy, fail, got "maybe"',
    ],
    [
      [...CALL, '--route-call', 'slow'],
      '--route-call must be one of real, fail, dynamodb-hangs, got "slow"',
    ],
    [[...CALL, '--queue', 'full'], '--queue must be one of queued, at-capacity, fail, got "full"'],
    [[...CALL, '--agents', 'some'], '--agents must be one of available, busy, none, got "some"'],
    [
      [...CALL, '--in-queue', 'press-1'],
      '--in-queue must be one of wait, callback, message, hang-up, got "press-1"',
    ],
    [[...CALL, '--voicemail', 'none'], '--voicemail must be one of leave, hang-up, got "none"'],
    [
      [...CALL, '--agents', 'none', '--agents', 'busy'],
      '--agents is given more than once: give it once',
    ],
    [
      [...CALL, '--recording-control', 'off'],
      '--recording-control must be one of succeed, fail, got "off"',
    ],
    [[...CALL, '--hours', 'maybe'], '--hours must be one of open, closed, got "maybe"'],
    [
      [...CALL, '--lambda', 'crm={"a":"1"}'],
      '--lambda must be <Lambda function ARN>=fail or =<JSON object>, got "crm={"a":"1"}"',
    ],
    [[...CALL, '--lambda', CRM], `--lambda ${CRM}: the answer must be fail or a JSON object`],
    [
      [...CALL, '--lambda', `${CRM}=["a"]`],
      `--lambda ${CRM}: the answer must be fail or a JSON object, got ["a"]`,
    ],
    [
      [...CALL, '--lambda', `${CRM}=null`],
      `--lambda ${CRM}: the answer must be fail or a JSON object, got null`,
    ],
    [
      [...CALL, '--lambda', `${LOCAL_ROUTE_CALL_ARN}=fail`],
      `--lambda ${LOCAL_ROUTE_CALL_ARN}: a local function, set by --route-call or --recording-control`,
    ],
    [
      [...CALL, '--lambda', `${CRM}=fail`, '--lambda', `${CRM}={}`],
      `--lambda ${CRM} is given twice`,
    ],
    [[...CALL, '--portfolio', ''], '--portfolio must name a file'],
    [[...CALL, '--flow', ''], '--flow must name a file'],
    [[...CALL, '--data', ''], '--data must name a directory'],
    [[...CALL, '--to', '+15125550152'], '--to is given more than once: give it once'],
    [
      [...CALL, '--json', '--json', '--offline', '--offline'],
      '--json is given more than once: give it once\n--offline is given more than once: give it once',
    ],
    [
      [...CALL, '--ring-to', 'busy', '--ring-to=answer'],
      '--ring-to is given more than once: give it once',
    ],
    [[...CALL, '--colour'], /^Unknown option '--colour'/],
    [[...CALL, 'extra'], /positional argument/],
    [[...CALL, '--to'], /--to/],
  ] as const)('%j is refused: %s', (argv, problem) => {
    const message = refusal(argv);
    if (typeof problem === 'string') expect(message).toBe(problem);
    else expect(message).toMatch(problem);
  });

  it('names every problem at once, one a line', () => {
    expect(refusal(['--to', 'x', '--ring-to', 'maybe', '--data', '']).split('\n')).toEqual([
      '--to must be an E.164 number (+, country code, digits, e.g. +15125550151), got "x"',
      '--from is required',
      '--ring-to must be one of answer, no-answer, busy, fail, got "maybe"',
      '--data must name a directory',
    ]);
  });

  it('a repeated option is refused before anything else, even --help', () => {
    expect(refusal(['--help', '--help'])).toBe('--help is given more than once: give it once');
  });
});

describe('USAGE', () => {
  it('lists every option and the choices of each', () => {
    for (const option of [
      '--to <number>',
      '--from <number>',
      '--at <time>',
      '--ring-to <how>',
      '--digits <keys>',
      '--route-call <how>',
      '--queue <how>',
      '--agents <who>',
      '--in-queue <what>',
      '--voicemail <what>',
      '--recording-control <how>',
      '--hours <how>',
      '--portfolio <file>',
      '--flow <file>',
      '--lambda <arn>=<answer>',
      '--json',
      '--data <dir>',
      '--offline',
      '-h, --help',
    ]) {
      expect(USAGE).toContain(option);
    }
    expect(USAGE).toContain('answer, no-answer, busy, fail (default answer)');
    expect(USAGE).toContain('--route-call <how>         real, fail, dynamodb-hangs (default real)');
    expect(USAGE).toContain('queued, at-capacity, fail (default queued)');
    expect(USAGE).toContain('succeed, fail (default succeed)');
    expect(USAGE).toMatch(
      /--agents <who> +who staffs every queue: available .*busy .*none .*default available/s,
    );
  });
});
