import { RECORDINGS_PREFIX } from './recordings.js';

/**
 * The system's own voicemail: where a message and its transcript are kept in the recordings
 * bucket, when a message counts as left, and what the location is told. The ports the packager
 * works over are here too (the domain defines them; adapters/ implement them, local/ stands in).
 */

/** A message shorter than this holds no words (a hang-up at the tone): logged as `empty`. */
export const MIN_MESSAGE_SECONDS = 1;

/** `<prefix>/voicemail/YYYY/MM/DD/<contactId>.wav`, the day (UTC) the call started. */
export const voicemailAudioKey = (
  contactId: string,
  startedAt: string,
  prefix: string = RECORDINGS_PREFIX,
): string => {
  const day = new Date(startedAt).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${prefix}/voicemail/${day}/${contactId}.wav`;
};

/** `<prefix>/voicemail/transcripts/<contactId>.json`: where Transcribe writes the message's text. */
export const voicemailTranscriptKey = (
  contactId: string,
  prefix: string = RECORDINGS_PREFIX,
): string => `${prefix}/voicemail/transcripts/${contactId}.json`;

/**
 * The transcription job's name: one per contact, so a redelivered record asks for the same job
 * (Transcribe refuses a second job of one name, which is how a retry knows it already asked).
 * Job names allow `[0-9a-zA-Z._-]`; a contact id is a UUID.
 */
export const transcriptionJobName = (contactId: string): string =>
  `voicemail-${contactId.replace(/[^0-9a-zA-Z._-]/g, '-')}`;

/** The text of a transcript JSON as Transcribe writes it; undefined when it holds none. */
export const transcriptText = (json: string): string | undefined => {
  try {
    const parsed = JSON.parse(json) as {
      results?: { transcripts?: readonly { transcript?: unknown }[] };
    };
    const text = parsed.results?.transcripts
      ?.map((t) => (typeof t.transcript === 'string' ? t.transcript : ''))
      .join(' ')
      .trim();
    return text ? text : undefined;
  } catch {
    return undefined;
  }
};

/** The caller's audio of a message, as the media stream holds it. */
export interface CustomerAudio {
  /** 16-bit little-endian mono samples. */
  readonly pcm: Buffer;
  readonly sampleRate: number;
}

/** An email to a location; never carries the audio, only a link to the call. */
export interface VoicemailEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** The ports the packager works over. */
export interface VoicemailPorts {
  /** The customer's track of the contact from the fragment where the message starts. */
  readAudio(streamArn: string, startFragment: string, contactId: string): Promise<CustomerAudio>;
  putObject(key: string, body: Buffer, contentType: string): Promise<void>;
  startTranscription(jobName: string, mediaKey: string, outputKey: string): Promise<void>;
  notify(email: VoicemailEmail): Promise<void>;
}

export interface VoicemailNotice {
  readonly to: string;
  readonly contactId: string;
  readonly caller?: string;
  readonly locationName?: string;
  readonly durationSeconds: number;
  /** Where the call can be seen (the dashboard's call page or the API's). */
  readonly link: string;
}

/** The email a location gets for a message: who called, where, how long, and the link. */
export const voicemailEmail = (notice: VoicemailNotice): VoicemailEmail => {
  const where = notice.locationName ?? 'your location';
  const caller = notice.caller ?? 'an unknown number';
  return {
    to: notice.to,
    subject: `New voicemail for ${where} from ${caller}`,
    text: [
      `A caller left a message for ${where}.`,
      '',
      `Caller: ${caller}`,
      `Location: ${where}`,
      `Length: ${notice.durationSeconds} s`,
      '',
      `Listen and mark it handled: ${notice.link}`,
    ].join('\n'),
  };
};

/** The link to a call: `<base>/calls/<contactId>` (the base has no trailing slash). */
export const callLink = (base: string, contactId: string): string =>
  `${base.replace(/\/+$/, '')}/calls/${encodeURIComponent(contactId)}`;
