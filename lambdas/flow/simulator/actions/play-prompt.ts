import { isRecord } from '../../../domain/is-record.js';
import type { FlowAction } from '../../language/index.js';
import type { SimulatedContact } from '../simulated-contact.js';
import { SIMULATED_TIME, seconds } from '../simulated-time.js';

/** How long a prompt plays. */
export const promptMs = (parameters: Readonly<Record<string, unknown>>, text: string): number => {
  if (parameters.Text === undefined && parameters.SSML === undefined) {
    return SIMULATED_TIME.recordedPromptSeconds * 1000;
  }
  const spoken = text.replace(/<[^>]*>/g, '').trim();
  return Math.max(1, Math.ceil(spoken.length / SIMULATED_TIME.promptCharactersPerSecond)) * 1000;
};

/** The prompt as the caller hears it: the text (references resolved), or what plays. */
export const promptText = (parameters: Readonly<Record<string, unknown>>): string => {
  const media = parameters.Media;
  if (typeof parameters.Text === 'string') return parameters.Text;
  if (typeof parameters.SSML === 'string') return parameters.SSML;
  if (typeof parameters.PromptId === 'string') return `[prompt ${parameters.PromptId}]`;
  if (isRecord(media)) return `[audio ${String(media.Uri)}]`;
  return '[prompt]';
};

/** Plays the action's prompt to the caller (MessageParticipant, a menu), or the agent in a whisper: heard, and timed. */
export const playPrompt = (
  contact: SimulatedContact,
  action: FlowAction,
  parameters: Record<string, unknown>,
): string => {
  const text = promptText(parameters);
  // A whisper plays to the agent; the caller hears none of it.
  const heard = contact.running.type === 'AGENT_WHISPER' ? contact.agentWhisper : contact.prompts;
  heard.push({
    atSeconds: seconds(contact.clockMs),
    text,
    by: action.Identifier,
    step: contact.stepNumber,
  });
  contact.clockMs += promptMs(parameters, text);
  return text;
};
