import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRoutingSystem, startLocalRoutingSystem } from '../../local/routing-system.js';
import { type LocalDynamo, startDynalite } from '../support/dynalite.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';
import {
  type Ctr,
  callbackContact,
  callbackRequested,
  type Ingestion,
  messageLeft,
  newIngestion as newTable,
  ctrOf as simulate,
  withLastUpdate,
} from '../support/ingestion.js';

/**
 * The ingest on dynalite, fed the contact records of calls run through the shipped inbound flow,
 * the real route-call handler and config/portfolio.yaml (local/), as Kinesis delivers them.
 */

const {
  caller: CALLER_X,
  austinGoogle: AUSTIN_GOOGLE,
  roundRockMain: ROUND_ROCK_MAIN,
  denverMain: DENVER_MAIN,
  unknown: UNKNOWN,
} = EXAMPLE_NUMBERS;
const CALLER_Y = '+15125558765';
const CALLER_Z = '+15125557654';

/** Monday 23 November 2026, 10:00 in Chicago: every location open. */
const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');
const day = (n: number): Date => new Date(MONDAY_10AM.getTime() + n * 86_400_000);

let system: LocalRoutingSystem;
let dynamo: LocalDynamo;

beforeAll(async () => {
  [system, dynamo] = await Promise.all([startLocalRoutingSystem(), startDynalite()]);
}, 60_000);

afterAll(async () => {
  await Promise.all([system?.close(), dynamo?.close()]);
});

const ctrOf = (contactId: string, dialed: string, caller: string, at: Date): Promise<Ctr> =>
  simulate(system, { contactId, dialed, caller, at });

const newIngestion = (): Promise<Ingestion> => newTable(dynamo);

describe('ingesting simulated calls', () => {
  let five: Ctr[];
  let log: Ingestion;

  beforeAll(async () => {
    five = [
      await ctrOf('call-1', AUSTIN_GOOGLE, CALLER_X, MONDAY_10AM),
      await ctrOf('call-2', AUSTIN_GOOGLE, CALLER_X, day(1)),
      await ctrOf('call-3', ROUND_ROCK_MAIN, CALLER_Y, MONDAY_10AM),
      await ctrOf('call-4', DENVER_MAIN, CALLER_X, day(2)),
      await ctrOf('call-5', UNKNOWN, CALLER_Z, MONDAY_10AM),
    ];
    log = await newIngestion();
    await log.ingest(five);
  }, 60_000);

  it('stores each call with its outcome and keys; only the earliest call per caller × location is a lead', async () => {
    const items = await log.scan();
    const calls = items.filter((item) => item.sk === 'CALL');
    expect(calls.map((c) => [c.contactId, c.outcome, c.firstTime])).toEqual([
      ['call-1', 'answered-location', true],
      ['call-2', 'answered-location', false],
      ['call-3', 'answered-location', true],
      ['call-4', 'answered-location', true],
      ['call-5', 'answered-fallback', false],
    ]);
    expect(calls[0]).toMatchObject({
      pk: 'CALL#call-1',
      monthKey: '2026-11',
      startedKey: '2026-11-23T16:00:00.000Z#call-1',
      locationKey: 'LOC#austin-north',
      trackingNumberKey: `TN#${AUSTIN_GOOGLE}`,
      sourceKey: 'SRC#Google Ads',
      caller: CALLER_X,
    });
    expect(calls[2]).toMatchObject({ locationKey: 'LOC#round-rock' });
    expect(calls[3]).toMatchObject({ locationKey: 'LOC#denver-central' });
    expect(calls[4]).not.toHaveProperty('locationKey');

    const callers = items.filter((item) => item.sk === 'FIRST');
    expect(callers.map((c) => [c.pk, c.firstContactId])).toEqual([
      [`CALLER#austin-north#${CALLER_X}`, 'call-1'],
      [`CALLER#denver-central#${CALLER_X}`, 'call-4'],
      [`CALLER#round-rock#${CALLER_Y}`, 'call-3'],
    ]);
  });

  it('re-ingesting the batch shuffled and duplicated leaves exactly the same items', async () => {
    const before = await log.scan();
    const [a, b, c, d, e] = five as [Ctr, Ctr, Ctr, Ctr, Ctr];
    await log.ingest([e, b, d, b, a, c, a, e]);
    await log.ingest([c, a]);
    expect(await log.scan()).toEqual(before);
  });

  it('a later LastUpdateTimestamp updates the call; an older one changes nothing', async () => {
    const record = five[2] as Ctr;
    const attributes = record.Attributes as Record<string, string>;
    await log.ingest([
      withLastUpdate(record, 60_000, { Attributes: { ...attributes, campaign: 'updated' } }),
    ]);
    const updated = await log.call('call-3');
    expect(updated).toMatchObject({ campaign: 'updated', firstTime: true });
    expect(updated?.lastUpdate).toBe(
      new Date(Date.parse(String(record.LastUpdateTimestamp)) + 60_000).toISOString(),
    );

    const before = await log.scan();
    await log.ingest([
      withLastUpdate(record, -60_000, { Attributes: { ...attributes, campaign: 'older' } }),
      record,
    ]);
    expect(await log.scan()).toEqual(before);
  });
});

describe('messages and callbacks', () => {
  const rollupOf = async (log: Ingestion) =>
    (await log.scan()).find((item) => String(item.pk).startsWith('ROLLUP#'));

  it('a later record that says a message was left makes the call a voicemail, in any order', async () => {
    const missed = await simulate(
      system,
      { contactId: 'vm-1', dialed: AUSTIN_GOOGLE, caller: CALLER_Y, at: MONDAY_10AM },
      // Nobody at the location, nobody free in the queue: missed, until the message is known.
      { ringTo: 'no-answer', agents: 'busy' },
    );
    const left = messageLeft(missed, 'connect/voicemail/2026/11/23/vm-1.wav', 24);
    const inOrder = await newIngestion();
    await inOrder.ingest([missed]);
    expect(await inOrder.call('vm-1')).toMatchObject({ outcome: 'missed', answered: false });
    expect(await rollupOf(inOrder)).toMatchObject({ calls: 1, missed: 1, voicemail: 0 });
    await inOrder.ingest([left]);
    expect(await inOrder.call('vm-1')).toMatchObject({
      outcome: 'voicemail',
      answered: false,
      voicemailKey: 'connect/voicemail/2026/11/23/vm-1.wav',
      voicemailDurationSeconds: 24,
    });
    expect(await rollupOf(inOrder)).toMatchObject({ calls: 1, missed: 0, voicemail: 1 });
    const reversed = await newIngestion();
    await reversed.ingest([left, missed, left]);
    expect(await reversed.call('vm-1')).toMatchObject({ outcome: 'voicemail' });
    expect(await rollupOf(reversed)).toEqual(await rollupOf(inOrder));
  });

  it("a callback requested is a callback; Connect's callback contact is its own call", async () => {
    const missed = await simulate(
      system,
      { contactId: 'cb-1', dialed: AUSTIN_GOOGLE, caller: CALLER_Z, at: MONDAY_10AM },
      { ringTo: 'no-answer' },
    );
    const log = await newIngestion();
    await log.ingest([callbackRequested(missed), missed]);
    expect(await log.call('cb-1')).toMatchObject({ outcome: 'callback', firstTime: true });
    await log.ingest([callbackContact(missed, 'cb-1-callback')]);
    expect(await log.call('cb-1-callback')).toMatchObject({
      outcome: 'callback',
      firstTime: false,
    });
    const reached = callbackContact(missed, 'cb-1-callback', '2026-11-23T16:20:00Z');
    await log.ingest([withLastUpdate(reached, 1_000)]);
    expect(await log.call('cb-1-callback')).toMatchObject({
      outcome: 'answered-agent',
      answered: true,
    });
    expect(await rollupOf(log)).toMatchObject({ calls: 2, callback: 1, answered: 1 });
  });
});

describe('an earlier call arriving late', () => {
  it('displaces the previous first call, whatever the order and the replays', async () => {
    const early = await ctrOf('early', AUSTIN_GOOGLE, CALLER_Y, MONDAY_10AM);
    const late = await ctrOf('late', AUSTIN_GOOGLE, CALLER_Y, day(3));
    const later = await ctrOf('later', AUSTIN_GOOGLE, CALLER_Y, day(4));

    const log = await newIngestion();
    await log.ingest([later]);
    expect(await log.call('later')).toMatchObject({ firstTime: true });
    await log.ingest([late]);
    expect(await log.call('late')).toMatchObject({ firstTime: true });
    expect(await log.call('later')).toMatchObject({ firstTime: false });
    await log.ingest([early]);
    expect(await log.call('early')).toMatchObject({ firstTime: true });
    expect(await log.call('late')).toMatchObject({ firstTime: false });
    const settled = await log.scan();
    expect(settled.filter((i) => i.sk === 'FIRST')).toEqual([
      expect.objectContaining({
        firstContactId: 'early',
        displacedContactIds: new Set(['later', 'late']),
      }),
    ]);

    // Replays, in any order, change nothing.
    await log.ingest([late, early, later, later]);
    expect(await log.scan()).toEqual(settled);

    // The same calls in their natural order end in the same calls.
    const natural = await newIngestion();
    await natural.ingest([early, late, later]);
    const calls = async (l: Ingestion) =>
      (await l.scan()).filter((i) => i.sk === 'CALL').map((c) => [c.contactId, c.firstTime]);
    expect(await calls(natural)).toEqual(await calls(log));
  });

  it('equal start times: the lower contact id is the first, in either order', async () => {
    const b = await ctrOf('tie-b', ROUND_ROCK_MAIN, CALLER_Z, MONDAY_10AM);
    const a = await ctrOf('tie-a', ROUND_ROCK_MAIN, CALLER_Z, MONDAY_10AM);
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const log = await newIngestion();
      await log.ingest(order);
      expect(await log.call('tie-a')).toMatchObject({ firstTime: true });
      expect(await log.call('tie-b')).toMatchObject({ firstTime: false });
    }
  });
});
