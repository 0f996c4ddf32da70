import { NEXT, type StepResult } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';
import type { ActionHandler } from './action-handler.js';

/**
 * Any recorded participant, or IVR recording, counts as recording from this moment: conservative
 * for the disclosure rule (agent-only recording would really start when an agent answers).
 */
const updateRecordingBehaviour = (
  contact: SimulatedContact,
  behaviour: Record<string, unknown>,
): StepResult => {
  const participants = (behaviour.RecordedParticipants ?? []) as string[];
  contact.recordingBehaviourOn =
    participants.length > 0 || behaviour.IVRRecordingBehavior === 'Enabled';
  contact.noteRecording();
  return { ...NEXT, note: `recording ${contact.recordingState()}` };
};

/** UpdateContactRecordingBehavior: its RecordingBehavior turns recording on or off. */
export const updateContactRecording: ActionHandler = (contact, _action, parameters) =>
  updateRecordingBehaviour(contact, parameters.RecordingBehavior as Record<string, unknown>);

/** UpdateContactRecordingAndAnalyticsBehavior: only its VoiceRecordingBehavior counts. */
export const updateContactRecordingAndAnalytics: ActionHandler = (contact, _action, parameters) =>
  updateRecordingBehaviour(
    contact,
    (parameters.VoiceBehavior as Record<string, unknown>).VoiceRecordingBehavior as Record<
      string,
      unknown
    >,
  );
