import { conditionOrNoMatch, error } from '../branches.js';
import { SIMULATED_TIME } from '../simulated-time.js';
import type { ActionHandler } from './action-handler.js';
import { playPrompt } from './play-prompt.js';

/** GetParticipantInput (a menu): plays its prompt, then branches on the key the caller presses. */
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
  const key = contact.keypad(action);
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
