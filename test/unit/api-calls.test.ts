import { randomBytes } from 'node:crypto';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type {
  CallLogReader,
  CallsPageRequest,
} from '../../lambdas/adapters/dynamodb/call-log-reader.js';
import type { ApiRequest } from '../../lambdas/adapters/http/api-contract.js';
import { createCallsCursors } from '../../lambdas/adapters/http/calls-cursor.js';
import { createCursorCodec, filterFingerprint } from '../../lambdas/adapters/http/cursor.js';
import { apiErrorOf } from '../../lambdas/adapters/http/refusals.js';
import { readCursorKeys } from '../../lambdas/adapters/secrets-manager/cursor-secret.js';
import { apiEnvironment } from '../../lambdas/contracts/environment.js';
import type { CallLogItem, LeadUpdate } from '../../lambdas/domain/call-log-item.js';
import { createCallsHandlers } from '../../lambdas/handlers/api-calls.js';
import { createCallDetails } from '../../lambdas/use-cases/call-details.js';
import { createCallReports } from '../../lambdas/use-cases/call-reports.js';
import { createListCalls } from '../../lambdas/use-cases/list-calls.js';
import { seedCallItem } from '../../local/seed-call-log.js';

const DAY = 86_400_000;
const CALL = seedCallItem({
  contactId: 'c1',
  startedAt: '2026-11-25T15:00:00.000Z',
  outcome: 'missed',
  firstTime: false,
});

const request = (over: Partial<ApiRequest>): ApiRequest => ({
  operationId: 'listCalls',
  pathParameters: {},
  query: {},
  body: undefined,
  scopes: new Set(['read']),
  principal: 'test-client',
  requestId: 'r',
  ...over,
});

/** The calls handlers over the use cases, as api-routes.ts wires them. */
const callsHandlers = ({
  reader,
  cursors = createCursorCodec(randomBytes(32)),
  updateLead = async () => undefined,
  now,
}: {
  reader: CallLogReader;
  cursors?: ReturnType<typeof createCursorCodec>;
  updateLead?: (id: string, update: LeadUpdate) => Promise<CallLogItem | undefined>;
  now?: () => number;
}) =>
  createCallsHandlers({
    listCalls: createListCalls({ reader }),
    calls: createCallDetails({
      reader,
      recordingUrls: async () => [],
      recordingKeyUrl: async () => undefined,
      updateLead,
    }),
    reports: createCallReports(reader),
    cursors: createCallsCursors(cursors),
    ...(now ? { now } : {}),
  });

/** What the API answers for a refused request: the error as the HTTP adapter maps it. */
const answered = (response: Promise<unknown>) =>
  response.catch((error: unknown) => {
    throw apiErrorOf(error) ?? error;
  });

/** A reader that records each page request and always has more. */
const recordingReader = () => {
  const pages: CallsPageRequest[] = [];
  const reader: CallLogReader = {
    getCall: async (id) => (id === 'c1' ? CALL : undefined),
    listCalls: async (page) => {
      pages.push(page);
      return {
        items: [CALL],
        next: { partition: page.plan.partitions[0] as string, key: { pk: 'CALL#c1' } },
        itemsRead: 1,
      };
    },
    readRollups: async () => [],
  };
  return { reader, pages };
};

describe('calls handlers', () => {
  it('keep the default range of the first page in the cursor, so paging does not slide with time', async () => {
    const { reader, pages } = recordingReader();
    let now = Date.parse('2026-11-26T12:00:00.000Z');
    const cursors = createCursorCodec(randomBytes(32));
    const handlers = callsHandlers({ reader, cursors, now: () => now });
    const first = await handlers.listCalls(request({ query: { limit: '1' } }));
    const { nextCursor } = first.body as { nextCursor: string };
    now += DAY;
    const second = await handlers.listCalls(request({ query: { limit: '5', cursor: nextCursor } }));
    expect(second.statusCode).toBe(200);
    expect(pages[1]?.plan.high).toBe(pages[0]?.plan.high);
    expect(pages[1]?.start).toEqual({ partition: '2026-11', key: { pk: 'CALL#c1' } });
    expect(pages[1]?.limit).toBe(5);
    // A cursor of another list (another partition) is refused even with a valid signature.
    const foreign = cursors.encode({ v: 1, f: filterFingerprint({}), from: 0, to: 1, p: 'LOC#a' });
    await expect(
      answered(handlers.listCalls(request({ query: { cursor: foreign } }))),
    ).rejects.toMatchObject({
      status: 400,
      code: 'invalid-cursor',
      message: expect.stringMatching(/^invalid cursor: not a cursor of this list;/),
    });
  });

  it('pass the parsed update to updateLead and answer 404 when it finds no call', async () => {
    const updates: [string, LeadUpdate][] = [];
    const handlers = callsHandlers({
      reader: recordingReader().reader,
      updateLead: async (id, update) => {
        updates.push([id, update]);
        return id === 'c1' ? { ...CALL, leadStatus: 'rented' } : undefined;
      },
    });
    const ok = await handlers.updateCall(
      request({
        operationId: 'updateCall',
        pathParameters: { contactId: 'c1' },
        body: { leadStatus: 'rented' },
      }),
    );
    expect(ok).toMatchObject({ statusCode: 200, body: { contactId: 'c1', leadStatus: 'rented' } });
    await expect(
      answered(
        handlers.updateCall(
          request({
            operationId: 'updateCall',
            pathParameters: { contactId: 'zz' },
            body: { spam: true },
          }),
        ),
      ),
    ).rejects.toMatchObject({
      status: 404,
      code: 'not-found',
      message: 'no call with contactId zz',
    });
    expect(updates).toEqual([
      ['c1', { leadStatus: 'rented' }],
      ['zz', { spam: true }],
    ]);
  });
});

describe('API Lambda wiring', () => {
  it('reads its settings and names a missing one', () => {
    expect(
      apiEnvironment.read({
        CALL_LOG_TABLE_NAME: 't',
        ROUTING_TABLE_NAME: 'r',
        RECORDINGS_BUCKET_NAME: 'b',
        CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:c',
      }),
    ).toEqual({
      tableName: 't',
      routingTableName: 'r',
      recordingsBucket: 'b',
      cursorSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:c',
    });
    expect(() =>
      apiEnvironment.read({ CALL_LOG_TABLE_NAME: 't', RECORDINGS_BUCKET_NAME: ' ' }),
    ).toThrow(/ROUTING_TABLE_NAME is missing or empty/);
    expect(() =>
      apiEnvironment.read({
        CALL_LOG_TABLE_NAME: 't',
        ROUTING_TABLE_NAME: 'r',
        RECORDINGS_BUCKET_NAME: ' ',
      }),
    ).toThrow(/RECORDINGS_BUCKET_NAME is missing or empty/);
  });

  it('reads the cursor key from Secrets Manager and refuses a short one', async () => {
    const secrets = mockClient(SecretsManagerClient);
    const client = new SecretsManagerClient({ region: 'us-east-1' });
    const previousOnly = { SecretId: 'arn:secret', VersionStage: 'AWSPREVIOUS' };
    // Never rotated: the current key alone (Secrets Manager has no AWSPREVIOUS version).
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(64) });
    secrets
      .on(GetSecretValueCommand, previousOnly)
      .rejects(new ResourceNotFoundException({ message: 'no such version', $metadata: {} }));
    const fresh = await readCursorKeys(client, 'arn:secret');
    expect(Buffer.from(fresh.current).toString()).toBe('k'.repeat(64));
    expect(fresh.previous).toBeUndefined();
    // Rotated: the previous key too, accepted for the cursors signed before.
    secrets.on(GetSecretValueCommand, previousOnly).resolves({ SecretString: 'p'.repeat(64) });
    const rotated = await readCursorKeys(client, 'arn:secret');
    expect(Buffer.from(rotated.previous ?? []).toString()).toBe('p'.repeat(64));
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(40) });
    expect((await readCursorKeys(client, 'arn:secret')).current).toHaveLength(40);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(readCursorKeys(client, 'arn:secret')).rejects.toThrow(
      /holds 5 bytes: store at least 32/,
    );
    secrets.restore();
  });
});
