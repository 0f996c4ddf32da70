import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importContactRecords } from '../../local/import-records.js';
import { batchPut, seedCallItem } from '../../local/seed-call-log.js';
import { type ApiHarness, startApiHarness } from '../support/api-harness.js';
import { TEST_CALLER_HASH_KEY } from '../support/fixtures.js';
import { createResponseValidator } from '../support/openapi.js';

/**
 * The record over HTTP: a 2022 inbound call to a number in no portfolio, queued, answered
 * by an agent and transferred to an outside number, delivered four times (the newest not last),
 * imported through the ingest into dynalite, then read back from the local API server.
 */

const FIXTURE = readFileSync(
  new URL('../fixtures/contact-records-2022-transfer.jsonl', import.meta.url),
  'utf8',
).split('\n');
const CONTACT_ID = '5ca32fbd-8f92-46af-92a5-6b0f970f0efe';
const TRANSFERRED_TO = '+18002430000';
// 276 s connected: 276 × 0.018 / 60 + 276 × 0.0022 / 60; 184 s transferred: × 0.012 / 60.
const COST_MICROS = 82_800 + 10_120 + 36_800;

let api: ApiHarness;
const validator = createResponseValidator();

beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

const importFixture = () =>
  importContactRecords(FIXTURE, {
    client: api.dynamo,
    tableName: api.tableName,
    callerHashKey: TEST_CALLER_HASH_KEY,
  });

describe('the journey, the destination and the cost of an imported call', () => {
  it('imports the four deliveries: the newest wins, the older ones change nothing', async () => {
    const report = await importFixture();
    expect(report).toMatchObject({ records: 4, written: 2, unchanged: 2, refused: [], failed: [] });
  });

  it('GET /calls/{id} shows routedTo.number with the TransferredToEndpoint address', async () => {
    const { status, body } = await api.call(`/calls/${CONTACT_ID}`);
    expect(status).toBe(200);
    expect(validator.validate('getCall', 200, body)).toEqual([]);
    expect(body).toMatchObject({
      // An agent took it (then passed it on): not the fallback.
      outcome: 'answered-agent',
      caller: '+190011112222',
      trackingNumber: '+18885550147',
      locationId: null,
      routedTo: {
        kind: 'queue',
        number: TRANSFERRED_TO,
        queue: { name: 'BasicQueue', arn: expect.stringContaining('/queue/') },
      },
      estimatedCost: { currency: 'USD', total: COST_MICROS / 1e6, totalMicros: COST_MICROS },
    });
    expect(body.journey.map((s: { step: string; at: string | null }) => [s.step, s.at])).toEqual([
      ['started', '2022-03-14T17:02:10.000Z'],
      ['queued', '2022-03-14T17:02:25.000Z'],
      ['agent', '2022-03-14T17:03:02.000Z'],
      ['transfer', '2022-03-14T17:03:43.000Z'],
      ['ended', '2022-03-14T17:06:47.000Z'],
    ]);
    expect(body.journey[3]).toMatchObject({ number: TRANSFERRED_TO, result: 'connected' });
  });

  it('the list shows where it went and its cost too, as documented', async () => {
    const { status, body } = await api.call('/calls?from=2022-03-01&to=2022-03-31');
    expect(status).toBe(200);
    expect(validator.validate('listCalls', 200, body)).toEqual([]);
    expect(body.items).toHaveLength(1);
    expect(body.items[0].routedTo.number).toBe(TRANSFERRED_TO);
    expect(body.items[0]).not.toHaveProperty('journey');
  });

  it('the summary adds the cost per row and in total; a re-import leaves it as it was', async () => {
    const path = '/reports/summary?from=2022-03-14&to=2022-03-14&groupBy=trackingNumber';
    const before = await api.call(path);
    expect(before.status).toBe(200);
    expect(validator.validate('getSummary', 200, before.body)).toEqual([]);
    const cost = { currency: 'USD', total: COST_MICROS / 1e6, totalMicros: COST_MICROS };
    expect(before.body.rows).toEqual([
      expect.objectContaining({ group: '+18885550147', calls: 1, estimatedCost: cost }),
    ]);
    expect(before.body.totals.estimatedCost).toEqual(cost);
    expect(await importFixture()).toMatchObject({ written: 0, unchanged: 4 });
    expect((await api.call(path)).body).toEqual(before.body);
  });

  it('a call stored before journeys and costs is served with them null, as documented', async () => {
    const { routedTo, journey, estimatedCost, ...legacy } = seedCallItem({
      contactId: 'legacy-1',
      startedAt: '2026-11-25T09:00:00.000Z',
      durationSeconds: 40,
      outcome: 'answered-location',
      firstTime: false,
    });
    // Proof that the seed had them: the item below is really the older shape.
    expect([routedTo, journey, estimatedCost].every((v) => v !== undefined)).toBe(true);
    await batchPut(api.dynamo, api.tableName, [legacy]);
    const { status, body } = await api.call('/calls/legacy-1');
    expect(status).toBe(200);
    expect(validator.validate('getCall', 200, body)).toEqual([]);
    expect(body).toMatchObject({ routedTo: null, journey: null, estimatedCost: null });
  });
});
