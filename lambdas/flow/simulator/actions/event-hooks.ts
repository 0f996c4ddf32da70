import { error, NEXT } from '../branches.js';
import type { ActionHandler } from './action-handler.js';

/** UpdateContactEventHooks: the contact remembers the hook (one entry per action, validated). */
export const updateContactEventHooks: ActionHandler = (contact, action, parameters) => {
  if (contact.faulted(action))
    return error('NoMatchingError', 'injected fault: the hook was not set');
  const hooks = parameters.EventHooks as Record<string, string>;
  Object.assign(contact.eventHooks, hooks);
  const [hook, flow] = Object.entries(hooks)[0] ?? [];
  return { ...NEXT, note: `${hook} runs ${flow}` };
};
