import { FLOW_ENDED } from '../branches.js';
import type { ActionHandler } from './action-handler.js';

/**
 * EndFlowExecution (End flow / Resume): in a whisper, the whisper is over and the agent is
 * connected to the caller. In a customer queue flow the caller would wait on in the queue with
 * nothing playing, which the simulator does not model.
 */
export const endFlowExecution: ActionHandler = (contact) => {
  if (contact.running.type !== 'AGENT_WHISPER') {
    throw contact.fail(
      `EndFlowExecution in a ${contact.running.type} flow is not modelled (only the whisper's end is)`,
    );
  }
  return {
    branch: { kind: 'end', reason: FLOW_ENDED, endsAtMs: contact.clockMs },
    note: 'the whisper ends: the agent is connected to the caller',
  };
};
