import type { Location, SummaryFigures, SummaryRow } from './api.js';
import { callsPerDayChart, dailyTable } from './chart.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render } from './dom.js';
import {
  formatCost,
  formatInteger,
  formatPercent,
  groupLabel,
  isAbsentGroup,
  lastDays,
} from './format.js';

const COLUMNS: readonly (readonly [label: string, value: (r: SummaryFigures) => string])[] = [
  ['Calls', (r) => formatInteger(r.calls)],
  ['Lead calls', (r) => formatInteger(r.leadCalls)],
  ['Unique callers', (r) => formatInteger(r.uniqueCallers)],
  ['Answered', (r) => formatInteger(r.answered)],
  ['Missed', (r) => formatInteger(r.missed)],
  ['Voicemail', (r) => formatInteger(r.voicemail)],
  ['Callbacks', (r) => formatInteger(r.callback)],
  ['Close %', (r) => formatPercent(r.closeRate)],
];

const row = (label: string, r: SummaryFigures, className?: string): HTMLTableRowElement =>
  h(
    'tr',
    className ? { className } : null,
    h('th', { scope: 'row' }, label),
    COLUMNS.map(([, value]) => h('td', { className: 'num' }, value(r))),
  );

/** One location's rows: a row per ad source (none when they are not known), and its totals. */
interface LocationGroup {
  readonly key: string;
  readonly name: string;
  readonly sources: readonly SummaryRow[];
  readonly totals: SummaryFigures;
}

/**
 * The Ad Performance table, source × location: one group of rows per location (a row per ad source
 * and the location's own totals), then the totals of every call in the range. Totals come from the
 * API, never added up here: unique callers do not add across rows.
 */
const performanceTable = (
  groups: readonly LocationGroup[],
  totals: SummaryFigures,
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
    groups.map((group) =>
      h(
        'tbody',
        { dataset: { location: group.key } },
        h(
          'tr',
          { className: 'group' },
          h('th', { scope: 'rowgroup', colSpan: COLUMNS.length + 1 }, group.name),
        ),
        group.totals.calls === 0
          ? h(
              'tr',
              { className: 'empty' },
              h('td', { colSpan: COLUMNS.length + 1 }, 'No calls in this period.'),
            )
          : [
              ...group.sources.map((r) => row(groupLabel(r.group, 'No source'), r, 'source')),
              row(
                group.key === '-' ? 'All sources' : `All sources at ${group.name}`,
                group.totals,
                'subtotal',
              ),
            ],
      ),
    ),
    h('tfoot', null, row('All calls', totals, 'total')),
  );

/**
 * The groups of the table: every location of GET /locations, and any other the calls name (one
 * since deleted), each with its sources (`groupBy=source&locationId=…`); calls without a location
 * last, as one row, since no filter selects them by source.
 */
const locationGroups = async (
  ctx: Context,
  range: { from: string; to: string },
): Promise<{ groups: LocationGroup[]; totals: SummaryFigures }> => {
  const [locations, byLocation] = await Promise.all([
    ctx.api.listLocations(),
    ctx.api.summary('location', range),
  ]);
  const names = new Map<string, string>(locations.items.map((l: Location) => [l.id, l.name]));
  for (const r of byLocation.rows) {
    if (!isAbsentGroup(r.group) && !names.has(r.group)) names.set(r.group, r.group);
  }
  const groups: LocationGroup[] = await Promise.all(
    [...names].map(async ([id, name]) => {
      const summary = await ctx.api.summary('source', { ...range, locationId: id });
      return { key: id, name, sources: summary.rows, totals: summary.totals };
    }),
  );
  const unlocated = byLocation.rows.find((r) => isAbsentGroup(r.group));
  if (unlocated && unlocated.calls > 0) {
    groups.push({ key: '-', name: 'Calls without a location', sources: [], totals: unlocated });
  }
  return { groups, totals: byLocation.totals };
};

/** The range's headline figures, from the API's totals. */
const headline = (t: SummaryFigures): HTMLElement => {
  const tile = (label: string, value: string, detail: string) =>
    h(
      'div',
      { className: 'kpi' },
      h('dt', null, label),
      h('dd', null, h('span', { className: 'kpi-value' }, value), h('small', null, detail)),
    );
  return h(
    'dl',
    { className: 'kpis' },
    tile('Calls', formatInteger(t.calls), `${formatInteger(t.uniqueCallers)} unique callers`),
    tile('Lead calls', formatInteger(t.leadCalls), 'first-time callers'),
    tile(
      'Answered',
      formatPercent(t.calls === 0 ? null : t.answered / t.calls),
      `${formatInteger(t.answered)} of ${formatInteger(t.calls)} calls`,
    ),
    tile(
      'Close rate',
      formatPercent(t.closeRate),
      `${formatInteger(t.conversions)} rented of ${formatInteger(t.leadCalls)} leads`,
    ),
    tile('Connect cost', formatCost(t.estimatedCost.total), 'estimated, from the price table'),
  );
};

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
  const kpis = h('div', { className: 'kpi-slot' });
  render(
    main,
    h('div', { className: 'view-head' }, h('h1', null, 'Performance'), form),
    kpis,
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
    const { groups, totals } = await locationGroups(ctx, range);
    render(kpis, headline(totals));
    render(
      tableSection,
      h('h2', { id: 'table-title' }, 'Ad performance by source and location'),
      h('div', { className: 'table-scroll' }, performanceTable(groups, totals)),
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
