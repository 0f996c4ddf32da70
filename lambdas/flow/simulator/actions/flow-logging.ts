import { NEXT } from '../branches.js';
import type { ActionHandler } from './action-handler.js';

/** UpdateFlowLoggingBehavior: nothing to simulate but the note. */
export const updateFlowLogging: ActionHandler = (_contact, _action, parameters) => ({
  ...NEXT,
  note: `flow logging ${String(parameters.FlowLoggingBehavior)}`,
});
