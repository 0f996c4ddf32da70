import type { CallLogReader } from '../adapters/dynamodb/call-log-reader.js';
import { describeError } from '../adapters/error-reason.js';
import { jsonLog, type Log } from '../adapters/json-log.js';
import type { RecordingKeyUrl, RecordingUrls } from '../adapters/s3/recording-urls.js';
import { fullStep } from '../domain/call-journey.js';
import type { CallLogItem, LeadUpdate } from '../domain/call-log-item.js';
import {
  type Call,
  type CallDetail,
  hasVoicemail,
  toCall,
  type Voicemail,
} from '../domain/call-view.js';
import { NotFoundError } from '../domain/request-errors.js';
import { transcriptText, voicemailTranscriptKey } from '../domain/voicemail.js';
import {
  callEventNotice,
  changedCallFields,
  type PublishCallEvents,
} from '../domain/webhook-event.js';

/** One call: read with links to its recordings and its message, or its lead fields updated. */

/** Sets lead fields of a stored call; undefined when there is no such call (call-log-writer.ts). */
export type UpdateLead = (
  contactId: string,
  update: LeadUpdate,
) => Promise<CallLogItem | undefined>;

export interface CallDetails {
  /** The call and a short-lived link to each recording; NotFoundError when there is none. */
  get(contactId: string): Promise<CallDetail>;
  /** The call with `update` applied; NotFoundError when there is none. */
  updateLead(contactId: string, update: LeadUpdate): Promise<Call>;
}

export interface CallDetailsDependencies {
  readonly reader: CallLogReader;
  readonly recordingUrls: RecordingUrls;
  /** The link to a voicemail message, by its key in the recordings bucket. */
  readonly recordingKeyUrl: RecordingKeyUrl;
  readonly updateLead: UpdateLead;
  /**
   * The text of an object in the recordings bucket (the transcript JSON Transcribe writes);
   * rejects when it cannot be read. @default - no transcripts (always null)
   */
  readonly readObjectText?: (key: string) => Promise<string>;
  /**
   * Publishes call.updated after a lead change that changed the call view. A failed publish is
   * logged: the change is stored and answered. @default - nothing published
   */
  readonly publishEvents?: PublishCallEvents;
  /** @default jsonLog */
  readonly log?: Log;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

const noCall = (contactId: string): NotFoundError =>
  new NotFoundError(`no call with contactId ${contactId}`);

export const createCallDetails = ({
  reader,
  recordingUrls,
  recordingKeyUrl,
  updateLead,
  readObjectText,
  publishEvents,
  log = jsonLog,
  clock = () => new Date(),
}: CallDetailsDependencies): CallDetails => {
  const transcriptOf = async (contactId: string): Promise<string | null> => {
    if (!readObjectText) return null;
    try {
      return transcriptText(await readObjectText(voicemailTranscriptKey(contactId))) ?? null;
    } catch {
      // Not written yet (Transcribe takes a while; a missing key reads as AccessDenied without
      // ListBucket), or unreadable: the call still answers, its transcript unknown.
      return null;
    }
  };
  const voicemailOf = async (item: CallLogItem): Promise<Voicemail | null> => {
    if (!hasVoicemail(item)) return null;
    const [link, transcript] = await Promise.all([
      item.voicemailKey === undefined ? undefined : recordingKeyUrl(item.voicemailKey),
      item.voicemailKey === undefined ? null : transcriptOf(item.contactId),
    ]);
    return {
      recordingUrl: link?.url ?? null,
      durationSeconds: item.voicemailDurationSeconds ?? null,
      transcript,
    };
  };
  return {
    async get(contactId) {
      const item = await reader.getCall(contactId);
      if (!item) throw noCall(contactId);
      const [recordings, voicemail] = await Promise.all([
        recordingUrls(item.recordings ?? []),
        voicemailOf(item),
      ]);
      return {
        ...toCall(item),
        recordings,
        voicemail,
        journey: item.journey?.map(fullStep) ?? null,
      };
    },

    async updateLead(contactId, update) {
      // Read first only when someone listens: the changed fields are the view's before and after.
      const before = publishEvents ? await reader.getCall(contactId) : undefined;
      const item = await updateLead(contactId, update);
      if (!item) throw noCall(contactId);
      const call = toCall(item);
      const changed = before ? changedCallFields(toCall(before), call) : [];
      if (publishEvents && changed.length > 0) {
        const version = `lead ${item.revision ?? 0}`;
        const notice = callEventNotice('call.updated', contactId, version, clock(), changed);
        await publishEvents([notice]).catch((error: unknown) =>
          log('error', {
            message: 'call event not published',
            event: `${notice.type} ${notice.id}`,
            reason: describeError(error),
          }),
        );
      }
      return call;
    },
  };
};
