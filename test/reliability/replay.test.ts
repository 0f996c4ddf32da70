import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MONTH_COMPLETE_SK,
  rollupFromStored,
} from '../../lambdas/adapters/dynamodb/rollup-keys.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { type Ctr, type Item, newIngestion } from '../support/ingestion.js';
import { deliveryIndependent, inOrder, replayRecords } from './records.js';
import { scaled } from './scale.js';

/**
 * The replay property, on dynalite: any interleaving of duplicated and reordered contact records,
 * cut into batches anyhow, yields the same call log and rollups as one ordered delivery (the
 * records and what is compared: records.ts).
 */

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let records: Ctr[];
let ordered: Item[];

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
  records = await replayRecords(system);
  const log = await newIngestion(dynamo);
  await log.ingest(inOrder(records));
  ordered = deliveryIndependent(await log.scan());
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
});

/** Every record at least once, up to four again, in any order, cut into 1 to 4 batches. */
const delivery = fc
  .array(fc.nat(5), { maxLength: 4 })
  .chain((extra) => {
    const all = [0, 1, 2, 3, 4, 5, ...extra];
    return fc.tuple(
      fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
      fc.uniqueArray(fc.integer({ min: 1, max: all.length - 1 }), { maxLength: 3 }),
    );
  })
  .map(([order, cuts]) => {
    const bounds = [0, ...[...cuts].sort((a, b) => a - b), order.length];
    return bounds.slice(1).map((end, i) => order.slice(bounds[i], end));
  });

/** Deliveries replayed at once, each on its own table: dynalite answers while the ingest works. */
const CONCURRENT = 4;

describe('replaying contact records', () => {
  it('the baseline is what the records say', () => {
    const calls = ordered.filter((item) => item.sk === 'CALL');
    expect(calls.map((c) => [c.contactId, c.firstTime, c.outcome, c.source])).toEqual([
      ['x-early', true, 'answered-location', 'Google Ads'],
      ['x-late', false, 'answered-location', 'Google Ads'],
      // The agent who took it answered in the fallback queue; Round Rock is closed at noon, and
      // the later record says a message was left.
      ['y-missed', true, 'answered-agent', 'Google Ads'],
      ['y-rr', true, 'voicemail', 'Yelp'],
    ]);
    expect(calls.find((c) => c.contactId === 'y-rr')).toMatchObject({
      voicemailKey: 'connect/voicemail/y-rr.wav',
      voicemailDurationSeconds: 21,
    });
    // Two day rows and the month row of each (pk ROLLUP#yyyy-mm), compared like every item.
    const rollups = ordered.filter(
      (item) => String(item.pk).startsWith('ROLLUP#') && item.sk !== MONTH_COMPLETE_SK,
    );
    // And the month is marked complete: every group of it has its month row.
    expect(ordered).toContainEqual({ pk: 'ROLLUP#2026-11', sk: MONTH_COMPLETE_SK });
    expect(rollups.map((r) => r.pk).sort()).toEqual([
      'ROLLUP#2026-11',
      'ROLLUP#2026-11',
      'ROLLUP#2026-11-23',
      'ROLLUP#2026-11-23',
    ]);
    for (const stored of rollups.filter((r) => r.pk === 'ROLLUP#2026-11')) {
      // Its hashes packed in one string: as the reports read it.
      const monthRow = rollupFromStored(stored);
      const { pk: _m, day: month, ...figures } = monthRow;
      const dayRow = rollups.find((r) => r.pk === 'ROLLUP#2026-11-23' && r.sk === monthRow.sk);
      const { pk: _p, day: _d, ...dayFigures } = dayRow ?? {};
      // One day in the month: its month row holds the very same figures.
      expect(month).toBe('2026-11');
      expect(figures).toEqual(dayFigures);
    }
  });

  it('any interleaving of duplicated, reordered records: the same calls, members and rollups', async () => {
    // 100 deliveries (1,000 in `npm run fuzz`): each costs about 100 DynamoDB requests, and this
    // property was the slowest part of `npm test`.
    const numRuns = scaled(100 / CONCURRENT);
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(delivery, { minLength: CONCURRENT, maxLength: CONCURRENT }),
        (deliveries) =>
          Promise.all(
            deliveries.map(async (batches) => {
              const log = await newIngestion(dynamo);
              for (const batch of batches) await log.ingest(batch.map((i) => records[i] as Ctr));
              expect(deliveryIndependent(await log.scan())).toEqual(ordered);
            }),
          ).then(() => undefined),
      ),
      {
        seed: 20261123,
        numRuns,
        // The hardest order by hand: every record twice, from the last, in one batch.
        examples: [
          [Array.from({ length: CONCURRENT }, () => [[5, 4, 3, 2, 1, 0, 5, 4, 3, 2, 1, 0]])],
        ],
      },
    );
    console.log(
      `replay: ${numRuns * CONCURRENT} deliveries in ${Math.round(performance.now() - started)} ms`,
    );
  }, 600_000);
});
