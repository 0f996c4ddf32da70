import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Log } from '../lambdas/adapters/json-log.js';
import { QUEUE_OUTCOME_ATTRIBUTES } from '../lambdas/contracts/queue-outcome-attributes.js';
import type { PriceTable } from '../lambdas/domain/call-cost.js';
import type { PublishCallEvents } from '../lambdas/domain/webhook-event.js';
import { createPackageVoicemail } from '../lambdas/use-cases/package-voicemail.js';
import { type ImportReport, importContactRecords } from './import-records.js';
import { type OutboxMailer, offlineTranscriber, toneAudio } from './voicemail-stand-ins.js';
import { generatedRecording } from './wav.js';

/**
 * What Connect does after a call, locally: the recording lands in the recordings bucket where the
 * contact record says it is, a message the flow took (voicemail = recording) goes through the
 * same voicemail packager as deployed (a generated tone for the stream, an offline transcript, an
 * outbox for the email) into the bucket, and the contact record goes through the real ingest (as
 * the Kinesis stream would deliver it) into the call log.
 */
export interface CallLogPipeline {
  /**
   * Stores the call's recordings and ingests its contact record; rejects when it is not stored.
   * `voicemailSeconds`: how long the caller's message is when the flow took one (default 3 s;
   * under a second is an empty message).
   */
  record(
    contactRecord: Readonly<Record<string, unknown>>,
    voicemailSeconds?: number,
  ): Promise<ImportReport>;
}

export interface CallLogPipelineOptions {
  readonly client: DynamoDBClient;
  readonly callLogTableName: string;
  /** The local system's key of the callers' hashes (caller-hash-key.ts). */
  readonly callerHashKey: Uint8Array;
  /** Puts one object in the local recordings bucket, at a contact record's recording Location. */
  readonly putRecording: (location: string, body: Buffer, contentType?: string) => Promise<void>;
  /** The bucket a voicemail message's key (attribute voicemailKey) is in. */
  readonly recordingsBucket: string;
  /** Where voicemail emails go instead of SES. @default - no email is sent */
  readonly mailer?: OutboxMailer;
  /** A location's voicemail email address (the portfolio's voicemailEmail). */
  readonly emailFor?: (locationId: string) => string | undefined;
  /** The call page's base for the email's link (`<base>/calls/<id>`). */
  readonly linkBase?: string;
  /** @default - quiet */
  readonly log?: Log;
  /** The rates the calls' costs are estimated with (the portfolio's). */
  readonly prices?: PriceTable;
  /** Where the ingest publishes call events (the local system's webhooks). @default - nowhere */
  readonly publishEvents?: PublishCallEvents;
}

/** A message's length when the caller of `record` does not give one. */
export const DEFAULT_VOICEMAIL_SECONDS = 3;

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
  const putObject = (key: string, body: Buffer, contentType: string) =>
    options.putRecording(`${options.recordingsBucket}/${key}`, body, contentType);
  const packager = (seconds: number) =>
    createPackageVoicemail({
      readAudio: toneAudio(seconds),
      putObject,
      startTranscription: offlineTranscriber(putObject),
      notify: async (email) => options.mailer?.notify(email),
      ...(options.mailer && options.emailFor ? { emailFor: options.emailFor } : {}),
      ...(options.linkBase ? { linkBase: options.linkBase } : {}),
      log: options.log ?? (() => {}),
    });
  return {
    async record(contactRecord, voicemailSeconds = DEFAULT_VOICEMAIL_SECONDS) {
      for (const location of recordingLocations(contactRecord)) {
        await options.putRecording(location, audio);
      }
      // A record that already names its message (the demo's) has it put where it says.
      const voicemail = voicemailLocation(contactRecord, options.recordingsBucket);
      if (voicemail !== undefined) await options.putRecording(voicemail, message);
      const report = await importContactRecords([JSON.stringify(contactRecord)], {
        client: options.client,
        tableName: options.callLogTableName,
        packageVoicemail: packager(voicemailSeconds),
        callerHashKey: options.callerHashKey,
        ...(options.prices ? { prices: options.prices } : {}),
        ...(options.publishEvents ? { publishEvents: options.publishEvents } : {}),
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
