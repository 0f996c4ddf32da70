/** Numbers, dates and durations as people read them. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const dateTime = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export const formatInteger = (n: number): string => integer.format(n);

/** A rate 0–1; an em dash when there is nothing to divide. */
export const formatPercent = (rate: number | null): string =>
  rate === null ? '—' : percent.format(rate);

export const formatValue = (n: number | undefined): string =>
  n === undefined ? '' : money.format(n);

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/** An amount in US dollars, to the tenth of a cent a call's estimate needs: `$0.1297`. */
export const formatCost = (amount: number): string => usd.format(amount);

export const formatDateTime = (iso: string): string => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
};

export const formatDuration = (seconds: number | undefined | null): string => {
  if (seconds === undefined || seconds === null) return '—';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
};

export const OUTCOME_LABELS: Readonly<Record<string, string>> = {
  'answered-location': 'Answered',
  'answered-agent': 'Answered (call center)',
  'answered-fallback': 'Answered (fallback)',
  voicemail: 'Voicemail',
  callback: 'Callback requested',
  'voicemail-box': 'Voicemail box',
  missed: 'Missed',
  abandoned: 'Abandoned',
};

/** `yyyy-mm-dd` of a local date. */
export const isoDay = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The last `days` days, today included. */
export const lastDays = (days: number, today = new Date()): { from: string; to: string } => {
  const from = new Date(today);
  from.setDate(from.getDate() - (days - 1));
  return { from: isoDay(from), to: isoDay(today) };
};

/** A report group as people read it: the API's `-` (or nothing) is a call without that value. */
export const groupLabel = (group: string | null, none = 'Unattributed'): string =>
  isAbsentGroup(group) ? none : group;

export const isAbsentGroup = (
  group: string | null | undefined,
): group is null | undefined | '' | '-' =>
  group === null || group === undefined || group === '' || group === '-';
