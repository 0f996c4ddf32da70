import type { DisconnectReason } from '../types.js';
import type { ActionHandler } from './action-handler.js';

/** DisconnectParticipant: ends the call now. */
export const disconnectParticipant: ActionHandler = (contact) => {
  // Right after a third party hung up, the flow only closes a call the third party ended.
  const reason: DisconnectReason =
    contact.lastEvent === 'third-party-hung-up'
      ? 'THIRD_PARTY_DISCONNECT'
      : 'CONTACT_FLOW_DISCONNECT';
  return { branch: { kind: 'end', reason, endsAtMs: contact.clockMs } };
};
