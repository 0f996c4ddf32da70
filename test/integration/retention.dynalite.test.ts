import { readFileSync } from 'node:fs';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_LOG_TABLE } from '../../lambdas/contracts/tables.js';
import { expiresAtOf, isExpired } from '../../lambdas/domain/retention.js';
import { importContactRecords } from '../../local/import-records.js';
import { batchPut, seedCallItem } from '../../local/seed-call-log.js';
import { API_NOW, type ApiHarness, startApiHarness } from '../support/api-harness.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { TEST_CALLER_HASH_KEY } from '../support/fixtures.js';

/**
 * Retention (domain/retention.ts): calls and caller items carry the call log's TTL, counted from
 * the first write (a two-year-old backfill is still served a full period); the API treats an item
 * past its TTL as gone before DynamoDB deletes it.
 */

const DAY_S = 86_400;
const FIXTURE = readFileSync(
  new URL('../fixtures/contact-records-2022-transfer.jsonl', import.meta.url),
  'utf8',
).split('\n');

describe('expiresAtOf', () => {
  it('counts from the later of the start and the first write', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(expiresAtOf('2022-03-14T17:02:10.000Z', now, 30)).toBe(now / 1000 + 30 * DAY_S);
    // A start after the write (a skewed clock) counts from the start.
    expect(expiresAtOf('2026-12-02T00:00:00.000Z', now, 1)).toBe(now / 1000 + 2 * DAY_S);
    expect(isExpired({ expiresAt: now / 1000 }, now)).toBe(true);
    expect(isExpired({ expiresAt: now / 1000 + 1 }, now)).toBe(false);
    expect(isExpired({}, now)).toBe(false);
  });
});

describe('importing a 2022 record with a 30-day retention', () => {
  let dynamo: LocalDynamo;
  beforeAll(async () => {
    dynamo = await startDynalite();
    await dynamo.createTable('retention', CALL_LOG_TABLE);
  });
  afterAll(async () => {
    await dynamo?.close();
  });

  it('stores it with a TTL a full period after the import, which a replay does not move', async () => {
    const before = Math.floor(Date.now() / 1000);
    const options = {
      client: dynamo.client,
      tableName: 'retention',
      retentionDays: 30,
      callerHashKey: TEST_CALLER_HASH_KEY,
    };
    const report = await importContactRecords(FIXTURE, options);
    expect(report.written).toBeGreaterThan(0);
    const contactId = JSON.parse(FIXTURE[0] as string).ContactId as string;
    const ttlOf = async (pk: string, sk: string) => {
      const { Item } = await dynamo.client.send(
        new GetItemCommand({
          TableName: 'retention',
          Key: { pk: { S: pk }, sk: { S: sk } },
          ConsistentRead: true,
        }),
      );
      return Item ? (unmarshall(Item).expiresAt as number | undefined) : 'absent';
    };
    const ttl = await ttlOf(`CALL#${contactId}`, 'CALL');
    expect(ttl).toBeGreaterThanOrEqual(before + 30 * DAY_S);
    expect(ttl).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 30 * DAY_S);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await importContactRecords(FIXTURE, { ...options, retentionDays: 90 });
    expect(await ttlOf(`CALL#${contactId}`, 'CALL')).toBe(ttl);
  });
});

describe('the API and an item past its TTL that DynamoDB has not deleted yet', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('answers 404 for it and leaves it out of the list', async () => {
    const at = (offsetS: number) => Math.floor(API_NOW / 1000) + offsetS;
    await batchPut(api.dynamo, api.tableName, [
      {
        ...seedCallItem({
          contactId: 'gone-1',
          startedAt: '2026-11-20T10:00:00.000Z',
          outcome: 'missed',
          firstTime: false,
        }),
        expiresAt: at(-1),
      },
      {
        ...seedCallItem({
          contactId: 'kept-1',
          startedAt: '2026-11-20T11:00:00.000Z',
          outcome: 'missed',
          firstTime: false,
        }),
        expiresAt: at(3_600),
      },
    ]);
    expect((await api.call('/calls/gone-1')).status).toBe(404);
    expect((await api.call('/calls/kept-1')).status).toBe(200);
    const ids = (await api.call('/calls?from=2026-11-20&to=2026-11-20')).body.items.map(
      (c: { contactId: string }) => c.contactId,
    );
    // c3 is the seed's call of that day.
    expect(ids).toEqual(['kept-1', 'c3']);
  });
});
