import { NEXT, type StepResult } from '../branches.js';
import type { SimulatedContact } from '../simulated-contact.js';
import type { ActionHandler } from './action-handler.js';

/**
 * Any recorded participant, or IVR recording, counts as recording from this moment: conservative
 * for the disclosure rule (agent-only recording would really start when an agent answers). A block
 * that enables recording after a StopContactRecording counts as recording again: Connect says a
 * stopped recording cannot be restarted by StartContactRecording, but says nothing of this block,
 * so the simulator takes the side that a flow must guard against.
 */
const updateRecordingBehaviour = (
  contact: SimulatedContact,
  behaviour: Record<string, unknown>,
): StepResult => {
  const participants = (behaviour.RecordedParticipants ?? []) as string[];
  contact.recordingBehaviourOn =
    participants.length > 0 || behaviour.IVRRecordingBehavior === 'Enabled';
  if (contact.recordingBehaviourOn) contact.recordingStopped = false;
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
