import {
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callKey } from '../../lambdas/adapters/dynamodb/call-log-keys.js';
import { createCallLogReader } from '../../lambdas/adapters/dynamodb/call-log-reader.js';
import { updateLead } from '../../lambdas/adapters/dynamodb/call-log-writer.js';
import { rollupFromStored } from '../../lambdas/adapters/dynamodb/rollup-keys.js';
import { settleCall } from '../../lambdas/adapters/dynamodb/rollup-writer.js';
import { callerHash } from '../../lambdas/domain/caller-hash.js';
import { daysOfMonth } from '../../lambdas/domain/rollup.js';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { EXAMPLE_NUMBERS, TEST_CALLER_HASH_KEY } from '../support/fixtures.js';
import {
  agentTookIt,
  type Ctr,
  ctrOf,
  type Ingestion,
  type Item,
  newIngestion,
  withLastUpdate,
} from '../support/ingestion.js';

/**
 * Daily rollups on dynalite, from the contact records of simulated calls (local/): kept by the
 * ingest and by lead updates, the same whatever the order and the replays of the records.
 */

const {
  caller: CALLER_X,
  austinGoogle: AUSTIN,
  roundRockMain: ROUND_ROCK,
  denverMain: DENVER,
  unknown: UNKNOWN,
} = EXAMPLE_NUMBERS;
const CALLER_Y = '+15125558765';
const CALLER_Z = '+15125557654';
/** A caller's hash as the test ingest keys it. */
const hashOf = (caller: string) => callerHash(TEST_CALLER_HASH_KEY, caller);

/** Monday 23 November 2026 in Chicago: every location open. */
const chicago = (time: string, dayOffset = 0): Date =>
  new Date(Date.parse(`2026-11-23T${time}:00-06:00`) + dayOffset * 86_400_000);

const AUSTIN_DAY0 = `ROLLUP#2026-11-23|austin-north#Google Ads#${AUSTIN}`;

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
});

const call = (
  contactId: string,
  dialed: string,
  caller: string,
  at: Date,
  ringTo?: 'no-answer' | 'busy',
) =>
  // A location that does not answer, and nobody free in its fallback queue: a missed call.
  ctrOf(
    system,
    { contactId, dialed, caller, at },
    ringTo === undefined ? {} : { ringTo, agents: 'busy' },
  );

/** The day rows (`ROLLUP#yyyy-mm-dd`), by `pk|sk`. */
const rollups = (items: readonly Item[]): Record<string, Item> =>
  Object.fromEntries(
    items
      .filter((i) => /^ROLLUP#\d{4}-\d{2}-\d{2}$/.test(String(i.pk)))
      .map((i) => [`${i.pk}|${i.sk}`, i]),
  );

/** The month rows (`ROLLUP#yyyy-mm`), by `pk|sk`. */
const monthRows = (items: readonly Item[]): Record<string, Item> =>
  Object.fromEntries(
    items
      .filter((i) => /^ROLLUP#\d{4}-\d{2}$/.test(String(i.pk)))
      .map((i) => [`${i.pk}|${i.sk}`, i]),
  );

const rollupOf = async (log: Ingestion, key = AUSTIN_DAY0): Promise<Item | undefined> =>
  rollups(await log.scan())[key];

/**
 * What must not depend on the order of delivery: the calls, members and rollups, less `revision`
 * (it counts the changes applied, so the records that were not stale, and the first-time markings
 * a late earlier call caused). The caller items are left out: `displacedContactIds` is the
 * history of which call was the first when.
 */
const comparable = (items: readonly Item[]): Item[] =>
  items.filter((item) => item.sk !== 'FIRST').map(({ revision: _revision, ...item }) => item);

describe('rollups from a day of calls', () => {
  let records: Ctr[];
  let ordered: Item[];

  beforeAll(async () => {
    const missed = await call('r-2', AUSTIN, CALLER_Y, chicago('11:00'), 'no-answer');
    records = [
      await call('r-0', AUSTIN, CALLER_X, chicago('09:30')),
      await call('r-1', AUSTIN, CALLER_X, chicago('10:00')),
      missed,
      agentTookIt(missed),
      await call('r-3', ROUND_ROCK, CALLER_Y, chicago('10:00'), 'no-answer'),
      await call('r-4', DENVER, CALLER_Z, chicago('10:00'), 'busy'),
      await call('r-5', UNKNOWN, CALLER_Z, chicago('10:05')),
    ];
    const inOrder = [...records].sort((a, b) =>
      String(a.LastUpdateTimestamp).localeCompare(String(b.LastUpdateTimestamp)),
    );
    const log = await newIngestion(dynamo);
    await log.ingest(inOrder);
    ordered = await log.scan();
  }, 30_000);

  it('one ordered delivery: a rollup per day × location × source × number, counted right', () => {
    const calls = ordered.filter((i) => i.sk === 'CALL');
    const duration = (...ids: string[]) =>
      calls
        .filter((c) => ids.includes(String(c.contactId)))
        .reduce((sum, c) => sum + Number(c.durationSeconds), 0);
    // The stored calls' own estimates, summed: every one of them ended, so each has one.
    const cost = (...ids: string[]) =>
      calls
        .filter((c) => ids.includes(String(c.contactId)))
        .reduce(
          (sum, c) => sum + Number((c.estimatedCost as { totalMicros: number }).totalMicros),
          0,
        );
    const byKey = rollups(ordered);
    expect(Object.keys(byKey).sort()).toEqual(
      [
        AUSTIN_DAY0,
        `ROLLUP#2026-11-23|round-rock#Main line#${ROUND_ROCK}`,
        `ROLLUP#2026-11-23|denver-central#Main line#${DENVER}`,
        `ROLLUP#2026-11-23|-#-#${UNKNOWN}`,
      ].sort(),
    );
    expect(byKey[AUSTIN_DAY0]).toEqual({
      pk: 'ROLLUP#2026-11-23',
      sk: `austin-north#Google Ads#${AUSTIN}`,
      day: '2026-11-23',
      locationId: 'austin-north',
      source: 'Google Ads',
      trackingNumber: AUSTIN,
      calls: 3,
      // r-2 was missed, then its later record says an agent took it.
      answered: 3,
      missed: 0,
      voicemail: 0,
      callback: 0,
      voicemailBox: 0,
      abandoned: 0,
      leadCalls: 2,
      leadsActive: 0,
      conversions: 0,
      leadsLost: 0,
      spam: 0,
      durationSeconds: duration('r-0', 'r-1', 'r-2'),
      value: 0,
      costMicros: cost('r-0', 'r-1', 'r-2'),
      callerHashes: [hashOf(CALLER_X), hashOf(CALLER_Y)].sort(),
      hourly: { '15': 1, '16': 1, '17': 1 },
      hourlyVoicemail: {},
      hourlyCallback: {},
    });
    expect(byKey[`ROLLUP#2026-11-23|round-rock#Main line#${ROUND_ROCK}`]).toMatchObject({
      calls: 1,
      answered: 0,
      // The system's voicemail took no message here (the records come without the media stream).
      missed: 1,
      voicemail: 0,
      voicemailBox: 0,
      leadCalls: 1,
    });
    expect(byKey[`ROLLUP#2026-11-23|-#-#${UNKNOWN}`]).toMatchObject({
      calls: 1,
      answered: 1,
      leadCalls: 0,
      callerHashes: [hashOf(CALLER_Z)],
    });
    expect(byKey[`ROLLUP#2026-11-23|-#-#${UNKNOWN}`]).not.toHaveProperty('locationId');
  });

  it('the same records duplicated, shuffled and batched anyhow: the same calls and rollups', async () => {
    const delivery = fc.array(fc.nat(records.length - 1), { maxLength: 4 }).chain((extra) => {
      const all = [...records.keys(), ...extra];
      return fc.tuple(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        fc.nat(all.length),
      );
    });
    await fc.assert(
      fc.asyncProperty(delivery, async ([order, cut]) => {
        const log = await newIngestion(dynamo);
        const shuffled = order.map((i) => records[i] as Ctr);
        await log.ingest(shuffled.slice(0, cut));
        await log.ingest(shuffled.slice(cut));
        expect(comparable(await log.scan())).toEqual(comparable(ordered));
      }),
      {
        seed: 20261123,
        // Each run is a fresh table and ~100 requests: few runs, plus the hardest order by hand,
        // every record twice from the last (later records first, an earlier call displacing).
        numRuns: 6,
        examples: [[[[...records.keys(), ...records.keys()].reverse(), records.length]]],
      },
    );
  }, 60_000);
});

describe('rollups follow the calls', () => {
  it('a later record of a call that changes its outcome and duration moves the rollup', async () => {
    const missed = await call('m-1', AUSTIN, CALLER_Y, chicago('11:00'), 'no-answer');
    const log = await newIngestion(dynamo);
    await log.ingest([missed]);
    const before = await rollupOf(log);
    expect(before).toMatchObject({ calls: 1, missed: 1, answered: 0 });

    await log.ingest([agentTookIt(missed)]);
    const after = await rollupOf(log);
    expect(after).toMatchObject({ calls: 1, missed: 0, answered: 1 });
    expect(Number(after?.durationSeconds)).toBe(Number(before?.durationSeconds) + 120);
  });

  it('a record that moves the call to another group leaves nothing in the old one', async () => {
    const first = await call('g-1', AUSTIN, CALLER_X, chicago('10:00'));
    const attributes = first.Attributes as Record<string, string>;
    const moved = withLastUpdate(first, 60_000, { Attributes: { ...attributes, source: 'Yelp' } });
    const log = await newIngestion(dynamo);
    await log.ingest([first]);
    await log.ingest([moved]);

    const items = await log.scan();
    const yelp = `ROLLUP#2026-11-23|austin-north#Yelp#${AUSTIN}`;
    expect(Object.keys(rollups(items))).toEqual([yelp]);
    expect(rollups(items)[yelp]).toMatchObject({ calls: 1, leadCalls: 1, source: 'Yelp' });
    // The old group keeps a tombstone, so a slow settle of the old revision cannot count it there.
    expect(
      items.find((i) => i.pk === `MEMBERS#2026-11-23#austin-north#Google Ads#${AUSTIN}`),
    ).toEqual({
      pk: expect.any(String),
      sk: 'CALL#g-1',
      contactId: 'g-1',
      revision: 2,
      gone: true,
    });
    expect(await log.call('g-1')).toMatchObject({
      revision: 2,
      rollupGroups: new Set([
        `2026-11-23#austin-north#Google Ads#${AUSTIN}`,
        `2026-11-23#austin-north#Yelp#${AUSTIN}`,
      ]),
    });

    // The old record again: stale, nothing moves.
    await log.ingest([first]);
    expect(await log.scan()).toEqual(items);
  });

  it('a first-time caller displaced by an earlier call moves leadCalls to the earlier day', async () => {
    const late = await call('d-late', AUSTIN, CALLER_Y, chicago('10:00', 1));
    const early = await call('d-early', AUSTIN, CALLER_Y, chicago('10:00'));
    const day1 = `ROLLUP#2026-11-24|austin-north#Google Ads#${AUSTIN}`;
    const log = await newIngestion(dynamo);
    await log.ingest([late]);
    expect(await rollupOf(log, day1)).toMatchObject({ calls: 1, leadCalls: 1 });

    await log.ingest([early]);
    expect(await rollupOf(log, day1)).toMatchObject({ calls: 1, leadCalls: 0 });
    expect(await rollupOf(log)).toMatchObject({ calls: 1, leadCalls: 1 });
  });

  it('keeps a month row per group: its days added up, one caller counted once', async () => {
    const log = await newIngestion(dynamo);
    // One caller on two days of November, another on the second, and a call in December.
    await log.ingest([
      await call('m-1', AUSTIN, CALLER_Y, chicago('10:00')),
      await call('m-2', AUSTIN, CALLER_Y, chicago('11:00', 1)),
      await call('m-3', AUSTIN, CALLER_X, chicago('12:00', 1)),
      await call('m-4', AUSTIN, CALLER_X, chicago('10:00', 10)),
    ]);
    const items = await log.scan();
    const group = `austin-north#Google Ads#${AUSTIN}`;
    const days = ['2026-11-23', '2026-11-24'].map((d) => rollups(items)[`ROLLUP#${d}|${group}`]);
    const november = monthRows(items)[`ROLLUP#2026-11|${group}`];
    const sum = (name: string) => days.reduce((n, d) => n + Number(d?.[name] ?? 0), 0);
    expect(november).toMatchObject({
      day: '2026-11',
      calls: 3,
      answered: sum('answered'),
      leadCalls: sum('leadCalls'),
      durationSeconds: sum('durationSeconds'),
      costMicros: sum('costMicros'),
    });
    // Stored packed (16 hex digits each), read back as a list.
    expect(november?.callerHashes).toMatch(/^[0-9a-f]{32}$/);
    expect(rollupFromStored(november ?? {}).callerHashes).toHaveLength(2);
    expect(monthRows(items)[`ROLLUP#2026-12|${group}`]).toMatchObject({ day: '2026-12', calls: 1 });

    // A record that moves the December call to another source moves its month row too.
    const moved = await call('m-4', AUSTIN, CALLER_X, chicago('10:00', 10));
    const attributes = moved.Attributes as Record<string, string>;
    await log.ingest([
      withLastUpdate(moved, 60_000, { Attributes: { ...attributes, source: 'Yelp' } }),
    ]);
    const after = monthRows(await log.scan());
    expect(after[`ROLLUP#2026-12|${group}`]).toBeUndefined();
    expect(after[`ROLLUP#2026-12|austin-north#Yelp#${AUSTIN}`]).toMatchObject({ calls: 1 });
  });

  it('a table from before month rows: reports read the days until a settle completes the month', async () => {
    const log = await newIngestion(dynamo);
    await log.ingest([
      await call('u-1', AUSTIN, CALLER_Y, chicago('10:00')),
      await call('u-2', ROUND_ROCK, CALLER_X, chicago('11:00')),
    ]);
    // As a table from before: day rows only, no month rows, no mark.
    for (const item of await log.scan()) {
      if (/^ROLLUP#\d{4}-\d{2}$/.test(String(item.pk))) {
        await dynamo.client.send(
          new DeleteItemCommand({
            TableName: log.tableName,
            Key: marshall({ pk: item.pk, sk: item.sk }),
          }),
        );
      }
    }
    const reader = createCallLogReader({ client: dynamo.client, tableName: log.tableName });
    const november = daysOfMonth('2026-11');
    const before = await reader.readRollups(november, { wholeMonths: true });
    expect(before.map((r) => r.day)).toEqual(['2026-11-23', '2026-11-23']);

    // A call of one group completes the whole month: Round Rock's row too, untouched by it.
    await log.ingest([await call('u-3', AUSTIN, CALLER_Z, chicago('12:00', 2))]);
    const after = await reader.readRollups(november, { wholeMonths: true });
    expect(after.map((r) => [r.day, r.locationId, r.calls]).sort()).toEqual([
      ['2026-11', 'austin-north', 2],
      ['2026-11', 'round-rock', 1],
    ]);
  });
});

describe('lead updates', () => {
  let log: Ingestion;
  let record: Ctr;

  beforeAll(async () => {
    record = await call('l-1', AUSTIN, CALLER_X, chicago('10:00'));
    log = await newIngestion(dynamo);
    await log.ingest([record]);
  });

  const update = (fields: Parameters<typeof updateLead>[3], contactId = 'l-1') =>
    updateLead(dynamo.client, log.tableName, contactId, fields);

  it('rented is a conversion; back to active it is an active lead again', async () => {
    const rented = await update({
      leadStatus: 'rented',
      value: 145.5,
      note: 'unit 12',
      tags: ['10x10'],
    });
    expect(rented).toMatchObject({
      contactId: 'l-1',
      leadStatus: 'rented',
      value: 145.5,
      note: 'unit 12',
      tags: ['10x10'],
      revision: 2,
    });
    expect(await rollupOf(log)).toMatchObject({ conversions: 1, leadsActive: 0, value: 145.5 });

    await update({ leadStatus: 'active' });
    expect(await rollupOf(log)).toMatchObject({ conversions: 0, leadsActive: 1, value: 145.5 });
  });

  it('null clears a field; no field changes nothing; spam counts the call as spam only', async () => {
    const cleared = await update({ value: null, note: null });
    expect(cleared).not.toHaveProperty('value');
    expect(cleared).not.toHaveProperty('note');
    expect(cleared?.leadStatus).toBe('active');
    expect(await rollupOf(log)).toMatchObject({ value: 0, leadsActive: 1 });

    const before = await log.scan();
    expect(await update({})).toEqual(await log.call('l-1'));
    expect(await log.scan()).toEqual(before);

    await update({ spam: true });
    expect(await rollupOf(log)).toMatchObject({ calls: 0, spam: 1, leadCalls: 0, leadsActive: 0 });
    await update({ spam: false });
    expect(await rollupOf(log)).toMatchObject({ calls: 1, spam: 0, leadCalls: 1, leadsActive: 1 });
  });

  it('no such call: undefined, and nothing is written', async () => {
    const before = await log.scan();
    expect(await update({ leadStatus: 'rented' }, 'nobody')).toBeUndefined();
    expect(await update({}, 'nobody')).toBeUndefined();
    expect(await log.scan()).toEqual(before);
  });

  it('refuses a value DynamoDB cannot store, before writing', async () => {
    const before = await log.scan();
    await expect(update({ value: Number.NaN })).rejects.toThrow(RangeError);
    expect(await log.scan()).toEqual(before);
  });

  it('a later record of the call keeps what the API set', async () => {
    await update({ leadStatus: 'rented', note: 'kept', tags: ['a', 'b'] });
    await log.ingest([withLastUpdate(record, 60_000)]);
    expect(await log.call('l-1')).toMatchObject({
      leadStatus: 'rented',
      note: 'kept',
      tags: ['a', 'b'],
      spam: false,
      lastUpdate: new Date(Date.parse(String(record.LastUpdateTimestamp)) + 60_000).toISOString(),
    });
    expect(await rollupOf(log)).toMatchObject({ calls: 1, conversions: 1 });
  });
});

describe('concurrent writers of one group', () => {
  it('two shards ingesting and lead updates settling at once: the rollup counts every call', async () => {
    const callers = ['+15125550301', '+15125550302', '+15125550303', '+15125550304'];
    const shardA: Ctr[] = [];
    const shardB: Ctr[] = [];
    for (const [n, caller] of callers.entries()) {
      const at = chicago(`1${n}:00`);
      shardA.push(await call(`a-${n}`, AUSTIN, caller, at));
      shardB.push(await call(`b-${n}`, AUSTIN, caller, new Date(at.getTime() + 60_000)));
    }
    const log = await newIngestion(dynamo);
    await Promise.all([log.ingest(shardA), log.ingest(shardB)]);
    expect(await rollupOf(log)).toMatchObject({ calls: 8, answered: 8, leadCalls: 4 });

    const statuses = ['rented', 'rented', 'lost', 'active'] as const;
    await Promise.all(
      shardA.map((_, n) =>
        updateLead(dynamo.client, log.tableName, `a-${n}`, { leadStatus: statuses[n] }),
      ),
    );
    expect(await rollupOf(log)).toMatchObject({
      calls: 8,
      conversions: 2,
      leadsLost: 1,
      leadsActive: 1,
    });
  });

  it('settles of changes a crash left unsettled, run at once, all count', async () => {
    const a = await call('s-a', AUSTIN, CALLER_X, chicago('10:00'));
    const b = await call('s-b', AUSTIN, CALLER_Y, chicago('10:30'));
    const log = await newIngestion(dynamo);
    await log.ingest([a, b]);
    // Lead updates stored without their settle, as a crash after the write would leave them.
    for (const contactId of ['s-a', 's-b']) {
      await dynamo.client.send(
        new UpdateItemCommand({
          TableName: log.tableName,
          Key: marshall(callKey(contactId)),
          UpdateExpression: 'SET leadStatus = :rented ADD revision :one',
          ExpressionAttributeValues: { ':rented': { S: 'rented' }, ':one': { N: '1' } },
        }),
      );
    }
    expect(await rollupOf(log)).toMatchObject({ conversions: 0 });

    await Promise.all([
      settleCall(dynamo.client, log.tableName, 's-a'),
      settleCall(dynamo.client, log.tableName, 's-b'),
      settleCall(dynamo.client, log.tableName, 's-a'),
    ]);
    expect(await rollupOf(log)).toMatchObject({ calls: 2, conversions: 2 });
    const members = await dynamo.client.send(
      new QueryCommand({
        TableName: log.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': { S: `MEMBERS#2026-11-23#austin-north#Google Ads#${AUSTIN}` },
        },
      }),
    );
    expect((members.Items ?? []).map((m) => unmarshall(m))).toEqual([
      expect.objectContaining({ sk: 'CALL#s-a', revision: 2, leadStatus: 'rented' }),
      expect.objectContaining({ sk: 'CALL#s-b', revision: 2, leadStatus: 'rented' }),
    ]);
  });
});

describe('a slow settle of an older revision', () => {
  it('cannot put the call back in a group a later record moved it out of', async () => {
    const first = await call('slow-1', AUSTIN, CALLER_X, chicago('10:00'));
    const attributes = first.Attributes as Record<string, string>;
    const moved = withLastUpdate(first, 60_000, { Attributes: { ...attributes, source: 'Yelp' } });
    const log = await newIngestion(dynamo);
    await log.ingest([first]);

    // A settle that reads the call (revision 1, Google Ads), then stalls until released.
    let release = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowClient = {
      send: async (command: Parameters<typeof dynamo.client.send>[0]) => {
        const output = await dynamo.client.send(command);
        if (command instanceof GetItemCommand) await stalled;
        return output;
      },
    } as unknown as typeof dynamo.client;
    const slow = settleCall(slowClient, log.tableName, 'slow-1');

    // Meanwhile the later record moves the call to Yelp and settles it (revision 2).
    await log.ingest([moved]);
    release();
    await slow;

    const items = await log.scan();
    expect(Object.keys(rollups(items))).toEqual([`ROLLUP#2026-11-23|austin-north#Yelp#${AUSTIN}`]);
    expect(
      items.filter((i) => i.sk === 'CALL#slow-1').map((i) => [i.pk, i.revision, i.gone]),
    ).toEqual([
      [`MEMBERS#2026-11-23#austin-north#Google Ads#${AUSTIN}`, 2, true],
      [`MEMBERS#2026-11-23#austin-north#Yelp#${AUSTIN}`, 2, undefined],
    ]);
  });
});
