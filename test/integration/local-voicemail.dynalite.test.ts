import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallLogReader } from '../../lambdas/adapters/dynamodb/call-log-reader.js';
import { readObjectText } from '../../lambdas/adapters/s3/object-text.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { createCallDetails } from '../../lambdas/use-cases/call-details.js';
import { createIngest } from '../../lambdas/use-cases/ingest-contact-records.js';
import { createCallLogPipeline } from '../../local/call-pipeline.js';
import { type LocalS3, startLocalS3 } from '../../local/s3.js';
import {
  createOutboxMailer,
  OFFLINE_TRANSCRIPT,
  type OutboxMailer,
} from '../../local/voicemail-stand-ins.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { TEST_CALLER_HASH_KEY } from '../support/fixtures.js';
import { kinesisEvent } from '../support/ingestion.js';

/**
 * The local system's voicemail: a contact record whose flow took a message goes through the
 * deployed packager with the local stand-ins, into local S3 and the call log on dynalite.
 */
const BUCKET = 'local-recordings';
const TABLE = 'voicemail-call-log';
const CONTACT = 'vm-0000-4000-8000-000000000001';

let dynamo: LocalDynamo;
let s3: LocalS3;
let outboxDir: string;
let mailer: OutboxMailer;

beforeAll(async () => {
  [dynamo, s3] = await Promise.all([startDynalite(), startLocalS3({ bucket: BUCKET })]);
  await dynamo.createTable(TABLE, CALL_LOG_TABLE);
  outboxDir = await mkdtemp(join(tmpdir(), 'outbox-'));
  mailer = createOutboxMailer(join(outboxDir, 'outbox.jsonl'));
}, 60_000);

afterAll(async () => {
  await Promise.all([
    dynamo?.close(),
    s3?.close(),
    rm(outboxDir, { recursive: true, force: true }),
  ]);
});

const pipeline = () =>
  createCallLogPipeline({
    client: dynamo.client,
    callLogTableName: TABLE,
    recordingsBucket: BUCKET,
    callerHashKey: TEST_CALLER_HASH_KEY,
    async putRecording(location, body, contentType = 'audio/wav') {
      const key = location.slice(location.indexOf('/') + 1);
      await s3.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: contentType }),
      );
    },
    mailer,
    emailFor: (id) => (id === 'round-rock' ? 'round-rock@example.com' : undefined),
    linkBase: 'http://127.0.0.1:5173/#',
  });

/** A CTR of a call to round-rock whose flow streamed the caller's message. */
const ctr = (contactId: string, lastUpdate: string) => ({
  ContactId: contactId,
  Channel: 'VOICE',
  InitiationMethod: 'INBOUND',
  InitiationTimestamp: '2026-11-23T22:00:00Z',
  DisconnectTimestamp: '2026-11-23T22:01:10Z',
  LastUpdateTimestamp: lastUpdate,
  CustomerEndpoint: { Address: '+15125559871', Type: 'TELEPHONE_NUMBER' },
  SystemEndpoint: { Address: '+15125550161', Type: 'TELEPHONE_NUMBER' },
  DisconnectReason: 'CUSTOMER_DISCONNECT',
  Attributes: {
    locationId: 'round-rock',
    locationName: 'Round Rock Storage',
    voicemail: 'recording',
    voicemailStreamArn: 'arn:aws:kinesisvideo:us-east-1:000000000000:stream/local/1',
    voicemailStartFragment: '91343852333181432392682062607743920146264440066',
    voicemailStartTimestamp: '1795471210000',
  },
});

const details = () =>
  createCallDetails({
    reader: createCallLogReader({ client: dynamo.client, tableName: TABLE }),
    recordingUrls: async () => [],
    recordingKeyUrl: async (key) => ({ url: `local:${key}`, expiresAt: '' }),
    updateLead: async () => undefined,
    readObjectText: (key) => readObjectText(s3.client, BUCKET, key),
  });

describe('a message left on the local system', () => {
  it('lands in local S3 as a WAV, its call logged as voicemail with the offline transcript and an email in the outbox', async () => {
    await pipeline().record(ctr(CONTACT, '2026-11-23T22:01:15Z'), 14);
    const key = `connect/voicemail/2026/11/23/${CONTACT}.wav`;
    const object = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const wav = Buffer.from(await (object.Body?.transformToByteArray() ?? new Uint8Array()));
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.length).toBe(44 + 14 * 8000 * 2);

    const call = await details().get(CONTACT);
    expect(call.outcome).toBe('voicemail');
    expect(call.voicemail).toEqual({
      recordingUrl: `local:${key}`,
      durationSeconds: 14,
      transcript: OFFLINE_TRANSCRIPT,
    });

    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'round-rock@example.com' });
    expect(mailer.sent[0]?.text).toContain(`http://127.0.0.1:5173/#/calls/${CONTACT}`);
    const lines = (await readFile(join(outboxDir, 'outbox.jsonl'), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ to: 'round-rock@example.com' });
  });

  it('logs a hang-up at the tone (under a second) as no message', async () => {
    const id = 'vm-0000-4000-8000-000000000002';
    await pipeline().record(ctr(id, '2026-11-23T22:01:15Z'), 0.4);
    const call = await details().get(id);
    expect(call.outcome).not.toBe('voicemail');
    expect(call.voicemail).toBeNull();
  });

  it('keeps the newest delivery when a record is delivered again: same key, same call', async () => {
    const id = 'vm-0000-4000-8000-000000000003';
    await pipeline().record(ctr(id, '2026-11-23T22:01:20Z'), 9);
    // An older delivery, redelivered, does not replace the newer one.
    await pipeline().record(ctr(id, '2026-11-23T22:01:15Z'), 9);
    await pipeline().record(ctr(id, '2026-11-23T22:01:20Z'), 9);
    const item = await createCallLogReader({ client: dynamo.client, tableName: TABLE }).getCall(id);
    expect(item).toMatchObject({
      outcome: 'voicemail',
      voicemailKey: `connect/voicemail/2026/11/23/${id}.wav`,
      voicemailDurationSeconds: 9,
      lastUpdate: '2026-11-23T22:01:20.000Z',
    });
  });
});

describe('a message whose audio cannot be read yet', () => {
  it('fails the record so Lambda retries it, and logs no call until the message is kept', async () => {
    const id = 'vm-0000-4000-8000-000000000004';
    const event = kinesisEvent([ctr(id, '2026-11-23T22:01:15Z')]);
    const ingest = createIngest({
      client: dynamo.client,
      tableName: TABLE,
      log: () => {},
      callerHashKey: TEST_CALLER_HASH_KEY,
      packageVoicemail: async () => {
        throw new Error('GetMedia: ClientLimitExceededException');
      },
    });
    const response = await ingest(event);
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: event.Records[0]?.kinesis.sequenceNumber },
    ]);
    const reader = createCallLogReader({ client: dynamo.client, tableName: TABLE });
    expect(await reader.getCall(id)).toBeUndefined();
  });
});
