/**
 * Weekly opening hours of a location, evaluated in the location's own time zone.
 *
 * A day is `closed`, `open-24h`, or one or more `HH:MM-HH:MM` ranges separated by commas
 * (`08:00-12:00,13:00-18:00`). `24:00` may end a range. Ranges do not cross midnight: write
 * `18:00-24:00` on one day and `00:00-02:00` on the next.
 */
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export type WeeklyHours = Record<Day, string>;

/** Minutes since midnight, [start, end). */
export type OpenRange = readonly [start: number, end: number];

const RANGE = /^([01]\d|2[0-3]):([0-5]\d)-(([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * Parses one day's hours. Returns the ranges, or a message saying what is wrong and how to write it.
 */
export const parseDayHours = (text: string): OpenRange[] | string => {
  const value = text.trim();
  if (value === 'closed') return [];
  if (value === 'open-24h') return [[0, 24 * 60]];
  const ranges: OpenRange[] = [];
  for (const part of value.split(',')) {
    const match = RANGE.exec(part.trim());
    if (!match) {
      return `"${part.trim()}" is not a range: write HH:MM-HH:MM (24-hour clock, e.g. 09:00-17:30), "closed" or "open-24h"`;
    }
    const start = Number(match[1]) * 60 + Number(match[2]);
    const end = match[3] === '24:00' ? 24 * 60 : Number(match[4]) * 60 + Number(match[5]);
    if (end <= start) {
      return `"${part.trim()}" ends before it starts: ranges cannot cross midnight, split them over two days`;
    }
    ranges.push([start, end]);
  }
  return ranges;
};

const weekdayFormatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = weekdayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    weekdayFormatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True when `timeZone` is an IANA zone this runtime knows. */
export const isKnownTimeZone = (timeZone: string): boolean => {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** The weekday and minutes since midnight of an instant, on the wall clock of `timeZone`. */
export const localTime = (at: Date, timeZone: string): { day: Day; minutes: number } => {
  const parts = formatterFor(timeZone).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = part('weekday').toLowerCase().slice(0, 3) as Day;
  return { day, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
};

/** Whether a location with these hours is open at `at`. Unparseable hours count as closed. */
export const isOpenAt = (hours: WeeklyHours, timeZone: string, at: Date): boolean => {
  const { day, minutes } = localTime(at, timeZone);
  const ranges = parseDayHours(hours[day]);
  if (typeof ranges === 'string') return false;
  return ranges.some(([start, end]) => minutes >= start && minutes < end);
};
