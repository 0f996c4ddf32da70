import { readFileSync } from 'node:fs';
import { queueFlowPlan } from '../../lambdas/domain/portfolio/queue-flow.js';
import type { Fallback, LocationRoute, RouteAnswer } from '../../lambdas/domain/route.js';
import { routeAnswer, unroutedAnswer } from '../../lambdas/domain/route.js';
import { substitutePlaceholders } from '../../lambdas/flow/language/index.js';
import {
  type AgentStaffing,
  type EnumeratedPath,
  enumerateCalls,
  type LabelledOutcome,
  type LambdaAnswers,
  type PathRules,
  type SimulationResult,
  secondsToResolution,
  type VoicemailChoice,
} from '../../lambdas/flow/simulator/index.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { queueArn, routingEntry } from '../support/fixtures.js';
import { inboundFlowText, SAMPLE_PLACEHOLDER_VALUES } from './shipped-flow.js';

/**
 * The enumeration of the shipped inbound flow that the flow tests share: each route-call answer
 * (every fallback type, menu or not, recording or not, open or closed, both payments targets,
 * unknown number, lookup error, function failure, timeout, malformed answer), each recording-control
 * answer (ok, declaring what it did to the recording, or failed), and the rules every path keeps.
 */

const ROUTE_CALL = SAMPLE_PLACEHOLDER_VALUES.RouteCallFunctionArn;
export const RECORDING_CONTROL = SAMPLE_PLACEHOLDER_VALUES.RecordingControlFunctionArn;
export const STATIC_FALLBACK = SAMPLE_PLACEHOLDER_VALUES.StaticFallbackNumber;

const DIALED = '+15125550151';
const RING_TO = '+15125550101';
const FALLBACK_NUMBER = '+15125550170';
const VOICEMAIL = '+15125550180';
const PAYMENTS_NUMBER = '+15125550190';
const CALL_CENTER = queueArn('call-center');
const PAYMENTS_QUEUE = queueArn('payments');

/** A Wednesday, 10:00 and 22:00 in Chicago: open and closed for the example location. */
const OPEN = new Date('2026-11-25T16:00:00Z');
const CLOSED = new Date('2026-11-26T04:00:00Z');

const FALLBACKS: Record<'queue' | 'number' | 'voicemail box' | 'system voicemail', Fallback> = {
  queue: { type: 'queue', queueArn: CALL_CENTER },
  number: { type: 'number', number: FALLBACK_NUMBER },
  'voicemail box': { type: 'voicemail', number: VOICEMAIL },
  // No number: the flow takes the message itself.
  'system voicemail': { type: 'voicemail' },
};

const MENUS: Record<'none' | 'payments number' | 'payments queue', LocationRoute['menu']> = {
  none: undefined,
  'payments number': {
    prompt: 'For rentals, press 1. To make a payment, press 2.',
    payments: { type: 'number', number: PAYMENTS_NUMBER },
  },
  'payments queue': {
    prompt: 'For rentals, press 1. To make a payment, press 2.',
    payments: { type: 'queue', queueArn: PAYMENTS_QUEUE },
  },
};

/**
 * Every combination of the four dimensions of a found route: 4 fallbacks x 3 menus x recording x
 * hours = 48 answers, so that no combination (e.g. a recorded, open call with a payments queue and a
 * voicemail fallback) goes unexplored; and for a recorded location without a menu, the fifth one
 * that matters there: whether its staff take payments (not saying counts as taking them), 8 more.
 */
type FoundRoute = readonly [
  keyof typeof FALLBACKS,
  keyof typeof MENUS,
  boolean,
  Date,
  LocationRoute['takesPaymentsByPhone'],
];

const FOUND_ROUTES: readonly FoundRoute[] = (
  Object.keys(FALLBACKS) as (keyof typeof FALLBACKS)[]
).flatMap((fallback) =>
  (Object.keys(MENUS) as (keyof typeof MENUS)[]).flatMap((menu) =>
    [true, false].flatMap((recorded) =>
      [OPEN, CLOSED].flatMap((at): FoundRoute[] => [
        [fallback, menu, recorded, at, undefined],
        ...(menu === 'none' && recorded ? [[fallback, menu, recorded, at, false] as const] : []),
      ]),
    ),
  ),
);

const answer = (label: string, result: RouteAnswer | Record<string, unknown>): LabelledOutcome => ({
  label,
  outcome: { kind: 'ok', result: { ...result } as Record<string, string> },
});

export const foundAnswers: LabelledOutcome[] = FOUND_ROUTES.map(
  ([fallback, menu, recorded, at, takesPaymentsByPhone]) => {
    const entry = routingEntry({
      route: {
        fallback: FALLBACKS[fallback],
        menu: MENUS[menu],
        recording: {
          enabled: recorded,
          disclosure: 'Thanks for calling Austin North Self Storage. This call may be recorded.',
        },
        ...(takesPaymentsByPhone === undefined ? {} : { takesPaymentsByPhone }),
      },
    });
    const hours = at === OPEN ? 'open' : 'closed';
    const payments = takesPaymentsByPhone === false ? ', staff take no payments' : '';
    return answer(
      `found, ${fallback} fallback, menu ${menu}, ${recorded ? 'recorded' : 'not recorded'}, ${hours}${payments}`,
      routeAnswer(entry, at),
    );
  },
);

const example = routeAnswer(routingEntry(), OPEN);

export const ROUTE_CALL_ANSWERS: readonly LabelledOutcome[] = [
  ...foundAnswers,
  answer('unknown number', unroutedAnswer('unknown', DIALED)),
  answer('lookup error', unroutedAnswer('error', DIALED)),
  { label: 'function error', outcome: { kind: 'error', reason: 'Runtime.ExitError' } },
  {
    label: 'answers after the 3 s limit',
    outcome: { kind: 'ok', result: { ...example }, elapsedMs: 3_500 },
  },
  answer('malformed: a number in the string map', { ...example, ringTimeoutSeconds: 25 }),
  // Not an answer route-call gives: the flow's else branch on the fallback type guards against it.
  answer('found, no fallback type', { ...example, fallbackType: 'none', fallbackNumber: 'none' }),
];

const RECORDING_CONTROL_ANSWERS: LambdaAnswers = (event) => [
  {
    label: `${event.Details.Parameters.action} ok`,
    outcome: {
      kind: 'ok',
      result: {
        recording: event.Details.Parameters.action === 'suspend' ? 'suspended' : 'resumed',
      },
      recording: event.Details.Parameters.action === 'suspend' ? 'suspended' : 'resumed',
    },
  },
  {
    label: `${event.Details.Parameters.action} fails`,
    outcome: { kind: 'error', reason: 'RecordingControlFailedError' },
  },
];

/**
 * Who staffs a queue, in `npm test`: busy (staffed, nobody free: the longest wait) and none. An
 * available agent takes the same branches as a busy one and only ends the wait sooner; the full
 * product, with it, runs in `npm run fuzz` (test/reliability/every-path-staffing.test.ts).
 */
export const TEST_AGENTS: readonly AgentStaffing[] = ['busy', 'none'];

/** The example portfolio's queue flow plan: what the stack deploys for config/portfolio.yaml. */
export const QUEUE_PLAN = queueFlowPlan(loadPortfolio('config/portfolio.yaml'));

/** The hook flows as the stack deploys them, by the ARNs the inbound flow's hooks name. */
export const HOOK_FLOWS: Readonly<Record<string, unknown>> = {
  [SAMPLE_PLACEHOLDER_VALUES.AgentWhisperFlowArn]: JSON.parse(
    readFileSync(new URL('../../contact-flows/agent-whisper.json', import.meta.url), 'utf8'),
  ),
  [SAMPLE_PLACEHOLDER_VALUES.CustomerQueueFlowArn]: JSON.parse(
    substitutePlaceholders(
      readFileSync(new URL('../../contact-flows/customer-queue.json', import.meta.url), 'utf8'),
      {
        QueueOfferAfterSeconds: String(QUEUE_PLAN.offerAfterSeconds),
        QueueOfferRounds: String(QUEUE_PLAN.offerRounds),
      },
    ),
  ),
};

/**
 * What the caller does at the voicemail tone, in `npm test`: leave a message. Hanging up at the
 * tone ends the call at the same action, so it takes no other branch; it runs in `npm run fuzz`.
 */
export const TEST_VOICEMAIL: readonly VoicemailChoice[] = ['leave'];

export const enumerate = (
  flow: unknown,
  routeCallAnswers = ROUTE_CALL_ANSWERS,
  agents: readonly AgentStaffing[] = TEST_AGENTS,
  voicemail: readonly VoicemailChoice[] = TEST_VOICEMAIL,
) =>
  enumerateCalls(flow, {
    flows: HOOK_FLOWS,
    voicemail,
    call: { dialed: DIALED, caller: '+13035550187', at: OPEN },
    lambdaAnswers: {
      [ROUTE_CALL]: routeCallAnswers,
      [RECORDING_CONTROL]: RECORDING_CONTROL_ANSWERS,
    },
    agents,
    maxPaths: 500_000,
  });

export const RULES: PathRules = {
  disclosureActions: ['play-recording-disclosure'],
  closingMessages: [
    'play-apology',
    'thank-caller-after-payments',
    // The system voicemail's and the customer queue flow's last words.
    'thank-for-message',
    'thank-for-callback',
    'say-message-unavailable',
  ],
  endpoints: [
    RING_TO,
    FALLBACK_NUMBER,
    VOICEMAIL,
    STATIC_FALLBACK,
    PAYMENTS_NUMBER,
    CALL_CENTER,
    PAYMENTS_QUEUE,
  ],
};

/** The flow as deployed, as plain JSON to break on purpose. */
interface EditableFlow {
  Metadata: { ActionMetadata: Record<string, unknown> };
  Actions: {
    Identifier: string;
    Transitions: {
      NextAction?: string;
      Errors?: { NextAction: string; ErrorType: string }[];
      Conditions?: { NextAction: string }[];
    };
  }[];
}

export const editedFlow = (
  edit: (action: (id: string) => EditableFlow['Actions'][number], flow: EditableFlow) => void,
) => {
  const flow = JSON.parse(inboundFlowText()) as EditableFlow;
  edit((id) => {
    const found = flow.Actions.find((action) => action.Identifier === id);
    if (found === undefined) throw new Error(`no action ${id}`);
    return found;
  }, flow);
  return flow;
};

export const completed = (paths: readonly EnumeratedPath[]): SimulationResult[] =>
  paths.flatMap((path) => (path.ok ? [path.result] : []));

/** The recording state while trace step `step` ran. */
export const recordingAt = (result: SimulationResult, step: number): string =>
  result.recording.findLast((change) => (change.step ?? 0) < step)?.state ?? 'off';

/**
 * When the caller reached a person (a transfer answered, an agent), a voicemail tone, a scheduled
 * callback or a closing message (secondsToResolution); a caller who hung up first, or waited out a
 * queue: the end of the call.
 */
export const secondsToReach = (result: SimulationResult): number =>
  secondsToResolution(result) ?? result.durationSeconds ?? 0;

/** The prompts and lookups a caller may sit through on top of the rings and the queue. */
export const MESSAGES_ALLOWANCE_SECONDS = 60;

/**
 * The most time `result`'s caller may spend before they are reached: the queue's maximum wait, the
 * ring timeout of every transfer the call tried, and the messages allowance.
 */
export const reachBound = (result: SimulationResult): number =>
  QUEUE_PLAN.maxWaitSeconds +
  MESSAGES_ALLOWANCE_SECONDS +
  result.trace
    .filter((step) => step.type === 'TransferParticipantToThirdParty')
    .reduce((sum, step) => sum + Number(step.parameters.ThirdPartyConnectionTimeLimitSeconds), 0);

/** The slowest path to a person, a message or the end of the wait, and its bound. */
export const worstReach = (
  results: readonly SimulationResult[],
): { seconds: number; bound: number; over: SimulationResult[] } => {
  let worst = { seconds: 0, bound: 0 };
  for (const result of results) {
    const seconds = secondsToReach(result);
    if (seconds > worst.seconds) worst = { seconds, bound: reachBound(result) };
  }
  return {
    ...worst,
    over: results.filter((result) => secondsToReach(result) > reachBound(result)),
  };
};
