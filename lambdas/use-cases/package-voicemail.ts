import { describeError } from '../adapters/error-reason.js';
import type { Log } from '../adapters/json-log.js';
import { attribute } from '../domain/call-outcome.js';
import type { ContactRecord } from '../domain/contact-record.js';
import { maskPhoneNumber } from '../domain/phone-number.js';
import {
  QUEUE_OUTCOME_ATTRIBUTES as A,
  VOICEMAIL_EMPTY,
  VOICEMAIL_LEFT,
  VOICEMAIL_RECORDING,
} from '../domain/queue-outcome-attributes.js';
import {
  callLink,
  MIN_MESSAGE_SECONDS,
  transcriptionJobName,
  type VoicemailPorts,
  voicemailAudioKey,
  voicemailEmail,
  voicemailTranscriptKey,
} from '../domain/voicemail.js';
import { pcmSeconds, wavFromPcm } from '../domain/wav.js';

/**
 * The voicemail packager: a contact record whose flow took a message (attribute voicemail =
 * recording, with the media stream's ARN and start fragment) becomes a record whose message is
 * stored, before the ingest logs it: the caller's track read from the stream, written as a WAV at
 * `<prefix>/voicemail/YYYY/MM/DD/<contactId>.wav`, its transcription started, the location told
 * by email, and the attributes set to voicemail = left with the key and the length (or
 * voicemail = empty when the caller said nothing, under a second).
 *
 * Idempotent: a redelivered record reads the same fragments and rewrites the same key; the
 * transcription job has the contact's name, so a second start is refused and ignored. The email
 * is the exception: a record delivered again after it was sent sends it again (at least once).
 *
 * Failures: reading the stream or writing the audio throws, so the ingest reports the record as
 * failed and Lambda retries it (nothing is logged before the message is stored). Starting the
 * transcription and sending the email are logged and skipped: the message and its call matter
 * more than either, and neither blocks the call log.
 */
export interface PackageVoicemailDependencies extends VoicemailPorts {
  /** The recordings prefix the keys start with. */
  readonly prefix?: string;
  /** The address a location's voicemail emails go to; undefined: no email. */
  readonly emailFor?: (locationId: string) => string | undefined;
  /** Where a call's page is (`<base>/calls/<id>`); without it no email is sent (no link). */
  readonly linkBase?: string;
  readonly log: Log;
}

export type PackageVoicemail = (record: ContactRecord) => Promise<ContactRecord>;

const withAttributes = (
  record: ContactRecord,
  attributes: Readonly<Record<string, string>>,
): ContactRecord => ({ ...record, attributes: { ...record.attributes, ...attributes } });

export const createPackageVoicemail = (deps: PackageVoicemailDependencies): PackageVoicemail => {
  const { log } = deps;

  const notify = async (record: ContactRecord, durationSeconds: number): Promise<void> => {
    const locationId = attribute(record, 'locationId');
    const to = locationId === undefined ? undefined : deps.emailFor?.(locationId);
    if (to === undefined || deps.linkBase === undefined) return;
    const locationName = attribute(record, 'locationName');
    await deps.notify(
      voicemailEmail({
        to,
        contactId: record.contactId,
        ...(record.customerAddress ? { caller: record.customerAddress } : {}),
        ...(locationName ? { locationName } : {}),
        durationSeconds,
        link: callLink(deps.linkBase, record.contactId),
      }),
    );
  };

  /** Runs a step whose failure must not hold the call back; logs what failed. */
  const bestEffort = async (step: string, contactId: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      log('warn', { message: `voicemail ${step} failed`, contactId, reason: describeError(error) });
    }
  };

  return async (record) => {
    if (attribute(record, A.voicemail) !== VOICEMAIL_RECORDING) return record;
    const { contactId } = record;
    const streamArn = attribute(record, A.voicemailStreamArn);
    const startFragment = attribute(record, A.voicemailStartFragment);
    if (streamArn === undefined || startFragment === undefined) {
      // Nothing to read, now or on a retry: the flow started no stream (or did not say where).
      log('warn', { message: 'voicemail without a media stream: logged empty', contactId });
      return withAttributes(record, { [A.voicemail]: VOICEMAIL_EMPTY });
    }
    const audio = await deps.readAudio(streamArn, startFragment, contactId);
    const seconds = pcmSeconds(audio.pcm, audio.sampleRate);
    if (seconds < MIN_MESSAGE_SECONDS) {
      log('info', { message: 'voicemail empty', contactId, seconds });
      return withAttributes(record, { [A.voicemail]: VOICEMAIL_EMPTY });
    }
    const key = voicemailAudioKey(contactId, record.initiationTimestamp, deps.prefix);
    await deps.putObject(key, wavFromPcm(audio.pcm, audio.sampleRate), 'audio/wav');
    const durationSeconds = Math.round(seconds);
    await bestEffort('transcription', contactId, () =>
      deps.startTranscription(
        transcriptionJobName(contactId),
        key,
        voicemailTranscriptKey(contactId, deps.prefix),
      ),
    );
    await bestEffort('email', contactId, () => notify(record, durationSeconds));
    log('info', {
      message: 'voicemail stored',
      contactId,
      key,
      durationSeconds,
      caller: maskPhoneNumber(record.customerAddress),
    });
    return withAttributes(record, {
      [A.voicemail]: VOICEMAIL_LEFT,
      [A.voicemailKey]: key,
      [A.voicemailDurationSeconds]: String(durationSeconds),
    });
  };
};
