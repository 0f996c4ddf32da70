import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  type CallLogPipeline,
  type CallLogPipelineOptions,
  createCallLogPipeline,
} from './call-pipeline.js';
import { localCallerHashKey } from './caller-hash-key.js';
import { connectLocalDynamo, type LocalDynamo } from './dynamo.js';
import {
  LOCAL_CALL_LOG_TABLE_NAME,
  LOCAL_DATA_DIRECTORY,
  LOCAL_RECORDINGS_BUCKET,
} from './names.js';
import {
  credentialsOf,
  type RunningSystem,
  readRunningSystem,
  runningFileIn,
} from './running-record.js';
import { localS3Client } from './s3.js';
import type { LocalCredentials } from './store-gate.js';
import { createOutboxMailer } from './voicemail-stand-ins.js';
import { publishToBus } from './webhooks.js';

/**
 * What Connect does with a finished call, on a local system's DynamoDB and S3 (this process's, or
 * a running `npm start`'s): the recording into the bucket its Location names, the contact record
 * into the call log through the ingest.
 */
export const createLocalCallLog = (
  dynamo: LocalDynamo,
  /** The local S3, and the credentials it requires (default: s3rver's own). */
  s3Store: { readonly endpoint: string; readonly credentials?: LocalCredentials | undefined },
  callLogTableName: string = LOCAL_CALL_LOG_TABLE_NAME,
  recordingsBucket: string = LOCAL_RECORDINGS_BUCKET,
  /**
   * The callers' hash key; where voicemail emails go (the outbox), to whom, the link they carry;
   * the price table; where events go.
   */
  voicemail: Pick<CallLogPipelineOptions, 'callerHashKey'> &
    Partial<
      Pick<CallLogPipelineOptions, 'mailer' | 'emailFor' | 'linkBase' | 'prices' | 'publishEvents'>
    >,
): CallLogPipeline & { close(): void } => {
  const s3 = localS3Client(s3Store.endpoint, s3Store.credentials);
  const pipeline = createCallLogPipeline({
    ...voicemail,
    client: dynamo.client,
    callLogTableName,
    recordingsBucket,
    async putRecording(location, body, contentType = 'audio/wav') {
      const slash = location.indexOf('/');
      await s3.send(
        new PutObjectCommand({
          Bucket: location.slice(0, slash),
          Key: location.slice(slash + 1),
          Body: body,
          ContentType: contentType,
        }),
      );
    },
  });
  return {
    record: (record, voicemailSeconds) => pipeline.record(record, voicemailSeconds),
    close: () => s3.destroy(),
  };
};

export interface RunningConnection {
  readonly running: RunningSystem;
  readonly dynamo: LocalDynamo;
  readonly callLog: CallLogPipeline;
  close(): Promise<void>;
}

/** The running `npm start` whose record is `file`, connected to; undefined when none runs. */
export const connectRunningSystem = (file?: URL): RunningConnection | undefined => {
  const running = readRunningSystem(file);
  if (!running?.s3Endpoint) return undefined;
  const credentials = credentialsOf(running);
  const dynamo = connectLocalDynamo(running.dynamodbEndpoint, credentials);
  const emails = running.voicemailEmails ?? {};
  const callLog = createLocalCallLog(
    dynamo,
    { endpoint: running.s3Endpoint, credentials },
    running.callLogTableName,
    running.recordingsBucket,
    {
      // The running system's key and outbox: beside its record, in its data directory.
      callerHashKey: localCallerHashKey(new URL('./', file ?? runningFileIn(LOCAL_DATA_DIRECTORY))),
      mailer: createOutboxMailer(
        new URL('outbox.jsonl', file ?? runningFileIn(LOCAL_DATA_DIRECTORY)),
      ),
      emailFor: (id) => (Object.hasOwn(emails, id) ? emails[id] : undefined),
      ...(running.apiUrl ? { linkBase: `${running.apiUrl}/#` } : {}),
      ...(running.prices ? { prices: running.prices } : {}),
      // Its webhooks deliver what this process logs.
      ...(running.eventBusUrl ? { publishEvents: publishToBus(running.eventBusUrl) } : {}),
    },
  );
  return {
    running,
    dynamo,
    callLog,
    async close() {
      callLog.close();
      await dynamo.close();
    },
  };
};
