import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../lib/local/index.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';
import {
  agentTookIt,
  type Ctr,
  ctrOf,
  type Item,
  newIngestion,
  withLastUpdate,
} from '../support/ingestion.js';
import { scaled } from './scale.js';

/**
 * The replay property, on dynalite: any interleaving of duplicated and reordered contact records,
 * cut into batches anyhow, yields the same call log and rollups as one ordered delivery.
 *
 * The records (from calls run through the shipped flow and route-call, lib/local): four contacts,
 * two callers, two later records (an agent took a missed call; a call moved to another source's
 * group), and an earlier call of caller X that displaces a later one as X's first call at Austin.
 */

const { caller: CALLER_X, austinGoogle: AUSTIN, roundRockMain: ROUND_ROCK } = EXAMPLE_NUMBERS;
const CALLER_Y = '+15125558765';

/** Monday 23 November 2026 in Chicago: every location open. */
const chicago = (time: string): Date => new Date(`2026-11-23T${time}:00-06:00`);

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;
let records: Ctr[];
let ordered: Item[];

/**
 * What must not depend on the order of delivery. Left out, as delivery legitimately changes them:
 * `revision` (counts the non-stale writes and markings), a call's `rollupGroups` (the groups it
 * was ever seen in), the tombstones those leave, and the caller items' `displacedContactIds` (the
 * history of which call was first when). Kept: every call field, the live rollup members, the
 * caller items' first call, and every ROLLUP item exactly.
 */
const comparable = (items: readonly Item[]): Item[] =>
  items
    .filter((item) => item.gone !== true)
    .map(({ revision: _r, rollupGroups: _g, displacedContactIds: _d, ...item }) => item);

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
  const call = (contactId: string, dialed: string, caller: string, at: Date, missed = false) =>
    ctrOf(system, { contactId, dialed, caller, at }, missed ? { ringTo: 'no-answer' } : {});
  const late = await call('x-late', AUSTIN, CALLER_X, chicago('10:00'));
  const early = await call('x-early', AUSTIN, CALLER_X, chicago('09:30'));
  const missed = await call('y-missed', AUSTIN, CALLER_Y, chicago('11:00'), true);
  const roundRock = await call('y-rr', ROUND_ROCK, CALLER_Y, chicago('12:00'));
  const attributes = roundRock.Attributes as Record<string, string>;
  records = [
    late,
    early,
    missed,
    agentTookIt(missed),
    roundRock,
    withLastUpdate(roundRock, 60_000, { Attributes: { ...attributes, source: 'Yelp' } }),
  ];
  const inOrder = [...records].sort((a, b) =>
    String(a.LastUpdateTimestamp).localeCompare(String(b.LastUpdateTimestamp)),
  );
  const log = await newIngestion(dynamo);
  await log.ingest(inOrder);
  ordered = comparable(await log.scan());
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
      // The agent who took it answered in the fallback queue; Round Rock is closed at noon.
      ['y-missed', true, 'answered-fallback', 'Google Ads'],
      ['y-rr', true, 'voicemail', 'Yelp'],
    ]);
    expect(ordered.filter((item) => String(item.pk).startsWith('ROLLUP#'))).toHaveLength(2);
  });

  it('any interleaving of duplicated, reordered records: the same calls, members and rollups', async () => {
    const numRuns = scaled(200 / CONCURRENT);
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fc.array(delivery, { minLength: CONCURRENT, maxLength: CONCURRENT }),
        (deliveries) =>
          Promise.all(
            deliveries.map(async (batches) => {
              const log = await newIngestion(dynamo);
              for (const batch of batches) await log.ingest(batch.map((i) => records[i] as Ctr));
              expect(comparable(await log.scan())).toEqual(ordered);
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
