import { describe, expect, it } from 'vitest';
import { RollupContentionError } from '../../lambdas/adapters/dynamodb/rollup-writer.js';
import { ApiError } from '../../lambdas/adapters/http/api-contract.js';
import { createApi } from '../../lambdas/adapters/http/api-gateway.js';
import { OAUTH_SCOPES } from '../../lambdas/contracts/api-routes.js';
import { RoutingLoopError } from '../../lambdas/domain/request-errors.js';
import { apiEvent, echoHandlers } from '../support/api-events.js';

const lines: Record<string, unknown>[] = [];
const api = (overrides = {}) => createApi(echoHandlers(overrides), { log: (l) => lines.push(l) });
const json = (body: string | undefined) => JSON.parse(body ?? 'null');

describe('API router', () => {
  it('routes to the operation with decoded path parameters, query, body and scopes', async () => {
    const result = await api()(
      apiEvent({
        method: 'PATCH',
        path: '/calls/abc%2Fdef',
        query: 'x=1&trackingNumber=+15125550100&y=%2B1',
        body: '{"note":"hi"}',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        scopes: [OAUTH_SCOPES.admin],
      }),
    );
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
    expect(json(result.body)).toEqual({
      operationId: 'updateCall',
      pathParameters: { contactId: 'abc/def' },
      query: { x: '1', trackingNumber: '+15125550100', y: '+1' },
      body: { note: 'hi' },
      scopes: ['admin', 'read'],
    });
  });

  it('refuses a request without an authorizer context or without scopes with 401 and no data', async () => {
    for (const scopes of [null, [], ['openid']]) {
      const result = await api()(apiEvent({ path: '/calls', scopes }));
      expect(result.statusCode).toBe(401);
      expect(json(result.body)).toEqual({
        error: { status: 401, code: 'unauthorized', message: expect.any(String) },
      });
    }
  });

  it('reads the scope claim when the authorizer gives no scopes list', async () => {
    const event = apiEvent({ path: '/calls', scopes: [] });
    const jwt = event.requestContext.authorizer.jwt as { claims: object; scopes: unknown };
    jwt.scopes = null;
    jwt.claims = { scope: `openid ${OAUTH_SCOPES.read}` };
    expect((await api()(event)).statusCode).toBe(200);
    jwt.claims = {};
    expect((await api()(event)).statusCode).toBe(401);
  });

  it('refuses a write with a read token (403) naming the scope it needs', async () => {
    const read = await api()(
      apiEvent({
        method: 'PATCH',
        path: '/calls/c1',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(read.statusCode).toBe(403);
    expect(json(read.body).error).toMatchObject({ status: 403, code: 'forbidden' });
    expect(json(read.body).error.message).toContain('calltracking/admin');
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path and wrong method', async () => {
    const unknown = await api()(apiEvent({ path: '/nope' }));
    expect(unknown.statusCode).toBe(404);
    expect(json(unknown.body).error.code).toBe('not-found');
    const wrong = await api()(apiEvent({ method: 'DELETE', path: '/calls/c1' }));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers?.allow).toBe('GET, PATCH');
    expect(json(wrong.body).error).toMatchObject({ status: 405, code: 'method-not-allowed' });
    const post = await api()(apiEvent({ method: 'POST', path: '/calls' }));
    expect(post.statusCode).toBe(405);
    expect(post.headers?.allow).toBe('GET');
  });

  it('refuses repeated query parameters, naming them (HTTP API would join them with commas)', async () => {
    const result = await api()(apiEvent({ path: '/calls', query: 'source=a&source=b&limit=1' }));
    expect(result.statusCode).toBe(400);
    expect(json(result.body).error).toMatchObject({
      code: 'repeated-parameter',
      problems: ['source: given more than once'],
    });
  });

  it('refuses bad percent-encoding, a non-JSON content type and invalid JSON with 400', async () => {
    const encoding = await api()(apiEvent({ path: '/calls', query: 'source=%E0%A4%A' }));
    expect(json(encoding.body).error).toMatchObject({ status: 400, code: 'invalid-encoding' });
    const patch = { method: 'PATCH', path: '/calls/c1', scopes: [OAUTH_SCOPES.admin] };
    const text = await api()(
      apiEvent({ ...patch, body: 'note=x', headers: { 'content-type': 'text/plain' } }),
    );
    expect(json(text.body).error).toMatchObject({ status: 400, code: 'invalid-content-type' });
    const bad = await api()(
      apiEvent({ ...patch, body: '{"note":', headers: { 'content-type': 'application/json' } }),
    );
    expect(json(bad.body).error).toMatchObject({ status: 400, code: 'invalid-json' });
  });

  it('passes an ApiError through as its error body with its headers', async () => {
    const result = await api({
      listCalls: async () => {
        throw new ApiError(400, 'invalid-query', 'two problems', ['a', 'b']);
      },
    })(apiEvent({ path: '/calls' }));
    expect(result.statusCode).toBe(400);
    expect(json(result.body)).toEqual({
      error: { status: 400, code: 'invalid-query', message: 'two problems', problems: ['a', 'b'] },
    });
  });

  it('answers a domain refusal with its error body and logs it as an answer, not a failure', async () => {
    lines.length = 0;
    const result = await api({
      putLocation: async () => {
        throw new RoutingLoopError(['georgetown rings +15125550150, a tracking number']);
      },
    })(apiEvent({ method: 'PUT', path: '/locations/georgetown', scopes: [OAUTH_SCOPES.admin] }));
    expect(result.statusCode).toBe(422);
    expect(json(result.body)).toEqual({
      error: {
        status: 422,
        code: 'routing-loop',
        message: 'the change would make calls ring the system itself in an endless loop',
        problems: ['georgetown rings +15125550150, a tracking number'],
      },
    });
    expect(lines).toEqual([expect.not.objectContaining({ failure: expect.anything() })]);
  });

  it('maps throttling, 5xx, timeouts and lost rollup races to 503 with Retry-After', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    const server = Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } });
    const timeout = Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    // A lead update saved, whose rollup settle lost its races: repeating the PATCH finishes it.
    const contention = new RollupContentionError('2026-11-25#austin#Google Ads#+15125550151', 5);
    for (const error of [throttled, server, timeout, contention]) {
      const result = await api({
        getSummary: async () => {
          throw error;
        },
      })(apiEvent({ path: '/reports/summary' }));
      expect(result.statusCode).toBe(503);
      expect(result.headers?.['retry-after']).toBe('2');
      expect(json(result.body).error).toMatchObject({ status: 503, code: 'unavailable' });
      expect(json(result.body).error.message).toMatch(/retry/);
    }
  });

  it('hides an unknown error behind a 500 that quotes the request id, never its message or stack', async () => {
    lines.length = 0;
    const result = await api({
      getCall: async () => {
        throw new TypeError('secret detail +15125550100');
      },
    })(apiEvent({ path: '/calls/c1' }));
    expect(result.statusCode).toBe(500);
    const body = json(result.body);
    expect(body).toEqual({
      error: { status: 500, code: 'internal', message: expect.stringContaining('req-1') },
    });
    expect(result.body).not.toContain('secret');
    expect(result.body).not.toContain('at ');
    expect(lines).toEqual([
      expect.objectContaining({ operationId: 'getCall', status: 500, failure: 'TypeError' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('5550100');
  });

  it('logs one line per request with operationId, status and ms, without the query', async () => {
    lines.length = 0;
    await api()(apiEvent({ path: '/calls', query: 'trackingNumber=%2B15125550100' }));
    expect(lines).toEqual([
      {
        message: 'api request',
        requestId: 'req-1',
        operationId: 'listCalls',
        status: 200,
        ms: expect.any(Number),
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('5550100');
  });
});
