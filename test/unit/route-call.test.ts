import { routeCallEnvironment } from '../../lambdas/contracts/environment.js';
import 'aws-sdk-client-mock-vitest/extend';
import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type {
  CallerHistory,
  CallerHistoryAnswer,
} from '../../lambdas/adapters/dynamodb/caller-history-reader.js';
import { toRoutingItem } from '../../lambdas/adapters/dynamodb/routing-items.js';
import {
  createRoutingClient,
  createRoutingLookup,
  type RoutingLookupOptions,
  routingTimeouts,
} from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/contracts/route-answer.js';
import { maskPhoneNumber } from '../../lambdas/domain/phone-number.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { handler } from '../../lambdas/handlers/route-call.js';
import { createRouteCall } from '../../lambdas/use-cases/route-call.js';
import {
  type CallOverrides,
  contactFlowEvent,
  contactFlowEventFixture,
  EXAMPLE_ANSWER,
  EXAMPLE_ENTRY,
  FIXTURE_CALL,
  routingEntry,
} from '../support/fixtures.js';

// The handler module reads its settings at import (cold start): vi.hoisted runs before imports.
vi.hoisted(() => {
  process.env.ROUTING_TABLE_NAME = 'routing-unit';
  process.env.ROUTE_BUDGET_MS = '400';
  process.env.AWS_REGION = 'us-east-1';
});

const TABLE = 'routing-unit';
const TRACKING = '+15125550100';
const CALLER = '+15551230000';
const RING_TO = EXAMPLE_ENTRY.route.ringTo;
/** Monday 10:00 and Sunday 10:00 in America/Chicago. */
const MONDAY_10AM = Date.parse('2026-11-23T16:00:00Z');
const SUNDAY_10AM = Date.parse('2026-11-22T16:00:00Z');

const entry = (): RoutingEntry => routingEntry({ trackingNumber: TRACKING });

const item = (value: RoutingEntry = entry()) => toRoutingItem(value, '2026-11-01T00:00:00Z');

/** The fixture event of a call from CALLER to TRACKING, with these parameters and endpoints. */
const connectEvent = (options: CallOverrides = {}): ConnectContactFlowEvent =>
  contactFlowEvent({
    parameters: { dialed: TRACKING, caller: CALLER },
    system: TRACKING,
    customer: CALLER,
    ...options,
  });

const lambdaContext = (remainingMs = 3_000) =>
  ({ getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

/** Every key of the published answer is present, and no value is empty (Connect rejects ""). */
const expectCompleteAnswer = (result: ConnectContactFlowResult) => {
  expect(Object.keys(result).sort()).toEqual([...ROUTE_ANSWER_KEYS].sort());
  for (const [key, value] of Object.entries(result)) {
    expect(typeof value, key).toBe('string');
    expect((value ?? '').trim(), key).not.toBe('');
  }
};

const ddb = mockClient(DynamoDBClient);
let logLines: string[] = [];
let clock = MONDAY_10AM;

/** A route-call over a fresh lookup (own cache) and the fake clock. */
const routeCall = (options: Partial<RoutingLookupOptions> = {}) => {
  const lookup = createRoutingLookup({
    client: new DynamoDBClient({ region: 'us-east-1' }),
    tableName: TABLE,
    budgetMs: 300,
    now: () => clock,
    ...options,
  });
  return createRouteCall({ lookup, now: () => clock });
};

const logs = () => logLines.map((line) => JSON.parse(line) as Record<string, unknown>);

beforeEach(() => {
  ddb.reset();
  clock = MONDAY_10AM;
  logLines = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logLines.push(args.map(String).join(' '));
  });
});

afterEach(() => {
  // Whatever the path, the caller's number never reaches a log line unmasked.
  for (const line of logLines) {
    expect(line).not.toContain(CALLER);
    expect(line).not.toContain(CALLER.slice(1));
  }
  vi.restoreAllMocks();
});

describe('route-call: found', () => {
  it('answers the location route through the deployed handler, reading one item by key', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });

    const result = await handler(connectEvent(), lambdaContext());

    expectCompleteAnswer(result);
    expect(result).toMatchObject({
      status: 'found',
      trackingNumber: TRACKING,
      locationId: 'austin-north',
      ringTo: RING_TO,
      ringTimeoutSeconds: '25',
      record: 'true',
      fallbackType: 'queue',
      menu: 'true',
      paymentsType: 'number',
      paymentsNumber: '+15125550190',
    });
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, {
      TableName: 'routing-unit',
      Key: { pk: { S: `TN#${TRACKING}` } },
      ConsistentRead: false,
    });
  });

  it('says open during the location hours and closed outside them', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const call = routeCall();

    const monday = await call(connectEvent());
    clock = SUNDAY_10AM;
    const sunday = await call(connectEvent());

    expect(monday).toMatchObject({ status: 'found', open: 'true' });
    expect(sunday).toMatchObject({ status: 'found', open: 'false' });
    expectCompleteAnswer(sunday);
  });

  it('logs one structured line with the caller masked', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });

    await routeCall()(connectEvent());

    expect(logs()).toEqual([
      expect.objectContaining({
        level: 'info',
        contactId: FIXTURE_CALL.contactId,
        dialed: TRACKING,
        caller: maskPhoneNumber(CALLER),
        status: 'found',
        locationId: 'austin-north',
        cacheHit: false,
        lookupMs: expect.any(Number),
      }),
    ]);
    expect(maskPhoneNumber(CALLER)).not.toBe(CALLER);
  });

  it('accepts a real-shaped event with every extra field Connect adds', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const event = connectEvent() as unknown as Record<string, unknown>;
    const details = event.Details as Record<string, unknown>;
    const withExtras = {
      ...event,
      Details: { ...details, ContactData: { ...(details.ContactData as object), Extra: { a: 1 } } },
      Unexpected: true,
    } as unknown as ConnectContactFlowEvent;

    const result = await routeCall()(withExtras);

    expectCompleteAnswer(result);
    expect(result.status).toBe('found');
  });
});

describe('route-call: first-time caller', () => {
  /** A caller history that answers `answer` and keeps what it was asked. */
  const history = (answer: CallerHistoryAnswer) => {
    const asked: [string, string][] = [];
    const callerHistory: CallerHistory = {
      firstTimeCaller: async (locationId, caller) => {
        asked.push([locationId, caller]);
        return answer;
      },
    };
    return { asked, callerHistory };
  };
  const routeCallWith = (callerHistory: CallerHistory) =>
    createRouteCall({
      lookup: createRoutingLookup({
        client: new DynamoDBClient({ region: 'us-east-1' }),
        tableName: TABLE,
        budgetMs: 300,
      }),
      callerHistory,
      now: () => clock,
    });

  it.each(['true', 'false'] as const)(
    'answers the history (%s) for the routed location and caller, and logs it',
    async (answer) => {
      ddb.on(GetItemCommand).resolves({ Item: item() });
      const { asked, callerHistory } = history({ firstTimeCaller: answer });

      const result = await routeCallWith(callerHistory)(connectEvent());

      expect(result.firstTimeCaller).toBe(answer);
      expect(asked).toEqual([['austin-north', CALLER]]);
      expect(logs()[0]).toMatchObject({ level: 'info', firstTimeCaller: answer });
    },
  );

  it('does not ask for a withheld caller or a number the table cannot route', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const { asked, callerHistory } = history({ firstTimeCaller: 'true' });
    const routeCallOf = routeCallWith(callerHistory);

    const withheld = await routeCallOf(
      connectEvent({ parameters: { dialed: TRACKING, caller: 'anonymous' }, customer: null }),
    );
    ddb.on(GetItemCommand).resolves({});
    const unknownNumber = await routeCallOf(
      connectEvent({ parameters: { dialed: '+13125550100' }, system: '+13125550100' }),
    );

    expect(withheld).toMatchObject({ status: 'found', firstTimeCaller: 'unknown' });
    expect(unknownNumber).toMatchObject({ status: 'unknown', firstTimeCaller: 'unknown' });
    expect(asked).toEqual([]);
  });

  it('routes as before when the history read fails, and warns with its reason', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const { callerHistory } = history({ firstTimeCaller: 'unknown', reason: 'TimeoutError' });

    const result = await routeCallWith(callerHistory)(connectEvent());

    expect(result).toMatchObject({ status: 'found', ringTo: RING_TO, firstTimeCaller: 'unknown' });
    expect(logs()[0]).toMatchObject({
      level: 'warn',
      firstTimeCaller: 'unknown',
      callerHistoryReason: 'TimeoutError',
    });
    expect(logs()[0]).not.toHaveProperty('reason');
  });
});

describe('route-call on the documented contact-flow events (test/fixtures)', () => {
  it('routes the voice call to its ring-to through the deployed handler', async () => {
    ddb.on(GetItemCommand).resolves({ Item: toRoutingItem(EXAMPLE_ENTRY, '2026-11-01T00:00:00Z') });

    const result = await handler(contactFlowEventFixture('voice'), lambdaContext());

    expectCompleteAnswer(result);
    expect(result).toEqual({
      ...EXAMPLE_ANSWER,
      open: expect.stringMatching(/^(true|false)$/),
    });
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(GetItemCommand, {
      TableName: TABLE,
      Key: { pk: { S: 'TN#+15125550151' } },
    });
    expect(logLines.join('\n')).not.toContain(FIXTURE_CALL.caller);
  });

  it('routes the voice call by its SystemEndpoint when the flow passes no Parameters', async () => {
    ddb.on(GetItemCommand).resolves({ Item: toRoutingItem(EXAMPLE_ENTRY, '2026-11-01T00:00:00Z') });
    const event = contactFlowEventFixture('voice') as { Details: { Parameters?: unknown } };
    delete event.Details.Parameters;

    const result = await routeCall()(event as ConnectContactFlowEvent);

    expect(result).toEqual({ ...EXAMPLE_ANSWER, open: 'true' });
  });

  it.each([
    ['empty Parameters', (event: ConnectContactFlowEvent) => event],
    [
      'no Parameters at all',
      (event: ConnectContactFlowEvent) => {
        delete (event.Details as { Parameters?: unknown }).Parameters;
        return event;
      },
    ],
  ])(
    'answers unknown, without a read, for the chat contact with null endpoints and %s',
    async (_, variant) => {
      const event = variant(contactFlowEventFixture('chat'));
      expect(event.Details.ContactData.SystemEndpoint).toBeNull();
      expect(event.Details.ContactData.CustomerEndpoint).toBeNull();

      const result = await handler(event, lambdaContext());

      expectCompleteAnswer(result);
      expect(result).toEqual({
        ...Object.fromEntries(ROUTE_ANSWER_KEYS.map((key) => [key, 'none'])),
        status: 'unknown',
        open: 'false',
        record: 'false',
        recordStaffLeg: 'false',
        menu: 'false',
        firstTimeCaller: 'unknown',
      });
      expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 0);
      expect(logs()[0]).toMatchObject({
        level: 'warn',
        caller: 'none',
        reason: 'no dialed number in the event',
      });
    },
  );
});

describe('route-call: numbers the table cannot route', () => {
  it('answers unknown for a number not in the table', async () => {
    ddb.on(GetItemCommand).resolves({});

    const result = await routeCall()(connectEvent());

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'unknown', trackingNumber: TRACKING, ringTo: 'none' });
    expect(logs()[0]).toMatchObject({ level: 'warn', status: 'unknown', locationId: 'none' });
  });

  it.each([
    ['a national number', '5125550100'],
    ['spaces inside', '+1 512 555 0100'],
    ['letters', 'anonymous'],
  ])(
    'answers unknown without a read when the dialed number is not E.164 (%s)',
    async (_, dialed) => {
      const result = await routeCall()(connectEvent({ parameters: { dialed }, system: null }));

      expectCompleteAnswer(result);
      expect(result.status).toBe('unknown');
      expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 0);
    },
  );

  it('trims the dialed number before looking it up', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });

    const result = await routeCall()(connectEvent({ parameters: { dialed: `  ${TRACKING}\n` } }));

    expect(result).toMatchObject({ status: 'found', trackingNumber: TRACKING });
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { Key: { pk: { S: `TN#${TRACKING}` } } });
  });
});

describe('route-call: tolerant event parsing', () => {
  it('falls back to SystemEndpoint when Parameters are missing', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });

    const result = await routeCall()(connectEvent({ parameters: undefined }));

    expectCompleteAnswer(result);
    expect(result.status).toBe('found');
    // The caller came from CustomerEndpoint: still masked.
    expect(logs()[0]).toMatchObject({ caller: maskPhoneNumber(CALLER) });
  });

  it('prefers Parameters.dialed over SystemEndpoint', async () => {
    ddb.on(GetItemCommand).resolves({});

    await routeCall()(connectEvent({ parameters: { dialed: TRACKING }, system: '+15125550111' }));

    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { Key: { pk: { S: `TN#${TRACKING}` } } });
  });

  it('answers unknown when both endpoints are null and no parameter names the number', async () => {
    const result = await routeCall()(
      connectEvent({ parameters: {}, system: null, customer: null }),
    );

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'unknown', trackingNumber: 'none' });
    expect(logs()[0]).toMatchObject({ caller: 'none', reason: 'no dialed number in the event' });
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 0);
  });

  it.each([
    ['an empty object', {}],
    ['null', null],
    ['a string', 'ping'],
    ['Details without ContactData', { Details: { Parameters: { dialed: TRACKING } } }],
    ['an API Gateway event', { httpMethod: 'GET', path: '/', headers: {} }],
  ])(
    'answers error and warns for an event that is not a contact-flow event (%s)',
    async (_, event) => {
      const result = await handler(event as unknown as ConnectContactFlowEvent, lambdaContext());

      expectCompleteAnswer(result);
      expect(result.status).toBe('error');
      expect(logs()).toEqual([
        expect.objectContaining({ level: 'warn', status: 'error', reason: expect.any(String) }),
      ]);
      expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 0);
    },
  );
});

describe('route-call: failures answer error, never throw', () => {
  it.each([
    [
      'throttling',
      new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }),
      'ProvisionedThroughputExceededException',
    ],
    [
      'a 5xx',
      new InternalServerError({ message: 'internal failure', $metadata: { httpStatusCode: 500 } }),
      'InternalServerError',
    ],
    [
      'a network error',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'socket hang up',
    ],
  ])('answers error on %s and logs the reason', async (_, error, reason) => {
    ddb.on(GetItemCommand).rejects(error);

    const result = await routeCall()(connectEvent());

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'error', trackingNumber: TRACKING, ringTo: 'none' });
    expect(logs()).toEqual([
      expect.objectContaining({
        level: 'error',
        status: 'error',
        reason: expect.stringContaining(reason),
      }),
    ]);
  });

  it('does not cache an error: the next call reads again', async () => {
    ddb
      .on(GetItemCommand)
      .rejectsOnce(new InternalServerError({ message: 'boom', $metadata: {} }))
      .resolves({ Item: item() });
    const call = routeCall();

    expect((await call(connectEvent())).status).toBe('error');
    expect((await call(connectEvent())).status).toBe('found');
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  it('answers error within the budget when DynamoDB never answers', async () => {
    ddb.on(GetItemCommand).callsFake(() => new Promise(() => {}));
    const budgetMs = 250;

    const started = performance.now();
    const result = await routeCall({ budgetMs })(connectEvent());
    const elapsed = performance.now() - started;

    expectCompleteAnswer(result);
    expect(result.status).toBe('error');
    expect(elapsed).toBeGreaterThanOrEqual(budgetMs - 5);
    expect(elapsed).toBeLessThan(budgetMs + 150);
    expect(logs()[0]).toMatchObject({ reason: expect.stringContaining('budget of 250 ms') });
  });

  it('aborts the request when the budget runs out', async () => {
    let signal: AbortSignal | undefined;
    const hangingClient = {
      send: (_command: unknown, options: { abortSignal: AbortSignal }) => {
        signal = options.abortSignal;
        return new Promise(() => {});
      },
    } as unknown as DynamoDBClient;

    const result = await routeCall({ client: hangingClient, budgetMs: 100 })(connectEvent());

    expect(result.status).toBe('error');
    expect(signal?.aborted).toBe(true);
  });

  it('still answers when the function is about to time out before the budget', async () => {
    // The deployed handler's budget is 400 ms (ROUTE_BUDGET_MS above); the function has 300 ms left.
    ddb.on(GetItemCommand).callsFake(() => new Promise(() => {}));

    const started = performance.now();
    const result = await handler(
      connectEvent({ parameters: { dialed: '+15125550142' } }),
      lambdaContext(300),
    );
    const elapsed = performance.now() - started;

    expectCompleteAnswer(result);
    expect(result.status).toBe('error');
    expect(elapsed).toBeLessThan(350);
    // Let the abandoned lookup reach its own budget, so its log line lands in this test.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(logs().map((line) => line.reason)).toEqual([
      'function timeout reached before an answer',
      expect.stringContaining('budget of 400 ms'),
    ]);
  });
});

describe('route-call: corrupt items answer error', () => {
  const broken = (mutate: (value: Record<string, unknown>) => void) => {
    const value = structuredClone(entry()) as unknown as Record<string, unknown>;
    mutate(value);
    return toRoutingItem(value as unknown as RoutingEntry, '2026-11-01T00:00:00Z');
  };
  const route = (value: Record<string, unknown>) => value.route as Record<string, unknown>;

  it.each([
    ['no route', broken((v) => delete v.route)],
    ['ringTo missing', broken((v) => delete route(v).ringTo)],
    [
      'ringTo not E.164',
      broken((v) => {
        route(v).ringTo = '512-555-0199';
      }),
    ],
    [
      'ringTo empty',
      broken((v) => {
        route(v).ringTo = '';
      }),
    ],
    [
      'unknown time zone',
      broken((v) => {
        route(v).timeZone = 'Mars/Olympus_Mons';
      }),
    ],
    ['hours missing a day', broken((v) => delete (route(v).hours as Record<string, unknown>).sun)],
    [
      'ring timeout as text',
      broken((v) => {
        route(v).ringTimeoutSeconds = '25';
      }),
    ],
    [
      'unknown fallback type',
      broken((v) => {
        route(v).fallback = { type: 'pager', number: RING_TO };
      }),
    ],
    [
      'queue fallback without ARN',
      broken((v) => {
        route(v).fallback = { type: 'queue' };
      }),
    ],
    [
      'payments without number',
      broken((v) => {
        route(v).menu = { prompt: 'x', payments: { type: 'number' } };
      }),
    ],
    [
      'recording not a map',
      broken((v) => {
        route(v).recording = 'yes';
      }),
    ],
    [
      'owner unknown',
      broken((v) => {
        v.owner = 'someone';
      }),
    ],
    [
      'locationId a number',
      broken((v) => {
        v.locationId = 42;
      }),
    ],
    [
      "another number's entry",
      broken((v) => {
        v.trackingNumber = '+15125550999';
      }),
    ],
    ['a bare key', { pk: { S: `TN#${TRACKING}` } }],
  ])('%s', async (_, stored) => {
    ddb.on(GetItemCommand).resolves({ Item: stored });

    const result = await routeCall()(connectEvent());

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'error', trackingNumber: TRACKING });
    expect(logs()[0]).toMatchObject({ reason: expect.stringContaining('corrupt routing item') });
  });

  it('reads a corrupt item again on the next call (not cached)', async () => {
    ddb.on(GetItemCommand).resolves({ Item: broken((v) => delete v.route) });
    const call = routeCall();

    await call(connectEvent());
    await call(connectEvent());

    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });
});

describe('route-call: cache', () => {
  const throttled = () =>
    new ThrottlingException({
      message: 'Rate of requests exceeds the allowed throughput',
      $metadata: {},
    });

  it('serves a known route from its expired entry when the re-read fails, and says so', async () => {
    ddb.on(GetItemCommand).resolvesOnce({ Item: item() }).rejects(throttled());
    const call = routeCall();

    const fresh = await call(connectEvent());
    clock += 61_000;
    const stale = await call(connectEvent());

    expect(stale).toEqual(fresh);
    expect(stale.status).toBe('found');
    expect(logs()[1]).toMatchObject({
      level: 'warn',
      status: 'found',
      cacheHit: true,
      stale: true,
      staleAgeSeconds: 61,
      reason: expect.stringContaining('ThrottlingException'),
    });
    // Stale entries do not stop re-reads: each call tries DynamoDB again.
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  it('answers error for a number it never read, within the budget, while DynamoDB fails', async () => {
    ddb.on(GetItemCommand).resolvesOnce({ Item: item() }).rejects(throttled());
    const call = routeCall();
    await call(connectEvent());
    clock += 61_000;

    const started = performance.now();
    const other = await call(connectEvent({ parameters: { dialed: '+15125550111' } }));

    expect(other.status).toBe('error');
    expect(performance.now() - started).toBeLessThan(300);
  });

  it('stops serving an entry past the staleness bound, and never when the bound is 0', async () => {
    ddb.on(GetItemCommand).resolvesOnce({ Item: item() }).rejects(throttled());
    const call = routeCall({ maxStaleMs: 3_600_000 });
    await call(connectEvent());
    clock += 60_000 + 3_599_000;
    expect((await call(connectEvent())).status).toBe('found');
    clock += 2_000;
    expect((await call(connectEvent())).status).toBe('error');

    ddb.reset();
    ddb.on(GetItemCommand).resolvesOnce({ Item: item() }).rejects(throttled());
    const strict = routeCall({ maxStaleMs: 0 });
    await strict(connectEvent());
    clock += 61_000;
    expect((await strict(connectEvent())).status).toBe('error');
  });

  it('replaces the stale entry once a re-read succeeds', async () => {
    const moved = routingEntry({ trackingNumber: TRACKING, route: { ringTo: '+15125550177' } });
    ddb
      .on(GetItemCommand)
      .resolvesOnce({ Item: item() })
      .rejectsOnce(throttled())
      .resolves({ Item: item(moved) });
    const call = routeCall();
    await call(connectEvent());
    clock += 61_000;
    await call(connectEvent());
    const after = await call(connectEvent());
    expect(after.ringTo).toBe('+15125550177');
    expect(logs()[2]).not.toHaveProperty('stale');
  });

  it('answers a repeated number from memory, without a second GetItem', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const call = routeCall();

    const first = await call(connectEvent());
    const second = await call(connectEvent());

    expect(second).toEqual(first);
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
    expect(logs().map((line) => line.cacheHit)).toEqual([false, true]);
  });

  it('reads again once the entry is 60 s old', async () => {
    ddb.on(GetItemCommand).resolves({ Item: item() });
    const call = routeCall();

    await call(connectEvent());
    clock += 59_999;
    await call(connectEvent());
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
    clock += 2;
    await call(connectEvent());
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  it('remembers "not found" for a shorter time', async () => {
    ddb.on(GetItemCommand).resolvesOnce({}).resolves({ Item: item() });
    const call = routeCall();

    expect((await call(connectEvent())).status).toBe('unknown');
    clock += 9_999;
    expect((await call(connectEvent())).status).toBe('unknown');
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 1);
    clock += 2;
    // The number was added to the table meanwhile: the next call sees it.
    expect((await call(connectEvent())).status).toBe('found');
    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 2);
  });

  it('honours custom TTLs and keeps separate numbers apart', async () => {
    ddb
      .on(GetItemCommand, { Key: { pk: { S: `TN#${TRACKING}` } } })
      .resolves({ Item: item() })
      .on(GetItemCommand, { Key: { pk: { S: 'TN#+15125550111' } } })
      .resolves({});
    const call = routeCall({ cacheTtlMs: 1_000, negativeCacheTtlMs: 0 });

    await call(connectEvent());
    await call(connectEvent({ parameters: { dialed: '+15125550111' } }));
    await call(connectEvent({ parameters: { dialed: '+15125550111' } }));
    clock += 1_001;
    await call(connectEvent());

    expect(ddb).toHaveReceivedCommandTimes(GetItemCommand, 4);
  });
});

describe('route-call settings', () => {
  it('defaults the budget to 1500 ms and reads ROUTE_BUDGET_MS', () => {
    expect(routeCallEnvironment.read({ ROUTING_TABLE_NAME: 't' })).toEqual({
      tableName: 't',
      budgetMs: 1500,
      maxStaleSeconds: 86_400,
    });
    expect(routeCallEnvironment.read({ ROUTING_TABLE_NAME: 't', ROUTE_BUDGET_MS: '800' })).toEqual({
      tableName: 't',
      budgetMs: 800,
      maxStaleSeconds: 86_400,
    });
  });

  it('reads ROUTE_MAX_STALE_SECONDS from 0 (off) to a week, and refuses anything else', () => {
    const read = (value: string) =>
      routeCallEnvironment.read({ ROUTING_TABLE_NAME: 't', ROUTE_MAX_STALE_SECONDS: value });
    expect(read('0').maxStaleSeconds).toBe(0);
    expect(read('604800').maxStaleSeconds).toBe(604_800);
    for (const bad of ['-1', '604801', '1.5', 'a day']) {
      expect(() => read(bad), bad).toThrow(
        /ROUTE_MAX_STALE_SECONDS must be a whole number of seconds from 0 to 604800/,
      );
    }
  });

  it.each(['abc', '50', '9000', '1.5'])('fails on ROUTE_BUDGET_MS=%s', (value) => {
    expect(() =>
      routeCallEnvironment.read({ ROUTING_TABLE_NAME: 't', ROUTE_BUDGET_MS: value }),
    ).toThrow(/ROUTE_BUDGET_MS/);
  });

  it('fails at cold start when ROUTING_TABLE_NAME is missing', async () => {
    vi.resetModules();
    vi.stubEnv('ROUTING_TABLE_NAME', '');
    try {
      await expect(import('../../lambdas/handlers/route-call.js')).rejects.toThrow(
        /ROUTING_TABLE_NAME is missing/,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('fits two attempts inside the budget and caps retries at two attempts', async () => {
    for (const budgetMs of [400, 1500, 3000]) {
      const { connectionTimeoutMs, requestTimeoutMs } = routingTimeouts(budgetMs);
      expect(2 * requestTimeoutMs).toBeLessThan(budgetMs);
      expect(connectionTimeoutMs).toBeLessThanOrEqual(requestTimeoutMs);
    }
    const client = createRoutingClient({ ...routingTimeouts(1500), region: 'us-east-1' });
    expect(await client.config.maxAttempts()).toBe(2);
    client.destroy();
  });
});
