import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-kinesis';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import 'aws-sdk-client-mock-vitest/extend';
import { failureMessageBody } from '../../lambdas/adapters/sqs/failure-queue.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { importContactRecords } from '../../local/import-records.js';
import { replayMain } from '../../local/replay-cli.js';
import { archiveDays, queueBatches, type RecordBatch } from '../../local/replay-sources.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { type LocalS3, startLocalS3 } from '../../local/s3.js';
import { runInProcess } from '../support/cli.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { EXAMPLE_NUMBERS, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

/**
 * `npm run replay`: an archived day (as Firehose writes it: gzip objects of newline-delimited
 * contact records under contact-records/YYYY/MM/DD/) replayed into an empty call log gives the
 * call log the live ingest built; the failure queue's two kinds of message; the usage.
 */

const ARCHIVE = 'archive';
const DAY = new Date('2026-11-20T10:00:00-06:00');
const NEXT_DAY = new Date('2026-11-21T10:00:00-06:00');

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let s3: LocalS3;
let tables = 0;
const dayRecords: string[] = [];
const nextDayRecords: string[] = [];

const newTable = async (): Promise<string> => {
  tables += 1;
  const tableName = `replay-${tables}`;
  await dynamo.createTable(tableName, CALL_LOG_TABLE);
  return tableName;
};

/** Every item of a table, sorted by key: the whole call log, rollups included. */
const callLog = async (tableName: string) => {
  const { Items = [] } = await dynamo.client.send(
    new ScanCommand({ TableName: tableName, ConsistentRead: true }),
  );
  return Items.map((item) => unmarshall(item)).sort((a, b) =>
    `${a.pk}|${a.sk}`.localeCompare(`${b.pk}|${b.sk}`),
  );
};

/** One archive object as Firehose writes it (AppendDelimiterToRecord, then GZIP). */
const putArchiveObject = async (key: string, records: readonly string[]) => {
  await s3.client.send(
    new PutObjectCommand({
      Bucket: ARCHIVE,
      Key: key,
      Body: gzipSync(records.map((r) => `${r}\n`).join('')),
    }),
  );
};

const replay = (args: readonly string[]) => runInProcess(replayMain, args);

beforeAll(async () => {
  [system, dynamo, s3] = await Promise.all([
    startLocalRoutingSystem(),
    startDynalite(),
    startLocalS3({ bucket: ARCHIVE }),
  ]);
  const calls = [
    { dialed: EXAMPLE_NUMBERS.austinGoogle, ringTo: 'answer' as const },
    { dialed: EXAMPLE_NUMBERS.austinGoogle, ringTo: 'no-answer' as const },
    { dialed: EXAMPLE_NUMBERS.denverMain, ringTo: 'answer' as const },
    { dialed: EXAMPLE_NUMBERS.unknown, ringTo: 'answer' as const },
  ];
  for (const [i, { dialed, ringTo }] of calls.entries()) {
    for (const [at, into] of [
      [DAY, dayRecords],
      [NEXT_DAY, nextDayRecords],
    ] as const) {
      const result = await system.runCall(
        { contactId: `rep-${at.getUTCDate()}-${i}`, dialed, caller: EXAMPLE_NUMBERS.caller, at },
        { ringTo },
      );
      into.push(JSON.stringify(result.simulation.contactRecord));
    }
  }
  // Two objects for the day (Firehose flushes by size and time), one for the next.
  await putArchiveObject(
    'contact-records/2026/11/20/ctr-1-2026-11-20-16-00-00.gz',
    dayRecords.slice(0, 2),
  );
  await putArchiveObject(
    'contact-records/2026/11/20/ctr-1-2026-11-20-16-05-00.gz',
    dayRecords.slice(2),
  );
  await putArchiveObject('contact-records/2026/11/21/ctr-1-2026-11-21-16-00-00.gz', nextDayRecords);
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close(), s3?.close()]);
});

describe('npm run replay --archive', () => {
  it('rebuilds an archived day exactly as the live ingest logged it; replaying again changes nothing', async () => {
    const live = await newTable();
    await importContactRecords(dayRecords, {
      client: dynamo.client,
      tableName: live,
      callerHashKey: TEST_CALLER_HASH_KEY,
    });
    const rebuilt = await newTable();
    // The rebuild's data directory holds the key the live ingest used.
    const data = mkdtempSync(join(tmpdir(), 'replay-data-'));
    writeFileSync(join(data, 'caller-hash.key'), Buffer.from(TEST_CALLER_HASH_KEY).toString('hex'));
    const args = [
      '--data',
      data,
      '--archive',
      `${ARCHIVE}/contact-records/`,
      '--from',
      '2026-11-20',
      '--s3-endpoint',
      s3.endpoint,
      '--endpoint',
      dynamo.endpoint,
      '--table',
      rebuilt,
      '--json',
    ];

    const first = await replay(args);
    expect(first.stderr).toContain('replay: 2 sources, 4 records: 4 stored');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      sources: 2,
      records: 4,
      written: 4,
      unchanged: 0,
      refused: [],
      failed: [],
      unreadable: [],
    });
    const after = await callLog(rebuilt);
    expect(after.length).toBeGreaterThan(4); // calls and their rollups
    // Identical but for the TTL, which counts from each table's own first write (the rebuild's is later).
    const withoutTtl = (items: Record<string, unknown>[]) =>
      items.map(({ expiresAt: _ttl, ...rest }) => rest);
    const logged = await callLog(live);
    expect(withoutTtl(after)).toEqual(withoutTtl(logged));
    const ttls = (items: Record<string, unknown>[]) =>
      items.filter((i) => i.sk === 'CALL').map((i) => i.expiresAt as number);
    expect(ttls(after)).toHaveLength(4);
    ttls(after).forEach((ttl, i) => {
      expect(ttl).toBeGreaterThanOrEqual(ttls(logged)[i] as number);
    });

    const second = await replay(args);
    expect(JSON.parse(second.stdout)).toMatchObject({ records: 4, written: 0, unchanged: 4 });
    expect(await callLog(rebuilt)).toEqual(after);
  });

  it('replays a range of days, the default prefix, and names the object of a refused record', async () => {
    await putArchiveObject('contact-records/2026/11/22/ctr-bad.gz', ['{"Channel":"VOICE"}']);
    const tableName = await newTable();
    const run = await replay([
      '--archive',
      ARCHIVE,
      '--from',
      '2026-11-20',
      '--to',
      '2026-11-22',
      '--s3-endpoint',
      s3.endpoint,
      '--endpoint',
      dynamo.endpoint,
      '--table',
      tableName,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('9 records from 4 sources');
    expect(run.stdout).toContain('8 stored or updated');
    expect(run.stdout).toMatch(
      /refused s3:\/\/archive\/contact-records\/2026\/11\/22\/ctr-bad\.gz line 1: .*ContactId/,
    );
  });
});

describe('the failure queue as a source', () => {
  const sqs = mockClient(SQSClient);
  const kinesis = mockClient(KinesisClient);
  const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest-failures';
  const STREAM = 'arn:aws:kinesis:us-east-1:123456789012:stream/ctr';
  const record = '{"ContactId":"c-1"}';

  beforeEach(() => {
    sqs.reset();
    kinesis.reset();
  });

  const collect = async (): Promise<
    { source: string; lines: string[]; unreadable?: string; done?: () => Promise<void> }[]
  > => {
    const out = [];
    for await (const batch of queueBatches({
      sqs: new SQSClient({ region: 'us-east-1' }),
      queueUrl: QUEUE,
      kinesis: new KinesisClient({ region: 'us-east-1' }),
    }) as AsyncGenerator<RecordBatch>) {
      const lines: string[] = [];
      for await (const line of batch.lines) lines.push(line);
      out.push({ ...batch, lines });
    }
    return out;
  };

  const pointer = (first: string) =>
    JSON.stringify({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      KinesisBatchInfo: {
        shardId: 'shardId-000000000000',
        startSequenceNumber: '49600000000000000000000000000000000000000000000000000001',
        endSequenceNumber: '49600000000000000000000000000000000000000000000000000002',
        approximateArrivalOfFirstRecord: first,
        batchSize: 2,
        streamArn: STREAM,
      },
    });

  it('gives a malformed record its data back, and reads a pointer back from the stream up to its end', async () => {
    const malformed = failureMessageBody(
      { reason: 'no ContactId', sequenceNumber: '1', data: Buffer.from(record).toString('base64') },
      '2026-11-20T16:00:00Z',
    );
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'm-1', ReceiptHandle: 'r-1', Body: malformed },
          { MessageId: 'm-2', ReceiptHandle: 'r-2', Body: pointer('2026-11-20T16:00:00Z') },
        ],
      })
      .resolves({ Messages: [] });
    kinesis.on(GetShardIteratorCommand).resolves({ ShardIterator: 'it-1' });
    kinesis.on(GetRecordsCommand).resolves({
      Records: [
        {
          SequenceNumber: '49600000000000000000000000000000000000000000000000000001',
          Data: Buffer.from('{"ContactId":"a"}'),
          PartitionKey: 'p',
        },
        {
          SequenceNumber: '49600000000000000000000000000000000000000000000000000002',
          Data: Buffer.from('{"ContactId":"b"}'),
          PartitionKey: 'p',
        },
        {
          SequenceNumber: '49600000000000000000000000000000000000000000000000000003',
          Data: Buffer.from('{"ContactId":"later"}'),
          PartitionKey: 'p',
        },
      ],
      NextShardIterator: 'it-2',
    });

    const batches = await collect();

    expect(batches.map((b) => [b.source, b.lines])).toEqual([
      ['message m-1', [record]],
      ['message m-2', ['{"ContactId":"a"}', '{"ContactId":"b"}']],
    ]);
    expect(kinesis).toHaveReceivedCommandWith(GetShardIteratorCommand, {
      ShardIteratorType: 'AT_SEQUENCE_NUMBER',
      StartingSequenceNumber: '49600000000000000000000000000000000000000000000000000001',
    });
    // Nothing is deleted by reading: only once the records are stored.
    expect(sqs).not.toHaveReceivedCommand(DeleteMessageCommand);
    await batches[1]?.done?.();
    expect(sqs).toHaveReceivedCommandWith(DeleteMessageCommand, { ReceiptHandle: 'r-2' });
  });

  it('says what to do when the stream no longer holds a batch, or the queue kept only part of a record', async () => {
    const cut = JSON.stringify({
      reason: 'too big',
      sequenceNumber: '1',
      data: 'abc',
      receivedAt: '2026-11-20T16:00:00Z',
      dataTruncated: true,
      dataLength: 400_000,
    });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          { MessageId: 'm-3', ReceiptHandle: 'r-3', Body: pointer('2026-11-12T16:00:00Z') },
          { MessageId: 'm-4', ReceiptHandle: 'r-4', Body: cut },
          { MessageId: 'm-5', ReceiptHandle: 'r-5', Body: 'not json' },
        ],
      })
      .resolves({});
    kinesis
      .on(GetShardIteratorCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'gone', $metadata: {} }));

    const batches = await collect();

    expect(batches.map((b) => [b.source, b.lines.length, b.done])).toEqual([
      ['message m-3', 0, undefined],
      ['message m-4', 0, undefined],
      ['message m-5', 0, undefined],
    ]);
    expect(batches[0]?.unreadable).toContain('replay --archive --from 2026-11-12 --to 2026-11-12');
    expect(batches[1]?.unreadable).toContain(
      'kept only part of this record (400000 base64 characters)',
    );
    expect(batches[2]?.unreadable).toBe('the message body is not JSON');
  });
});

describe('npm run replay: usage', () => {
  it('prints its usage with --help', async () => {
    const run = await replay(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run replay -- <source> \[options\]/);
    for (const flag of ['--archive', '--from', '--to', '--queue', '--file', '--table', '--json']) {
      expect(run.stdout).toContain(flag);
    }
  });

  it.each([
    [[], 'give exactly one source: --archive, --queue or --file'],
    [['--file', 'a', '--queue', 'b'], 'give exactly one source'],
    [['--archive', 'bucket'], '--archive needs --from <YYYY-MM-DD>'],
    [
      ['--archive', 'bucket', '--from', '2026-11-20', '--to', '2026-11-19'],
      '--to 2026-11-19 is before --from 2026-11-20',
    ],
    [['--archive', 'bucket', '--from', '20 Nov'], 'days are YYYY-MM-DD'],
    [['--file', 'x', '--from', '2026-11-20'], '--from and --to go with --archive'],
    [['--queue', 'ingest-failures'], 'is not an SQS queue URL'],
    [['--file', 'x', '--s3-endpoint', 'http://127.0.0.1:1'], '--s3-endpoint goes with --archive'],
  ])('refuses %j with exit 2: %s', async (args, message) => {
    const run = await replay(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Usage: npm run replay');
  });

  it('refuses a file it cannot read, naming it', async () => {
    const run = await replay(['--file', '/nonexistent/records.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('replay: cannot read /nonexistent/records.jsonl: check the path\n');
  });

  it('lists the days of a range, across a month end', () => {
    expect(archiveDays('2026-11-29', '2026-12-01')).toEqual([
      '2026/11/29/',
      '2026/11/30/',
      '2026/12/01/',
    ]);
  });
});
