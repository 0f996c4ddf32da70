import { error, NEXT } from '../branches.js';
import type { ActionHandler } from './action-handler.js';
import { playPrompt } from './play-prompt.js';

/** MessageParticipant: plays its prompt. */
export const messageParticipant: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action)) {
    return error('NoMatchingError', 'injected fault: the prompt did not play');
  }
  playPrompt(contact, action, parameters);
  contact.lastEvent = 'prompt';
  return NEXT;
};
