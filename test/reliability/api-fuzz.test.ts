import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, OAUTH_SCOPES } from '../../lambdas/contracts/api-routes.js';
import { apiEvent } from '../support/api-events.js';
import { type ApiHarness, startApiHarness, TOKENS } from '../support/api-harness.js';
import { GEORGETOWN } from '../support/api-samples.js';
import { scaled } from './scale.js';

/**
 * API fuzzing (the local API on dynalite + s3rver, seeded calls and the example portfolio):
 * generated requests with edge and junk paths, query strings, bodies, methods, headers and tokens,
 * forged and tampered cursors. Never a 5xx; never data without a valid token; every 4xx an error
 * body with a message; every body JSON.
 *
 * 10,000 requests at scale 1: 3,000 over HTTP (keep-alive, the server's token check, body limit
 * and raw request targets) and 7,000 in process, to the handler the server runs. Measured on this
 * two-core machine, 10,000 over HTTP took 12-20 s alone and 50 s beside the other suites; in
 * process a request costs about a third as much.
 */

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly token: { readonly header: string | undefined; readonly valid: boolean };
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

interface FuzzResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** 413 past it: the generated bodies stay under it, but some come close. */
const MAX_BODY_BYTES = 64 * 1024;

/** Set in beforeAll: a real GET /calls cursor, for tampering. */
const realCursors: string[] = [];

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '%',
    '%zz',
    '%00',
    '%2F',
    '%252F',
    '..',
    '.',
    '+',
    '%2B',
    '+15125550151',
    '%2B15125550151',
    'c1',
    'c6',
    'austin-north',
    'georgetown',
    '__proto__',
    'constructor',
    'null',
    'true',
    '-1',
    '1e309',
    'x'.repeat(2_000),
    '😀',
    '%F0%9F%98%80',
    '\u0000',
    '<script>',
  ),
);

/** A path parameter as it would appear in the URL: valid, percent-encoded junk, or raw junk. */
const pathParam = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'c1',
      'c2',
      'nope',
      'austin-north',
      'round-rock',
      '%2B15125550151',
      '%2B15125550182',
      'georgetown',
    ),
  },
  { weight: 3, arbitrary: junkText.map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '%2e%2e', 'a%00b', '%C0%AF', '%FF'),
  },
);

const anyMethod = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE') },
  { weight: 1, arbitrary: fc.constantFrom('POST', 'HEAD', 'OPTIONS', 'PROPFIND', 'get', 'TRACE') },
);

/** A route of API_ROUTES with generated path parameters, mostly with its own method. */
const routed = fc
  .tuple(
    fc.constantFrom(...API_ROUTES),
    fc.array(pathParam, { minLength: 2, maxLength: 2 }),
    fc.option(anyMethod, { freq: 3 }),
  )
  .map(([route, [a, b], other]) => ({
    method: other ?? route.method,
    path: route.path.replace(/\{[^}]+\}/, a as string).replace(/\{[^}]+\}/, b as string),
  }));

const target = fc.oneof(
  { weight: 8, arbitrary: routed },
  // A route's path bent: a trailing slash, doubled slashes, an extra segment, upper case.
  {
    weight: 2,
    arbitrary: fc
      .tuple(routed, fc.constantFrom('/', '//', '/extra', '/%2F', '?'), fc.boolean())
      .map(([r, suffix, upper]) => ({
        method: r.method,
        path: `${upper ? r.path.toUpperCase() : r.path}${suffix}`,
      })),
  },
  // Starting with /, or it is not an HTTP request target (Node's own parser answers 400, bare).
  {
    weight: 1,
    arbitrary: fc.record({
      method: anyMethod,
      path: fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: anyMethod,
      path: fc.constantFrom('/', '//calls', '/calls/', '/calls/c1/extra', '/%', '/.%2e/calls'),
    }),
  },
);

const QUERY_NAMES = [
  'from',
  'to',
  'at',
  'limit',
  'cursor',
  'groupBy',
  'interval',
  'locationId',
  'source',
  'trackingNumber',
  'outcome',
  'firstTime',
  'leadStatus',
  'answered',
  'unknown',
  'LIMIT',
  '',
];

const cursorValue = fc.oneof(
  // A real cursor, tampered: one character changed, cut short, or signed for other filters.
  fc.tuple(fc.nat(), fc.constantFrom('flip', 'cut', 'asis')).map(([n, how]) => {
    const cursor = realCursors[0] ?? 'no-cursor-yet';
    const at = n % cursor.length;
    if (how === 'cut') return cursor.slice(0, at);
    if (how === 'asis') return cursor;
    const c = cursor[at] === 'A' ? 'B' : 'A';
    return `${cursor.slice(0, at)}${c}${cursor.slice(at + 1)}`;
  }),
  // Forged: base64url of JSON that looks like a cursor, without a valid signature.
  fc
    .record({
      v: fc.constantFrom(1, 2),
      f: fc.string(),
      from: fc.integer(),
      to: fc.integer(),
      p: fc.string(),
    })
    .map((state) => Buffer.from(JSON.stringify(state)).toString('base64url')),
  fc.constantFrom('', '.', 'a.b', 'eyJ2IjoxfQ.AAAA', '%', 'x'.repeat(5_000)),
);

const queryValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '2026-11-01',
      '2026-11-26',
      '2026-02-30',
      '2026-11-26T10:00:00Z',
      'yesterday',
      '0',
      '1',
      '100',
      '101',
      '-5',
      '2.5',
      'true',
      'false',
      'day',
      'hour',
      'source',
      'location',
      'none',
      'campaign',
      'answered-location',
      'rented',
      'austin',
      'google',
      '%2B15125550151',
      '+15125550151',
      '5125550151',
    ),
  },
  { weight: 2, arbitrary: junkText.map(encodeURIComponent) },
  { weight: 1, arbitrary: cursorValue.map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '=', '&', '%26', '%3D') },
);

const query = fc.oneof(
  { weight: 4, arbitrary: fc.constant('') },
  {
    weight: 6,
    arbitrary: fc
      .array(fc.tuple(fc.constantFrom(...QUERY_NAMES), queryValue, fc.boolean()), { maxLength: 5 })
      .map((pairs) =>
        pairs
          .map(([name, value, bare]) => (bare && value === '' ? name : `${name}=${value}`))
          .join('&'),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('&&&', '=', '==', 'a=1&a=2', 'limit=1&limit=1', '%', '?', 'cursor'),
  },
);

/** Nested arrays/objects this deep: JSON.parse copes, the API must refuse them cleanly. */
const deep = (depth: number, object: boolean): string =>
  object
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const body = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  // Near-valid bodies of the writes, with fields swapped for junk.
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom<Record<string, unknown>>(
          GEORGETOWN,
          { leadStatus: 'rented', value: 12.5, note: 'n', tags: ['a'] },
          { spam: true },
          { id: 'fuzz-number', location: 'austin-north', source: 'Fuzz' },
          { id: 'fuzz-number', location: 'nowhere', source: 'Fuzz', campaign: 'c' },
        ),
        fc.dictionary(
          fc.constantFrom(
            'leadStatus',
            'value',
            'note',
            'tags',
            'spam',
            'id',
            'location',
            'source',
            'ringTo',
            'hours',
            'fallback',
            'name',
            'timeZone',
            '__proto__',
            'extra',
          ),
          jsonValue,
          { maxKeys: 2 },
        ),
      )
      .map(([base, changes]) => JSON.stringify({ ...base, ...changes })),
  },
  { weight: 2, arbitrary: jsonValue.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 50 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{"leadStatus":',
      "{'a':1}",
      'null',
      '[]',
      '""',
      '1e999',
      '{"value":1e400}',
      '{"__proto__":{"admin":true}}',
      '\uFEFF{}',
      deep(5_000, false),
      deep(3_000, true),
      JSON.stringify({ note: 'n'.repeat(MAX_BODY_BYTES - 100) }),
      // Over the local server's limit: 413, with an error body.
      JSON.stringify({ note: 'n'.repeat(MAX_BODY_BYTES + 1) }),
      JSON.stringify({ tags: Array.from({ length: 5_000 }, (_, i) => `t${i}`) }),
    ),
  },
);

const token = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ header: `Bearer ${TOKENS.admin}`, valid: true }) },
  { weight: 3, arbitrary: fc.constant({ header: `Bearer ${TOKENS.read}`, valid: true }) },
  { weight: 1, arbitrary: fc.constant({ header: `bearer ${TOKENS.read}`, valid: true }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      { header: undefined, valid: false },
      { header: '', valid: false },
      { header: 'Bearer', valid: false },
      { header: 'Bearer ', valid: false },
      { header: `Bearer  ${TOKENS.admin}`, valid: false },
      { header: `Bearer ${TOKENS.admin}x`, valid: false },
      { header: `Basic ${Buffer.from('admin:admin').toString('base64')}`, valid: false },
      { header: TOKENS.admin, valid: false },
      // An expired-looking JWT (exp in 2001), and a forged one with alg none.
      {
        header:
          'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ4IiwiZXhwIjoxMDAwMDAwMDAwLCJzY29wZSI6ImNhbGx0cmFja2luZy9hZG1pbiJ9.c2lnbmF0dXJl',
        valid: false,
      },
      {
        header: 'Bearer eyJhbGciOiJub25lIn0.eyJzY29wZSI6ImNhbGx0cmFja2luZy9hZG1pbiJ9.',
        valid: false,
      },
    ),
  },
);

const generatedRequest: fc.Arbitrary<FuzzRequest> = fc
  .record({
    target,
    query,
    token,
    body,
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/jsonx',
    ),
    headers: fc.dictionary(
      fc.constantFrom('x-forwarded-for', 'x-amzn-trace-id', 'accept', 'origin', 'x-junk', 'cookie'),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', ';', '=', ' ', '/'), maxLength: 30 }),
      { maxKeys: 2 },
    ),
  })
  .map(({ target: { method, path }, ...rest }) => ({ method, path, ...rest }));

/**
 * Writes as a client would send them (admin token, JSON), so creates, deletes, conflicts and
 * refused loops happen and change the data the other requests meet.
 */
const numberBody = (location: string) => ({ id: 'fuzz-number', location, source: 'Fuzz' });
const wellFormedWrite: fc.Arbitrary<FuzzRequest> = fc
  .constantFrom<[string, string, unknown]>(
    ['PUT', '/locations/georgetown', GEORGETOWN],
    ['PUT', '/locations/georgetown', { ...GEORGETOWN, name: 'Georgetown Renamed' }],
    ['PUT', '/locations/georgetown', { ...GEORGETOWN, ringTo: '+15125550151' }],
    ['PUT', '/locations/austin-north', GEORGETOWN],
    ['DELETE', '/locations/georgetown', undefined],
    ['DELETE', '/locations/austin-north', undefined],
    ['PUT', '/tracking-numbers/%2B15125550182', numberBody('georgetown')],
    ['PUT', '/tracking-numbers/%2B15125550182', numberBody('austin-north')],
    ['PUT', '/tracking-numbers/%2B15125550151', numberBody('austin-north')],
    ['DELETE', '/tracking-numbers/%2B15125550182', undefined],
    ['DELETE', '/tracking-numbers/%2B15125550151', undefined],
    ['PATCH', '/calls/c1', { leadStatus: 'rented', value: 99.5, tags: ['fuzz'] }],
    ['PATCH', '/calls/c3', { spam: true }],
    ['PATCH', '/calls/c3', { spam: false, note: null }],
    ['PATCH', '/calls/nope', { leadStatus: 'lost' }],
  )
  .map(([method, path, body]) => ({
    method,
    path,
    query: '',
    token: { header: `Bearer ${TOKENS.admin}`, valid: true },
    body: body === undefined ? undefined : JSON.stringify(body),
    contentType: 'application/json',
    headers: {},
  }));

const fuzzRequest = fc.oneof(
  { weight: 12, arbitrary: generatedRequest },
  { weight: 1, arbitrary: wellFormedWrite },
);

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

let harness: ApiHarness;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

const send = (req: FuzzRequest): Promise<FuzzResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(harness.url);
    const headers: Record<string, string> = { ...req.headers };
    if (req.token.header !== undefined) headers.authorization = req.token.header;
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    // Node sends a GET's or DELETE's body unframed unless told its length.
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        // Raw, so junk is sent as generated: fetch would normalise it.
        path: `${req.path}${req.query === '' ? '' : `?${req.query}`}`,
        headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', (error) =>
      reject(new Error(`${error.message}: ${JSON.stringify(req).slice(0, 500)}`)),
    );
    r.end(req.body);
  });

/** Responses seen, by status: the run must reach past the token check and the router. */
const statuses = new Map<number, number>();

/** What every response must be, whatever was asked. */
const checkResponse = (req: FuzzRequest, res: FuzzResponse, overHttp = true): void => {
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  const where = `${req.method} ${req.path}?${req.query} (${req.token.header}) → ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, where).toBeGreaterThanOrEqual(200);
  expect(res.status, where).toBeLessThan(500);
  if (!req.token.valid) {
    // No token, or not one the server knows: refused before anything is read.
    expect(res.status, where).toBe(401);
  }
  // Over HTTP a HEAD response has no body (Node drops it, as API Gateway does).
  const head = overHttp && req.method.toUpperCase() === 'HEAD';
  if (res.status === 204 || head) {
    expect(res.text, where).toBe('');
    return;
  }
  expect(String(res.headers['content-type']), where).toMatch(/^application\/json/);
  const parsed = JSON.parse(res.text) as unknown;
  if (res.status >= 400) {
    expect(parsed, where).toEqual({
      error: expect.objectContaining({
        status: res.status,
        code: expect.stringMatching(/^[a-z][a-z-]*$/),
        message: expect.stringMatching(/\S/),
      }),
    });
    expect(res.text, where).not.toMatch(/\n\s+at |node_modules|\.ts:\d/);
  }
};

/** Requests to run one after the other (they change the data), and the rest, run at once. */
const isWrite = (req: FuzzRequest) =>
  req.token.valid && !['GET', 'HEAD', 'OPTIONS'].includes(req.method.toUpperCase());

const CONCURRENCY = 8;

const runBatch = async (batch: readonly FuzzRequest[]): Promise<void> => {
  const reads = batch.filter((r) => !isWrite(r));
  for (let i = 0; i < reads.length; i += CONCURRENCY) {
    const slice = reads.slice(i, i + CONCURRENCY);
    const responses = await Promise.all(slice.map(send));
    slice.forEach((req, j) => {
      checkResponse(req, responses[j] as FuzzResponse);
    });
  }
  for (const req of batch.filter(isWrite)) checkResponse(req, await send(req));
};

beforeAll(async () => {
  harness = await startApiHarness();
  const page = await harness.call('/calls?limit=1');
  expect(page.status).toBe(200);
  realCursors.push(String(page.body.nextCursor));
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await harness?.close();
});

describe('API fuzzing over HTTP', () => {
  it('the tampered-cursor generator starts from a real cursor', () => {
    expect(realCursors[0]).toMatch(/\S{20,}/);
  });

  it('generated requests: no 5xx, no data without a valid token, 4xx with an error body, JSON', async () => {
    const BATCH = 50;
    const numRuns = scaled(3_000 / BATCH);
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest, { minLength: BATCH, maxLength: BATCH }), runBatch),
      { seed: 20261126, numRuns },
    );
    const ms = Math.round(performance.now() - started);
    console.log(`api-fuzz: ${numRuns * BATCH} requests over HTTP in ${ms} ms`, statuses);
    const seen = (status: number) => statuses.get(status) ?? 0;
    // Not vacuous: data was served, and every kind of refusal happened.
    expect(seen(200)).toBeGreaterThan(numRuns);
    for (const status of [201, 204, 409, 422]) expect(seen(status)).toBeGreaterThan(0);
    for (const status of [400, 401, 403, 404, 405])
      expect(seen(status)).toBeGreaterThan(numRuns / 10);
  }, 600_000);
});

describe('API fuzzing in process, with what only API Gateway can send', () => {
  /**
   * The same generated requests, to the handler the server runs, with what only API Gateway can
   * send: the JWT authorizer's context (none, no scopes, unknown scopes, as the server's token
   * check never lets through) and base64 bodies.
   */
  const authorizer = fc.constantFrom(
    { scopes: null, valid: false },
    { scopes: [], valid: false },
    { scopes: ['calltracking/nothing'], valid: false },
    { scopes: [OAUTH_SCOPES.read.toUpperCase()], valid: false },
    { scopes: [OAUTH_SCOPES.read], valid: true },
    { scopes: [OAUTH_SCOPES.admin], valid: true },
    { scopes: [OAUTH_SCOPES.read, 'junk'], valid: true },
  );

  it('generated events: no 5xx, 401 without a calltracking scope, 4xx with an error body', async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest, authorizer, fc.boolean(), async (req, auth, base64) => {
        const encoded = base64 && req.body !== undefined;
        const event = apiEvent({
          method: req.method,
          path: req.path,
          query: req.query,
          scopes: auth.scopes,
          headers: {
            ...req.headers,
            ...(req.contentType ? { 'content-type': req.contentType } : {}),
          },
          ...(req.body === undefined
            ? {}
            : { body: encoded ? Buffer.from(req.body).toString('base64') : req.body }),
        });
        if (encoded) event.isBase64Encoded = true;
        const result = await harness.api(event);
        checkResponse(
          { ...req, token: { header: 'in process', valid: auth.valid } },
          {
            status: result.statusCode ?? 200,
            headers: (result.headers ?? {}) as Record<string, string>,
            text: result.body ?? '',
          },
          false,
        );
      }),
      { seed: 20261127, numRuns: scaled(7_000) },
    );
  }, 120_000);
});
