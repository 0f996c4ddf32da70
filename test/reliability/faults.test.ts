import { randomBytes } from 'node:crypto';
import {
  DynamoDBClient,
  GetItemCommand,
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ConnectContactFlowResult, KinesisStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoundedDynamoClient } from '../../lambdas/adapters/dynamodb/bounded-client.js';
import { callKey } from '../../lambdas/adapters/dynamodb/call-log-keys.js';
import { toRoutingItem } from '../../lambdas/adapters/dynamodb/routing-items.js';
import {
  createRoutingClient,
  createRoutingLookup,
  routingTimeouts,
} from '../../lambdas/adapters/dynamodb/routing-table-reader.js';
import { type Api, createApi } from '../../lambdas/adapters/http/api-gateway.js';
import { API_ROUTES, OAUTH_SCOPES, type OperationId } from '../../lambdas/contracts/api-routes.js';
import { ROUTE_ANSWER_KEYS } from '../../lambdas/contracts/route-answer.js';
import type { MalformedRecord } from '../../lambdas/domain/malformed-record.js';
import { createApiDynamoClient } from '../../lambdas/handlers/api.js';
import { createRouteHandlers } from '../../lambdas/handlers/api-routes.js';
import { INGEST_DYNAMO_LIMITS } from '../../lambdas/handlers/ingest-contact-records.js';
import {
  createIngest,
  type RecordOutcome,
} from '../../lambdas/use-cases/ingest-contact-records.js';
import { createRouteCall } from '../../lambdas/use-cases/route-call.js';
import { LOCAL_AWS } from '../../local/dynamo.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { seedCallItem } from '../../local/seed-call-log.js';
import { startSilentServer } from '../../local/silent-server.js';
import { apiEvent } from '../support/api-events.js';
import { API_NOW, SEED_CALLS } from '../support/api-harness.js';
import { GEORGETOWN } from '../support/api-samples.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import {
  contactFlowEvent,
  kinesisRecord,
  routingEntry,
  TEST_CALLER_HASH_KEY,
} from '../support/fixtures.js';
import { type Ctr, type Item, newIngestion } from '../support/ingestion.js';
import { DYNAMO_FAULTS, startFaultyDynamo } from './faulty-dynamo.js';
import { deliveryIndependent, inOrder, replayRecords } from './records.js';
import { scaled } from './scale.js';

/**
 * Fault injection: DynamoDB throttling, 5xx, timeouts, hangs and broken connections, for each
 * function. route-call always answers a usable route within its budget; the ingest never loses a
 * record; the API answers 503 + Retry-After for what is worth retrying and a bare 500 otherwise,
 * never an internal detail.
 */

const quiet = () => {};
const silenceConsole = () => {
  const log = console.log;
  console.log = quiet;
  return () => {
    console.log = log;
  };
};

const meta = { $metadata: {} };
/** The errors a DynamoDB call may end in, as the SDK surfaces them. */
const transientErrors = (): [string, Error][] => [
  [
    'ProvisionedThroughputExceededException',
    new ProvisionedThroughputExceededException({ message: 'throughput exceeded', ...meta }),
  ],
  ['ThrottlingException', new ThrottlingException({ message: 'rate exceeded', ...meta })],
  ['InternalServerError', new InternalServerError({ message: 'internal error', ...meta })],
  [
    'TimeoutError (request timeout)',
    Object.assign(new Error('a request has exceeded the configured 3000 ms requestTimeout'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
    }),
  ],
  ['ECONNRESET', Object.assign(new Error('socket hang up'), { name: 'Error', code: 'ECONNRESET' })],
];

// ---------------------------------------------------------------------------------------------
// route-call
// ---------------------------------------------------------------------------------------------

describe('route-call under DynamoDB faults', () => {
  const TRACKING = '+15125550100';
  const BUDGET_MS = 300;
  /** Timers on a loaded two-core machine run late; the budget is the promise, this the slack. */
  const MARGIN_MS = 150;
  const event = () =>
    contactFlowEvent({
      parameters: { dialed: TRACKING, caller: '+15551230000' },
      system: TRACKING,
      customer: '+15551230000',
    });

  /** Every key, a non-empty string each: nothing Connect would refuse. */
  const expectUsable = (result: ConnectContactFlowResult, status: string) => {
    expect(Object.keys(result)).toEqual([...ROUTE_ANSWER_KEYS]);
    expect(Object.keys(result)).toHaveLength(22);
    for (const value of Object.values(result)) {
      expect(typeof value).toBe('string');
      expect(String(value).trim()).not.toBe('');
    }
    expect(result.status).toBe(status);
    if (status === 'error') {
      // The flow sends an `error` answer to its static fallback: nothing here to dial.
      expect(result).toMatchObject({
        ringTo: 'none',
        fallbackType: 'none',
        trackingNumber: TRACKING,
      });
    }
  };

  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> => {
    const started = performance.now();
    const value = await work();
    return { value, ms: performance.now() - started };
  };

  describe('errors and hangs from the SDK (aws-sdk-client-mock)', () => {
    const client = new DynamoDBClient(LOCAL_AWS);
    const dynamo = mockClient(client);
    const item = toRoutingItem(routingEntry({ trackingNumber: TRACKING }), '2026-11-01T00:00:00Z');
    const never = () => new Promise<never>(() => {});
    const faults: [string, () => void][] = [
      ...transientErrors().map(([name, error]): [string, () => void] => [
        name,
        () => dynamo.on(GetItemCommand).rejects(error),
      ]),
      ['a hang (the SDK never settles)', () => dynamo.on(GetItemCommand).callsFake(never)],
      [
        'a slow answer (past the budget)',
        () =>
          dynamo
            .on(GetItemCommand)
            .callsFake(
              () => new Promise((r) => setTimeout(() => r({ Item: item }), BUDGET_MS * 3)),
            ),
      ],
      [
        'a corrupt item',
        () => dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: TRACKING } } }),
      ],
      [
        'a non-Error thrown',
        () => dynamo.on(GetItemCommand).callsFake(() => Promise.reject('boom')),
      ],
    ];

    it.each(faults)(
      '%s: an error answer within the budget, and no cached error',
      async (_, inject) => {
        const restore = silenceConsole();
        try {
          dynamo.reset();
          inject();
          const routeCall = createRouteCall({
            lookup: createRoutingLookup({ client, tableName: 'routing', budgetMs: BUDGET_MS }),
          });
          const { value, ms } = await timed(() => routeCall(event()));
          expectUsable(value, 'error');
          expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);

          // The fault clears: the next call is routed (an error is never cached).
          dynamo.reset();
          dynamo.on(GetItemCommand).resolves({ Item: item });
          expectUsable(await routeCall(event()), 'found');
        } finally {
          restore();
        }
      },
      5_000,
    );

    it.each(faults.filter(([name]) => name !== 'a corrupt item'))(
      '%s after the entry expired: the known route is served stale, within the budget',
      async (_, inject) => {
        const restore = silenceConsole();
        let clock = Date.parse('2026-11-23T16:00:00Z');
        try {
          dynamo.reset();
          dynamo.on(GetItemCommand).resolves({ Item: item });
          const routeCall = createRouteCall({
            lookup: createRoutingLookup({
              client,
              tableName: 'routing',
              budgetMs: BUDGET_MS,
              now: () => clock,
            }),
            now: () => clock,
          });
          expectUsable(await routeCall(event()), 'found');
          clock += 61_000;
          dynamo.reset();
          inject();
          const { value, ms } = await timed(() => routeCall(event()));
          expectUsable(value, 'found');
          expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
        } finally {
          restore();
        }
      },
      5_000,
    );
  });

  describe('a misbehaving DynamoDB endpoint, over HTTP with the route-call client', () => {
    it.each(DYNAMO_FAULTS)('%s: an error answer within the budget', async (mode) => {
      const faulty = await startFaultyDynamo(mode);
      const client = createRoutingClient({
        ...LOCAL_AWS,
        endpoint: faulty.endpoint,
        ...routingTimeouts(BUDGET_MS),
      });
      const restore = silenceConsole();
      try {
        const routeCall = createRouteCall({
          lookup: createRoutingLookup({ client, tableName: 'routing', budgetMs: BUDGET_MS }),
        });
        // The client's first request also loads the SDK's lazy parts, synchronously: on a busy
        // machine that can hold the event loop past the budget's timer. Measure a warm call.
        expectUsable(await routeCall(event()), 'error');
        const { value, ms } = await timed(() => routeCall(event()));
        expectUsable(value, 'error');
        expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
        expect(faulty.requests()).toBeGreaterThan(0);
      } finally {
        restore();
        client.destroy();
        await faulty.close();
      }
    });
  });
});

// ---------------------------------------------------------------------------------------------
// ingest
// ---------------------------------------------------------------------------------------------

type IngestFault = 'throughput' | 'internal' | 'timeout-before' | 'timeout-after' | 'hang';

/**
 * A client on dynalite that fails the n-th request as `schedule.get(n)` says: before sending it (the
 * write is not applied), after it (applied, but the answer is lost), or never answering (the
 * Lambda times out). `hung` settles when it hangs.
 */
const faultyClient = (real: DynamoDBClient, schedule: ReadonlyMap<number, IngestFault>) => {
  let n = 0;
  let onHang = () => {};
  const hung = new Promise<'hung'>((resolve) => {
    onHang = () => resolve('hung');
  });
  const timeout = () =>
    Object.assign(new Error('a request has exceeded the configured requestTimeout'), {
      name: 'TimeoutError',
    });
  const client = {
    send: async (command: Parameters<DynamoDBClient['send']>[0]) => {
      const fault = schedule.get(n++) ?? null;
      switch (fault) {
        case 'throughput':
          throw new ProvisionedThroughputExceededException({ message: 'throttled', ...meta });
        case 'internal':
          throw new InternalServerError({ message: 'internal', ...meta });
        case 'timeout-before':
          throw timeout();
        case 'timeout-after':
          await real.send(command);
          throw timeout();
        case 'hang':
          onHang();
          return new Promise<never>(() => {});
        default:
          return real.send(command);
      }
    },
  } as unknown as DynamoDBClient;
  return { client, hung };
};

/** Records that are no usable contact record: not base64, not UTF-8, not JSON, no timestamps. */
const JUNK = [
  'not base64 at all!',
  Buffer.from([0xff, 0xfe, 0x00]).toString('base64'),
  Buffer.from('{"ContactId": 3').toString('base64'),
  Buffer.from('{"ContactId": "no-timestamps"}').toString('base64'),
];

describe('ingest under DynamoDB faults and malformed records', () => {
  let system: LocalRoutingSystem;
  let dynamo: LocalDynamo;
  let records: Ctr[];
  let faultFree: Item[];

  beforeAll(async () => {
    [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
    records = inOrder(await replayRecords(system));
    const log = await newIngestion(dynamo);
    await log.ingest(records);
    faultFree = deliveryIndependent(await log.scan());
  }, 60_000);

  afterAll(async () => {
    await Promise.all([system?.close(), dynamo?.close()]);
  });

  const fault = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom<IngestFault>(
        'throughput',
        'internal',
        'timeout-before',
        'timeout-after',
      ),
    },
    { weight: 1, arbitrary: fc.constant<IngestFault>('hang') },
  );
  const scenario = fc.record({
    // A fault-free batch takes about 60 to 90 requests: faults strike anywhere in it (or past it).
    schedule: fc
      .array(fc.tuple(fc.nat(100), fault), { maxLength: 5 })
      .map((faults) => new Map(faults)),
    /** Where junk records go in the batch, and which. */
    junk: fc.array(fc.tuple(fc.nat(6), fc.nat(JUNK.length - 1)), { maxLength: 2 }),
    sinkFails: fc.boolean(),
  });

  it('every record is stored, retried or reported malformed; retries end in the fault-free call log', async () => {
    const seen = { failed: 0, hung: 0, stored: 0, malformed: 0 };
    await fc.assert(
      fc.asyncProperty(scenario, async ({ schedule, junk, sinkFails }) => {
        const log = await newIngestion(dynamo);
        const datas: string[] = records.map((r) =>
          Buffer.from(JSON.stringify(r)).toString('base64'),
        );
        for (const [at, which] of junk) datas.splice(at, 0, JUNK[which] as string);
        const junkData = new Set<string>(JUNK);
        const kinesis = datas.map((data, i) => kinesisRecord(String(i + 1), data));
        const eventOf = (from: number): KinesisStreamEvent => ({ Records: kinesis.slice(from) });

        const sunk: MalformedRecord[] = [];
        const outcomes = new Map<string, RecordOutcome>();
        const ingestWith = (client: DynamoDBClient, failingSink: boolean) =>
          createIngest({
            client,
            tableName: log.tableName,
            log: quiet,
            callerHashKey: TEST_CALLER_HASH_KEY,
            onRecord: (sequenceNumber, outcome) => outcomes.set(sequenceNumber, outcome),
            reportMalformed: (record) => {
              if (failingSink) throw new Error('failure queue unavailable');
              sunk.push(record);
            },
          });

        // The faulty invocation.
        const faulty = faultyClient(dynamo.client, schedule);
        const response = await Promise.race([
          ingestWith(faulty.client, sinkFails)(eventOf(0)),
          faulty.hung,
        ]);
        let retryFrom: number | undefined;
        if (response === 'hung') {
          // The Lambda timed out: Kinesis retries the whole batch.
          seen.hung += 1;
          retryFrom = 0;
        } else {
          const failures = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
          // Every record is accounted for exactly once.
          for (const { kinesis: k } of kinesis) {
            const outcome = outcomes.get(k.sequenceNumber);
            expect(outcome, `record ${k.sequenceNumber}`).toBeDefined();
            expect(failures.has(k.sequenceNumber)).toBe(outcome?.status === 'failed');
            seen[outcome?.status as 'failed' | 'stored' | 'malformed'] += 1;
            if (outcome?.status === 'malformed') {
              expect(junkData.has(k.data)).toBe(true);
              const sent = sunk.find((m) => m.sequenceNumber === k.sequenceNumber);
              expect(sent?.reason.trim()).toBeTruthy();
              expect(sent?.data).toBe(k.data);
            }
            if (outcome?.status === 'stored') {
              // Said stored: it is, at least as new as this record.
              expect(junkData.has(k.data)).toBe(false);
              const ctr = JSON.parse(Buffer.from(k.data, 'base64').toString()) as Ctr;
              const stored = await log.call(String(ctr.ContactId));
              expect(
                String(stored?.lastUpdate) >=
                  new Date(String(ctr.LastUpdateTimestamp)).toISOString(),
              ).toBe(true);
            }
          }
          const indexes = kinesis.flatMap((r, i) =>
            failures.has(r.kinesis.sequenceNumber) ? [i] : [],
          );
          retryFrom = indexes.length > 0 ? Math.min(...indexes) : undefined;
        }

        // The fault clears; Kinesis retries from the lowest failed record, those after it too.
        const healthy = ingestWith(dynamo.client, false);
        for (let attempt = 0; retryFrom !== undefined; attempt += 1) {
          expect(attempt).toBeLessThan(2);
          const retried = await healthy(eventOf(retryFrom));
          expect(retried.batchItemFailures).toEqual([]);
          retryFrom = undefined;
        }

        // Nothing lost: the fault-free call log, and every junk record in the sink with a reason.
        expect(deliveryIndependent(await log.scan())).toEqual(faultFree);
        for (const { kinesis: k } of kinesis.filter((r) => junkData.has(r.kinesis.data))) {
          expect(sunk.some((m) => m.sequenceNumber === k.sequenceNumber && m.reason !== '')).toBe(
            true,
          );
        }
      }),
      { seed: 20261126, numRuns: scaled(30) },
    );
    // Not vacuous: faults struck, records were stored and reported.
    expect(seen.failed).toBeGreaterThan(5);
    expect(seen.stored).toBeGreaterThan(5);
    expect(seen.malformed).toBeGreaterThan(0);
    expect(seen.hung).toBeGreaterThan(0);
  }, 120_000);

  it('a hung DynamoDB connection (the deployed client, shorter limits): the batch reports its records in bounded time', async () => {
    const silent = await startSilentServer();
    // The deployed limits are 4 attempts of 5 s: the same client, smaller numbers.
    expect(INGEST_DYNAMO_LIMITS).toEqual({
      maxAttempts: 4,
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 5_000,
    });
    const hungClient = createBoundedDynamoClient(INGEST_DYNAMO_LIMITS, {
      ...LOCAL_AWS,
      endpoint: silent.endpoint,
      maxAttempts: 2,
      requestTimeoutMs: 200,
    });
    try {
      const ingest = createIngest({
        client: hungClient,
        tableName: 'calls',
        log: quiet,
        callerHashKey: TEST_CALLER_HASH_KEY,
      });
      const started = performance.now();
      const response = await ingest({
        Records: records
          .slice(0, 2)
          .map((r, i) =>
            kinesisRecord(String(i + 1), Buffer.from(JSON.stringify(r)).toString('base64')),
          ),
      });
      expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['1', '2']);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(silent.connectionsAccepted()).toBeGreaterThan(0);
    } finally {
      hungClient.destroy();
      await silent.close();
    }
  }, 15_000);
});

// ---------------------------------------------------------------------------------------------
// API
// ---------------------------------------------------------------------------------------------

/** A request each route accepts, so it reaches DynamoDB. Keyed by operation: none is forgotten. */
const VALID_REQUESTS: Record<OperationId, { path: string; query?: string; body?: unknown }> = {
  listCalls: { path: '/calls' },
  getCall: { path: '/calls/c1' },
  updateCall: { path: '/calls/c1', body: { leadStatus: 'rented', value: 10 } },
  getSummary: { path: '/reports/summary' },
  getTimeseries: { path: '/reports/timeseries' },
  listLocations: { path: '/locations' },
  getLocation: { path: '/locations/austin-north' },
  putLocation: { path: '/locations/georgetown', body: GEORGETOWN },
  deleteLocation: { path: '/locations/austin-north' },
  listTrackingNumbers: { path: '/tracking-numbers' },
  getTrackingNumber: { path: '/tracking-numbers/%2B15125550151' },
  putTrackingNumber: {
    path: '/tracking-numbers/%2B15125550182',
    body: { id: 'georgetown-mailer', location: 'austin-north', source: 'Direct mail' },
  },
  deleteTrackingNumber: { path: '/tracking-numbers/%2B15125550151' },
  previewRoute: { path: '/route-preview', query: 'to=%2B15125550151' },
  registerWebhook: {
    path: '/webhooks',
    body: { url: 'https://crm.example.com/hooks', events: ['call.completed'] },
  },
  listWebhooks: { path: '/webhooks' },
  deleteWebhook: { path: '/webhooks/wh_1' },
  listWebhookDeliveries: { path: '/webhooks/wh_1/deliveries' },
  eraseCaller: { path: '/privacy/erasures', body: { caller: '+15125550150' } },
  listErasures: { path: '/privacy/erasures' },
};

const requestOf = (operationId: OperationId, requestId: string) => {
  const route = API_ROUTES.find((r) => r.operationId === operationId);
  const { path, query = '', body } = VALID_REQUESTS[operationId];
  const event = apiEvent({
    method: route?.method ?? 'GET',
    path,
    query,
    scopes: [OAUTH_SCOPES.admin],
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  event.requestContext.requestId = requestId;
  return event;
};

/** An error body and nothing more: no stack, no error name or message, no table name. */
const expectBareError = (body: string | undefined, status: number, secret: string) => {
  const parsed = JSON.parse(body ?? '') as {
    error: { status: number; code: string; message: string };
  };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(parsed.error).toMatchObject({
    status,
    code: expect.any(String),
    message: expect.any(String),
  });
  expect(parsed.error.message.trim()).not.toBe('');
  for (const leak of [secret, 'at ', '.ts', '.js', 'Exception', 'calls-table', 'routing-table']) {
    expect(body).not.toContain(leak);
  }
  return parsed.error;
};

describe('the API under DynamoDB faults', () => {
  const client = new DynamoDBClient(LOCAL_AWS);
  const dynamo = mockClient(client);
  // GET /route-preview logs its lookup as route-call does.
  let restoreConsole = () => {};
  beforeAll(() => {
    restoreConsole = silenceConsole();
  });
  afterAll(() => restoreConsole());
  const apiOn = (dynamoClient: DynamoDBClient, s3 = new S3Client(LOCAL_AWS)): Api =>
    createApi(
      createRouteHandlers({
        dynamo: dynamoClient,
        callLogTableName: 'calls-table',
        routingTableName: 'routing-table',
        s3,
        recordingsBucket: 'recordings',
        cursorKey: randomBytes(32),
        now: () => API_NOW,
      }),
      { log: quiet, retryAfterSeconds: 2 },
    );
  const api = apiOn(client);
  const operations = API_ROUTES.map((r) => r.operationId);

  const cases = transientErrors().flatMap(([name, error]) =>
    operations.map((op): [string, OperationId, Error] => [name, op, error]),
  );

  it.each(cases)(
    '%s on %s: 503, Retry-After, an error body and no detail',
    async (_, op, error) => {
      dynamo.reset();
      const secret = 'SECRET-+15125550150-detail';
      error.message = `${error.message} ${secret}`;
      dynamo.onAnyCommand().rejects(error);
      const response = await api(requestOf(op, 'req-503'));
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['retry-after']).toBe('2');
      expect(response.headers?.['content-type']).toBe('application/json');
      expect(expectBareError(response.body, 503, secret).code).toBe('unavailable');
      expect(dynamo.calls().length).toBeGreaterThan(0);
    },
  );

  const unexpected = (): [string, unknown][] => [
    ['a TypeError', new TypeError('Cannot read properties of undefined (reading SECRET)')],
    [
      'a ValidationException (not transient)',
      Object.assign(new Error('One or more parameter values were invalid SECRET'), {
        name: 'ValidationException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    ],
    ['a non-Error thrown', 'SECRET string'],
  ];
  const unexpectedCases = unexpected().flatMap(([name, error]) =>
    operations.map((op): [string, OperationId, unknown] => [name, op, error]),
  );

  it.each(unexpectedCases)('%s on %s: 500 with only the request id', async (_, op, error) => {
    dynamo.reset();
    dynamo.onAnyCommand().callsFake(() => Promise.reject(error));
    const response = await api(requestOf(op, 'req-500-7f3a'));
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['retry-after']).toBeUndefined();
    const body = expectBareError(response.body, 500, 'SECRET');
    expect(body).toEqual({
      status: 500,
      code: 'internal',
      message: 'internal error: quote request id req-500-7f3a when you report it',
    });
  });

  it('recording links are signed locally: S3 being unreachable changes nothing', async () => {
    // Presigning makes no S3 request, so an S3 outage cannot fail GET /calls/{id}; the player's
    // GET of the link would fail later, at S3, which is not this API's answer.
    const s3 = new S3Client({ ...LOCAL_AWS, endpoint: 'http://127.0.0.1:9', forcePathStyle: true });
    const item = seedCallItem({
      ...(SEED_CALLS[0] as (typeof SEED_CALLS)[number]),
      recordings: ['recordings/connect/a/CallRecordings/b.wav'],
    });
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ ...item, ...callKey('c1') }) });
    const response = await apiOn(client, s3)(requestOf('getCall', 'req-s3'));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '').recordings).toHaveLength(1);
  });

  it('a presigner that fails (no credentials): 500 with only the request id', async () => {
    const s3 = new S3Client({
      region: LOCAL_AWS.region,
      credentials: () => Promise.reject(new Error('Could not load credentials SECRET')),
    });
    const item = seedCallItem({
      ...(SEED_CALLS[0] as (typeof SEED_CALLS)[number]),
      recordings: ['recordings/connect/a/CallRecordings/b.wav'],
    });
    dynamo.reset();
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ ...item, ...callKey('c1') }) });
    const response = await apiOn(client, s3)(requestOf('getCall', 'req-cred'));
    expect(response.statusCode).toBe(500);
    expectBareError(response.body, 500, 'SECRET');
  });

  it('a hung DynamoDB connection (the deployed client, shorter limits): 503 in bounded time', async () => {
    const silent = await startSilentServer();
    const hungClient = createApiDynamoClient({
      ...LOCAL_AWS,
      endpoint: silent.endpoint,
      maxAttempts: 2,
      requestTimeoutMs: 200,
    });
    try {
      const started = performance.now();
      const response = await apiOn(hungClient)(requestOf('getCall', 'req-hang'));
      const ms = performance.now() - started;
      expect(response.statusCode).toBe(503);
      expect(response.headers?.['retry-after']).toBe('2');
      expectBareError(response.body, 503, 'requestTimeout');
      // Two attempts of 200 ms, plus the retry's backoff.
      expect(ms).toBeLessThan(2_000);
      expect(silent.connectionsAccepted()).toBeGreaterThan(0);
    } finally {
      hungClient.destroy();
      await silent.close();
    }
  }, 10_000);

  it.each(DYNAMO_FAULTS.filter((m) => m !== 'hang'))(
    'a misbehaving endpoint over HTTP (%s): 503 with Retry-After',
    async (mode) => {
      const faulty = await startFaultyDynamo(mode);
      const faultyClientHttp = createApiDynamoClient({
        ...LOCAL_AWS,
        endpoint: faulty.endpoint,
        maxAttempts: 2,
        requestTimeoutMs: 300,
      });
      try {
        const response = await apiOn(faultyClientHttp)(requestOf('listCalls', 'req-http'));
        expect(response.statusCode).toBe(503);
        expect(response.headers?.['retry-after']).toBe('2');
        expectBareError(response.body, 503, 'Internal server error');
      } finally {
        faultyClientHttp.destroy();
        await faulty.close();
      }
    },
  );
});
