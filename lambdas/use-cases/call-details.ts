import type { CallLogReader } from '../adapters/dynamodb/call-log-reader.js';
import type { RecordingKeyUrl, RecordingUrls } from '../adapters/s3/recording-urls.js';
import type { CallLogItem, LeadUpdate } from '../domain/call-log-item.js';
import {
  type Call,
  type CallDetail,
  hasVoicemail,
  toCall,
  type Voicemail,
} from '../domain/call-view.js';
import { NotFoundError } from '../domain/request-errors.js';

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
}

const noCall = (contactId: string): NotFoundError =>
  new NotFoundError(`no call with contactId ${contactId}`);

export const createCallDetails = ({
  reader,
  recordingUrls,
  recordingKeyUrl,
  updateLead,
}: CallDetailsDependencies): CallDetails => {
  const voicemailOf = async (item: CallLogItem): Promise<Voicemail | null> => {
    if (!hasVoicemail(item)) return null;
    const link =
      item.voicemailKey === undefined ? undefined : await recordingKeyUrl(item.voicemailKey);
    return {
      recordingUrl: link?.url ?? null,
      durationSeconds: item.voicemailDurationSeconds ?? null,
      // The transcription is later work: the call log stores none yet.
      transcript: null,
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
      return { ...toCall(item), recordings, voicemail };
    },

    async updateLead(contactId, update) {
      const item = await updateLead(contactId, update);
      if (!item) throw noCall(contactId);
      return toCall(item);
    },
  };
};
