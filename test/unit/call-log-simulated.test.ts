import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContactRecord } from '../../lambdas/adapters/connect/contact-record.js';
import {
  type StoredCallLogItem,
  storedCallLogItem,
} from '../../lambdas/adapters/dynamodb/call-log-keys.js';
import { rollupKeys } from '../../lambdas/adapters/dynamodb/rollup-keys.js';
import { callLogItem } from '../../lambdas/domain/call-log-item.js';
import { type CallOutcome, classifyCall } from '../../lambdas/domain/call-outcome.js';
import type { ContactRecord } from '../../lambdas/domain/contact-record.js';
import { localQueueArn } from '../../local/names.js';
import {
  type LocalCallOptions,
  type LocalRoutingSystem,
  startLocalRoutingSystem,
} from '../../local/routing-system.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';

/**
 * The contact records of calls run through the shipped inbound flow, the real route-call handler
 * and config/portfolio.yaml, parsed and classified as the ingest will.
 */

/** Monday 23 November 2026, 10:00 in Chicago: every location open. */
const {
  caller: CALLER,
  austinGoogle: AUSTIN_GOOGLE,
  austinRingTo: AUSTIN_RING_TO,
  roundRockMain: ROUND_ROCK_MAIN,
  denverMain: DENVER_MAIN,
  denverFallback: DENVER_FALLBACK,
  staticFallback: STATIC_FALLBACK,
  unknown: UNKNOWN,
} = EXAMPLE_NUMBERS;
const MONDAY_10AM = new Date('2026-11-23T10:00:00-06:00');

let system: LocalRoutingSystem;

beforeAll(async () => {
  system = await startLocalRoutingSystem();
});

afterAll(async () => {
  await system?.close();
});

interface Logged {
  readonly record: ContactRecord;
  readonly outcome: CallOutcome;
  readonly item: StoredCallLogItem;
}

const logCall = async (
  dialed: string,
  options: LocalCallOptions & { digits?: string } = {},
): Promise<Logged> => {
  const { digits, ...world } = options;
  const result = await system.runCall(
    { dialed, caller: CALLER, at: MONDAY_10AM, ...(digits === undefined ? {} : { digits }) },
    world,
  );
  // Through JSON, as the record reaches the ingest from Kinesis.
  const parsed = parseContactRecord(JSON.parse(JSON.stringify(result.simulation.contactRecord)));
  if (!parsed.ok)
    throw new Error(`the simulated record was refused: ${parsed.problems.join('; ')}`);
  const outcome = classifyCall(parsed.record);
  return {
    record: parsed.record,
    outcome,
    item: storedCallLogItem(callLogItem(parsed.record, outcome, { firstTime: true })),
  };
};

describe('simulated calls, classified', () => {
  it('austin-north, the ring-to answers: answered at the location', async () => {
    const { outcome, item } = await logCall(AUSTIN_GOOGLE);
    expect(outcome).toBe('answered-location');
    expect(item).toMatchObject({
      pk: expect.stringMatching(/^CALL#.+/),
      sk: 'CALL',
      monthKey: '2026-11',
      startedKey: `2026-11-23T16:00:00.000Z#${item.contactId}`,
      locationKey: 'LOC#austin-north',
      trackingNumberKey: `TN#${AUSTIN_GOOGLE}`,
      sourceKey: 'SRC#Google Ads',
      caller: CALLER,
      dialed: AUSTIN_GOOGLE,
      locationName: 'Austin North Self Storage',
      campaign: 'brand',
      trackingId: 'austin-north-google',
      answered: true,
      endpoint: AUSTIN_RING_TO,
      routeStatus: 'found',
    });
    expect(item.recordings).toHaveLength(1);
    expect(item.recordings[0]).toMatch(/CallRecordings\/2026\/11\/23\//);
    expect(rollupKeys(item)).toEqual({
      pk: 'ROLLUP#2026-11-23',
      sk: `austin-north#Google Ads#${AUSTIN_GOOGLE}`,
    });
  });

  it.each(['no-answer', 'busy'] as const)(
    "round-rock, ring-to %s: the system's voicemail is reached; missed until the packager stores the message",
    async (ringTo) => {
      const { outcome, item } = await logCall(ROUND_ROCK_MAIN, { ringTo });
      // The flow sets voicemail=recording; only the packager (not in this test) marks it left,
      // which the call log then counts as a voicemail. Until then no message is stored: missed.
      expect(outcome).toBe('missed');
      expect(item).toMatchObject({
        locationKey: 'LOC#round-rock',
        sourceKey: 'SRC#Main line',
        trackingNumberKey: `TN#${ROUND_ROCK_MAIN}`,
        answered: false,
      });
    },
  );

  it('denver-central, ring-to busy: the fallback number answers', async () => {
    const { outcome, item } = await logCall(DENVER_MAIN, { ringTo: 'busy' });
    expect(outcome).toBe('answered-fallback');
    expect(item).toMatchObject({
      locationKey: 'LOC#denver-central',
      endpoint: DENVER_FALLBACK,
      answered: true,
      // Denver does not record.
      recordings: [],
    });
  });

  it('austin-north, ring-to no-answer: the queue, an agent answers: answered by an agent', async () => {
    const { record, outcome, item } = await logCall(AUSTIN_GOOGLE, { ringTo: 'no-answer' });
    expect(record.agent?.connectedToAgentTimestamp).toBeDefined();
    expect(outcome).toBe('answered-agent');
    expect(item).toMatchObject({ endpoint: localQueueArn('call-center'), answered: true });
  });

  it('austin-north, ring-to no-answer: the queue, staffed but no agent free: missed', async () => {
    const { record, outcome, item } = await logCall(AUSTIN_GOOGLE, {
      ringTo: 'no-answer',
      agents: 'busy',
    });
    expect(record.queue?.arn).toBe(localQueueArn('call-center'));
    expect(outcome).toBe('missed');
    expect(item).toMatchObject({
      locationKey: 'LOC#austin-north',
      endpoint: localQueueArn('call-center'),
      answered: false,
    });
  });

  it('an unknown number: the static fallback answers; no location or source keys', async () => {
    const { outcome, item } = await logCall(UNKNOWN);
    expect(outcome).toBe('answered-fallback');
    expect(item.routeStatus).toBe('unknown');
    expect(item.trackingNumberKey).toBe(`TN#${UNKNOWN}`);
    expect(item.endpoint).toBe(STATIC_FALLBACK);
    expect(item).not.toHaveProperty('locationKey');
    expect(item).not.toHaveProperty('sourceKey');
    expect(item).not.toHaveProperty('locationId');
    expect(Object.values(item)).not.toContain('none');
  });

  it('the static fallback failing too: an apology and disconnect, missed', async () => {
    const { outcome, item } = await logCall(UNKNOWN, { numbers: { [STATIC_FALLBACK]: 'fail' } });
    expect(outcome).toBe('missed');
    expect(item).not.toHaveProperty('endpoint');
  });
});
