import { isRecord } from '../../../domain/is-record.js';
import { exceedsAttributeLimit } from '../attribute-limit.js';
import { error, NEXT, type StepResult } from '../branches.js';
import { FlowSimulationError, type LambdaOutcome } from '../types.js';
import type { ActionHandler } from './action-handler.js';
import { contactFlowEvent } from './contact-flow-event.js';

type Timed<T> = { readonly kind: 'answered'; readonly value: T } | { readonly kind: 'timed-out' };

/** Waits for `promise` at most `ms` of real time. */
const within = async <T>(promise: Promise<T>, ms: number): Promise<Timed<T>> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Timed<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timed-out' }), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then((value): Timed<T> => ({ kind: 'answered', value })),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** Why a Lambda answer fails Connect's response validation, or undefined if it passes. */
const responseProblem = (result: unknown, responseType: string): string | undefined => {
  if (!isRecord(result)) return `the function returned ${JSON.stringify(result)}, not an object`;
  if (exceedsAttributeLimit(result)) return 'the response is larger than 32 KB';
  if (responseType !== 'STRING_MAP') return undefined;
  for (const [key, item] of Object.entries(result)) {
    if (typeof item !== 'string') {
      return `STRING_MAP response: "${key}" is ${JSON.stringify(item)}, not a string`;
    }
    if (item === '') return `STRING_MAP response: "${key}" is an empty string`;
  }
  return undefined;
};

/** InvokeLambdaFunction: runs the function in the world, within its time limit, and checks its answer. */
export const invokeLambdaFunction: ActionHandler = async (contact, _action, parameters) => {
  const arn = String(parameters.LambdaFunctionARN);
  const limitMs = Number(parameters.InvocationTimeLimitSeconds) * 1000;
  const responseType = String(
    (parameters.ResponseValidation as Record<string, unknown>).ResponseType,
  );
  const invocationParameters = (parameters.LambdaInvocationAttributes ?? {}) as Record<
    string,
    string
  >;
  const started = performance.now();
  let answer: Timed<LambdaOutcome>;
  try {
    answer = await within(
      Promise.resolve(
        contact.world.invokeLambda(
          arn,
          contactFlowEvent(contact, invocationParameters),
          limitMs / 1000,
        ),
      ),
      limitMs,
    );
  } catch (thrown) {
    // A harness error is not a function error: it stops the simulation.
    if (thrown instanceof FlowSimulationError) throw thrown;
    answer = {
      kind: 'answered',
      value: { kind: 'error', reason: thrown instanceof Error ? thrown.message : String(thrown) },
    };
  }
  const measuredMs = performance.now() - started;
  const elapsedMs = answer.kind === 'answered' ? (answer.value.elapsedMs ?? measuredMs) : limitMs;
  const failed = (note: string): StepResult => {
    contact.external = undefined;
    return error('NoMatchingError', note);
  };
  if (answer.kind === 'timed-out' || elapsedMs > limitMs) {
    contact.clockMs += limitMs;
    return failed(
      `the function did not answer within InvocationTimeLimitSeconds (${limitMs / 1000} s)`,
    );
  }
  contact.clockMs += elapsedMs;
  const outcome = answer.value;
  const took = `${Math.round(elapsedMs)} ms`;
  if (outcome.kind === 'error')
    return failed(`the function failed after ${took}: ${outcome.reason}`);
  const problem = responseProblem(outcome.result, responseType);
  if (problem !== undefined) return failed(`${problem}: Connect takes the Error branch`);
  contact.external = { ...outcome.result };
  // Only what the world says the function did changes the recording; no guessing from names.
  if (outcome.recording !== undefined) {
    if (outcome.recording === 'stopped') contact.recordingStopped = true;
    else contact.recordingSuspended = outcome.recording === 'suspended';
    contact.noteRecording();
    return { ...NEXT, note: `answered in ${took}; recording ${outcome.recording}` };
  }
  return { ...NEXT, note: `answered in ${took}` };
};
