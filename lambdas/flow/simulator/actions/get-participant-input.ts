import { conditionOrNoMatch, error, type StepResult } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';
import type { InQueueChoice } from '../types.js';
import type { ActionHandler } from './action-handler.js';
import { playPrompt } from './play-prompt.js';

/** The key the caller presses at the queue flow's offer, for each choice (hang-up: none, they leave). */
const OFFER_KEYS: Readonly<Record<Exclude<InQueueChoice, 'hang-up'>, string | undefined>> = {
  callback: '1',
  message: '2',
  wait: undefined,
};

/**
 * A menu reached while the customer's audio is streamed is the voicemail tone: the caller leaves a
 * message of SIMULATED_TIME.voicemailMessageSeconds and hangs up, or hangs up at the tone.
 */
const voicemailTone = (contact: SimulatedContact): StepResult => {
  const stream = contact.mediaStream;
  if (stream === undefined) throw contact.fail('the audio streams but no stream started');
  if (contact.voicemailChoice() === 'hang-up') {
    return {
      branch: { kind: 'end', ...contact.hangUp() },
      note: 'the caller hangs up at the tone',
    };
  }
  const startedMs = contact.clockMs;
  contact.clockMs += SIMULATED_TIME.voicemailMessageSeconds * 1000;
  contact.voicemail = {
    startedSeconds: seconds(startedMs),
    durationSeconds: SIMULATED_TIME.voicemailMessageSeconds,
    streamArn: stream.streamArn,
    startFragment: stream.startFragment,
  };
  return {
    branch: { kind: 'end', ...contact.hangUp() },
    note: `the caller leaves a ${SIMULATED_TIME.voicemailMessageSeconds} s message, then hangs up`,
  };
};

/**
 * GetParticipantInput (a menu): plays its prompt, then branches on the key the caller presses. In
 * a customer queue flow the key is the caller's `inQueue` choice; while the audio is streamed the
 * menu is the voicemail tone.
 */
export const getParticipantInput: ActionHandler = (contact, action, parameters) => {
  if (parameters.StoreInput !== 'False') {
    throw contact.fail(
      'GetParticipantInput with StoreInput "True" (collecting digits) is not supported by the simulator',
    );
  }
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the menu did not play');
  }
  playPrompt(contact, action, parameters);
  contact.lastEvent = 'menu';
  if (contact.streaming) return voicemailTone(contact);
  let key: string | undefined;
  if (contact.running.type === 'CUSTOMER_QUEUE') {
    const choice = contact.inQueue();
    if (choice === 'hang-up') {
      return {
        branch: { kind: 'end', ...contact.hangUp() },
        note: 'the caller hangs up at the offer',
      };
    }
    key = OFFER_KEYS[choice];
  } else {
    key = contact.keypad(action);
  }
  if (key === undefined) {
    contact.clockMs += Number(parameters.InputTimeLimitSeconds) * 1000;
    return error(
      'InputTimeLimitExceeded',
      `no key pressed within ${String(parameters.InputTimeLimitSeconds)} s`,
    );
  }
  if (!/^[0-9*#]$/.test(key)) throw contact.fail(`the caller pressed "${key}", not a key`);
  contact.clockMs += SIMULATED_TIME.keyPressSeconds * 1000;
  const index = (action.Transitions.Conditions ?? []).findIndex(
    ({ Condition }) => Condition.Operator === 'Equals' && Condition.Operands[0] === key,
  );
  return conditionOrNoMatch(index, `pressed ${key}`, `pressed ${key}, which no condition handles`);
};
