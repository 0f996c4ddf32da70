import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { ingestEnvironment } from '../../lambdas/contracts/environment.js';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Log } from '../../lambdas/adapters/json-log.js';
import { createQueueSink } from '../../lambdas/adapters/sqs/failure-queue.js';
import { callerHash } from '../../lambdas/domain/caller-hash.js';
import type { MalformedRecord } from '../../lambdas/domain/malformed-record.js';
import { createIngest } from '../../lambdas/use-cases/ingest-contact-records.js';
import { kinesisRecord, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

const TABLE = 'calltrack-call-log';
const CALLER = '+15125559876';
const DIALED = '+15125550151';
const RING_TO = '+15125550101';

const ddb = mockClient(DynamoDBClient);
const client = new DynamoDBClient({ region: 'us-east-1' });
const sqs = mockClient(SQSClient);
const sqsClient = new SQSClient({ region: 'us-east-1' });
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest-failures';

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

/** A CTR as Connect writes it for a call answered at the location (extra fields and nulls too). */
const ctr = (
  contactId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> => ({
  AWSContactTraceRecordFormatVersion: '2017-03-10',
  ContactId: contactId,
  InitialContactId: null,
  Channel: 'VOICE',
  InitiationMethod: 'INBOUND',
  InitiationTimestamp: '2026-11-23T16:00:00Z',
  ConnectedToSystemTimestamp: '2026-11-23T16:00:01Z',
  DisconnectTimestamp: '2026-11-23T16:03:00Z',
  LastUpdateTimestamp: '2026-11-23T16:03:05Z',
  SystemEndpoint: { Address: DIALED, Type: 'TELEPHONE_NUMBER' },
  CustomerEndpoint: { Address: CALLER, Type: 'TELEPHONE_NUMBER' },
  Attributes: {
    locationId: 'austin-north',
    locationName: 'Austin North Self Storage',
    source: 'Google Ads',
    ringTo: RING_TO,
    status: 'found',
  },
  TransferredToEndpoint: { Address: RING_TO, Type: 'TELEPHONE_NUMBER' },
  TransferCompletedTimestamp: '2026-11-23T16:00:10Z',
  Queue: null,
  Agent: null,
  Recordings: [],
  DisconnectReason: 'THIRD_PARTY_DISCONNECT',
  ...overrides,
});

/** A call to a number the routing table does not hold: no location, so no first-time check. */
const unknownNumberCtr = (contactId: string, lastUpdate: string) =>
  ctr(contactId, { Attributes: { status: 'unknown' }, LastUpdateTimestamp: lastUpdate });

const base64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64');

const batch = (...records: KinesisStreamRecord[]): KinesisStreamEvent => ({ Records: records });

interface Harness {
  readonly lines: { level: string; fields: Record<string, unknown> }[];
  readonly sink: ReturnType<typeof vi.fn<(record: MalformedRecord) => void>>;
  readonly ingest: ReturnType<typeof createIngest>;
}

const harness = (withSink = true): Harness => {
  const lines: Harness['lines'] = [];
  const log: Log = (level, fields) => lines.push({ level, fields });
  const sink = vi.fn<(record: MalformedRecord) => void>();
  const ingest = createIngest({
    client,
    tableName: TABLE,
    log,
    callerHashKey: TEST_CALLER_HASH_KEY,
    ...(withSink ? { reportMalformed: sink } : {}),
  });
  return { lines, sink, ingest };
};

const ingested = (h: Harness) =>
  h.lines.filter((l) => l.fields.message === 'contact record ingested').map((l) => l.fields);

/** The conditional writes of a call's record fields (UpdateItem on `CALL#<id>`). */
const callWrites = () =>
  ddb
    .commandCalls(UpdateItemCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.ConditionExpression?.includes('lastUpdate'));

/** The attributes a call write sets (`#fN = :fN`), unmarshalled. */
const setBy = (input: UpdateItemCommandInput | undefined): Record<string, unknown> => {
  const names = input?.ExpressionAttributeNames ?? {};
  const values = input?.ExpressionAttributeValues ?? {};
  return unmarshall(
    Object.fromEntries(
      Object.entries(names).flatMap(([placeholder, name]) => {
        const value = values[`:${placeholder.slice(1)}`];
        return value === undefined ? [] : [[name, value]];
      }),
    ),
  );
};

/** The first-time check's reads of the caller item (not the settle's reads of the call). */
const onCallerGet = () => ddb.on(GetItemCommand, { Key: { sk: { S: 'FIRST' } } });

/**
 * The caller item as the batch reads it ahead (BatchGetItem), then as later reads find it (the
 * re-check after the call's write, a read after a lost compare-and-swap).
 */
const onCallerRead = (ahead: { Item?: unknown }, later: { Item?: unknown }) => {
  ddb.on(BatchGetItemCommand).callsFake((input) => {
    const [request] = Object.values(input.RequestItems ?? {}) as { Keys?: any[] }[];
    const asks = (request?.Keys ?? []).some((key) => key.sk?.S === 'FIRST');
    return asks && ahead.Item ? { Responses: { [TABLE]: [ahead.Item] } } : {};
  });
  onCallerGet().resolves(later as never);
};

/** The calls the batch's settle reads (consistently, in one BatchGetItem per 100). */
const callGets = () =>
  ddb.commandCalls(BatchGetItemCommand).flatMap((c) => {
    const [request] = Object.values(c.args[0].input.RequestItems ?? {});
    expect(request?.ConsistentRead).toBe(true);
    return (request?.Keys ?? []).filter((key) => key.sk?.S === 'CALL').map((key) => key.pk?.S);
  });

const callerPuts = () =>
  ddb
    .commandCalls(PutItemCommand)
    .map((c) => c.args[0].input)
    .filter((input) => input.Item?.sk?.S === 'FIRST');

const storedFirst = (contactId: string, startedAt: string, displaced: string[] = []) => ({
  Item: {
    pk: { S: `CALLER#austin-north#${CALLER}` },
    sk: { S: 'FIRST' },
    firstContactId: { S: contactId },
    firstStartedAt: { S: startedAt },
    firstKey: { S: `${startedAt}#${contactId}` },
    ...(displaced.length > 0 ? { displacedContactIds: { SS: displaced } } : {}),
  },
});

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  ddb.reset();
  ddb.on(PutItemCommand).resolves({});
  ddb.on(UpdateItemCommand).resolves({});
  ddb.on(GetItemCommand).resolves({});
  ddb.on(BatchGetItemCommand).resolves({});
});

describe('ingestEnvironment.read', () => {
  const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:caller-hash';
  const required = { CALLER_HASH_SECRET_ARN: SECRET };

  it('needs CALL_LOG_TABLE_NAME and CALLER_HASH_SECRET_ARN', () => {
    expect(() => ingestEnvironment.read(required)).toThrow(/CALL_LOG_TABLE_NAME/);
    expect(() => ingestEnvironment.read({ CALL_LOG_TABLE_NAME: 't' })).toThrow(
      /CALLER_HASH_SECRET_ARN is missing.*callers' hash key/,
    );
    expect(ingestEnvironment.read({ ...required, CALL_LOG_TABLE_NAME: ' t ' })).toEqual({
      tableName: 't',
      callerHashSecretArn: SECRET,
    });
  });

  it('reads FAILURE_QUEUE_URL when set', () => {
    expect(
      ingestEnvironment.read({
        ...required,
        CALL_LOG_TABLE_NAME: 't',
        FAILURE_QUEUE_URL: ` ${QUEUE_URL} `,
      }),
    ).toEqual({ tableName: 't', callerHashSecretArn: SECRET, failureQueueUrl: QUEUE_URL });
    expect(
      ingestEnvironment.read({ ...required, CALL_LOG_TABLE_NAME: 't', FAILURE_QUEUE_URL: ' ' }),
    ).toEqual({ tableName: 't', callerHashSecretArn: SECRET });
  });
});

describe('a good record', () => {
  it('is classified, made the caller’s first call at the location, and written', async () => {
    onCallerRead({}, storedFirst('c-1', '2026-11-23T16:00:00.000Z'));
    const h = harness();
    const response = await h.ingest(batch(kinesisRecord('1', base64(ctr('c-1')))));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(h.sink).not.toHaveBeenCalled();
    expect(callerPuts()).toEqual([
      expect.objectContaining({
        TableName: TABLE,
        ConditionExpression: 'attribute_not_exists(pk)',
        Item: expect.objectContaining({
          pk: { S: `CALLER#austin-north#${CALLER}` },
          firstContactId: { S: 'c-1' },
          firstKey: { S: '2026-11-23T16:00:00.000Z#c-1' },
        }),
      }),
    ]);
    const [write] = callWrites();
    expect(write?.Key).toEqual({ pk: { S: 'CALL#c-1' }, sk: { S: 'CALL' } });
    expect(write?.ConditionExpression).toBe('attribute_not_exists(pk) OR lastUpdate < :incoming');
    expect(write?.ExpressionAttributeValues).toMatchObject({
      ':incoming': { S: '2026-11-23T16:03:05.000Z' },
      ':one': { N: '1' },
      ':group': { SS: [`2026-11-23#austin-north#Google Ads#${DIALED}`] },
    });
    expect(write?.UpdateExpression).toMatch(/ ADD revision :one, rollupGroups :group$/);
    // Lead fields are the API's: a record never sets or removes them.
    expect(Object.values(write?.ExpressionAttributeNames ?? {})).not.toContain('leadStatus');
    expect(setBy(write)).toMatchObject({
      outcome: 'answered-location',
      answered: true,
      firstTime: true,
      locationKey: 'LOC#austin-north',
      durationSeconds: 180,
      // Keyed by the ingest's key, for the rollups' unique callers.
      callerHash: callerHash(TEST_CALLER_HASH_KEY, CALLER),
    });
    expect(ingested(h)).toEqual([expect.objectContaining({ write: 'written', firstTime: true })]);
    // Not displaced, so nothing marked; then settled (a consistent read of the stored call).
    expect(callWrites()).toHaveLength(1);
    expect(ddb).toHaveReceivedCommandTimes(UpdateItemCommand, 1);
    expect(callGets()).toEqual(['CALL#c-1']);
  });

  it('never logs the caller’s number in clear', async () => {
    const h = harness();
    await h.ingest(batch(kinesisRecord('1', base64(ctr('c-1')))));
    const text = JSON.stringify(h.lines);
    expect(text).not.toContain(CALLER);
    expect(ingested(h)[0]?.caller).toBe('+1512*****76');
  });
});

describe('ordering: duplicates, older and newer records', () => {
  it('a duplicate or an older record is stale: no failure, nothing else written, still settled', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed());
    const h = harness();
    const response = await h.ingest(
      batch(
        kinesisRecord('1', base64(unknownNumberCtr('c-1', '2026-11-23T16:03:05Z'))),
        kinesisRecord('2', base64(unknownNumberCtr('c-1', '2026-11-23T16:01:00Z'))),
      ),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(ingested(h).map((f) => f.write)).toEqual(['stale', 'stale']);
    // An unknown number is never a lead: no caller item read or written.
    expect(ddb).not.toHaveReceivedCommandWith(GetItemCommand, { Key: { sk: { S: 'FIRST' } } });
    expect(callerPuts()).toEqual([]);
    // A stale record may be the retry of one whose settle was lost: it is settled again, once
    // for the batch however many of its records are of that call.
    expect(callGets()).toEqual(['CALL#c-1']);
  });

  it('a newer record is written with its LastUpdateTimestamp as the condition', async () => {
    const h = harness();
    await h.ingest(
      batch(kinesisRecord('3', base64(unknownNumberCtr('c-1', '2026-11-23T17:00:00Z')))),
    );
    expect(ingested(h).map((f) => f.write)).toEqual(['written']);
    expect(callWrites()[0]?.ExpressionAttributeValues).toMatchObject({
      ':incoming': { S: '2026-11-23T17:00:00.000Z' },
    });
    expect(setBy(callWrites()[0]).firstTime).toBe(false);
  });
});

describe('first-time callers', () => {
  it('a later call of a known caller is not the first, and leaves the caller item alone', async () => {
    const known = storedFirst('c-0', '2026-11-20T16:00:00.000Z');
    onCallerRead(known, known);
    const h = harness();
    await h.ingest(batch(kinesisRecord('1', base64(ctr('c-1')))));
    expect(callerPuts()).toEqual([]);
    expect(setBy(callWrites()[0]).firstTime).toBe(false);
    expect(ingested(h)[0]).toMatchObject({ firstTime: false, notFirst: 'earlier-call' });
  });

  it('an earlier call arriving late displaces the first one, which is marked not first', async () => {
    onCallerRead(
      storedFirst('c-9', '2026-11-25T16:00:00.000Z'),
      storedFirst('c-1', '2026-11-23T16:00:00.000Z', ['c-9']),
    );
    const h = harness();
    await h.ingest(batch(kinesisRecord('1', base64(ctr('c-1')))));
    expect(callerPuts()).toEqual([
      expect.objectContaining({
        ConditionExpression: 'firstKey = :read',
        ExpressionAttributeValues: { ':read': { S: '2026-11-25T16:00:00.000Z#c-9' } },
        Item: expect.objectContaining({ displacedContactIds: { SS: ['c-9'] } }),
      }),
    ]);
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pk: { S: 'CALL#c-9' }, sk: { S: 'CALL' } },
      UpdateExpression: 'SET firstTime = :false ADD revision :one',
      // Already marked (a replay): no change, no new revision.
      ConditionExpression: 'attribute_exists(pk) AND firstTime <> :false',
    });
    expect(setBy(callWrites()[0]).firstTime).toBe(true);
    // Its leadCall moved: the displaced call is settled too, before this one.
    expect(callGets()).toEqual(['CALL#c-9', 'CALL#c-1']);
  });

  it('a call displaced between its check and its write marks itself not first', async () => {
    onCallerRead({}, storedFirst('c-0', '2026-11-20T16:00:00.000Z', ['c-1']));
    const h = harness();
    await h.ingest(batch(kinesisRecord('1', base64(ctr('c-1')))));
    expect(ddb).toHaveReceivedCommandWith(UpdateItemCommand, {
      Key: { pk: { S: 'CALL#c-1' }, sk: { S: 'CALL' } },
    });
    expect(ingested(h)[0]).toMatchObject({ firstTime: false });
  });
});

describe('malformed records', () => {
  it.each([
    ['bad base64', '***not base64***', /not valid base64/],
    ['not JSON', base64('{"ContactId": '), /not JSON/],
    ['a JSON array', base64([1, 2]), /must be a JSON object/],
    [
      'a CTR without LastUpdateTimestamp',
      base64(ctr('c-1', { LastUpdateTimestamp: 'yesterday' })),
      /LastUpdateTimestamp must be an ISO 8601 timestamp/,
    ],
    ['a CTR without ContactId', base64(ctr('c-1', { ContactId: null })), /ContactId/],
  ])(
    '%s goes to the sink with the reason, is not retried, and the batch goes on',
    async (_, data, reason) => {
      const h = harness();
      const response = await h.ingest(
        batch(kinesisRecord('7', data), kinesisRecord('8', base64(ctr('c-2')))),
      );
      expect(response).toEqual({ batchItemFailures: [] });
      expect(h.sink).toHaveBeenCalledTimes(1);
      expect(h.sink).toHaveBeenCalledWith({
        sequenceNumber: '7',
        reason: expect.stringMatching(reason),
        data,
      });
      expect(ingested(h).map((f) => f.contactId)).toEqual(['c-2']);
    },
  );

  it('masks a number the reason quotes, in the sink and the warn log; the data stays for a replay', async () => {
    const h = harness();
    const broken = { ...ctr('c-9'), LastUpdateTimestamp: '+15125550150' };
    const truncated = '{"CustomerEndpoint":{"Address":"+15125550150"},"ContactId":"x",';
    await h.ingest(
      batch(kinesisRecord('7', base64(broken)), kinesisRecord('8', base64(truncated))),
    );
    expect(h.sink).toHaveBeenCalledTimes(2);
    const reasons = h.sink.mock.calls.map(([record]) => record.reason);
    expect(reasons[0]).toMatch(/LastUpdateTimestamp .*found the string "\+1512\*+50"/);
    const said = JSON.stringify([reasons, h.lines]);
    expect(said).not.toMatch(/5125550150|555.?0150/);
    expect(h.sink.mock.calls[0]?.[0].data).toBe(base64(broken));
  });

  it('with the default sink, a malformed record fails as a batch item (for the on-failure destination)', async () => {
    const h = harness(false);
    const response = await h.ingest(batch(kinesisRecord('7', base64('nope'))));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '7' }] });
    expect(h.lines).toContainEqual({
      level: 'error',
      fields: expect.objectContaining({
        message: 'malformed contact record',
        sequenceNumber: '7',
        reason: expect.stringMatching(/not JSON/),
      }),
    });
  });

  it('an item DynamoDB refuses as invalid goes to the sink', async () => {
    const refused = Object.assign(new Error('Item size has exceeded the maximum allowed size'), {
      name: 'ValidationException',
    });
    ddb.on(UpdateItemCommand).rejects(refused);
    const h = harness();
    const response = await h.ingest(
      batch(kinesisRecord('9', base64(unknownNumberCtr('c-1', '2026-11-23T16:03:05Z')))),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(h.sink).toHaveBeenCalledWith(
      expect.objectContaining({ sequenceNumber: '9', reason: expect.stringMatching(/refused/) }),
    );
  });
});

describe('transient failures', () => {
  it('a throttled write is a batch item failure; the other records succeed', async () => {
    ddb
      .on(UpdateItemCommand, { Key: { pk: { S: 'CALL#c-2' } } })
      .rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));
    const h = harness();
    const response = await h.ingest(
      batch(
        kinesisRecord('1', base64(unknownNumberCtr('c-1', '2026-11-23T16:03:05Z'))),
        kinesisRecord('2', base64(unknownNumberCtr('c-2', '2026-11-23T16:03:05Z'))),
        kinesisRecord('3', base64(unknownNumberCtr('c-3', '2026-11-23T16:03:05Z'))),
      ),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(ingested(h).map((f) => f.contactId)).toEqual(['c-1', 'c-3']);
    expect(h.sink).not.toHaveBeenCalled();
    expect(h.lines).toContainEqual({
      level: 'error',
      fields: expect.objectContaining({ sequenceNumber: '2', contactId: 'c-2', transient: true }),
    });
  });

  it('a failing settle fails every written record of the batch, after the calls were written (the retry settles)', async () => {
    ddb
      .on(BatchGetItemCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} }));
    const h = harness();
    const response = await h.ingest(
      batch(
        kinesisRecord('1', base64(unknownNumberCtr('c-1', '2026-11-23T16:03:05Z'))),
        kinesisRecord('2', base64(unknownNumberCtr('c-2', '2026-11-23T16:03:05Z'))),
        kinesisRecord('3', base64('nope')),
      ),
    );
    // The malformed record went to its sink: it is done, the written two are retried.
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: '1' }, { itemIdentifier: '2' }],
    });
    expect(callWrites().map((w) => w.Key?.pk?.S)).toEqual(['CALL#c-1', 'CALL#c-2']);
    expect(ingested(h)).toEqual([]);
    expect(h.lines).toContainEqual({
      level: 'error',
      fields: expect.objectContaining({ calls: 2, transient: true }),
    });
  });

  it('a failing sink makes the malformed record a batch item failure', async () => {
    const h = harness();
    h.sink.mockRejectedValue(new Error('queue unavailable'));
    const response = await h.ingest(batch(kinesisRecord('5', base64('nope'))));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '5' }] });
  });
});

describe('the failure queue sink', () => {
  const queueIngest = () => {
    const lines: Harness['lines'] = [];
    const ingest = createIngest({
      client,
      tableName: TABLE,
      log: (level, fields) => lines.push({ level, fields }),
      callerHashKey: TEST_CALLER_HASH_KEY,
      reportMalformed: createQueueSink({
        client: sqsClient,
        queueUrl: QUEUE_URL,
        now: () => new Date('2026-11-23T17:00:00Z'),
      }),
    });
    return { ingest, lines };
  };

  it('sends a malformed record with its reason and data, and the batch reports no failure', async () => {
    const data = base64('{"ContactId": ');
    const { ingest } = queueIngest();
    const response = await ingest(
      batch(kinesisRecord('7', data), kinesisRecord('8', base64(ctr('c-2')))),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.QueueUrl).toBe(QUEUE_URL);
    expect(JSON.parse(input?.MessageBody ?? '')).toEqual({
      reason: expect.stringMatching(/not JSON/),
      sequenceNumber: '7',
      data,
      receivedAt: '2026-11-23T17:00:00.000Z',
    });
    expect(input?.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'malformed-contact-record' },
      reason: { DataType: 'String', StringValue: expect.stringMatching(/not JSON/) },
      sequenceNumber: { DataType: 'String', StringValue: '7' },
    });
    expect(callWrites().map((w) => w.Key?.pk?.S)).toEqual(['CALL#c-2']);
  });

  it('truncates a long reason in the attributes but keeps it whole in the body', async () => {
    const longReason = 'x'.repeat(2_000);
    const sink = createQueueSink({ client: sqsClient, queueUrl: QUEUE_URL });
    await sink({ sequenceNumber: '1', reason: longReason, data: base64('nope') });
    const input = sqs.commandCalls(SendMessageCommand)[0]?.args[0].input;
    expect(input?.MessageAttributes?.reason?.StringValue?.length).toBeLessThanOrEqual(256);
    expect(JSON.parse(input?.MessageBody ?? '').reason).toBe(longReason);
  });

  it('a failing send makes the malformed record a batch item failure (retried)', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    const { ingest } = queueIngest();
    const response = await ingest(
      batch(kinesisRecord('5', base64('nope')), kinesisRecord('6', base64(ctr('c-2')))),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '5' }] });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
  });
});
