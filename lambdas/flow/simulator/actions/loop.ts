import { LOOP_RESULTS } from '../../language/index.js';
import type { ActionHandler } from './action-handler.js';

/**
 * Loop: "returns NotDone a number of times equal to the specified loop count, then Done once,
 * then reset", counted per action Identifier. A dynamic LoopCount that is not a whole number 0-100
 * stops the simulation (the reference does not say what Connect does; Loop has no error branch).
 */
export const loop: ActionHandler = (contact, action, parameters) => {
  const text = String(parameters.LoopCount);
  const limit = Number(text);
  if (!/^\d+$/.test(text) || limit > 100) {
    throw contact.fail(`LoopCount is "${text}", not a whole number from 0 to 100`);
  }
  const done = contact.loopCounts.get(action.Identifier) ?? 0;
  const result = done < limit ? LOOP_RESULTS[0] : LOOP_RESULTS[1];
  if (result === 'DoneLooping') contact.loopCounts.delete(action.Identifier);
  else contact.loopCounts.set(action.Identifier, done + 1);
  const index = (action.Transitions.Conditions ?? []).findIndex(
    ({ Condition }) => Condition.Operands[0] === result,
  );
  const note = `${result} (${Math.min(done + 1, limit)} of ${limit})`;
  return index >= 0
    ? { branch: { kind: 'condition', index }, note }
    : { branch: { kind: 'no-match' }, note };
};
