import { isQueueArn } from './connect-arn.js';
import { isRecord } from './is-record.js';
import { isE164, NOT_E164 } from './phone-number.js';
import { RING_TIMEOUT_RANGE, type RoutingEntry, type RoutingOwner } from './route.js';
import { DAYS, isKnownTimeZone, parseDayHours } from './weekly-hours.js';

/**
 * The one check of a routing entry's shape, wherever an entry crosses a boundary: the custom
 * resource checks what CDK computed before writing it (claimed numbers and queue ARNs were tokens
 * at synth), and route-call checks what it reads, so a hand-edited or half-migrated item becomes an
 * `error` answer instead of a crash or an empty string sent to the flow.
 *
 * It accepts every entry `routingEntriesOf` builds from a valid portfolio: E.164 numbers, a queue
 * ARN for a queue target, a known time zone, hours for all seven days, a ring timeout within
 * RING_TIMEOUT_RANGE, a disclosure always present (the portfolio fills in its default). Kept free of
 * dependencies: route-call bundles it, and its cold start pays for every kilobyte.
 */

export const ROUTING_OWNERS: readonly RoutingOwner[] = ['portfolio', 'api'];

export type ParsedRoutingEntry =
  | { readonly ok: true; readonly entry: RoutingEntry }
  | { readonly ok: false; readonly problems: readonly string[] };

type Check = (value: unknown) => string | undefined;

const text: Check = (value) =>
  typeof value !== 'string'
    ? 'must be a string'
    : value.trim() === ''
      ? 'must not be empty'
      : undefined;

const e164: Check = (value) => (typeof value === 'string' && isE164(value) ? undefined : NOT_E164);

const queueArn: Check = (value) =>
  isQueueArn(value)
    ? undefined
    : 'is not a Connect queue ARN (arn:aws:connect:<region>:<account>:instance/<id>/queue/<id>)';

const ringTimeout: Check = (value) =>
  typeof value === 'number' &&
  Number.isInteger(value) &&
  value >= RING_TIMEOUT_RANGE.min &&
  value <= RING_TIMEOUT_RANGE.max
    ? undefined
    : `must be a whole number of seconds from ${RING_TIMEOUT_RANGE.min} to ${RING_TIMEOUT_RANGE.max}`;

const timeZone: Check = (value) =>
  typeof value === 'string' && isKnownTimeZone(value) ? undefined : 'is not an IANA time zone';

const owner: Check = (value) =>
  ROUTING_OWNERS.includes(value as RoutingOwner)
    ? undefined
    : `must be ${ROUTING_OWNERS.map((o) => `"${o}"`).join(' or ')}`;

/** Collects `<path> <problem>` lines; `at` checks one field of a map. */
class Problems {
  readonly list: string[] = [];

  add(path: string, problem: string | undefined): void {
    if (problem !== undefined) this.list.push(`${path} ${problem}`);
  }

  at(map: Record<string, unknown>, path: string, field: string, check: Check): void {
    this.add(`${path}${field}`, check(map[field]));
  }

  /** The map at `path`, or undefined (with a problem) when the value is not one. */
  map(value: unknown, path: string, shape: string): Record<string, unknown> | undefined {
    if (isRecord(value)) return value;
    this.add(path, `must be ${shape}`);
    return undefined;
  }
}

const hoursProblems = (problems: Problems, value: unknown): void => {
  const hours = problems.map(value, 'route.hours', `a map of ${DAYS.join(', ')}`);
  if (!hours) return;
  for (const day of DAYS) {
    const parsed = typeof hours[day] === 'string' ? parseDayHours(hours[day]) : 'is missing';
    if (typeof parsed === 'string') problems.add(`route.hours.${day}`, parsed);
  }
  for (const key of Object.keys(hours)) {
    if (!(DAYS as readonly string[]).includes(key)) {
      problems.add(`route.hours.${key}`, `is not a day: use ${DAYS.join(', ')}`);
    }
  }
};

/** A queue-or-number target: `types` lists the kinds this target may be. */
const targetProblems = (
  problems: Problems,
  value: unknown,
  path: string,
  types: readonly string[],
): void => {
  const shape = types
    .map((type) => `{type: ${type}, ${type === 'queue' ? 'queueArn' : 'number'}}`)
    .join(' or ');
  const target = problems.map(value, path, shape);
  if (!target) return;
  if (typeof target.type !== 'string' || !types.includes(target.type)) {
    problems.add(`${path}.type`, `must be one of ${types.join(', ')}`);
  } else if (target.type === 'queue') {
    problems.at(target, `${path}.`, 'queueArn', queueArn);
  } else if (target.type === 'voicemail' && target.number === undefined) {
    // The system's own voicemail: nothing to dial.
  } else {
    problems.at(target, `${path}.`, 'number', e164);
  }
};

/**
 * Checks that `value` is a routing entry. Returns it (the same object, extra fields kept) or every
 * problem found, each as `<field path> <what is wrong>`.
 */
export const parseRoutingEntry = (value: unknown): ParsedRoutingEntry => {
  const problems = new Problems();
  const entry = problems.map(value, '(entry)', 'a map');
  if (!entry) return { ok: false, problems: problems.list };

  problems.at(entry, '', 'trackingNumber', e164);
  for (const field of ['trackingId', 'locationId', 'locationName', 'source', 'campaign']) {
    problems.at(entry, '', field, text);
  }
  problems.at(entry, '', 'owner', owner);

  const route = problems.map(entry.route, 'route', 'a map');
  if (route) {
    problems.at(route, 'route.', 'ringTo', e164);
    problems.at(route, 'route.', 'ringTimeoutSeconds', ringTimeout);
    problems.at(route, 'route.', 'timeZone', timeZone);
    hoursProblems(problems, route.hours);
    const recording = problems.map(route.recording, 'route.recording', '{enabled, disclosure}');
    if (recording) {
      problems.add(
        'route.recording.enabled',
        typeof recording.enabled === 'boolean' ? undefined : 'must be true or false',
      );
      problems.at(recording, 'route.recording.', 'disclosure', text);
      if (recording.staffLeg !== undefined && typeof recording.staffLeg !== 'boolean')
        problems.add('route.recording.staffLeg', 'must be true or false, or left out');
    }
    if (route.takesPaymentsByPhone !== undefined && typeof route.takesPaymentsByPhone !== 'boolean')
      problems.add('route.takesPaymentsByPhone', 'must be true or false, or left out');
    targetProblems(problems, route.fallback, 'route.fallback', ['queue', 'number', 'voicemail']);
    if (route.menu !== undefined) {
      const menu = problems.map(route.menu, 'route.menu', '{prompt, payments}');
      if (menu) {
        problems.at(menu, 'route.menu.', 'prompt', text);
        targetProblems(problems, menu.payments, 'route.menu.payments', ['queue', 'number']);
      }
    }
  }
  return problems.list.length > 0
    ? { ok: false, problems: problems.list }
    : { ok: true, entry: entry as unknown as RoutingEntry };
};
