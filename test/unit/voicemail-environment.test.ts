import { describe, expect, it } from 'vitest';
import { ingestEnvironment, voicemailEmailsVariable } from '../../lambdas/contracts/environment.js';

const base = {
  CALL_LOG_TABLE_NAME: 'log',
  CALLER_HASH_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k',
};

describe("the ingest's voicemail environment", () => {
  it('is off without the recordings bucket', () => {
    expect(ingestEnvironment.read(base).voicemail).toBeUndefined();
  });

  it('reads the bucket, the key, the sender, the location emails and the link base set at synth', () => {
    const variables = ingestEnvironment.variables({
      callLogTableName: 'log',
      callerHashSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k',
      routingTableName: undefined,
      failureQueueUrl: undefined,
      recordingsBucketName: 'recordings',
      recordingsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      voicemailFromEmail: 'calls@example.com',
      voicemailEmails: voicemailEmailsVariable({ 'round-rock': 'rr@example.com' }),
      voicemailLinkBase: 'https://dash.example.com/#',
      priceTable: undefined,
      eventBusName: undefined,
      callDataRetentionDays: undefined,
    });
    expect(ingestEnvironment.read(variables).voicemail).toEqual({
      recordingsBucket: 'recordings',
      recordingsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
      fromEmail: 'calls@example.com',
      emails: { 'round-rock': 'rr@example.com' },
      linkBase: 'https://dash.example.com/#',
    });
  });

  it('reads the retention in whole days, and refuses anything else by name', () => {
    expect(ingestEnvironment.read(base).retentionDays).toBeUndefined();
    expect(ingestEnvironment.read({ ...base, CALL_DATA_RETENTION_DAYS: '365' }).retentionDays).toBe(
      365,
    );
    for (const bad of ['0', '-1', '1.5', 'year']) {
      expect(() => ingestEnvironment.read({ ...base, CALL_DATA_RETENTION_DAYS: bad })).toThrow(
        /CALL_DATA_RETENTION_DAYS must be a whole number of days/,
      );
    }
  });

  it('needs the key with the bucket, and refuses an email map that is not one', () => {
    expect(() => ingestEnvironment.read({ ...base, RECORDINGS_BUCKET_NAME: 'b' })).toThrow(
      /RECORDINGS_KEY_ARN is missing/,
    );
    expect(() =>
      ingestEnvironment.read({
        ...base,
        RECORDINGS_BUCKET_NAME: 'b',
        RECORDINGS_KEY_ARN: 'k',
        VOICEMAIL_EMAILS: '["a@example.com"]',
      }),
    ).toThrow(/VOICEMAIL_EMAILS must be a JSON object/);
  });
});
