import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ingestEnvironment } from '../../lambdas/contracts/environment.js';
import { DEFAULT_PRICE_TABLE } from '../../lambdas/domain/call-cost.js';
import { loadPortfolio } from '../../lib/config/load-portfolio.js';
import { MEDIA_STREAM_RETENTION_HOURS } from '../../lib/constructs/instance-storage.js';
import { everyNumberClaimed, synthNewInstanceApp } from '../support/synth.js';

/** The example portfolio with round-rock's manager emailed about messages. */
const portfolio = (() => {
  const example = everyNumberClaimed(loadPortfolio('config/portfolio.yaml'));
  return {
    ...example,
    locations: example.locations.map((l) =>
      l.id === 'round-rock' ? { ...l, voicemailEmail: 'round-rock@example.com' } : l,
    ),
  };
})();

type Template = ReturnType<typeof synthNewInstanceApp>['telephony'];

const ingestOf = (template: Template) => {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { CALL_LOG_TABLE_NAME: Match.anyValue() } } },
  });
  const found = Object.values(functions).find(
    (f) =>
      (f as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
        .Environment.Variables.FAILURE_QUEUE_URL !== undefined,
  ) as { Properties: { Environment: { Variables: Record<string, unknown> } } } | undefined;
  if (!found) throw new Error('no ingest function');
  return found.Properties.Environment.Variables;
};

const statementsOf = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p) =>
      (p as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument
        .Statement,
  ) as { Action: string | string[]; Resource: unknown }[];

const actionsOf = (template: Template): string[] =>
  statementsOf(template).flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('the system voicemail, deployed', () => {
  const withEmail = synthNewInstanceApp({
    portfolio,
    voicemailFromEmail: 'calls@example.com',
    dashboardUrl: 'https://dash.example.com/',
  });

  it('streams the caller audio to Kinesis Video under the recordings key, kept long enough for retries', () => {
    expect(MEDIA_STREAM_RETENTION_HOURS).toBeGreaterThanOrEqual(24);
    withEmail.telephony.hasResourceProperties('AWS::Connect::InstanceStorageConfig', {
      ResourceType: 'MEDIA_STREAMS',
      StorageType: 'KINESIS_VIDEO_STREAM',
      KinesisVideoStreamConfig: {
        Prefix: 'call-tracking-voicemail',
        RetentionPeriodHours: MEDIA_STREAM_RETENTION_HOURS,
        EncryptionConfig: {
          EncryptionType: 'KMS',
          KeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('RecordingsKey') },
        },
      },
    });
  });

  it('gives the ingest the bucket, the key, the sender, the location emails and the dashboard link', () => {
    const env = ingestOf(withEmail.telephony);
    expect(JSON.stringify(env.RECORDINGS_BUCKET_NAME)).toMatch(/ImportValue.*RecordingsBucket/);
    expect(JSON.stringify(env.RECORDINGS_KEY_ARN)).toMatch(/ImportValue.*RecordingsKeyArn/);
    expect(env).toMatchObject({
      VOICEMAIL_FROM_EMAIL: 'calls@example.com',
      VOICEMAIL_LINK_BASE: 'https://dash.example.com/#',
    });
    expect(JSON.parse(env.VOICEMAIL_EMAILS as string)).toEqual({
      'round-rock': 'round-rock@example.com',
    });
    // The example portfolio sets no pricing: the default table, read back as the ingest reads it.
    const { PRICE_TABLE } = env as Record<string, string>;
    expect(JSON.stringify(env.CALLER_HASH_SECRET_ARN)).toMatch(/ImportValue.*CallerHashKey/);
    expect(
      ingestEnvironment.read({
        CALL_LOG_TABLE_NAME: 'log',
        CALLER_HASH_SECRET_ARN: 'a',
        PRICE_TABLE,
      }).prices,
    ).toEqual(DEFAULT_PRICE_TABLE);
  });

  it('lets the ingest read the media streams, write the voicemail prefix, start Transcribe jobs and send from the identity', () => {
    const statements = statementsOf(withEmail.telephony);
    const resourceOf = (action: string) =>
      JSON.stringify(
        statements.find((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action))
          ?.Resource,
      );
    expect(resourceOf('kinesisvideo:GetMedia')).toContain(
      ':stream/call-tracking-voicemail-connect-*/*',
    );
    expect(resourceOf('kinesisvideo:GetDataEndpoint')).toContain(
      'call-tracking-voicemail-connect-*',
    );
    expect(resourceOf('s3:PutObject')).toContain('/connect/voicemail/*');
    expect(resourceOf('transcribe:StartTranscriptionJob')).toContain(
      ':transcription-job/voicemail-*',
    );
    expect(resourceOf('ses:SendEmail')).toContain(':identity/calls@example.com');
    expect(resourceOf('kms:GenerateDataKey')).toContain('RecordingsKey');
  });

  it('sends no email without a sender, and links to the API without a dashboard', () => {
    const plain = synthNewInstanceApp({ portfolio });
    const env = ingestOf(plain.telephony);
    expect(env.VOICEMAIL_FROM_EMAIL).toBeUndefined();
    expect(JSON.stringify(env.VOICEMAIL_LINK_BASE)).toMatch(/ImportValue/);
    expect(actionsOf(plain.telephony)).not.toContain('ses:SendEmail');
  });
});
