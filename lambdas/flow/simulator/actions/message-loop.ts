import { MESSAGES_INTERRUPTED } from '../../language/index.js';
import { error } from '../branches.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';
import type { ActionHandler } from './action-handler.js';
import { promptMs, promptText } from './play-prompt.js';

/**
 * MessageParticipantIteratively (a customer queue flow's Loop prompts): plays its messages in order,
 * over and over, from the first each time the action is entered. With InterruptFrequencySeconds the
 * loop ends after that long (mid-message) with the MessagesInterrupted condition; the caller, who
 * waits on, hangs up when the wait reaches SIMULATED_TIME.maxQueueWaitSeconds since the call was
 * queued (without an interrupt, that is the only way out).
 */
export const messageParticipantIteratively: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the prompts did not play');
  }
  const messages = parameters.Messages as Record<string, unknown>[];
  const boundMs = (contact.enqueuedMs ?? 0) + SIMULATED_TIME.maxQueueWaitSeconds * 1000;
  const interrupt = parameters.InterruptFrequencySeconds;
  const interruptMs = interrupt === undefined ? Number.POSITIVE_INFINITY : Number(interrupt) * 1000;
  const hangsUp = contact.clockMs + interruptMs >= boundMs;
  const windowEndMs = Math.min(contact.clockMs + interruptMs, boundMs);
  for (let i = 0; contact.clockMs < windowEndMs; i += 1) {
    const message = messages[i % messages.length] ?? {};
    const text = promptText(message);
    contact.prompts.push({
      atSeconds: seconds(contact.clockMs),
      text,
      by: action.Identifier,
      step: contact.stepNumber,
    });
    contact.clockMs = Math.min(contact.clockMs + promptMs(message, text), windowEndMs);
  }
  contact.lastEvent = 'hold-loop';
  if (hangsUp) {
    return {
      branch: { kind: 'end', ...contact.hangUp() },
      note: `the caller waited to the bound (${SIMULATED_TIME.maxQueueWaitSeconds} s in the queue), then hangs up`,
    };
  }
  const index = (action.Transitions.Conditions ?? []).findIndex(
    ({ Condition }) => Condition.Operands[0] === MESSAGES_INTERRUPTED,
  );
  return {
    branch: { kind: 'condition', index },
    note: `${MESSAGES_INTERRUPTED} after ${String(interrupt)} s`,
  };
};
