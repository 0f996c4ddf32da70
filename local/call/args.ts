/**
 * `npm run call`'s arguments: the flags, their checks and the usage text. Kept apart from the run
 * (local/call/run.ts), and light to load, so a usage error or --help answers at once.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isE164 } from '../../lambdas/domain/phone-number.js';
import type {
  AgentStaffing,
  InQueueChoice,
  QueueBehaviour,
  ThirdPartyBehaviour,
  VoicemailChoice,
} from '../../lambdas/flow/simulator/types.js';
import { LOCAL_RECORDING_CONTROL_ARN, LOCAL_ROUTE_CALL_ARN, localDataDirectory } from '../names.js';
import type { GivenLambdaAnswer, RecordingControlMode, RouteCallMode } from '../world.js';

/** The example portfolio (local/routing-system.ts's default, named here so --help needs no heavy import). */
export const DEFAULT_PORTFOLIO_PATH = fileURLToPath(
  new URL('../../config/portfolio.yaml', import.meta.url),
);

const RING_TO: readonly ThirdPartyBehaviour[] = ['answer', 'no-answer', 'busy', 'fail'];
const ROUTE_CALL: readonly RouteCallMode[] = ['real', 'fail', 'dynamodb-hangs'];
const QUEUE: readonly QueueBehaviour[] = ['queued', 'at-capacity', 'fail'];
const AGENTS: readonly AgentStaffing[] = ['available', 'busy', 'none'];
const RECORDING_CONTROL: readonly RecordingControlMode[] = ['succeed', 'fail'];
const IN_QUEUE: readonly InQueueChoice[] = ['wait', 'callback', 'message', 'hang-up'];
const VOICEMAIL: readonly VoicemailChoice[] = ['leave', 'hang-up'];
export const HOURS = ['open', 'closed'] as const;
export type Hours = (typeof HOURS)[number];

/** The functions the local system runs itself: --lambda cannot answer for them. */
const LOCAL_FUNCTION_ARNS = [LOCAL_ROUTE_CALL_ARN, LOCAL_RECORDING_CONTROL_ARN];
const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;

export const USAGE = `Usage: npm run call -- --to <number> --from <number> [options]

Runs one simulated call through contact-flows/inbound-call.json against a local routing table
(dynalite, in memory) filled from the portfolio, with the real route-call handler.

  --to <number>              the dialed number, E.164 (e.g. a tracking number: +15125550151)
  --from <number>            the caller's number, E.164
  --at <time>                when the call starts: ISO 8601 with an offset
                             (e.g. 2026-11-26T21:00:00-06:00); default: now
  --ring-to <how>            how the location's ring-to answers:
                             ${RING_TO.join(', ')} (default answer)
  --digits <keys>            the keys the caller presses, one per input the flow asks for
                             (e.g. 2); keys it never asks for are reported as unused
  --route-call <how>         ${ROUTE_CALL.join(', ')} (default real)
  --queue <how>              how a queue takes the call: ${QUEUE.join(', ')} (default queued)
  --agents <who>             who staffs every queue: available (an agent takes a queued call),
                             busy (staffed, nobody free: the customer queue flow runs to the
                             queue's maximum wait), none (the staffing check finds nobody: the flow's next
                             step); default available
  --in-queue <what>          what a waiting caller does at the queue flow's offer: wait (keeps
                             waiting: a message at the queue's maximum wait), callback (presses
                             1), message (presses 2), hang-up; default wait
  --voicemail <what>         what the caller does at the voicemail tone: leave (a message), or
                             hang-up; default leave
  --recording-control <how>  ${RECORDING_CONTROL.join(', ')} (default succeed)
  --hours <how>              how CheckHoursOfOperation answers: open, closed (default: the
                             hours of the dialed number's location at the call's time, as the
                             portfolio declares them; open for a number it does not route
                             and for a queue's own hours, as the stack creates its queues)
  --portfolio <file>         the portfolio file (default config/portfolio.yaml)
  --flow <file>              another flow to run, e.g. one exported from the Connect console.
                             Only route-call and recording-control run locally: any other
                             Lambda ARN the flow invokes answers with an error (the block's
                             Error branch) unless --lambda gives it an answer
  --lambda <arn>=<answer>    the answer of a function that is not local, repeatable: fail (an
                             invocation error), or the JSON object it returns, checked as the
                             block's ResponseType says (STRING_MAP: string values only), e.g.
                             --lambda 'arn:aws:lambda:us-east-1:111122223333:function:f={"a":"1"}'
  --json                     print one JSON object instead of the readable trace
  --data <dir>               the local system's data directory (default .local/)
  --offline                  do not log the call in a running \`npm start\`
  -h, --help                 print this help

When \`npm start\` runs (on the same --data), the call uses its routing table and is logged
as Connect would log it: the recording lands in its local S3 and the contact record goes
through the ingest, so the call shows in GET /calls and the dashboard at once.

Each option but --lambda is given at most once.
Exit status: 0 the call was simulated, 1 the flow or the portfolio cannot be used (or an
unexpected error, its stack trace on stderr), 2 bad arguments.
`;

export class UsageError extends Error {}

export interface CallArguments {
  readonly to: string;
  readonly from: string;
  readonly at: Date;
  readonly atText: string;
  readonly ringTo: ThirdPartyBehaviour;
  readonly routeCall: RouteCallMode;
  readonly queue: QueueBehaviour;
  readonly agents: AgentStaffing;
  readonly inQueue: InQueueChoice;
  readonly voicemail: VoicemailChoice;
  readonly recordingControl: RecordingControlMode;
  readonly digits: string | undefined;
  /** undefined: from the portfolio. */
  readonly hours: Hours | undefined;
  readonly lambdas: Readonly<Record<string, GivenLambdaAnswer>>;
  readonly portfolio: string;
  readonly flow: string | undefined;
  readonly json: boolean;
  /** The data directory of the `npm start` to log the call in, if it runs. */
  readonly data: URL;
  readonly offline: boolean;
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/** The instant of an ISO 8601 time with an offset; undefined if it is not one, or not a real date. */
const parseTime = (text: string): Date | undefined => {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const realDay =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === month - 1 &&
    calendar.getUTCDate() === day;
  const offsetOk = m[7] === 'Z' || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  if (!realDay || hour > 23 || minute > 59 || second > 59 || !offsetOk) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
};

const oneOf = <T extends string>(
  option: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T => {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${option} must be one of ${allowed.join(', ')}, got "${value}"`);
};

const phoneNumber = (option: string, value: string | undefined): string => {
  if (value === undefined) throw new UsageError(`--${option} is required`);
  if (!isE164(value)) {
    throw new UsageError(
      `--${option} must be an E.164 number (+, country code, digits, e.g. +15125550151), got "${value}"`,
    );
  }
  return value;
};

/** One --lambda: `<arn>=fail` or `<arn>=<JSON object>`; throws UsageError. */
const givenLambda = (value: string): [string, GivenLambdaAnswer] => {
  const at = value.indexOf('=');
  const arn = at < 0 ? value : value.slice(0, at);
  const answer = at < 0 ? undefined : value.slice(at + 1);
  if (!LAMBDA_ARN.test(arn)) {
    throw new UsageError(
      `--lambda must be <Lambda function ARN>=fail or =<JSON object>, got "${value}"`,
    );
  }
  if (LOCAL_FUNCTION_ARNS.includes(arn)) {
    throw new UsageError(
      `--lambda ${arn}: a local function, set by --route-call or --recording-control`,
    );
  }
  if (answer === 'fail') return [arn, 'fail'];
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer ?? '');
  } catch {
    throw new UsageError(`--lambda ${arn}: the answer must be fail or a JSON object`);
  }
  // Any object: whether it passes the block's response validation is the simulator's to say.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(
      `--lambda ${arn}: the answer must be fail or a JSON object, got ${answer}`,
    );
  }
  return [arn, parsed as Record<string, unknown>];
};

/** The arguments, checked; throws UsageError naming what is wrong. `undefined` means --help. */
export const parseCallArguments = (argv: readonly string[]): CallArguments | undefined => {
  const options = {
    to: { type: 'string' },
    from: { type: 'string' },
    at: { type: 'string' },
    'ring-to': { type: 'string' },
    digits: { type: 'string' },
    'route-call': { type: 'string' },
    queue: { type: 'string' },
    agents: { type: 'string' },
    'in-queue': { type: 'string' },
    voicemail: { type: 'string' },
    'recording-control': { type: 'string' },
    hours: { type: 'string' },
    lambda: { type: 'string', multiple: true },
    portfolio: { type: 'string' },
    flow: { type: 'string' },
    json: { type: 'boolean' },
    data: { type: 'string' },
    offline: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let values: Record<string, string | boolean | string[] | undefined>;
  let tokens: { kind: string; name?: string }[];
  try {
    ({ values, tokens } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      tokens: true,
      options,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // parseArgs keeps the last of a repeated option: a second --to is a mistake, not an override.
  const seen = new Map<string, number>();
  for (const token of tokens) {
    if (token.kind === 'option' && token.name !== undefined) {
      seen.set(token.name, (seen.get(token.name) ?? 0) + 1);
    }
  }
  const repeated = [...seen].filter(
    ([name, count]) => count > 1 && !('multiple' in options[name as keyof typeof options]),
  );
  if (repeated.length > 0) {
    throw new UsageError(
      repeated.map(([name]) => `--${name} is given more than once: give it once`).join('\n'),
    );
  }
  if (values.help) return undefined;
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problems.push(error.message);
      return undefined;
    }
  };
  const to = attempt(() => phoneNumber('to', text('to')));
  const from = attempt(() => phoneNumber('from', text('from')));
  const atText = text('at');
  const at = atText === undefined ? new Date() : parseTime(atText);
  if (!at) {
    problems.push(
      `--at must be an ISO 8601 time with an offset, e.g. 2026-11-26T21:00:00-06:00, got "${atText}"`,
    );
  }
  const digits = text('digits');
  if (digits !== undefined && !/^[0-9*#]{1,20}$/.test(digits)) {
    problems.push(`--digits must be the keys pressed (0-9, * and #), got "${digits}"`);
  }
  const ringTo = attempt(() => oneOf('ring-to', text('ring-to'), RING_TO, 'answer'));
  const routeCall = attempt(() => oneOf('route-call', text('route-call'), ROUTE_CALL, 'real'));
  const queue = attempt(() => oneOf('queue', text('queue'), QUEUE, 'queued'));
  const agents = attempt(() => oneOf('agents', text('agents'), AGENTS, 'available'));
  const inQueue = attempt(() => oneOf('in-queue', text('in-queue'), IN_QUEUE, 'wait'));
  const voicemail = attempt(() => oneOf('voicemail', text('voicemail'), VOICEMAIL, 'leave'));
  const recordingControl = attempt(() =>
    oneOf('recording-control', text('recording-control'), RECORDING_CONTROL, 'succeed'),
  );
  const hoursText = text('hours');
  const hours =
    hoursText === undefined ? undefined : attempt(() => oneOf('hours', hoursText, HOURS, 'open'));
  const lambdas: Record<string, GivenLambdaAnswer> = {};
  const lambdaValues = values.lambda;
  for (const value of Array.isArray(lambdaValues) ? lambdaValues : []) {
    const given = attempt(() => givenLambda(value));
    if (!given) continue;
    const [arn, answer] = given;
    if (Object.hasOwn(lambdas, arn)) problems.push(`--lambda ${arn} is given twice`);
    lambdas[arn] = answer;
  }
  const portfolio = text('portfolio');
  if (portfolio === '') problems.push('--portfolio must name a file');
  const flow = text('flow');
  if (flow === '') problems.push('--flow must name a file');
  const data = text('data');
  if (data === '') problems.push('--data must name a directory');
  if (
    problems.length > 0 ||
    !to ||
    !from ||
    !at ||
    !ringTo ||
    !routeCall ||
    !queue ||
    !agents ||
    !inQueue ||
    !voicemail ||
    !recordingControl ||
    (hoursText !== undefined && !hours)
  ) {
    throw new UsageError(problems.join('\n'));
  }
  return {
    to,
    from,
    at,
    atText: atText ?? at.toISOString(),
    ringTo,
    routeCall,
    queue,
    agents,
    inQueue,
    voicemail,
    recordingControl,
    digits,
    hours,
    lambdas,
    portfolio: portfolio ?? DEFAULT_PORTFOLIO_PATH,
    flow,
    json: values.json === true,
    data: localDataDirectory(data),
    offline: values.offline === true,
  };
};
