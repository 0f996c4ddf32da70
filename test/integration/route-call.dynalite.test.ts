import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { recordFirstTimeCaller } from '../../lambdas/adapters/dynamodb/call-log-writer.js';
import { createCallerHistory } from '../../lambdas/adapters/dynamodb/caller-history-reader.js';
import { toRoutingItem } from '../../lambdas/adapters/dynamodb/routing-items.js';
import {
  createRoutingClient,
  createRoutingLookup,
  routingTimeouts,
} from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/contracts/route-answer.js';
import { CALL_LOG_TABLE, ROUTING_TABLE } from '../../lambdas/contracts/tables.js';
import type { RoutingEntry } from '../../lambdas/domain/route.js';
import { createRouteCall } from '../../lambdas/use-cases/route-call.js';
import { LOCAL_AWS, type LocalDynamo, startDynalite } from '../support/dynalite.js';
import {
  contactFlowEvent,
  contactFlowEventFixture,
  EXAMPLE_ANSWER,
  EXAMPLE_ENTRY,
  routingEntry,
  weekdayHours,
} from '../support/fixtures.js';

// Importing the handler module builds the production lookup: give it a table name to read.
vi.hoisted(() => {
  process.env.ROUTING_TABLE_NAME ??= 'routing-not-used';
});

const TABLE = 'routing';
const CALL_LOG = 'call-log';
/** Called austin-north before (its first-time-caller item is in the call log); nobody else has. */
const REPEAT_CALLER = '+13035550111';
const NEW_CALLER = '+13035550122';
const AUSTIN = '+15125550100';
const DENVER = '+17205550100';
/** Monday 10:00 and Sunday 10:00 in America/Chicago (Monday 09:00 / Sunday 09:00 in Denver). */
const MONDAY_10AM_CHICAGO = Date.parse('2026-11-23T16:00:00Z');
const SUNDAY_10AM_CHICAGO = Date.parse('2026-11-22T16:00:00Z');

const entry = (
  trackingNumber: string,
  locationId: string,
  ringTo: string,
  timeZone: string,
): RoutingEntry =>
  routingEntry({
    trackingNumber,
    locationId,
    route: {
      ringTo,
      ringTimeoutSeconds: 20,
      timeZone,
      hours: weekdayHours('09:00-17:00'),
      fallback: { type: 'voicemail', number: '+15125550188' },
    },
  });

/** The fixture event of a call to `dialed` (from the fixture's caller unless `caller` is given). */
const event = (dialed: string, caller?: string): ConnectContactFlowEvent =>
  contactFlowEvent({
    parameters: { dialed, ...(caller ? { caller } : {}) },
    system: dialed,
    ...(caller ? { customer: caller } : {}),
  });

const expectCompleteAnswer = (result: ConnectContactFlowResult) => {
  expect(Object.keys(result).sort()).toEqual([...ROUTE_ANSWER_KEYS].sort());
  for (const value of Object.values(result)) expect(value?.trim()).toBeTruthy();
};

let local: LocalDynamo;
let logSpy: MockInstance<typeof console.log>;
const clients: DynamoDBClient[] = [];

/** A route-call over the real DynamoDB client of the route-call path, at `endpoint`. */
const routeCallAt = (
  endpoint: string,
  options: {
    budgetMs?: number;
    timeouts?: ReturnType<typeof routingTimeouts>;
    now?: number;
    /** Where the call log is read for first-time callers. @default - not read */
    callLogEndpoint?: string;
  } = {},
) => {
  const budgetMs = options.budgetMs ?? 1_500;
  const client = createRoutingClient({
    ...(options.timeouts ?? routingTimeouts(budgetMs)),
    ...LOCAL_AWS,
    endpoint,
  });
  clients.push(client);
  const now = () => options.now ?? MONDAY_10AM_CHICAGO;
  const historyClient =
    options.callLogEndpoint === undefined
      ? undefined
      : createRoutingClient({
          ...routingTimeouts(budgetMs),
          ...LOCAL_AWS,
          endpoint: options.callLogEndpoint,
        });
  if (historyClient) clients.push(historyClient);
  return createRouteCall({
    lookup: createRoutingLookup({ client, tableName: TABLE, budgetMs, now }),
    now,
    ...(historyClient
      ? { callerHistory: createCallerHistory({ client: historyClient, tableName: CALL_LOG }) }
      : {}),
  });
};

/**
 * Runs `use` with the deployed handler module, imported afresh with its environment aimed at the
 * local table (it reads the environment at import, its client on the first call).
 */
const withDeployedHandler = async <T>(
  use: (
    handler: (event: ConnectContactFlowEvent) => Promise<ConnectContactFlowResult>,
  ) => Promise<T>,
): Promise<T> => {
  vi.resetModules();
  vi.stubEnv('ROUTING_TABLE_NAME', TABLE);
  vi.stubEnv('CALL_LOG_TABLE_NAME', CALL_LOG);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', local.endpoint);
  vi.stubEnv('AWS_REGION', LOCAL_AWS.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', LOCAL_AWS.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', LOCAL_AWS.credentials.secretAccessKey);
  try {
    const { handler } = await import('../../lambdas/handlers/route-call.js');
    const context = { getRemainingTimeInMillis: () => 3_000 } as unknown as Context;
    return await use((event) => handler(event, context));
  } finally {
    vi.unstubAllEnvs();
  }
};

/** A TCP server that accepts connections and never answers: a hung DynamoDB. */
const startSilentServer = async (): Promise<{ endpoint: string; close: () => Promise<void> }> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** A loopback port nobody listens on (bound, then released). */
const closedPort = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};

beforeAll(async () => {
  logSpy = vi.spyOn(console, 'log').mockImplementation(() => {});
  local = await startDynalite();
  await local.createTable(TABLE, ROUTING_TABLE);
  await local.createTable(CALL_LOG, CALL_LOG_TABLE);
  // What the ingest writes when it logs the caller's first call at austin-north.
  await recordFirstTimeCaller(local.client, CALL_LOG, {
    contactId: 'earlier-call',
    startedAt: '2026-11-20T15:00:00Z',
    locationId: 'austin-north',
    caller: REPEAT_CALLER,
  });
  for (const value of [
    entry(AUSTIN, 'austin-north', '+15125550199', 'America/Chicago'),
    entry(DENVER, 'denver-east', '+17205550199', 'America/Denver'),
    EXAMPLE_ENTRY,
  ]) {
    await local.client.send(
      new PutItemCommand({ TableName: TABLE, Item: toRoutingItem(value, '2026-11-01T00:00:00Z') }),
    );
  }
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await local?.close();
  vi.restoreAllMocks();
});

describe('route-call against dynalite', () => {
  it('routes a known number to its location, open during its hours', async () => {
    const result = await routeCallAt(local.endpoint)(event(AUSTIN));

    expectCompleteAnswer(result);
    expect(result).toMatchObject({
      status: 'found',
      trackingNumber: AUSTIN,
      locationId: 'austin-north',
      ringTo: '+15125550199',
      ringTimeoutSeconds: '20',
      open: 'true',
      fallbackType: 'voicemail',
      fallbackNumber: '+15125550188',
    });
  });

  it('says closed outside the hours, in the location own time zone', async () => {
    const sunday = await routeCallAt(local.endpoint, { now: SUNDAY_10AM_CHICAGO })(event(AUSTIN));
    // 16:30 UTC on Monday is 10:30 in Chicago but 09:30 in Denver; 23:30 UTC is 17:30 / 16:30.
    const lateMonday = Date.parse('2026-11-23T23:30:00Z');
    const chicagoLate = await routeCallAt(local.endpoint, { now: lateMonday })(event(AUSTIN));
    const denverLate = await routeCallAt(local.endpoint, { now: lateMonday })(event(DENVER));

    expect(sunday).toMatchObject({ status: 'found', open: 'false' });
    expect(chicagoLate).toMatchObject({ locationId: 'austin-north', open: 'false' });
    expect(denverLate).toMatchObject({
      locationId: 'denver-east',
      ringTo: '+17205550199',
      open: 'true',
    });
  });

  it('answers unknown for a number that is not in the table', async () => {
    const result = await routeCallAt(local.endpoint)(event('+13125550100'));

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'unknown', trackingNumber: '+13125550100' });
  });

  it('wires the deployed handler from its environment', async () => {
    const result = await withDeployedHandler((handler) => handler(event(DENVER)));

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'found', locationId: 'denver-east' });
  });
});

describe('route-call tells the agent a first-time caller, from the call log the ingest keeps', () => {
  it('answers false for a caller the location logged before, true for a new one', async () => {
    const routeCall = routeCallAt(local.endpoint, { callLogEndpoint: local.endpoint });

    const repeat = await routeCall(event(AUSTIN, REPEAT_CALLER));
    const fresh = await routeCall(event(AUSTIN, NEW_CALLER));
    // The same caller is new to another location: leads are per location.
    const elsewhere = await routeCall(event(DENVER, REPEAT_CALLER));

    expectCompleteAnswer(repeat);
    expect(repeat).toMatchObject({ locationId: 'austin-north', firstTimeCaller: 'false' });
    expect(fresh).toMatchObject({ locationId: 'austin-north', firstTimeCaller: 'true' });
    expect(elsewhere).toMatchObject({ locationId: 'denver-east', firstTimeCaller: 'true' });
  });

  it('wires the deployed handler to the call log in CALL_LOG_TABLE_NAME', async () => {
    const [repeat, fresh] = await withDeployedHandler(async (handler) => [
      await handler(event(AUSTIN, REPEAT_CALLER)),
      await handler(event(AUSTIN, NEW_CALLER)),
    ]);

    expect(repeat).toMatchObject({ status: 'found', firstTimeCaller: 'false' });
    expect(fresh).toMatchObject({ status: 'found', firstTimeCaller: 'true' });
  });

  it('still routes, saying unknown, when the call log hangs', async () => {
    const silent = await startSilentServer();
    try {
      const routeCall = routeCallAt(local.endpoint, { callLogEndpoint: silent.endpoint });
      const started = performance.now();
      const result = await routeCall(event(AUSTIN, REPEAT_CALLER));
      const elapsedMs = performance.now() - started;

      expect(result).toMatchObject({ status: 'found', ringTo: '+15125550199' });
      expect(result.firstTimeCaller).toBe('unknown');
      // The history read's own budget (400 ms), well inside the flow's 3 s.
      expect(elapsedMs).toBeLessThan(1_500);
      const line = JSON.parse(String(logSpy.mock.calls.at(-1)?.[0]));
      expect(line).toMatchObject({ level: 'warn', firstTimeCaller: 'unknown' });
      expect(line.callerHistoryReason).toMatch(/budget of 400 ms|timeout|abort/i);
    } finally {
      await silent.close();
    }
  });
});

describe('the deployed handler against dynalite, on the documented events (test/fixtures)', () => {
  it('routes the voice call to the ring-to of the number it dialed', async () => {
    const result = await withDeployedHandler((handler) =>
      handler(contactFlowEventFixture('voice')),
    );

    expect(result).toEqual({
      ...EXAMPLE_ANSWER,
      open: expect.stringMatching(/^(true|false)$/),
      // The fixture's caller has no first-time-caller item in the call log.
      firstTimeCaller: 'true',
    });
  });

  it('answers unknown for the chat contact, whose endpoints are null and parameters empty', async () => {
    const result = await withDeployedHandler((handler) => handler(contactFlowEventFixture('chat')));

    expectCompleteAnswer(result);
    expect(result).toMatchObject({ status: 'unknown', trackingNumber: 'none', ringTo: 'none' });
  });
});

describe('route-call when DynamoDB is unreachable', () => {
  it('answers error quickly when the connection is refused', async () => {
    const started = performance.now();
    const result = await routeCallAt(await closedPort())(event(AUSTIN));
    const elapsed = performance.now() - started;

    expectCompleteAnswer(result);
    expect(result.status).toBe('error');
    expect(elapsed).toBeLessThan(2_000);
  });

  it('answers error within 2 s when DynamoDB accepts the connection and never answers', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      const result = await routeCallAt(silent.endpoint)(event(AUSTIN));
      const elapsed = performance.now() - started;

      expectCompleteAnswer(result);
      expect(result).toMatchObject({ status: 'error', trackingNumber: AUSTIN });
      expect(elapsed).toBeLessThan(2_000);
    } finally {
      await silent.close();
    }
  });

  it('gives up on a hung request at the request timeout, not only at the budget', async () => {
    const silent = await startSilentServer();
    try {
      const started = performance.now();
      // A 10 s budget: only the client's own request timeout (which must throw) can end this early.
      const result = await routeCallAt(silent.endpoint, {
        budgetMs: 10_000,
        timeouts: { connectionTimeoutMs: 200, requestTimeoutMs: 300 },
      })(event(AUSTIN));
      const elapsed = performance.now() - started;

      expect(result.status).toBe('error');
      expect(elapsed).toBeLessThan(2_000);
      const line = JSON.parse(String(logSpy.mock.calls.at(-1)?.[0])) as { reason: string };
      expect(line.reason).toMatch(/^TimeoutError/);
    } finally {
      await silent.close();
    }
  });
});
