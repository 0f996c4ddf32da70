import uPlot from 'uplot';
import type { Timeseries } from './api.js';
import { h } from './dom.js';
import { groupLabel } from './format.js';

/** A restrained palette: distinct in hue, even in weight, readable on white. */
export const PALETTE = [
  '#2f6fb0',
  '#d9822b',
  '#3a9a6a',
  '#b34d6d',
  '#7a5cb8',
  '#8a8f36',
  '#3f97a6',
  '#9b6b43',
];

/** `yyyy-mm-dd` of a point's `t`: an ISO date or timestamp, or epoch milliseconds or seconds. */
const dayKey = (t: string | number): string => {
  if (typeof t === 'string') return t.slice(0, 10);
  return new Date(t < 1e11 ? t * 1000 : t).toISOString().slice(0, 10);
};

/** Every day from `from` to `to`, inclusive. */
const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && days.length < 1000; t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
};

/** Local midnight of a `yyyy-mm-dd`, in seconds: uPlot shows it as that day. */
const localMidnight = (day: string): number => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).getTime() / 1000;
};

export interface DailyTable {
  readonly days: readonly string[];
  readonly series: readonly { readonly group: string; readonly calls: readonly number[] }[];
}

/** The series on one axis of days (every day of the range, missing days as 0), busiest first. */
export const dailyTable = (ts: Timeseries, from: string, to: string): DailyTable => {
  const days = daysBetween(from, to);
  const index = new Map(days.map((d, i) => [d, i]));
  const series = ts.series.map(({ group, points }) => {
    const calls = days.map(() => 0);
    for (const p of points) {
      const i = index.get(dayKey(p.t));
      if (i !== undefined) calls[i] = (calls[i] ?? 0) + p.calls;
    }
    return { group: groupLabel(group, 'No source'), calls };
  });
  const total = (c: readonly number[]) => c.reduce((a, b) => a + b, 0);
  series.sort((a, b) => total(b.calls) - total(a.calls) || a.group.localeCompare(b.group));
  return { days, series };
};

/**
 * Calls per day, one line per group, with uPlot's legend. The figure carries a text summary for
 * screen readers, since the canvas says nothing to them.
 */
export const callsPerDayChart = (table: DailyTable): { figure: HTMLElement; mount(): void } => {
  const plot = h('div', { className: 'chart' });
  const totals = table.series.map(
    ({ group, calls }) => `${group}: ${calls.reduce((a, b) => a + b, 0)}`,
  );
  const figure = h(
    'figure',
    { className: 'chart-figure' },
    plot,
    h(
      'figcaption',
      { className: 'visually-hidden' },
      `Calls per day by source. Totals: ${totals.join(', ') || 'no calls'}.`,
    ),
  );
  const mount = () => {
    if (table.series.length === 0) {
      plot.append(h('p', { className: 'empty' }, 'No calls in this period.'));
      return;
    }
    const width = () => Math.max(320, plot.clientWidth || 800);
    const chart = new uPlot(
      {
        width: width(),
        height: 260,
        cursor: { points: { size: 7 } },
        legend: { live: true },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(4, max)] } },
        axes: [
          { stroke: '#5b6470', grid: { stroke: '#eceef1' }, ticks: { stroke: '#d8dce1' } },
          {
            stroke: '#5b6470',
            grid: { stroke: '#eceef1' },
            ticks: { stroke: '#d8dce1' },
            incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
            values: (_u, splits) => splits.map((v) => String(v)),
          },
        ],
        series: [
          { label: 'Day', value: '{YYYY}-{MM}-{DD}' },
          ...table.series.map(({ group }, i) => ({
            label: group,
            stroke: PALETTE[i % PALETTE.length] ?? '#2f6fb0',
            width: 2,
            points: { size: 5 },
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : String(v)),
          })),
        ],
      },
      [table.days.map(localMidnight), ...table.series.map((s) => [...s.calls])],
      plot,
    );
    const observer = new ResizeObserver(() => {
      if (plot.isConnected) chart.setSize({ width: width(), height: 260 });
      else observer.disconnect();
    });
    observer.observe(plot);
  };
  return { figure, mount };
};
