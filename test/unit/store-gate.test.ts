import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  type LocalCredentials,
  newLocalCredentials,
  Sha256,
  type SignedRequest,
  type StoreService,
  verifySignature,
} from '../../local/store-gate.js';

/** The gate's check on requests signed here as the SDK signs them (no server involved). */

const credentials = newLocalCredentials();
const HOST = '127.0.0.1:4567';
const NOW = Date.parse('2026-12-03T13:00:00Z');

const signerFor = (
  service: StoreService,
  signing: LocalCredentials = credentials,
  applyChecksum = true,
) =>
  new SignatureV4({
    credentials: signing,
    region: 'us-east-1',
    service,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
    applyChecksum,
  });

const queryString = (query: Record<string, string | string[] | null> = {}) =>
  Object.entries(query)
    .flatMap(([k, v]) => [v ?? ''].flat().map((one) => `${k}=${encodeURIComponent(one)}`))
    .join('&');

/** A DynamoDB call signed in its Authorization header, as received by the gate. */
const dynamoRequest = async (
  body: string,
  {
    at = NOW,
    service = 'dynamodb' as StoreService,
    signing = credentials,
    // Without x-amz-content-sha256, the payload hash is the body's.
    applyChecksum = true,
  } = {},
): Promise<SignedRequest> => {
  const signed = await signerFor(service, signing, applyChecksum).sign(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: '/',
      headers: {
        host: HOST,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.Scan',
      },
      body,
    },
    { signingDate: new Date(at) },
  );
  return {
    method: 'POST',
    url: '/',
    headers: Object.fromEntries(
      Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
    ),
    body: Buffer.from(body),
  };
};

/** An S3 GET presigned for `expiresIn` seconds, as the recording links are. */
const presignedGet = async (path: string, expiresIn = 300, at = NOW): Promise<SignedRequest> => {
  const signed = await signerFor('s3').presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path,
      query: { 'x-id': 'GetObject' },
      headers: { host: HOST, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    { signingDate: new Date(at), expiresIn },
  );
  return { method: 'GET', url: `${path}?${queryString(signed.query)}`, headers: { host: HOST } };
};

const check = (request: SignedRequest, service: StoreService = 'dynamodb', now = NOW) =>
  verifySignature(request, credentials, service, now).then((refusal) => refusal?.code ?? 'ok');

describe('verifySignature', () => {
  it('accepts a DynamoDB request signed with the credentials; refuses it with its body, a signed header or its key changed', async () => {
    const request = await dynamoRequest('{"TableName":"local-call-log"}');
    expect(await check(request)).toBe('ok');
    expect(await check({ ...request, body: Buffer.from('{"TableName":"local-routing"}') })).toBe(
      'XAmzContentSHA256Mismatch',
    );
    expect(
      await check({
        ...request,
        headers: { ...request.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteTable' },
      }),
    ).toBe('SignatureDoesNotMatch');
    expect(await check({ ...request, headers: { ...request.headers, host: '127.0.0.1:1' } })).toBe(
      'SignatureDoesNotMatch',
    );
    // A signed header that is not sent any more.
    const noHash = { ...request.headers };
    delete noHash['x-amz-content-sha256'];
    expect(await check({ ...request, headers: noHash })).toBe('SignatureDoesNotMatch');
    // Signed without x-amz-content-sha256: the hash is the body's, still refused once it changes.
    const bodyHashed = await dynamoRequest('{}', { applyChecksum: false });
    expect(bodyHashed.headers['x-amz-content-sha256']).toBeUndefined();
    expect(await check(bodyHashed)).toBe('ok');
    expect(await check({ ...bodyHashed, body: Buffer.from('{ }') })).toBe('SignatureDoesNotMatch');
  });

  it('refuses another key, another secret, another service, and no signature at all', async () => {
    const body = '{}';
    expect(
      await check(
        await dynamoRequest(body, {
          signing: { accessKeyId: 'local', secretAccessKey: 'local' },
        }),
      ),
    ).toBe('InvalidAccessKeyId');
    expect(
      await check(
        await dynamoRequest(body, { signing: { ...credentials, secretAccessKey: 'guess' } }),
      ),
    ).toBe('SignatureDoesNotMatch');
    expect(await check(await dynamoRequest(body, { service: 's3' }))).toBe('SignatureDoesNotMatch');
    expect(
      await check({ method: 'POST', url: '/', headers: { host: HOST }, body: Buffer.from(body) }),
    ).toBe('AccessDenied');
  });

  it('refuses a request signed more than 15 minutes from now', async () => {
    const request = await dynamoRequest('{}', { at: NOW - 16 * 60_000 });
    expect(await check(request)).toBe('RequestTimeTooSkewed');
    expect(await check(request, 'dynamodb', NOW - 16 * 60_000 + 1000)).toBe('ok');
  });

  it('accepts a presigned GET until it expires; refuses it with its path or query changed', async () => {
    const request = await presignedGet('/local-recordings/connect/a%20b.wav');
    expect(await check(request, 's3')).toBe('ok');
    expect(await check(request, 's3', NOW + 301_000)).toBe('AccessDenied');
    expect(await check({ ...request, url: request.url.replace('a%20b', 'a%20c') }, 's3')).toBe(
      'SignatureDoesNotMatch',
    );
    expect(await check({ ...request, url: `${request.url}&list-type=2` }, 's3')).toBe(
      'SignatureDoesNotMatch',
    );
    expect(
      await check(
        { ...request, url: request.url.replace('X-Amz-Expires=300', 'X-Amz-Expires=900') },
        's3',
      ),
    ).toBe('SignatureDoesNotMatch');
    expect(
      await check(
        { ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 x' } },
        's3',
      ),
    ).toBe('AccessDenied');
  });

  it('takes an S3 upload’s payload hash from x-amz-content-sha256, UNSIGNED-PAYLOAD and STREAMING values included', async () => {
    for (const payload of [
      'UNSIGNED-PAYLOAD',
      'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      createHash('sha256').update('RIFF').digest('hex'),
    ]) {
      const signed = await signerFor('s3').sign(
        {
          method: 'PUT',
          protocol: 'http:',
          hostname: '127.0.0.1',
          path: '/local-recordings/x.wav',
          query: { 'x-id': 'PutObject' },
          headers: { host: HOST, 'x-amz-content-sha256': payload, 'content-length': '4' },
        },
        { signingDate: new Date(NOW) },
      );
      const request = {
        method: 'PUT',
        url: '/local-recordings/x.wav?x-id=PutObject',
        headers: Object.fromEntries(
          Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
        ),
      };
      expect(await check(request, 's3')).toBe('ok');
      expect(await check({ ...request, url: '/local-recordings/y.wav?x-id=PutObject' }, 's3')).toBe(
        'SignatureDoesNotMatch',
      );
    }
  });
});
