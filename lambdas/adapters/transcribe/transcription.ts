import {
  ConflictException,
  type LanguageCode,
  StartTranscriptionJobCommand,
  type TranscribeClient,
} from '@aws-sdk/client-transcribe';

/**
 * Starts the transcription of a message stored in the recordings bucket; the transcript JSON is
 * written to the same bucket at `outputKey`, encrypted with the bucket's KMS key. A job of that
 * name already existing (ConflictException) means a previous delivery of the record started it:
 * not an error.
 */
export type StartTranscription = (
  jobName: string,
  mediaKey: string,
  outputKey: string,
) => Promise<void>;

export interface TranscriptionOptions {
  readonly client: TranscribeClient;
  readonly bucket: string;
  /** The recordings key's ARN: Transcribe encrypts the transcript with it. */
  readonly kmsKeyArn: string;
  /** @default 'en-US' */
  readonly languageCode?: LanguageCode;
}

export const createTranscription =
  ({
    client,
    bucket,
    kmsKeyArn,
    languageCode = 'en-US',
  }: TranscriptionOptions): StartTranscription =>
  async (jobName, mediaKey, outputKey) => {
    try {
      await client.send(
        new StartTranscriptionJobCommand({
          TranscriptionJobName: jobName,
          LanguageCode: languageCode,
          MediaFormat: 'wav',
          Media: { MediaFileUri: `s3://${bucket}/${mediaKey}` },
          OutputBucketName: bucket,
          OutputKey: outputKey,
          OutputEncryptionKMSKeyId: kmsKeyArn,
        }),
      );
    } catch (error) {
      if (error instanceof ConflictException) return;
      throw error;
    }
  };
