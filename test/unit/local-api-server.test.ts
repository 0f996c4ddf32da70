import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../lambdas/adapters/http/api-gateway.js';
import { type LocalApi, startLocalApi } from '../../local/api-server.js';
import { echoHandlers } from '../support/api-events.js';

let server: LocalApi;
beforeAll(async () => {
  server = await startLocalApi({
    api: createApi(echoHandlers(), { log: () => {} }),
    tokens: { 'r-token': 'read', 'a-token': 'admin' },
    maxBodyBytes: 100,
  });
});
afterAll(async () => {
  await server?.close();
});

const send = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);

describe('local API server', () => {
  it('listens on 127.0.0.1 and passes path, raw query, body and the token scope to the API', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await send('/calls/c%201?source=a%20b&trackingNumber=+15125550100', {
      method: 'PATCH',
      headers: { authorization: 'Bearer a-token', 'content-type': 'application/json' },
      body: '{"spam":true}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      operationId: 'updateCall',
      pathParameters: { contactId: 'c 1' },
      query: { source: 'a b', trackingNumber: '+15125550100' },
      body: { spam: true },
      scopes: ['admin', 'read'],
    });
  });

  it('refuses a missing, malformed or unknown token with 401 and only an error body', async () => {
    for (const authorization of [undefined, 'r-token', 'Bearer nope', 'Basic r-token']) {
      const response = await send('/calls', authorization ? { headers: { authorization } } : {});
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({
        error: { status: 401, code: 'unauthorized', message: 'a valid bearer token is required' },
      });
    }
  });

  it('refuses a body over the limit with 413 and a repeated parameter with 400', async () => {
    const big = await send('/calls/c1', {
      method: 'PATCH',
      headers: { authorization: 'Bearer a-token', 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'x'.repeat(200) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).error.code).toBe('too-large');
    const repeated = await send('/calls?limit=1&limit=2', {
      headers: { authorization: 'Bearer r-token' },
    });
    expect(repeated.status).toBe(400);
  });
});
