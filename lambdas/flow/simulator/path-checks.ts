import type { EnumeratedPath } from './enumerate-calls.js';
import type { SimulationResult, TraceStep } from './types.js';

/**
 * The rules every call through a shipped flow must keep, checked on simulated calls: the caller
 * reaches a person or hears an explicit message before the flow hangs up, never silence; a
 * transfer or queue reaches only an expected endpoint; recording starts only after the disclosure
 * has played. A message left (`voicemail`), a callback created (`callback`) and the caller's own
 * hang-up (`hung-up`) are proper ends, not silence.
 */

export interface PathRules {
  /** The actions that play the recording disclosure. */
  readonly disclosureActions: readonly string[];
  /**
   * The actions whose message may be the last thing a caller hears before the flow hangs up (an
   * apology, a goodbye). A hang-up after any other prompt (a disclosure, a menu) is not an
   * explicit closing message.
   */
  readonly closingMessages: readonly string[];
  /** The numbers and queue ARNs a call may end at; absent: any. */
  readonly endpoints?: readonly string[];
}

/**
 * - `silence`: the flow hung up on a caller who reached nobody and heard no message last;
 * - `message-failed`: the same, but because the flow's last message itself failed to play (its
 *   NoMatchingError branch, e.g. an injected fault): the flow did try to tell the caller;
 * - `no-closing-message`: the flow hung up on a caller who reached nobody right after a prompt
 *   that is not one of `closingMessages` (e.g. only the disclosure played, then the hang-up);
 * - `stopped`: the simulation stopped (a loop, an unresolved reference, …);
 * - `endpoint`: the call reached a number or queue not in `endpoints`;
 * - `disclosure`: recording started before the disclosure played.
 */
export type PathRule =
  | 'silence'
  | 'message-failed'
  | 'no-closing-message'
  | 'stopped'
  | 'endpoint'
  | 'disclosure';

/** Actions the caller hears or is handed over by. */
const CALLER_FACING = new Set([
  'MessageParticipant',
  'GetParticipantInput',
  'TransferParticipantToThirdParty',
  'TransferContactToQueue',
]);

export interface PathProblem {
  readonly rule: PathRule;
  /** The rule broken, the choices that lead there and the actions the call went through. */
  readonly message: string;
  readonly path: EnumeratedPath;
}

/**
 * The actions a call went through, with every branch but the plain NextAction:
 * a -> b [CallFailed] -> c; a customer queue flow's actions are prefixed `queue:`.
 */
export const trail = (trace: readonly TraceStep[]): string =>
  trace
    .map((step) => {
      const id = step.flow === undefined ? step.identifier : `queue:${step.identifier}`;
      return step.branch === 'next' || step.branch === 'end' ? id : `${id} [${step.branch}]`;
    })
    .join(' -> ');

/** What breaks the rules in one simulated call, in words; empty when it keeps them. */
export const callProblems = (
  result: SimulationResult,
  rules: PathRules,
): { readonly rule: PathRule; readonly message: string }[] => {
  const problems: { rule: PathRule; message: string }[] = [];
  if (result.outcome === 'disconnected') {
    const last = result.trace.findLast((step) => CALLER_FACING.has(step.type));
    const failedMessage = last?.type === 'MessageParticipant' && last.branch === 'NoMatchingError';
    problems.push(
      failedMessage
        ? {
            rule: 'message-failed',
            message: `the call ends in silence because the message of "${last.identifier}" failed to play (NoMatchingError)`,
          }
        : {
            rule: 'silence',
            message:
              last === undefined
                ? 'the call ends in silence: nobody was reached and no message played'
                : `the call ends in silence after "${last.identifier}" (${last.branch}): nobody was reached and no message played before the disconnect`,
          },
    );
  }
  if (result.outcome === 'message-disconnect') {
    const last = result.prompts.at(-1);
    const lastFacing = result.trace.findLast((step) => CALLER_FACING.has(step.type));
    if (lastFacing?.type === 'MessageParticipant' && lastFacing.branch === 'NoMatchingError') {
      // The closing message was tried and failed: an earlier prompt is what the caller heard last.
      problems.push({
        rule: 'message-failed',
        message: `the call ends after "${last?.by ?? 'nothing'}" because the message of "${lastFacing.identifier}" failed to play (NoMatchingError)`,
      });
    } else if (last === undefined || !rules.closingMessages.includes(last.by)) {
      problems.push({
        rule: 'no-closing-message',
        message: `the call hangs up after "${last?.by ?? 'nothing'}", which is not a closing message (expected one of ${rules.closingMessages.join(', ') || 'none'})`,
      });
    }
  }
  if (
    (result.outcome === 'transferred' || result.outcome === 'queued') &&
    rules.endpoints !== undefined &&
    !rules.endpoints.includes(result.endpoint)
  ) {
    problems.push({
      rule: 'endpoint',
      message: `the call is ${result.outcome} to ${result.endpoint}, which is not an expected endpoint`,
    });
  }
  const started = result.recording.find((change) => change.state === 'recording');
  if (started !== undefined) {
    const disclosed = result.prompts.some(
      (prompt) =>
        rules.disclosureActions.includes(prompt.by) &&
        (prompt.step !== undefined && started.step !== undefined
          ? prompt.step < started.step
          : prompt.atSeconds < started.atSeconds),
    );
    if (!disclosed) {
      problems.push({
        rule: 'disclosure',
        message: `recording starts at "${started.by}" (${started.atSeconds} s) before the disclosure has played`,
      });
    }
  }
  return problems;
};

/** Every rule broken by every path, each naming the path's choices and its actions. */
export const pathProblems = (paths: readonly EnumeratedPath[], rules: PathRules): PathProblem[] =>
  paths.flatMap((path): PathProblem[] => {
    const choices = path.choices.join(' / ') || 'no choices';
    if (!path.ok) {
      return [
        {
          rule: 'stopped',
          message: `[${choices}] the simulation stopped: ${path.error.message}`,
          path,
        },
      ];
    }
    return callProblems(path.result, rules).map(({ rule, message }) => ({
      rule,
      message: `[${choices}] ${message}: ${trail(path.result.trace)}`,
      path,
    }));
  });

/**
 * Seconds from the start of the call until it was resolved for the caller, for the worst-time
 * property: a person answered (a transfer, an agent), the voicemail tone (the message starts), a
 * callback was scheduled, or the closing message began (`message-disconnect`). Undefined when
 * nothing resolved it: the caller hung up or waited out the queue, or the call ended in silence.
 */
export const secondsToResolution = (result: SimulationResult): number | undefined => {
  switch (result.outcome) {
    case 'transferred':
      return result.transfers?.[0]?.atSeconds;
    case 'queued':
      return result.queue?.answeredByAgentSeconds;
    case 'voicemail':
      return result.voicemail?.startedSeconds;
    case 'callback':
      return result.callback?.createdSeconds;
    case 'message-disconnect':
      return result.prompts.at(-1)?.atSeconds;
    case 'hung-up':
    case 'disconnected':
      return undefined;
  }
};
