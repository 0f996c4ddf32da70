import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Api } from '../../lambdas/adapters/http/api-gateway.js';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import type { CallLogItem } from '../../lambdas/domain/call-log-item.js';
import { createLocalApiHandler } from '../../local/api.js';
import { startLocalApi } from '../../local/api-server.js';
import { startLocalDynamo } from '../../local/dynamo.js';
import { startLocalRoutingSystem } from '../../local/routing-system.js';
import { startLocalS3 } from '../../local/s3.js';
import { batchPut, rollupsOf, type SeedCall, seedCallItem } from '../../local/seed-call-log.js';

/** The clock of the API tests: every default range ends here. */
export const API_NOW = Date.parse('2026-11-26T12:00:00.000Z');
export const RECORDINGS_BUCKET = 'recordings';
export const RECORDING_KEY = 'connect/instance/CallRecordings/2026/11/25/c1.wav';
export const RECORDING_BYTES = Buffer.from('RIFF fake wav bytes for c1');
/** c2's message, where the voicemail work stores it (below the prefix the API may read). */
export const VOICEMAIL_KEY = 'connect/instance/voicemail/2026/11/24/c2.wav';
export const VOICEMAIL_BYTES = Buffer.from('RIFF fake wav bytes for the message of c2');
export const TOKENS = { read: 'read-token', admin: 'admin-token' } as const;

const AUSTIN = { locationId: 'austin', locationName: 'Austin North' };
const DALLAS = { locationId: 'dallas', locationName: 'Dallas East' };

/**
 * The calls the API tests read, newest first within the default range (the 30 days to API_NOW):
 * c1 c2 c6 c3 c4; c5 is older. c4 is in October, so a default list spans two months.
 */
export const SEED_CALLS: readonly SeedCall[] = [
  {
    contactId: 'c1',
    startedAt: '2026-11-25T15:00:00.000Z',
    durationSeconds: 60,
    caller: '+15125550150',
    dialed: '+15125550101',
    ...AUSTIN,
    source: 'google',
    campaign: 'fall',
    outcome: 'answered-location',
    firstTime: true,
    recordings: [`${RECORDINGS_BUCKET}/${RECORDING_KEY}`],
  },
  {
    contactId: 'c2',
    startedAt: '2026-11-24T10:00:00.000Z',
    durationSeconds: 30,
    caller: '+15125550151',
    dialed: '+15125550102',
    ...AUSTIN,
    source: 'yelp',
    outcome: 'voicemail',
    firstTime: true,
    voicemailKey: VOICEMAIL_KEY,
    voicemailDurationSeconds: 18,
  },
  {
    contactId: 'c6',
    startedAt: '2026-11-22T08:30:00.000Z',
    durationSeconds: 5,
    caller: '+15125550153',
    dialed: '+15125550199',
    outcome: 'abandoned',
    firstTime: false,
  },
  {
    contactId: 'c3',
    startedAt: '2026-11-20T09:00:00.000Z',
    durationSeconds: 20,
    caller: '+15125550150',
    dialed: '+15125550103',
    ...DALLAS,
    source: 'google',
    outcome: 'missed',
    firstTime: false,
  },
  {
    contactId: 'c4',
    startedAt: '2026-10-30T12:00:00.000Z',
    durationSeconds: 90,
    caller: '+15125550152',
    dialed: '+15125550103',
    ...DALLAS,
    source: 'google',
    outcome: 'answered-fallback',
    firstTime: true,
    recordings: ['another-bucket/c4.wav'],
  },
  {
    contactId: 'c5',
    startedAt: '2026-09-01T12:00:00.000Z',
    durationSeconds: 10,
    caller: '+15125550154',
    dialed: '+15125550101',
    ...AUSTIN,
    source: 'google',
    outcome: 'answered-location',
    firstTime: true,
  },
];

export interface ApiHarness {
  readonly url: string;
  /** The API handler the server runs, for in-process requests (no token check: see startLocalApi). */
  readonly api: Api;
  readonly items: readonly CallLogItem[];
  /** The call log the API reads (dynalite), for a test that adds calls of its own. */
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** The recordings store (s3rver), bucket RECORDINGS_BUCKET. */
  readonly s3: S3Client;
  /** fetch on the API with a token (read by default; `null` for none). */
  call(
    path: string,
    init?: {
      method?: string;
      body?: unknown;
      token?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  close(): Promise<void>;
}

/**
 * dynalite + s3rver + the local API server, seeded with SEED_CALLS and their rollups, and the
 * example portfolio's routing entries and catalog (config/portfolio.yaml) for the management routes.
 */
export const startApiHarness = async (): Promise<ApiHarness> => {
  const dynamo = await startLocalDynamo();
  const s3 = await startLocalS3({ bucket: RECORDINGS_BUCKET });
  const routing = await startLocalRoutingSystem({ sharedDynamo: dynamo });
  const tableName = 'api-calls';
  await dynamo.ensureTable(tableName, CALL_LOG_TABLE);
  const items = SEED_CALLS.map((call) => seedCallItem(call));
  await batchPut(dynamo.client, tableName, [...items, ...rollupsOf(items)]);
  for (const [Key, Body] of [
    [RECORDING_KEY, RECORDING_BYTES],
    [VOICEMAIL_KEY, VOICEMAIL_BYTES],
  ] as const) {
    await s3.client.send(new PutObjectCommand({ Bucket: RECORDINGS_BUCKET, Key, Body }));
  }
  const api = createLocalApiHandler({
    dynamo: dynamo.client,
    callLogTableName: tableName,
    routingTableName: routing.tableName,
    s3: s3.client,
    recordingsBucket: RECORDINGS_BUCKET,
    now: () => API_NOW,
    log: () => {},
  });
  const server = await startLocalApi({
    api,
    tokens: { [TOKENS.read]: 'read', [TOKENS.admin]: 'admin' },
  });
  return {
    url: server.url,
    api,
    items,
    dynamo: dynamo.client,
    tableName,
    s3: s3.client,
    async call(path, init = {}) {
      const token = init.token === undefined ? TOKENS.read : init.token;
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(token === null ? {} : { authorization: `Bearer ${token}` }),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined
          ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }
          : {}),
      });
      const text = await response.text();
      return {
        status: response.status,
        headers: response.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
    },
    async close() {
      await server.close();
      await routing.close();
      await s3.close();
      await dynamo.close();
    },
  };
};
