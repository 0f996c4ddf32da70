import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import {
  ConflictException,
  LimitExceededException,
  StartTranscriptionJobCommand,
  TranscribeClient,
} from '@aws-sdk/client-transcribe';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPutObject } from '../../lambdas/adapters/s3/put-object.js';
import { createSesMailer } from '../../lambdas/adapters/ses/mailer.js';
import { createTranscription } from '../../lambdas/adapters/transcribe/transcription.js';

const transcribe = mockClient(TranscribeClient);
const ses = mockClient(SESv2Client);
const s3 = mockClient(S3Client);
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0000';

beforeEach(() => {
  transcribe.reset();
  ses.reset();
  s3.reset();
});

const start = createTranscription({
  client: new TranscribeClient({ region: 'us-east-1' }),
  bucket: 'recordings',
  kmsKeyArn: KEY_ARN,
});

describe('the voicemail adapters', () => {
  it('asks Transcribe for the message, its transcript to the recordings bucket under the key', async () => {
    transcribe.on(StartTranscriptionJobCommand).resolves({});
    await start(
      'voicemail-c1',
      'connect/voicemail/2026/11/23/c1.wav',
      'connect/voicemail/transcripts/c1.json',
    );
    expect(transcribe.commandCalls(StartTranscriptionJobCommand)[0]?.args[0].input).toEqual({
      TranscriptionJobName: 'voicemail-c1',
      LanguageCode: 'en-US',
      MediaFormat: 'wav',
      Media: { MediaFileUri: 's3://recordings/connect/voicemail/2026/11/23/c1.wav' },
      OutputBucketName: 'recordings',
      OutputKey: 'connect/voicemail/transcripts/c1.json',
      OutputEncryptionKMSKeyId: KEY_ARN,
    });
  });

  it('takes a job that already exists for started (a redelivered record), and throws anything else', async () => {
    transcribe
      .on(StartTranscriptionJobCommand)
      .rejectsOnce(new ConflictException({ message: 'exists', $metadata: {} }))
      .rejectsOnce(new LimitExceededException({ message: 'slow down', $metadata: {} }));
    await expect(start('j', 'm', 'o')).resolves.toBeUndefined();
    await expect(start('j', 'm', 'o')).rejects.toBeInstanceOf(LimitExceededException);
  });

  it('sends a plain-text email from the SES identity, and writes objects as asked', async () => {
    ses.on(SendEmailCommand).resolves({});
    await createSesMailer(
      new SESv2Client({ region: 'us-east-1' }),
      'calls@example.com',
    )({
      to: 'rr@example.com',
      subject: 'New voicemail',
      text: 'Listen: https://x/calls/c1',
    });
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: 'calls@example.com',
      Destination: { ToAddresses: ['rr@example.com'] },
      Content: {
        Simple: {
          Subject: { Data: 'New voicemail', Charset: 'UTF-8' },
          Body: { Text: { Data: 'Listen: https://x/calls/c1', Charset: 'UTF-8' } },
        },
      },
    });
    s3.on(PutObjectCommand).resolves({});
    await createPutObject(new S3Client({ region: 'us-east-1' }), 'recordings')(
      'connect/voicemail/a.wav',
      Buffer.from('RIFF'),
      'audio/wav',
    );
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'recordings',
      Key: 'connect/voicemail/a.wav',
      ContentType: 'audio/wav',
    });
  });
});
