import { statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eraseCallerMain } from '../../local/erase-caller-cli.js';
import { type LocalSystem, startLocalSystem } from '../../local/full-system.js';
import { importRecordsMain } from '../../local/import-records-cli.js';
import { LOCAL_AWS, LOCAL_RECORDINGS_BUCKET } from '../../local/names.js';
import { readRunningSystem, runningFileIn } from '../../local/running-record.js';
import { localS3Client } from '../../local/s3.js';
import { runInProcess } from '../support/cli.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';

/**
 * The local system's DynamoDB and S3 behind their gates (local/store-gate.ts): only the run's own
 * credentials, from running.json, open them; a page in a browser, the well-known dummy keys, a wrong
 * secret or an altered presigned link do not. The API's recording links and import-records work.
 */

const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');

let data: string;
let system: LocalSystem;
let recordingUrl: string;
const running = () => {
  const record = readRunningSystem(runningFileIn(new URL(`file://${data}/`)));
  if (!record) throw new Error('no running.json');
  return record;
};
const own = () => {
  const { accessKeyId, secretAccessKey } = running();
  return { accessKeyId: accessKeyId ?? '', secretAccessKey: secretAccessKey ?? '' };
};
const dynamoWith = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  new DynamoDBClient({ ...LOCAL_AWS, credentials, endpoint: running().dynamodbEndpoint });
const scan = (client: DynamoDBClient) =>
  client.send(new ScanCommand({ TableName: system.callLogTableName }));
const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { name: string; $metadata?: { httpStatusCode?: number } }) =>
      `${error.$metadata?.httpStatusCode} ${error.name}`,
  );

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'local-stores-'));
  system = await startLocalSystem({
    dataDirectory: new URL(`file://${data}/`),
    port: 0,
    log: () => {},
  });
  const { logged } = await system.placeCall(
    {
      contactId: 'stores-1',
      dialed: EXAMPLE_NUMBERS.austinGoogle,
      caller: EXAMPLE_NUMBERS.caller,
      at: MONDAY_10AM,
    },
    { ringTo: 'answer' },
  );
  expect(logged).toMatchObject({ written: 1 });
  const detail = await fetch(`${system.url}/calls/stores-1`, {
    headers: { authorization: `Bearer ${system.tokens.read}` },
  });
  const body = (await detail.json()) as { recordings: { url: string }[] };
  recordingUrl = body.recordings[0]?.url ?? '';
}, 60_000);

afterAll(async () => {
  await system?.close();
  await rm(data, { recursive: true, force: true });
});

describe('the local stores of a running system', () => {
  it('are recorded in running.json (0600) as 127.0.0.1 URLs beside the credentials they require', () => {
    expect(statSync(join(data, 'running.json')).mode & 0o777).toBe(0o600);
    const record = running();
    expect(record.dynamodbEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(record.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(record.accessKeyId).toMatch(/^LOCAL[0-9A-F]{16}$/);
    expect(record.secretAccessKey?.length).toBeGreaterThanOrEqual(40);
    expect(record.accessKeyId).not.toBe(LOCAL_AWS.credentials.accessKeyId);
  });

  it('DynamoDB answers the run’s credentials only', async () => {
    const { Items } = await scan(dynamoWith(own()));
    expect(Items?.length).toBeGreaterThan(0);
    expect(await refusalOf(scan(dynamoWith(LOCAL_AWS.credentials)))).toBe(
      '403 UnrecognizedClientException',
    );
    expect(await refusalOf(scan(dynamoWith({ ...own(), secretAccessKey: 'not-the-secret' })))).toBe(
      '403 InvalidSignatureException',
    );
    const unsigned = await fetch(running().dynamodbEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.Scan',
      },
      body: JSON.stringify({ TableName: system.callLogTableName }),
    });
    expect(unsigned.status).toBe(403);
    expect(await unsigned.json()).toMatchObject({
      __type: 'com.amazon.coral.service#MissingAuthenticationTokenException',
    });
  });

  it('DynamoDB refuses a signed request whose body was changed on the way', async () => {
    const client = dynamoWith(own());
    // Swap the body after signing: the signature covers the body's hash.
    client.middlewareStack.add(
      (next) => async (args) => {
        // The same length: only the signature can tell.
        const request = args.request as { body: Uint8Array };
        const text = new TextDecoder().decode(request.body);
        request.body = new TextEncoder().encode(text.replace('stores-1', 'stores-2'));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'tamper', priority: 'low' },
    );
    const read = client.send(
      new GetItemCommand({
        TableName: system.callLogTableName,
        Key: { pk: { S: 'CALL#stores-1' }, sk: { S: 'CALL' } },
      }),
    );
    expect(await refusalOf(read)).toBe('403 InvalidSignatureException');
  });

  it('S3 answers the run’s credentials only', async () => {
    const list = (credentials?: { accessKeyId: string; secretAccessKey: string }) =>
      localS3Client(running().s3Endpoint ?? '', credentials).send(
        new ListObjectsV2Command({ Bucket: LOCAL_RECORDINGS_BUCKET }),
      );
    expect((await list(own())).KeyCount).toBeGreaterThan(0);
    // s3rver's own key, and the dummy one: neither is this run's.
    expect(await refusalOf(list())).toBe('403 InvalidAccessKeyId');
    expect(await refusalOf(list(LOCAL_AWS.credentials))).toBe('403 InvalidAccessKeyId');
    expect(await refusalOf(list({ ...own(), secretAccessKey: 'not-the-secret' }))).toBe(
      '403 SignatureDoesNotMatch',
    );
    const unsigned = await fetch(`${running().s3Endpoint}/${LOCAL_RECORDINGS_BUCKET}?list-type=2`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('the API’s presigned recording link plays to a plain GET; altered, it is refused', async () => {
    expect(recordingUrl).toMatch(new RegExp(`^${running().s3Endpoint}/.*X-Amz-Signature=`));
    const recording = await fetch(recordingUrl);
    expect(recording.status).toBe(200);
    expect(
      Buffer.from(await recording.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
    const url = new URL(recordingUrl);
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    const otherKey = new URL(url);
    otherKey.pathname = `${url.pathname}x`;
    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Signature', '0'.repeat(64));
    for (const tampered of [longer, otherKey, forged]) {
      const answer = await fetch(tampered);
      expect(answer.status).toBe(403);
      expect(await answer.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });

  it('a link presigned with the dummy credentials, or expired, is refused', async () => {
    const key = new URL(recordingUrl).pathname
      .split('/')
      .slice(2)
      .map(decodeURIComponent)
      .join('/');
    const presign = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      getSignedUrl(
        localS3Client(running().s3Endpoint ?? '', credentials),
        new GetObjectCommand({ Bucket: LOCAL_RECORDINGS_BUCKET, Key: key }),
        { expiresIn: 60, signingDate: new Date(Date.now() - 120_000) },
      );
    expect((await fetch(await presign(LOCAL_AWS.credentials))).status).toBe(403);
    const expired = await fetch(await presign(own()));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
  });

  it('refuses browser pages: no preflight, no CORS answer, even to a signed link', async () => {
    for (const endpoint of [running().dynamodbEndpoint, running().s3Endpoint ?? '']) {
      const preflight = await fetch(endpoint, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://evil.example',
          'access-control-request-method': 'POST',
        },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
    const fromPage = await fetch(recordingUrl, { headers: { origin: 'http://evil.example' } });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('import-records writes into the running system with the credentials of running.json', async () => {
    const result = await system.routing.runCall(
      {
        contactId: 'stores-import',
        dialed: EXAMPLE_NUMBERS.austinGoogle,
        caller: EXAMPLE_NUMBERS.caller,
        at: MONDAY_10AM,
      },
      { ringTo: 'answer' },
    );
    const file = join(data, 'records.jsonl');
    await writeFile(file, `${JSON.stringify(result.simulation.contactRecord)}\n`);
    try {
      const run = await runInProcess(importRecordsMain, [file, '--data', data]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    } finally {
      await rm(file);
    }
    const { Item } = await dynamoWith(own()).send(
      new GetItemCommand({
        TableName: system.callLogTableName,
        Key: { pk: { S: 'CALL#stores-import' }, sk: { S: 'CALL' } },
      }),
    );
    expect(Item).toBeDefined();
  });

  it('import-records --endpoint signs with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else is refused', async () => {
    const file = join(data, 'endpoint.jsonl');
    await writeFile(file, '');
    const args = [
      file,
      '--endpoint',
      running().dynamodbEndpoint,
      '--table',
      system.callLogTableName,
    ];
    try {
      vi.stubEnv('AWS_ACCESS_KEY_ID', '');
      const refused = await runInProcess(importRecordsMain, args);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('not the running system’s');
      vi.stubEnv('AWS_ACCESS_KEY_ID', own().accessKeyId);
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', own().secretAccessKey);
      const accepted = await runInProcess(importRecordsMain, args);
      expect(accepted.stderr).toBe('');
      expect(accepted.code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
      await rm(file);
    }
  });
});

describe('erasing a caller of the running system (npm run erase-caller, POST /privacy/erasures)', () => {
  const api = async (
    path: string,
    init: { method?: string; body?: unknown; admin?: boolean } = {},
  ) => {
    const response = await fetch(`${system.url}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.admin ? system.tokens.admin : system.tokens.read}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const byCaller = `/calls?caller=${encodeURIComponent(EXAMPLE_NUMBERS.caller)}&from=2026-01-01&to=2026-12-31`;
  const summary = '/reports/summary?from=2026-11-01&to=2026-11-30';

  it('removes the calls and every recording object, keeps the counts; the route then finds nothing more', async () => {
    const recordingKey = decodeURIComponent(
      new URL(recordingUrl).pathname.slice(`/${LOCAL_RECORDINGS_BUCKET}/`.length),
    );
    const s3 = localS3Client(running().s3Endpoint ?? '', own());
    const keys = async () =>
      (await s3.send(new ListObjectsV2Command({ Bucket: LOCAL_RECORDINGS_BUCKET }))).Contents?.map(
        (o) => o.Key,
      ) ?? [];
    expect(await keys()).toContain(recordingKey);
    const theirs = (await api(byCaller)).body.items.map((c: { contactId: string }) => c.contactId);
    expect(theirs).toContain('stores-1');
    const before = (await api(summary)).body;

    const usage = await runInProcess(eraseCallerMain, ['--caller', '5125550100', '--data', data]);
    expect(usage.code).toBe(2);
    const erased = await runInProcess(eraseCallerMain, [
      '--caller',
      EXAMPLE_NUMBERS.caller,
      '--data',
      data,
      '--json',
    ]);
    expect(erased.stderr).toBe('');
    expect(erased.code).toBe(0);
    const result = JSON.parse(erased.stdout);
    // stores-1 and what the import tests above logged from the same number.
    expect(result.removed).toMatchObject({ calls: theirs.length, recordings: 1, callerHistory: 1 });

    expect((await api(byCaller)).body.items).toEqual([]);
    expect((await api('/calls/stores-1')).status).toBe(404);
    expect(await keys()).not.toContain(recordingKey);
    expect((await fetch(recordingUrl)).status).toBe(404);
    expect((await api(summary)).body).toEqual(before);

    const again = await api('/privacy/erasures', {
      method: 'POST',
      admin: true,
      body: { caller: EXAMPLE_NUMBERS.caller },
    });
    expect(again.status).toBe(200);
    expect(Object.values(again.body.removed)).toEqual([0, 0, 0, 0, 0, 0]);
    const audit = await api('/privacy/erasures', { admin: true });
    expect(audit.body.items).toHaveLength(2);
    expect(JSON.stringify(audit.body)).not.toContain(EXAMPLE_NUMBERS.caller.slice(2));
    s3.destroy();
  });
});
