import type { Location, Summary, SummaryRow } from './api.js';
import { callsPerDayChart, dailyTable } from './chart.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render } from './dom.js';
import { formatInteger, formatPercent, lastDays } from './format.js';

const COLUMNS: readonly (readonly [label: string, value: (r: SummaryRow) => string])[] = [
  ['Calls', (r) => formatInteger(r.calls)],
  ['Lead calls', (r) => formatInteger(r.leadCalls)],
  ['Unique callers', (r) => formatInteger(r.uniqueCallers)],
  ['Answered', (r) => formatInteger(r.answered)],
  ['Missed', (r) => formatInteger(r.missed)],
  ['Close %', (r) => formatPercent(r.closeRate)],
];

const row = (label: string, r: SummaryRow, className?: string): HTMLTableRowElement =>
  h(
    'tr',
    className ? { className } : null,
    h('th', { scope: 'row' }, label),
    COLUMNS.map(([, value]) => h('td', { className: 'num' }, value(r))),
  );

/**
 * The Ad Performance table, source × location: one group of rows per location (a row per ad source
 * and the location's own totals), then the totals of every call in the range. Totals come from the
 * API, never added up here: unique callers do not add across rows.
 */
const performanceTable = (
  perLocation: readonly { location: Location; summary: Summary }[],
  overall: Summary,
): HTMLTableElement =>
  h(
    'table',
    { className: 'data performance' },
    h('caption', { className: 'visually-hidden' }, 'Ad performance by source and location'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, 'Source'),
        COLUMNS.map(([label]) => h('th', { scope: 'col', className: 'num' }, label)),
      ),
    ),
    perLocation.map(({ location, summary }) =>
      h(
        'tbody',
        { dataset: { location: location.id } },
        h(
          'tr',
          { className: 'group' },
          h('th', { scope: 'rowgroup', colSpan: COLUMNS.length + 1 }, location.name),
        ),
        summary.rows.length === 0
          ? h(
              'tr',
              { className: 'empty' },
              h('td', { colSpan: COLUMNS.length + 1 }, 'No calls in this period.'),
            )
          : [
              ...summary.rows.map((r) => row(r.group, r, 'source')),
              row(`All sources at ${location.name}`, summary.totals, 'subtotal'),
            ],
      ),
    ),
    h('tfoot', null, row('All locations', overall.totals, 'total')),
  );

/** `#/performance?from&to`: the chart of calls per day and the Ad Performance table. */
export const performanceView = async (ctx: Context, main: HTMLElement): Promise<void> => {
  const defaults = lastDays(30);
  const from = ctx.params.get('from') || defaults.from;
  const to = ctx.params.get('to') || defaults.to;

  const fromInput = h('input', { type: 'date', name: 'from', value: from, required: true });
  const toInput = h('input', { type: 'date', name: 'to', value: to, required: true });
  const form = h(
    'form',
    { className: 'filters', attrs: { 'aria-label': 'Date range' } },
    field('From', fromInput),
    field('To', toInput),
    h('button', { type: 'submit' }, 'Show'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.navigate(
      `#/performance?${new URLSearchParams({ from: fromInput.value, to: toInput.value })}`,
    );
  });

  const chartSection = h('section', { attrs: { 'aria-labelledby': 'chart-title' } });
  const tableSection = h('section', { attrs: { 'aria-labelledby': 'table-title' } });
  render(
    main,
    h('div', { className: 'view-head' }, h('h1', null, 'Performance'), form),
    chartSection,
    tableSection,
  );
  render(chartSection, h('h2', { id: 'chart-title' }, 'Calls per day'), loading('the chart'));
  render(
    tableSection,
    h('h2', { id: 'table-title' }, 'Ad performance by source and location'),
    loading('the figures'),
  );

  const range = { from, to };
  const chart = ctx.api
    .timeseries('day', 'source', range)
    .then((ts) => {
      const { figure, mount } = callsPerDayChart(dailyTable(ts, from, to));
      render(chartSection, h('h2', { id: 'chart-title' }, 'Calls per day'), figure);
      mount();
    })
    .catch((error: unknown) => {
      render(chartSection, h('h2', { id: 'chart-title' }, 'Calls per day'), errorBox(ctx, error));
    });

  const table = (async () => {
    const [locations, overall] = await Promise.all([
      ctx.api.listLocations(),
      ctx.api.summary('source', range),
    ]);
    const perLocation = await Promise.all(
      locations.items.map(async (location) => ({
        location,
        summary: await ctx.api.summary('source', { ...range, locationId: location.id }),
      })),
    );
    render(
      tableSection,
      h('h2', { id: 'table-title' }, 'Ad performance by source and location'),
      h('div', { className: 'table-scroll' }, performanceTable(perLocation, overall)),
      h(
        'p',
        { className: 'note' },
        'Lead calls are first-time callers to a location. Close % is rented leads per lead call.',
      ),
    );
  })().catch((error: unknown) => {
    render(
      tableSection,
      h('h2', { id: 'table-title' }, 'Ad performance by source and location'),
      errorBox(ctx, error),
    );
  });

  await Promise.all([chart, table]);
};
