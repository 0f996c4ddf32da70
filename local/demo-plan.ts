import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { LeadUpdate } from '../lambdas/domain/call-log-item.js';
import type { RoutingEntry } from '../lambdas/domain/route.js';
import type { ThirdPartyBehaviour } from '../lambdas/flow/simulator/types.js';

/**
 * A realistic month of calls for the demo, planned from a seed so every `npm start -- --demo`
 * shows the same month: busier weekdays, most calls in opening hours and some after, a mix of
 * sources, repeat callers, ring-to lines that do not always answer, and some leads that rent.
 * The plan only says who dials what and when; the simulator, route-call and the ingest decide
 * everything else, as they would for a real call.
 */

export interface DemoCall {
  readonly contactId: string;
  readonly dialed: string;
  readonly caller: string;
  readonly at: Date;
  readonly ringTo: ThirdPartyBehaviour;
  /** Keys the caller presses when the location has a menu. */
  readonly digits: string;
  /** What the location later records about the lead (applied after the ingest). */
  readonly lead?: LeadUpdate;
  /** The caller nobody answered leaves a message this long (its later contact record says so). */
  readonly messageSeconds?: number;
}

export interface DemoPlanOptions {
  /** The tracking numbers to dial (the routing entries of the local system). */
  readonly entries: readonly RoutingEntry[];
  /** The plan covers the `days` days before this instant. */
  readonly until: Date;
  /** @default 30 */
  readonly days?: number;
  /** @default 20261126 */
  readonly seed?: number;
}

/** How often each kind of ad source rings, relative to the others. */
const SOURCE_WEIGHT: readonly [RegExp, number][] = [
  [/google ads/i, 5],
  [/main line/i, 4],
  [/google business/i, 3],
  [/yelp/i, 2],
];
const weightOf = (entry: RoutingEntry): number =>
  SOURCE_WEIGHT.find(([pattern]) => pattern.test(entry.source))?.[1] ?? 1;

const RING_TO: readonly [ThirdPartyBehaviour, number][] = [
  ['answer', 72],
  ['no-answer', 18],
  ['busy', 6],
  ['fail', 4],
];

/** Fictional caller numbers: the 555-01XX range of area codes the portfolio does not use. */
const CALLER_AREA_CODES = ['737', '720', '210', '214', '832'];

export const planDemoCalls = (options: DemoPlanOptions): DemoCall[] => {
  const { entries, until, days = 30, seed = 20261126 } = options;
  if (entries.length === 0) throw new Error('the demo needs at least one tracking number');
  const rng = xoroshiro128plus(seed);
  const random = (): number => uniformFloat64(rng);
  const pick = <T>(weighted: readonly (readonly [T, number])[]): T => {
    const total = weighted.reduce((sum, [, w]) => sum + w, 0);
    let roll = random() * total;
    for (const [value, weight] of weighted) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (weighted.at(-1) as readonly [T, number])[0];
  };
  const weightedEntries = entries.map((entry) => [entry, weightOf(entry)] as const);
  const callers = CALLER_AREA_CODES.flatMap((area) =>
    Array.from({ length: 100 }, (_, i) => `+1${area}55501${String(i).padStart(2, '0')}`),
  );
  const seen: string[] = [];
  const hex = (n: number): string =>
    Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

  const calls: DemoCall[] = [];
  const firstDay = new Date(until.getTime() - days * 86_400_000);
  for (let d = 0; d < days; d += 1) {
    const day = new Date(
      Date.UTC(firstDay.getUTCFullYear(), firstDay.getUTCMonth(), firstDay.getUTCDate() + d),
    );
    const weekend = day.getUTCDay() === 0 || day.getUTCDay() === 6;
    const count = weekend ? 5 + Math.floor(random() * 5) : 12 + Math.floor(random() * 9);
    for (let n = 0; n < count; n += 1) {
      const entry = pick(weightedEntries);
      // Local hour: mostly 9-18, about one call in eight in the evening or early morning.
      const localHour =
        random() < 0.88 ? 9 + random() * 9 : random() < 0.5 ? 6 + random() * 3 : 18 + random() * 4;
      const at = new Date(
        day.getTime() + (localHour + utcOffsetHours(entry.route.timeZone, day)) * 3_600_000,
      );
      if (at.getTime() >= until.getTime()) continue;
      const repeat = seen.length > 0 && random() < 0.25;
      const caller = repeat
        ? (seen[Math.floor(random() * seen.length)] as string)
        : (callers[Math.floor(random() * callers.length)] as string);
      seen.push(caller);
      const ringTo = pick(RING_TO);
      const roll = random();
      const lead: LeadUpdate | undefined =
        ringTo !== 'answer'
          ? undefined
          : roll < 0.3
            ? { leadStatus: 'rented', value: 80 + Math.round(random() * 120) }
            : roll < 0.45
              ? { leadStatus: 'lost' }
              : roll < 0.8
                ? { leadStatus: 'active' }
                : roll < 0.82
                  ? { spam: true }
                  : undefined;
      calls.push({
        contactId: `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`,
        dialed: entry.trackingNumber,
        caller,
        at,
        ringTo,
        digits: random() < 0.9 ? '1' : '2',
        ...(lead ? { lead } : {}),
        // About one unanswered caller in three leaves a message, as operators report.
        ...(ringTo !== 'answer' && roll < 0.35
          ? { messageSeconds: 8 + Math.round(roll * 100) }
          : {}),
      });
    }
  }
  return calls.sort((a, b) => a.at.getTime() - b.at.getTime());
};

/** Hours to add to a local time of `day` in `timeZone` to get UTC (6 for Chicago in winter). */
const utcOffsetHours = (timeZone: string, day: Date): number => {
  const noon = new Date(day.getTime() + 12 * 3_600_000);
  const local = new Date(noon.toLocaleString('en-US', { timeZone }));
  const utc = new Date(noon.toLocaleString('en-US', { timeZone: 'UTC' }));
  return (utc.getTime() - local.getTime()) / 3_600_000;
};
