import type { LocalRoutingSystem } from '../../local/routing-system.js';
import { EXAMPLE_NUMBERS } from '../support/fixtures.js';
import { agentTookIt, type Ctr, ctrOf, type Item, withLastUpdate } from '../support/ingestion.js';

/**
 * The contact records the replay and fault suites deliver (from calls run through the shipped flow
 * and route-call, local/): four contacts, two callers, two later records (an agent took a
 * missed call; a call moved to another source's group and gained the attributes of a message left
 * in the system's voicemail), and an earlier call of caller X that displaces a later one as X's
 * first call at Austin.
 */

const { caller: CALLER_X, austinGoogle: AUSTIN, roundRockMain: ROUND_ROCK } = EXAMPLE_NUMBERS;
const CALLER_Y = '+15125558765';

/** Monday 23 November 2026 in Chicago: every location open (Round Rock closes for lunch). */
const chicago = (time: string): Date => new Date(`2026-11-23T${time}:00-06:00`);

export const replayRecords = async (system: LocalRoutingSystem): Promise<Ctr[]> => {
  const call = (contactId: string, dialed: string, caller: string, at: Date, missed = false) =>
    ctrOf(
      system,
      { contactId, dialed, caller, at },
      // Missed: the location does not answer and nobody in its queue is free (until an agent is).
      missed ? { ringTo: 'no-answer', agents: 'busy' } : {},
    );
  const late = await call('x-late', AUSTIN, CALLER_X, chicago('10:00'));
  const early = await call('x-early', AUSTIN, CALLER_X, chicago('09:30'));
  const missed = await call('y-missed', AUSTIN, CALLER_Y, chicago('11:00'), true);
  const roundRock = await call('y-rr', ROUND_ROCK, CALLER_Y, chicago('12:00'));
  const attributes = roundRock.Attributes as Record<string, string>;
  return [
    late,
    early,
    missed,
    agentTookIt(missed),
    roundRock,
    withLastUpdate(roundRock, 60_000, {
      Attributes: {
        ...attributes,
        source: 'Yelp',
        voicemail: 'left',
        voicemailKey: 'connect/voicemail/y-rr.wav',
        voicemailDurationSeconds: '21',
      },
    }),
  ];
};

/** The records sorted by LastUpdateTimestamp: one ordered delivery. */
export const inOrder = (records: readonly Ctr[]): Ctr[] =>
  [...records].sort((a, b) =>
    String(a.LastUpdateTimestamp).localeCompare(String(b.LastUpdateTimestamp)),
  );

/**
 * What must not depend on the order of delivery. Left out, as delivery legitimately changes them:
 * `revision` (counts the non-stale writes and markings), a call's `rollupGroups` (the groups it
 * was ever seen in), the tombstones those leave, and the caller items' `displacedContactIds` (the
 * history of which call was first when). Kept: every call field, the live rollup members, the
 * caller items' first call, and every ROLLUP item exactly.
 */
export const deliveryIndependent = (items: readonly Item[]): Item[] =>
  items
    .filter((item) => item.gone !== true)
    .map(({ revision: _r, rollupGroups: _g, displacedContactIds: _d, ...item }) => item);
