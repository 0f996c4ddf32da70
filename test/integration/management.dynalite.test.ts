import { readFileSync } from 'node:fs';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  fromRoutingItem,
  routingKey,
  toRoutingItem,
} from '../../lambdas/adapters/dynamodb/routing-items.js';
import { createRoutingLookup } from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import {
  ApiError,
  type ApiRequest,
  type ApiResponse,
} from '../../lambdas/adapters/http/api-contract.js';
import { apiErrorOf } from '../../lambdas/adapters/http/refusals.js';
import type { OperationId } from '../../lambdas/contracts/api-routes.js';
import { createManagementHandlers } from '../../lambdas/handlers/api-management.js';
import { createRoutePreview } from '../../lambdas/handlers/api-route-preview.js';
import { createRouteCall } from '../../lambdas/use-cases/route-call.js';
import { LOCAL_AWS } from '../../local/dynamo.js';
import { INBOUND_FLOW_FILE } from '../../local/flow.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { GEORGETOWN as API_LOCATION } from '../support/api-samples.js';

/** Monday 2 March 2026, 09:00 in Texas: every example location is open. */
const OPEN = '2026-03-02T15:00:00.000Z';
/** Sunday 1 March 2026, 12:00 in Texas: Round Rock is closed. */
const CLOSED = '2026-03-01T18:00:00.000Z';

/** The shared API location, with a published line of its own for the loop checks. */
const GEORGETOWN = { ...API_LOCATION, publishedNumbers: ['+15125550130'] };

describe('management API over the local routing table', () => {
  let system: LocalRoutingSystem;
  let handlers: ReturnType<typeof createManagementHandlers>;

  const request = (
    operationId: OperationId,
    parts: Partial<Pick<ApiRequest, 'pathParameters' | 'query' | 'body'>> = {},
  ): ApiRequest => ({
    operationId,
    pathParameters: parts.pathParameters ?? {},
    query: parts.query ?? {},
    body: parts.body,
    scopes: new Set(['read', 'admin']),
    principal: 'test-client',
    requestId: 'req-1',
  });
  const call = (operationId: keyof typeof handlers, parts?: Parameters<typeof request>[1]) =>
    handlers[operationId](request(operationId, parts));
  /** The ApiError the API answers the refused call with. */
  const refused = async (response: Promise<ApiResponse>): Promise<ApiError> => {
    const outcome = await response.then(
      (r) => r,
      (e: unknown) => apiErrorOf(e) ?? e,
    );
    if (!(outcome instanceof ApiError)) {
      throw new Error(`expected an ApiError, got ${JSON.stringify(outcome)}`);
    }
    return outcome;
  };
  const putLocation = (id: string, body: unknown) =>
    call('putLocation', { pathParameters: { id }, body });
  const putNumber = (number: string, body: unknown) =>
    call('putTrackingNumber', { pathParameters: { number }, body });

  /** What route-call answers for a call to `dialed` at `at`, from the table. */
  const routeOf = async (dialed: string, at = OPEN) => {
    const lookup = createRoutingLookup({
      client: system.dynamo.client,
      tableName: system.tableName,
      budgetMs: 1_500,
      cacheTtlMs: 0,
      negativeCacheTtlMs: 0,
    });
    const routeCall = createRouteCall({ lookup, now: () => Date.parse(at) });
    const event = {
      Details: { ContactData: { ContactId: 'c-1', SystemEndpoint: { Address: dialed } } },
    } as unknown as ConnectContactFlowEvent;
    return routeCall(event);
  };
  const storedEntry = async (number: string) => {
    const { Item } = await system.dynamo.client.send(
      new GetItemCommand({ TableName: system.tableName, Key: routingKey(number) }),
    );
    return Item && fromRoutingItem(Item);
  };

  beforeAll(async () => {
    // route-call logs a JSON line per call; the assertions read its answers instead.
    vi.spyOn(console, 'log').mockImplementation(() => {});
    system = await startLocalRoutingSystem();
    handlers = createManagementHandlers({
      client: system.dynamo.client,
      routingTableName: system.tableName,
      clock: () => new Date(OPEN),
      sleep: async () => {},
    });
  });
  afterAll(async () => {
    await system?.close();
    vi.restoreAllMocks();
  });

  it('lists the portfolio locations and numbers, naming the file', async () => {
    const locations = await call('listLocations');
    const body = locations.body as { items: Record<string, unknown>[] };
    expect(body.items.map((l) => l.id)).toEqual(['austin-north', 'denver-central', 'round-rock']);
    expect(body.items[0]).toMatchObject({
      owner: 'portfolio',
      declaredIn: 'config/portfolio.yaml',
      ringTo: '+15125550101',
      trackingNumbers: ['+15125550150', '+15125550151', '+15125550152'],
    });
    const numbers = (await call('listTrackingNumbers')).body as {
      items: Record<string, unknown>[];
    };
    expect(numbers.items).toHaveLength(8);
    expect(numbers.items).toContainEqual({
      number: '+15125550151',
      id: 'austin-north-google',
      locationId: 'austin-north',
      source: 'Google Ads',
      campaign: 'brand',
      owner: 'portfolio',
      declaredIn: 'config/portfolio.yaml',
    });
  });

  it('creates a location and a number that route-call routes at once, then re-routes on replace', async () => {
    const created = await putLocation('georgetown', GEORGETOWN);
    expect(created.statusCode).toBe(201);
    expect(created.body).toMatchObject({
      id: 'georgetown',
      owner: 'api',
      recording: { enabled: true },
      trackingNumbers: [],
    });
    expect(created.body).not.toHaveProperty('declaredIn');

    const number = await putNumber('%2B15125550181', {
      id: 'georgetown-google',
      location: 'georgetown',
      source: 'Google Ads',
    });
    expect(number).toEqual({
      statusCode: 201,
      body: {
        number: '+15125550181',
        id: 'georgetown-google',
        locationId: 'georgetown',
        source: 'Google Ads',
        owner: 'api',
      },
    });
    expect(await routeOf('+15125550181')).toMatchObject({
      status: 'found',
      locationId: 'georgetown',
      ringTo: '+15125550131',
      open: 'true',
      fallbackType: 'queue',
      campaign: 'none',
    });
    expect((await storedEntry('+15125550181'))?.owner).toBe('api');

    const replaced = await putLocation('georgetown', { ...GEORGETOWN, ringTo: '+15125550132' });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.body).toMatchObject({ trackingNumbers: ['+15125550181'] });
    expect(await routeOf('+15125550181')).toMatchObject({ ringTo: '+15125550132' });
  });

  it('routes an API number at a portfolio location with that location route', async () => {
    const put = await putNumber('+15125550182', {
      id: 'round-rock-mailer',
      location: 'round-rock',
      source: 'Direct mail',
      campaign: 'fall',
    });
    expect(put.statusCode).toBe(201);
    expect(await routeOf('+15125550182')).toMatchObject({
      locationId: 'round-rock',
      ringTo: '+15125550111',
      fallbackType: 'voicemail',
      campaign: 'fall',
    });
    const got = await call('getTrackingNumber', { pathParameters: { number: '+15125550182' } });
    expect(got.body).toMatchObject({ owner: 'api', locationId: 'round-rock' });
  });

  it('refuses loops with 422 routing_loop, naming both entries', async () => {
    const ringsTrackingNumber = await refused(
      putLocation('georgetown', { ...GEORGETOWN, ringTo: '+15125550151' }),
    );
    expect(ringsTrackingNumber).toMatchObject({ status: 422, code: 'routing-loop' });
    expect(ringsTrackingNumber.problems?.join('\n')).toMatch(
      /location georgetown \(added through the API\) ringTo is \+15125550151, which is also tracking number \+15125550151 \(austin-north-google, in config\/portfolio.yaml\)/,
    );

    const ringsPublished = await refused(
      putLocation('georgetown', { ...GEORGETOWN, ringTo: '+15125550100' }),
    );
    expect(ringsPublished.code).toBe('routing-loop');
    expect(ringsPublished.problems?.join('\n')).toContain(
      'published line of location austin-north',
    );

    const numberIsRingTo = await refused(
      putNumber('+15125550111', { id: 'loop', location: 'georgetown', source: 'Radio' }),
    );
    expect(numberIsRingTo).toMatchObject({ status: 422, code: 'routing-loop' });
    expect(numberIsRingTo.problems?.join('\n')).toContain('location round-rock');

    const numberIsStaticFallback = await refused(
      putNumber('+15125550199', { id: 'loop', location: 'georgetown', source: 'Radio' }),
    );
    expect(numberIsStaticFallback.problems?.join('\n')).toContain('static fallback number');
    // Nothing was written.
    expect(await storedEntry('+15125550111')).toBeUndefined();
  });

  it('refuses edits of what the portfolio file declares with 409, naming the file', async () => {
    for (const attempt of [
      putLocation('austin-north', GEORGETOWN),
      call('deleteLocation', { pathParameters: { id: 'austin-north' } }),
      putNumber('+15125550151', { id: 'x', location: 'georgetown', source: 'Radio' }),
      call('deleteTrackingNumber', { pathParameters: { number: '+15125550151' } }),
    ]) {
      const error = await refused(attempt);
      expect(error).toMatchObject({ status: 409, code: 'declared-in-portfolio' });
      expect(error.message).toContain('config/portfolio.yaml');
    }
    expect((await storedEntry('+15125550151'))?.owner).toBe('portfolio');
  });

  it('refuses bad bodies and unknown references with 400 invalid, naming each field', async () => {
    const bad = await refused(
      putLocation('georgetown', {
        ...GEORGETOWN,
        ringTo: '5125550131',
        timeZone: 'Texas',
        color: 'blue',
      }),
    );
    expect(bad).toMatchObject({ status: 400, code: 'invalid-body' });
    expect(bad.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^timeZone is not an IANA time zone/),
        expect.stringMatching(/^ringTo is not an E\.164 number/),
        expect.stringMatching(/color/),
      ]),
    );

    const unknownQueue = await refused(
      putLocation('georgetown', { ...GEORGETOWN, fallback: { type: 'queue', queue: 'nope' } }),
    );
    expect(unknownQueue.problems?.[0]).toMatch(
      /fallback.queue "nope" is not a queue of the portfolio: use one of call-center/,
    );

    const unknownLocation = await refused(
      putNumber('+15125550183', { id: 'lost', location: 'nowhere', source: 'Radio' }),
    );
    expect(unknownLocation.code).toBe('invalid-body');
    expect(unknownLocation.problems?.[0]).toMatch(/names location "nowhere", which does not exist/);

    const badNumber = await refused(putNumber('5125550183', { id: 'x', location: 'georgetown' }));
    expect(badNumber.problems?.[0]).toMatch(/^number "5125550183" is not an E\.164 number/);

    const badId = await refused(putLocation('Georgetown!', GEORGETOWN));
    expect(badId.problems?.[0]).toMatch(/^id "Georgetown!" is not a valid id/);
  });

  it('deletes: 409 while numbers use a location, 204, then 404', async () => {
    const inUse = await refused(call('deleteLocation', { pathParameters: { id: 'georgetown' } }));
    expect(inUse).toMatchObject({ status: 409, code: 'in-use' });
    expect(inUse.problems).toEqual([
      'tracking number +15125550181 (georgetown-google) routes to georgetown',
    ]);

    expect(
      await call('deleteTrackingNumber', { pathParameters: { number: '+15125550181' } }),
    ).toEqual({ statusCode: 204 });
    expect(await storedEntry('+15125550181')).toBeUndefined();
    expect(await routeOf('+15125550181')).toMatchObject({ status: 'unknown' });
    const again = await refused(
      call('deleteTrackingNumber', { pathParameters: { number: '+15125550181' } }),
    );
    expect(again).toMatchObject({ status: 404, code: 'not-found' });

    expect(await call('deleteLocation', { pathParameters: { id: 'georgetown' } })).toEqual({
      statusCode: 204,
    });
    const gone = await refused(call('getLocation', { pathParameters: { id: 'georgetown' } }));
    expect(gone).toMatchObject({ status: 404, code: 'not-found' });
  });

  it('deletes an API item left behind by an interrupted delete, never a portfolio one', async () => {
    const portfolioEntry = await storedEntry('+15125550160');
    if (!portfolioEntry) throw new Error('the portfolio entry is missing');
    const leftOver = { ...portfolioEntry, trackingNumber: '+15125550184', owner: 'api' as const };
    await system.dynamo.client.send(
      new PutItemCommand({ TableName: system.tableName, Item: toRoutingItem(leftOver, OPEN) }),
    );
    expect(
      await call('deleteTrackingNumber', { pathParameters: { number: '+15125550184' } }),
    ).toEqual({ statusCode: 204 });
    expect(await storedEntry('+15125550184')).toBeUndefined();
  });

  it('leaves the routing items as the last catalog says when a slower write lands last', async () => {
    await putLocation('leander', { ...GEORGETOWN, ringTo: '+15125550141', publishedNumbers: [] });
    await putNumber('+15125550185', { id: 'leander-radio', location: 'leander', source: 'Radio' });
    // A second API on its own client, whose first routing-item write waits at a gate: its
    // catalog write lands, then another write's catalog and items, then its (older) items.
    const slowClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: system.dynamo.endpoint });
    let reachedItems: () => void = () => {};
    const atItems = new Promise<void>((resolve) => {
      reachedItems = resolve;
    });
    let openGate: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    let gated = true;
    slowClient.middlewareStack.add(
      (next, context) => async (args) => {
        if (gated && context.commandName === 'BatchWriteItemCommand') {
          gated = false;
          reachedItems();
          await gate;
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const slow = createManagementHandlers({
      client: slowClient,
      routingTableName: system.tableName,
      clock: () => new Date(OPEN),
    });
    const slowBody = { ...GEORGETOWN, ringTo: '+15125550142', publishedNumbers: [] };
    const slowWrite = slow.putLocation(
      request('putLocation', { pathParameters: { id: 'leander' }, body: slowBody }),
    );
    await atItems;
    await putLocation('leander', { ...GEORGETOWN, ringTo: '+15125550143', publishedNumbers: [] });
    openGate();
    await slowWrite;
    slowClient.destroy();
    const location = (await call('getLocation', { pathParameters: { id: 'leander' } })).body as {
      ringTo: string;
    };
    expect(location.ringTo).toBe('+15125550143');
    expect((await storedEntry('+15125550185'))?.route.ringTo).toBe('+15125550143');
  });

  describe('route preview', () => {
    const preview = async (query: Record<string, string>) =>
      (await call('previewRoute', { query })).body as Record<string, any>;

    it('an open location: the ring-to answers, or the fallback takes over', async () => {
      const body = await preview({ to: '+15125550161', from: '+15125550177', at: OPEN });
      expect(body).toMatchObject({
        to: '+15125550161',
        from: '+15125550177',
        at: OPEN,
        source: 'simulator',
        route: { status: 'found', locationId: 'round-rock', open: 'true' },
      });
      expect(body.paths.map((p: any) => [p.scenario, p.outcome, p.endpoint])).toEqual([
        ['ring-to answers', 'transferred', '+15125550111'],
        // Round Rock's fallback is the system's own voicemail: the caller leaves a message.
        ['ring-to does not answer', 'voicemail', 'none'],
      ]);
      expect(body.paths[0].steps.length).toBeGreaterThan(3);
      expect(body.paths[0].steps[0]).toHaveProperty('action');
      // Deterministic: the same query, the same preview.
      expect(await preview({ to: '+15125550161', from: '+15125550177', at: OPEN })).toEqual(body);
    });

    it('a location with a menu: the caller presses 1 and reaches the ring-to, recorded', async () => {
      const body = await preview({ to: '+15125550151', at: OPEN });
      expect(body.paths[0]).toMatchObject({
        scenario: 'ring-to answers',
        digits: '1',
        outcome: 'transferred',
        endpoint: '+15125550101',
      });
      expect(body.paths[0].prompts[0]).toContain('This call may be recorded');
      expect(body.paths[0].recording.map((r: any) => r.state)).toContain('recording');
      // Not answered: the location's queue fallback takes the call.
      expect(body.paths[1]).toMatchObject({ outcome: 'queued' });
    });

    it('a closed location goes straight to its fallback', async () => {
      const body = await preview({ to: '+15125550161', at: CLOSED });
      expect(body.route.open).toBe('false');
      expect(body.from).toBeNull();
      for (const path of body.paths) {
        expect([path.outcome, path.endpoint]).toEqual(['voicemail', 'none']);
      }
    });

    it('an unknown number goes to the static fallback', async () => {
      const body = await preview({ to: '+15125550188', at: OPEN });
      expect(body.route.status).toBe('unknown');
      expect(body.paths[0]).toMatchObject({ outcome: 'transferred', endpoint: '+15125550199' });
    });

    it("gives route-call's answer, and why, when the simulator cannot run the flow", async () => {
      const template = JSON.parse(readFileSync(INBOUND_FLOW_FILE, 'utf8'));
      template.Actions[0].Type = 'InvokeFlowModule';
      const previewRoute = createRoutePreview({
        client: system.dynamo.client,
        routingTableName: system.tableName,
        flowTemplate: template,
      });
      const { body } = await previewRoute(
        request('previewRoute', { query: { to: '+15125550161', at: OPEN } }),
      );
      expect(body).toMatchObject({
        source: 'route-call',
        route: { status: 'found', locationId: 'round-rock', open: 'true' },
        reason: expect.stringMatching(
          /^the simulator cannot run the flow: [\s\S]*InvokeFlowModule/,
        ),
      });
      expect(body).not.toHaveProperty('paths');
    });

    it('refuses a bad or missing to, a bad at and unknown parameters', async () => {
      const error = await refused(
        call('previewRoute', { query: { to: '5125550161', at: 'yesterday', x: '1' } }),
      );
      expect(error).toMatchObject({ status: 400, code: 'invalid-query' });
      expect(error.problems).toHaveLength(3);
      const missing = await refused(call('previewRoute', { query: {} }));
      expect(missing.problems?.[0]).toMatch(/^to is required/);
    });
  });
});
