import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, OAUTH_SCOPES, type Scope } from '../../lambdas/contracts/api-routes.js';
import { SCOPE_DESCRIPTIONS } from '../../lib/constructs/api-auth.js';
import { type ApiHarness, startApiHarness, TOKENS } from '../support/api-harness.js';
import { GEORGETOWN } from '../support/api-samples.js';
import { createResponseValidator, loadOpenApi, operationsOf } from '../support/openapi.js';

const doc = loadOpenApi();

/** Every local $ref anywhere in the document. */
const refsOf = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.flatMap(refsOf)
    : typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([k, v]) =>
          k === '$ref' && typeof v === 'string' ? [v] : refsOf(v),
        )
      : [];

describe('openapi.yaml', () => {
  it('is OpenAPI 3.1 with info and an OAuth 2 client-credentials scheme with the scopes Cognito defines', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    const schemes = doc.components.securitySchemes;
    expect(Object.keys(schemes)).toEqual(['cognito']);
    expect(schemes.cognito.type).toBe('oauth2');
    expect(Object.keys(schemes.cognito.flows)).toEqual(['clientCredentials']);
    const { tokenUrl, scopes } = schemes.cognito.flows.clientCredentials;
    // The shape of ApiAuth's tokenEndpoint (the stack output TokenEndpoint) on a Cognito domain.
    expect(tokenUrl).toMatch(
      /^https:\/\/[a-z0-9-]+\.auth\.[a-z]{2}(-[a-z]+)+-\d\.amazoncognito\.com\/oauth2\/token$/,
    );
    // The resource server's own scopes (lib/constructs/api-auth.ts), described the same way.
    expect(scopes).toEqual(
      Object.fromEntries(
        (Object.keys(OAUTH_SCOPES) as Scope[]).map((s) => [OAUTH_SCOPES[s], SCOPE_DESCRIPTIONS[s]]),
      ),
    );
  });

  it('has every route of API_ROUTES with its operationId and scope, and nothing else', () => {
    const documented = operationsOf(doc).map((o) => ({
      operationId: o.operation.operationId,
      method: o.method.toUpperCase(),
      path: o.path,
      scopes: o.operation.security,
    }));
    expect(documented).toHaveLength(API_ROUTES.length);
    expect(documented).toEqual(
      expect.arrayContaining(
        API_ROUTES.map((r) => ({
          operationId: r.operationId,
          method: r.method,
          path: r.path,
          scopes: [{ cognito: [OAUTH_SCOPES[r.scope]] }],
        })),
      ),
    );
  });

  it('gives every operation a summary, a description and a declared tag', () => {
    const tags = new Set(doc.tags.map((t: { name: string }) => t.name));
    const lacking = operationsOf(doc).flatMap(({ operation }) => {
      const id = operation.operationId;
      const problems: string[] = [];
      for (const field of ['summary', 'description']) {
        if (typeof operation[field] !== 'string' || operation[field].trim() === '') {
          problems.push(`${id} has no ${field}`);
        }
      }
      if (!(operation.tags?.length > 0 && operation.tags.every((t: string) => tags.has(t)))) {
        problems.push(`${id} has no declared tag`);
      }
      return problems;
    });
    expect(lacking).toEqual([]);
  });

  it('documents each path parameter, an error schema for 400/401/403/500/503, and every $ref resolves', () => {
    for (const { path, operation } of operationsOf(doc)) {
      const pathItem = doc.paths[path];
      const declared = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])]
        .filter((p: any) => p.in === 'path')
        .map((p: any) => p.name);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(declared.sort(), path).toEqual(inPath.sort());
      for (const status of ['401', '403', '500', '503']) {
        expect(operation.responses[status], `${operation.operationId} ${status}`).toBeDefined();
      }
    }
    for (const ref of refsOf(doc)) {
      const target = ref
        .slice(2)
        .split('/')
        .reduce((v: any, p) => v?.[p.replaceAll('~1', '/')], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('compiles every component schema as JSON Schema 2020-12', () => {
    const validator = createResponseValidator(doc);
    // Compiling one response of each kind compiles the component schemas they reference.
    expect(
      validator.validate('getCall', 404, { error: { status: 404, code: 'x', message: 'y' } }),
    ).toEqual([]);
    expect(validator.validate('getCall', 404, { error: { status: 404 } })).not.toEqual([]);
  });
});

/** The webhook routes' refusals and empty answers (their 201 and deliveries: below, by id). */
const webhookCases = (): [
  string,
  string,
  { method?: string; body?: unknown; token?: string | null },
  number,
][] => {
  const admin = (method: string, body?: unknown) => ({
    method,
    token: TOKENS.admin,
    ...(body === undefined ? {} : { body }),
  });
  return [
    ['listWebhooks', '/webhooks', admin('GET'), 200],
    ['listWebhooks', '/webhooks', {}, 403],
    [
      'registerWebhook',
      '/webhooks',
      admin('POST', { url: 'http://crm.example.com/hooks', events: ['call.completed'] }),
      422,
    ],
    [
      'registerWebhook',
      '/webhooks',
      admin('POST', { url: 'https://crm.example.com/hooks', events: ['call.done'] }),
      400,
    ],
    ['deleteWebhook', '/webhooks/wh_none', admin('DELETE'), 404],
    ['listWebhookDeliveries', '/webhooks/wh_none/deliveries', admin('GET'), 404],
    // Longer than a DynamoDB key may be: no such webhook, not a 500 (found by the API fuzz).
    ['listWebhookDeliveries', `/webhooks/${'x'.repeat(2_000)}/deliveries`, admin('GET'), 404],
  ];
};

describe('real responses match the document', () => {
  let api: ApiHarness;
  const validator = createResponseValidator(doc);
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  const cases: [
    string,
    string,
    { method?: string; body?: unknown; token?: string | null },
    number,
  ][] = [
    ['listCalls', '/calls', {}, 200],
    ['listCalls', '/calls?limit=2', {}, 200],
    ['listCalls', '/calls?from=2026-09-01&to=2026-09-30', {}, 200],
    ['listCalls', '/calls?answered=true', {}, 400],
    ['listCalls', '/calls', { token: null }, 401],
    ['getCall', '/calls/c1', {}, 200],
    ['getCall', '/calls/c6', {}, 200],
    ['getCall', '/calls/c2', {}, 200],
    ['listCalls', '/calls?outcome=voicemail', {}, 200],
    ['listCalls', '/calls?outcome=callback', {}, 200],
    [
      'updateCall',
      '/calls/c2',
      { method: 'PATCH', token: TOKENS.admin, body: { handled: true } },
      200,
    ],
    [
      'updateCall',
      '/calls/c2',
      { method: 'PATCH', token: TOKENS.admin, body: { handled: 1 } },
      400,
    ],
    ['getCall', '/calls/nope', {}, 404],
    [
      'updateCall',
      '/calls/c3',
      { method: 'PATCH', token: TOKENS.admin, body: { leadStatus: 'lost', value: 0 } },
      200,
    ],
    ['updateCall', '/calls/c3', { method: 'PATCH', body: { spam: true } }, 403],
    [
      'updateCall',
      '/calls/c3',
      { method: 'PATCH', token: TOKENS.admin, body: { tags: [''] } },
      400,
    ],
    ['getSummary', '/reports/summary', {}, 200],
    ['getSummary', '/reports/summary?groupBy=day&from=2026-11-20&to=2026-11-26', {}, 200],
    ['getSummary', '/reports/summary?groupBy=campaign', {}, 400],
    ['getTimeseries', '/reports/timeseries?groupBy=location', {}, 200],
    ['getTimeseries', '/reports/timeseries?interval=hour&from=2026-11-25&to=2026-11-25', {}, 200],
    ['getTimeseries', '/reports/timeseries', { token: 'wrong' }, 401],
    ['listLocations', '/locations', {}, 200],
    ['getLocation', '/locations/austin-north', {}, 200],
    ['getLocation', '/locations/nowhere', {}, 404],
    [
      'putLocation',
      '/locations/georgetown',
      { method: 'PUT', token: TOKENS.admin, body: GEORGETOWN },
      201,
    ],
    [
      'putLocation',
      '/locations/georgetown',
      { method: 'PUT', token: TOKENS.admin, body: GEORGETOWN },
      200,
    ],
    [
      'putLocation',
      '/locations/austin-north',
      { method: 'PUT', token: TOKENS.admin, body: GEORGETOWN },
      409,
    ],
    [
      'putLocation',
      '/locations/georgetown',
      { method: 'PUT', token: TOKENS.admin, body: { ...GEORGETOWN, ringTo: '+15125550151' } },
      422,
    ],
    [
      'putLocation',
      '/locations/georgetown',
      { method: 'PUT', token: TOKENS.admin, body: { ...GEORGETOWN, ringTo: '512' } },
      400,
    ],
    ['listTrackingNumbers', '/tracking-numbers', {}, 200],
    ['getTrackingNumber', '/tracking-numbers/%2B15125550151', {}, 200],
    [
      'putTrackingNumber',
      '/tracking-numbers/%2B15125550181',
      {
        method: 'PUT',
        token: TOKENS.admin,
        body: { id: 'gt-radio', location: 'georgetown', source: 'Radio' },
      },
      201,
    ],
    [
      'putTrackingNumber',
      '/tracking-numbers/%2B15125550101',
      {
        method: 'PUT',
        token: TOKENS.admin,
        body: { id: 'loop', location: 'georgetown', source: 'Radio' },
      },
      422,
    ],
    ['deleteLocation', '/locations/georgetown', { method: 'DELETE', token: TOKENS.admin }, 409],
    [
      'deleteTrackingNumber',
      '/tracking-numbers/%2B15125550181',
      { method: 'DELETE', token: TOKENS.admin },
      204,
    ],
    ['deleteLocation', '/locations/georgetown', { method: 'DELETE', token: TOKENS.admin }, 204],
    [
      'deleteTrackingNumber',
      '/tracking-numbers/%2B15125550151',
      { method: 'DELETE', token: TOKENS.admin },
      409,
    ],
    ['previewRoute', '/route-preview?to=%2B15125550151&at=2026-11-23T10:00:00-06:00', {}, 200],
    ['previewRoute', '/route-preview?to=%2B15125559999&from=%2B15125550100', {}, 200],
    ['previewRoute', '/route-preview?to=5125550151', {}, 400],
    ...webhookCases(),
  ];

  // In order: the management cases build on one another (create, replace, refuse, delete).
  it.each(cases)('%s %s %j → %i', async (operationId, path, init, status) => {
    const r = await api.call(path, init);
    expect(r.status).toBe(status);
    expect(validator.validate(operationId, r.status, r.body)).toEqual([]);
  });

  it('a webhook registered, listed, its deliveries read and deleted, as documented', async () => {
    const admin = { token: TOKENS.admin };
    const created = await api.call('/webhooks', {
      ...admin,
      method: 'POST',
      body: { url: 'https://crm.example.com/hooks', events: ['call.completed', 'call.updated'] },
    });
    expect(created.status).toBe(201);
    expect(validator.validate('registerWebhook', 201, created.body)).toEqual([]);
    const { id } = created.body as { id: string };
    const list = await api.call('/webhooks', admin);
    expect(validator.validate('listWebhooks', 200, list.body)).toEqual([]);
    expect(list.body).toEqual({ items: [expect.objectContaining({ id })] });
    const deliveries = await api.call(`/webhooks/${id}/deliveries`, admin);
    expect(deliveries).toMatchObject({ status: 200, body: { items: [] } });
    expect(validator.validate('listWebhookDeliveries', 200, deliveries.body)).toEqual([]);
    const deleted = await api.call(`/webhooks/${id}`, { ...admin, method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect(validator.validate('deleteWebhook', 204, deleted.body)).toEqual([]);
  });

  it('documents the refusals API Gateway writes itself, deployed', () => {
    expect(validator.validate('listCalls', 401, { message: 'Unauthorized' })).toEqual([]);
    expect(validator.validate('updateCall', 403, { message: 'Forbidden' })).toEqual([]);
    expect(validator.validate('listCalls', 401, { message: 'Unauthorized', x: 1 })).not.toEqual([]);
  });

  it('catches a response that does not match', () => {
    expect(validator.validate('listCalls', 200, { items: [{ contactId: 'x' }] })).not.toEqual([]);
    expect(validator.validate('listCalls', 200, { items: [], pk: 'CALL#x' })).not.toEqual([]);
    expect(() => validator.validate('listCalls', 404, {})).toThrow(/documents no response 404/);
  });
});
