import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QUEUE_OUTCOME_ATTRIBUTES } from '../lambdas/contracts/queue-outcome-attributes.js';
import { type ImportReport, importContactRecords } from './import-records.js';
import { generatedRecording } from './wav.js';

/**
 * What Connect does after a call, locally: the recording lands in the recordings bucket where the
 * contact record says it is (and a voicemail message at the key its attribute names), and the
 * contact record goes through the real ingest (as the Kinesis stream would deliver it) into the
 * call log.
 */
export interface CallLogPipeline {
  /** Stores the call's recordings and ingests its contact record; rejects when it is not stored. */
  record(contactRecord: Readonly<Record<string, unknown>>): Promise<ImportReport>;
}

export interface CallLogPipelineOptions {
  readonly client: DynamoDBClient;
  readonly callLogTableName: string;
  /** Puts one object in the local recordings bucket, at a contact record's recording Location. */
  readonly putRecording: (location: string, body: Buffer) => Promise<void>;
  /** The bucket a voicemail message's key (attribute voicemailKey) is in. */
  readonly recordingsBucket: string;
}

const recordingLocations = (record: Readonly<Record<string, unknown>>): string[] =>
  (Array.isArray(record.Recordings) ? record.Recordings : []).flatMap((r: unknown) => {
    const location =
      r && typeof r === 'object' ? (r as { Location?: unknown }).Location : undefined;
    return typeof location === 'string' ? [location] : [];
  });

/** `bucket/key` of the record's voicemail message, when its attributes name one. */
const voicemailLocation = (
  record: Readonly<Record<string, unknown>>,
  bucket: string,
): string | undefined => {
  const attributes = record.Attributes;
  const key =
    attributes && typeof attributes === 'object'
      ? (attributes as Record<string, unknown>)[QUEUE_OUTCOME_ATTRIBUTES.voicemailKey]
      : undefined;
  return typeof key === 'string' && key !== '' ? `${bucket}/${key}` : undefined;
};

export const createCallLogPipeline = (options: CallLogPipelineOptions): CallLogPipeline => {
  const audio = generatedRecording();
  // Lower tones than a call recording: a message is told apart by ear.
  const message = generatedRecording(3, [330, 392]);
  return {
    async record(contactRecord) {
      for (const location of recordingLocations(contactRecord)) {
        await options.putRecording(location, audio);
      }
      const voicemail = voicemailLocation(contactRecord, options.recordingsBucket);
      if (voicemail !== undefined) await options.putRecording(voicemail, message);
      const report = await importContactRecords([JSON.stringify(contactRecord)], {
        client: options.client,
        tableName: options.callLogTableName,
      });
      const problem = report.refused[0] ?? report.failed[0];
      if (problem) {
        throw new Error(
          `contact record ${String(contactRecord.ContactId)} not stored: ${problem.reason}`,
        );
      }
      return report;
    },
  };
};
