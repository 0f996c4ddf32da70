import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CustomerAudio, VoicemailEmail } from '../lambdas/domain/voicemail.js';
import { LOCAL_DATA_DIRECTORY } from './names.js';
import { generatedPcm, LOCAL_SAMPLE_RATE } from './wav.js';

/**
 * What stands in locally for the services the voicemail packager calls when deployed: Kinesis
 * Video (a generated tone of the message's length), Transcribe (a transcript JSON saying there is
 * none, at the key Transcribe would write) and SES (an outbox file).
 */

/** The text of every local transcript: there is no speech recognition offline. */
export const OFFLINE_TRANSCRIPT = 'Transcription is not available offline.';

/** The caller's audio: `seconds` of two low tones (a message is told apart from a call by ear). */
export const toneAudio = (seconds: number) => async (): Promise<CustomerAudio> => ({
  pcm: generatedPcm(seconds, [330, 392]),
  sampleRate: LOCAL_SAMPLE_RATE,
});

/** A transcriber that writes, where Transcribe would, a transcript in Transcribe's shape. */
export const offlineTranscriber =
  (putObject: (key: string, body: Buffer, contentType: string) => Promise<void>) =>
  async (jobName: string, _mediaKey: string, outputKey: string): Promise<void> => {
    const transcript = {
      jobName,
      status: 'COMPLETED',
      results: { transcripts: [{ transcript: OFFLINE_TRANSCRIPT }] },
    };
    await putObject(outputKey, Buffer.from(JSON.stringify(transcript)), 'application/json');
  };

/** `.local/outbox.jsonl`: one JSON line per email the local system would have sent. */
export const LOCAL_OUTBOX = new URL('outbox.jsonl', LOCAL_DATA_DIRECTORY);

export interface OutboxMailer {
  readonly notify: (email: VoicemailEmail) => Promise<void>;
  /** The emails this mailer sent, in order (for tests). */
  readonly sent: readonly VoicemailEmail[];
}

/** A mailer that appends each email to `file` instead of sending it. */
export const createOutboxMailer = (file: URL | string = LOCAL_OUTBOX): OutboxMailer => {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const sent: VoicemailEmail[] = [];
  return {
    sent,
    async notify(email) {
      sent.push(email);
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, `${JSON.stringify({ at: new Date().toISOString(), ...email })}\n`);
    },
  };
};
