/**
 * The gate in front of a local store (dynalite, s3rver): both accept any signature, so `npm start`
 * keeps them on Unix sockets in a private directory and answers on 127.0.0.1 only through this
 * proxy, which verifies AWS Signature V4 (header or presigned query) against the run's own
 * credentials and refuses browser pages (no CORS, no preflight).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { listenOnLoopback } from './listen.js';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Credentials for one run of the local system: random, never written outside running.json. */
export const newLocalCredentials = (): LocalCredentials => ({
  accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
  secretAccessKey: randomBytes(30).toString('base64url'),
});

export type StoreService = 'dynamodb' | 's3';

/** Why a request is refused, in S3's error codes (DynamoDB's are mapped from them). */
export interface Refusal {
  readonly code:
    | 'AccessDenied'
    | 'InvalidAccessKeyId'
    | 'SignatureDoesNotMatch'
    | 'RequestTimeTooSkewed'
    | 'XAmzContentSHA256Mismatch';
  readonly message: string;
}

export interface SignedRequest {
  readonly method: string;
  /** The request target as received: path and raw query. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The whole body (DynamoDB's): checked against x-amz-content-sha256, or hashed without it. */
  readonly body?: Uint8Array;
}

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 in the shape the signer takes; with a key, HMAC-SHA256 (tests sign with it too). */
export class Sha256 {
  readonly #hash;
  constructor(key?: SourceData) {
    this.#hash = key === undefined ? createHash('sha256') : createHmac('sha256', bytes(key));
  }
  update(data: SourceData): void {
    this.#hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#hash.digest());
  }
}

/** What AWS allows between the signing time and now. */
const MAX_SKEW_MS = 15 * 60_000;
const SHA256_HEADER = 'x-amz-content-sha256';
const SIGNATURE = /^[0-9a-f]{64}$/;
const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([^,\s]+)$/;

const headerOf = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
};

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
};

/** The decoded query, a repeated key as an array (what the signer canonicalizes). */
const parseQuery = (search: string): Record<string, string | string[]> => {
  const query: Record<string, string | string[]> = {};
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const key = decode(equals < 0 ? pair : pair.slice(0, equals));
    const value = equals < 0 ? '' : decode(pair.slice(equals + 1));
    const before = query[key];
    query[key] = before === undefined ? value : [...[before].flat(), value];
  }
  return query;
};

/** `20261203T131500Z` as a Date. */
const parseAmzDate = (value: string | undefined): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!m) return undefined;
  const [year, month, day, hours, minutes, seconds] = m.slice(1).map(Number) as number[];
  return new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day, hours, minutes, seconds));
};

const sameSignature = (given: string, expected: string | undefined): boolean =>
  expected !== undefined &&
  SIGNATURE.test(given) &&
  timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));

const sha256Hex = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex');

const mismatch: Refusal = {
  code: 'SignatureDoesNotMatch',
  message:
    'The request signature we calculated does not match the signature you provided: sign with the credentials in running.json',
};

/**
 * Whether `request` is signed (Signature V4, in the Authorization header or a presigned query)
 * with `credentials` for `service`: undefined when it is, else why not. The signature is
 * recomputed over the method, path, query and the headers it names, with the request's own
 * x-amz-content-sha256 as payload hash when it sends one (S3's UNSIGNED-PAYLOAD and STREAMING-…
 * included), else the body's hash.
 */
export const verifySignature = async (
  request: SignedRequest,
  credentials: LocalCredentials,
  service: StoreService,
  now: number = Date.now(),
): Promise<Refusal | undefined> => {
  const questionMark = request.url.indexOf('?');
  const path = questionMark < 0 ? request.url : request.url.slice(0, questionMark);
  const query = parseQuery(questionMark < 0 ? '' : request.url.slice(questionMark + 1));
  const authorization = headerOf(request.headers, 'authorization');
  const presigned = query['X-Amz-Algorithm'] !== undefined;
  if (authorization === undefined && !presigned) {
    return { code: 'AccessDenied', message: 'Request is missing Authentication Token' };
  }
  if (authorization !== undefined && presigned) {
    return { code: 'AccessDenied', message: 'Only one auth mechanism allowed' };
  }
  const parsed = presigned
    ? {
        algorithm: query['X-Amz-Algorithm'],
        credential: query['X-Amz-Credential'],
        signedHeaders: query['X-Amz-SignedHeaders'],
        signature: query['X-Amz-Signature'],
        amzDate: query['X-Amz-Date'],
      }
    : (() => {
        const m = AUTHORIZATION.exec(authorization?.trim() ?? '');
        return {
          algorithm: m ? 'AWS4-HMAC-SHA256' : undefined,
          credential: m?.[1],
          signedHeaders: m?.[2],
          signature: m?.[3],
          amzDate: headerOf(request.headers, 'x-amz-date'),
        };
      })();
  const { credential, signedHeaders, signature, amzDate } = parsed;
  if (
    parsed.algorithm !== 'AWS4-HMAC-SHA256' ||
    typeof credential !== 'string' ||
    typeof signedHeaders !== 'string' ||
    typeof signature !== 'string' ||
    typeof amzDate !== 'string'
  ) {
    return { code: 'AccessDenied', message: 'Malformed Signature V4 authorization' };
  }
  const [accessKeyId, shortDate, region, scopeService, terminator, ...extra] =
    credential.split('/');
  if (accessKeyId !== credentials.accessKeyId) {
    return {
      code: 'InvalidAccessKeyId',
      message: 'The access key id is not the running system’s (see running.json)',
    };
  }
  const signingDate = parseAmzDate(amzDate);
  if (
    !signingDate ||
    !region ||
    shortDate !== amzDate.slice(0, 8) ||
    scopeService !== service ||
    terminator !== 'aws4_request' ||
    extra.length > 0
  ) {
    return mismatch;
  }
  let expiresIn = 0;
  if (presigned) {
    expiresIn = Number(query['X-Amz-Expires']);
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > 604_800) return mismatch;
    if (now > signingDate.getTime() + expiresIn * 1000) {
      return { code: 'AccessDenied', message: 'Request has expired' };
    }
    if (signingDate.getTime() > now + MAX_SKEW_MS) return mismatch;
  } else if (Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
    return {
      code: 'RequestTimeTooSkewed',
      message: 'The difference between the request time and the current time is too large',
    };
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host')) return mismatch;
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = headerOf(request.headers, name);
    if (value === undefined) return mismatch;
    headers[name] = value;
  }
  const signer = new SignatureV4({
    credentials,
    region,
    service,
    sha256: Sha256,
    // S3 signs the path as sent; other services encode it once more.
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
  const base = { method: request.method, protocol: 'http:', hostname: '127.0.0.1', path };
  const options = { signingDate, signingRegion: region, signingService: service };
  if (presigned) {
    const { 'X-Amz-Signature': _, ...unsigned } = query;
    // A presigned URL's payload is UNSIGNED-PAYLOAD unless its query names another.
    const payload = query[SHA256_HEADER];
    const signed = await signer.presign(
      {
        ...base,
        query: unsigned,
        headers: {
          [SHA256_HEADER]: typeof payload === 'string' ? payload : 'UNSIGNED-PAYLOAD',
          ...headers,
        },
      },
      {
        ...options,
        expiresIn,
        signableHeaders: new Set(names),
        unsignableHeaders: new Set([SHA256_HEADER]),
        // The query stays as sent: no header moves into it.
        unhoistableHeaders: new Set([SHA256_HEADER, ...names]),
      },
    );
    const expected = signed.query?.['X-Amz-Signature'];
    return sameSignature(signature, typeof expected === 'string' ? expected : undefined)
      ? undefined
      : mismatch;
  }
  const payloadHash = headerOf(request.headers, SHA256_HEADER);
  if (payloadHash === undefined && request.body === undefined) return mismatch;
  if (
    request.body !== undefined &&
    payloadHash !== undefined &&
    SIGNATURE.test(payloadHash) &&
    payloadHash !== sha256Hex(request.body)
  ) {
    return {
      code: 'XAmzContentSHA256Mismatch',
      message: 'The provided x-amz-content-sha256 header does not match what was computed',
    };
  }
  const signed = await signer.sign(
    {
      ...base,
      query,
      headers: payloadHash === undefined ? headers : { ...headers, [SHA256_HEADER]: payloadHash },
      ...(payloadHash === undefined ? { body: request.body } : {}),
    },
    {
      ...options,
      signableHeaders: new Set(names),
      // Sent but not signed: the payload hash only.
      ...(names.includes(SHA256_HEADER) ? {} : { unsignableHeaders: new Set([SHA256_HEADER]) }),
    },
  );
  const expected = /Signature=([0-9a-f]{64})$/.exec(String(signed.headers.authorization))?.[1];
  return sameSignature(signature, expected) ? undefined : mismatch;
};

const DYNAMODB_ERRORS: Readonly<Record<Refusal['code'], string>> = {
  AccessDenied: 'MissingAuthenticationTokenException',
  InvalidAccessKeyId: 'UnrecognizedClientException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
  RequestTimeTooSkewed: 'InvalidSignatureException',
  XAmzContentSHA256Mismatch: 'InvalidSignatureException',
};

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A 403 in the store's own shape: DynamoDB's JSON, S3's XML. */
const refuse = (
  res: ServerResponse,
  service: StoreService,
  { code, message }: Refusal,
  head: boolean,
): void => {
  const requestId = randomBytes(16).toString('hex');
  const [contentType, body] =
    service === 'dynamodb'
      ? [
          'application/x-amz-json-1.0',
          JSON.stringify({
            __type: `com.amazon.coral.service#${DYNAMODB_ERRORS[code]}`,
            message,
          }),
        ]
      : [
          'application/xml',
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
        ];
  res.writeHead(403, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(head ? undefined : body);
};

/** DynamoDB's largest request (a 16 MB BatchWriteItem), with room for the JSON around it. */
const MAX_BUFFERED_BYTES = 17 * 1024 * 1024;

const readBody = async (req: IncomingMessage): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > MAX_BUFFERED_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, length);
};

/** Methods whose S3 request may stream a body. */
const BODY_METHODS = new Set(['PUT', 'POST', 'PATCH']);

/** The target without the presigned query's x-amz-* parameters (s3rver would check them itself). */
const withoutSignature = (url: string): string => {
  const questionMark = url.indexOf('?');
  if (questionMark < 0) return url;
  const kept = url
    .slice(questionMark + 1)
    .split('&')
    .filter(
      (pair) =>
        !decode(pair.split('=')[0] ?? '')
          .toLowerCase()
          .startsWith('x-amz-'),
    );
  return kept.length > 0
    ? `${url.slice(0, questionMark)}?${kept.join('&')}`
    : url.slice(0, questionMark);
};

export interface StoreGateOptions {
  readonly service: StoreService;
  readonly credentials: LocalCredentials;
  /** The store's Unix socket. */
  readonly socketPath: string;
}

export interface StoreGate {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the gate on 127.0.0.1 (ephemeral port) in front of the store on `socketPath`. DynamoDB
 * bodies are read whole (their hash is part of the signature; at most 16 MB); S3 bodies stream
 * through, their hash being the one the client sends.
 */
export const startStoreGate = async ({
  service,
  credentials,
  socketPath,
}: StoreGateOptions): Promise<StoreGate> => {
  const agent = new Agent({ keepAlive: true });
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    // A page in a browser has no business here: no preflight, no response to read.
    if (req.method === 'OPTIONS' || req.headers.origin !== undefined) {
      req.resume();
      refuse(res, service, { code: 'AccessDenied', message: 'Browser origins are refused' }, head);
      return;
    }
    const body = service === 'dynamodb' ? await readBody(req) : undefined;
    if (service === 'dynamodb' && body === undefined) {
      res.writeHead(413).end();
      return;
    }
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const refusal = await verifySignature(
      { method, url, headers: req.headers, ...(body ? { body } : {}) },
      credentials,
      service,
    );
    if (refusal) {
      req.resume();
      refuse(res, service, refusal, head);
      return;
    }
    const headers = { ...req.headers };
    // s3rver verifies only its own key: it gets the request unsigned (it allows that).
    if (service === 's3') delete headers.authorization;
    const target = { method, path: service === 's3' ? withoutSignature(url) : url, headers };
    // A streamed body cannot be sent twice: it takes a connection of its own, never a stale one.
    const replayable = body !== undefined || !BODY_METHODS.has(method);
    const forward = (attempt: number): void => {
      const upstream = httpRequest(
        { ...target, socketPath, agent: replayable ? agent : false },
        (answer) => {
          const answerHeaders = { ...answer.headers };
          for (const name of Object.keys(answerHeaders)) {
            if (name.startsWith('access-control-')) delete answerHeaders[name];
          }
          res.writeHead(answer.statusCode ?? 502, answerHeaders);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        // The store may close an idle kept-alive connection just as it is reused: that request
        // never reached it, so it is sent again, once, on a new connection.
        if (upstream.reusedSocket && attempt === 0 && !res.headersSent) forward(1);
        else if (res.headersSent) res.destroy();
        else res.writeHead(502).end();
      });
      if (body) upstream.end(body);
      else if (replayable) upstream.end();
      else req.pipe(upstream);
    };
    forward(0);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500).end();
    });
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
};
