import {
  type Call,
  type CallFilters,
  LEAD_STATUSES,
  type LeadStatus,
  OUTCOMES,
  type Outcome,
} from './api.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render, select } from './dom.js';
import { formatDateTime, formatDuration, lastDays, OUTCOME_LABELS } from './format.js';

const PAGE_SIZE = 50;

/** The filter a person just changed: it keeps the focus when the list comes back. */
let refocus: string | undefined;

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | undefined =>
  values.find((x) => x === v);

/** The filters of `#/calls?…`; the date range defaults to the last 30 days. */
const filtersFrom = (params: URLSearchParams): CallFilters => {
  const defaults = lastDays(30);
  const firstTime = params.get('firstTime');
  return {
    from: params.get('from') || defaults.from,
    to: params.get('to') || defaults.to,
    locationId: params.get('locationId') || undefined,
    source: params.get('source') || undefined,
    outcome: oneOf<Outcome>(OUTCOMES, params.get('outcome')),
    firstTime: firstTime === 'true' || firstTime === 'false' ? firstTime : undefined,
    leadStatus: oneOf<LeadStatus>(LEAD_STATUSES, params.get('leadStatus')),
  };
};

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const leadBadge = (call: Call): HTMLElement | null => {
  if (call.spam) return h('span', { className: 'badge spam' }, 'Spam');
  if (call.leadStatus)
    return h('span', { className: `badge lead-${call.leadStatus}` }, capitalize(call.leadStatus));
  if (call.firstTime) return h('span', { className: 'badge lead-new' }, 'New lead');
  return null;
};

const callRow = (ctx: Context, call: Call): HTMLTableRowElement => {
  const href = `#/calls/${encodeURIComponent(call.contactId)}`;
  const tr = h(
    'tr',
    { className: 'clickable', dataset: { contactId: call.contactId } },
    h('td', null, h('a', { href }, formatDateTime(call.startedAt))),
    h('td', { className: 'tel' }, call.caller ?? 'Unknown'),
    h('td', null, call.locationName ?? call.locationId ?? '—'),
    h('td', null, call.source ?? '—'),
    h(
      'td',
      null,
      h(
        'span',
        { className: `outcome outcome-${call.outcome}` },
        OUTCOME_LABELS[call.outcome] ?? call.outcome,
      ),
    ),
    h('td', { className: 'num' }, formatDuration(call.durationSeconds)),
    h('td', null, leadBadge(call)),
  );
  // The link is the keyboard's way in; the whole row is a larger target for the mouse.
  tr.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLAnchorElement)) ctx.navigate(href);
  });
  return tr;
};

/** `#/calls?…`: the call list with its filters, a page at a time. */
export const callsView = async (ctx: Context, main: HTMLElement): Promise<void> => {
  const filters = filtersFrom(ctx.params);
  const formSlot = h('div');
  const results = h('section', { attrs: { 'aria-label': 'Calls' } }, loading('calls'));
  render(main, h('div', { className: 'view-head' }, h('h1', null, 'Calls')), formSlot, results);

  // The location and source choices come from the portfolio; the list does not wait for them.
  const choices = Promise.all([ctx.api.listLocations(), ctx.api.listTrackingNumbers()]).catch(
    () => undefined,
  );
  void choices.then((loaded) => {
    const locations = loaded?.[0].items ?? [];
    const sources = [...new Set((loaded?.[1].items ?? []).map((t) => t.source))].sort();
    if (filters.source && !sources.includes(filters.source)) sources.push(filters.source);
    render(formSlot, filterForm(ctx, filters, locations, sources));
    if (refocus) formSlot.querySelector<HTMLElement>(`[name="${refocus}"]`)?.focus();
    refocus = undefined;
  });

  const tbody = h('tbody');
  const count = h('p', { className: 'count', attrs: { role: 'status' } });
  const more = h('button', { type: 'button', hidden: true }, 'Load more');
  const moreError = h('div');
  let shown = 0;
  let cursor: string | undefined;

  const load = async (): Promise<void> => {
    const page = await ctx.api.listCalls({ ...filters, limit: PAGE_SIZE, cursor });
    tbody.append(...page.items.map((call) => callRow(ctx, call)));
    shown += page.items.length;
    cursor = page.nextCursor;
    more.hidden = cursor === undefined;
    count.textContent =
      shown === 0
        ? 'No calls match these filters.'
        : `${shown} call${shown === 1 ? '' : 's'}${cursor ? ' so far' : ''}.`;
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    more.textContent = 'Loading…';
    load()
      .then(() => render(moreError))
      .catch((error: unknown) => render(moreError, errorBox(ctx, error)))
      .finally(() => {
        more.disabled = false;
        more.textContent = 'Load more';
      });
  });

  try {
    await load();
  } catch (error) {
    render(results, errorBox(ctx, error));
    return;
  }
  const table = h(
    'table',
    { className: 'data calls' },
    h('caption', { className: 'visually-hidden' }, 'Calls, newest first'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ['Started', 'Caller', 'Location', 'Source', 'Outcome', 'Duration', 'Lead'].map((label) =>
          h(
            'th',
            label === 'Duration' ? { scope: 'col', className: 'num' } : { scope: 'col' },
            label,
          ),
        ),
      ),
    ),
    tbody,
  );
  render(results, count, h('div', { className: 'table-scroll' }, table), moreError, more);
  await choices;
};

const filterForm = (
  ctx: Context,
  filters: CallFilters,
  locations: readonly { id: string; name: string }[],
  sources: readonly string[],
): HTMLFormElement => {
  const form = h(
    'form',
    { className: 'filters', attrs: { 'aria-label': 'Filter calls' } },
    field('From', h('input', { type: 'date', name: 'from', value: filters.from ?? '' })),
    field('To', h('input', { type: 'date', name: 'to', value: filters.to ?? '' })),
    field(
      'Location',
      select(
        'locationId',
        [['', 'All locations'], ...locations.map((l) => [l.id, l.name] as const)],
        filters.locationId,
      ),
    ),
    field(
      'Source',
      select(
        'source',
        [['', 'All sources'], ...sources.map((s) => [s, s] as const)],
        filters.source,
      ),
    ),
    field(
      'Outcome',
      select(
        'outcome',
        [['', 'Any outcome'], ...OUTCOMES.map((o) => [o, OUTCOME_LABELS[o] ?? o] as const)],
        filters.outcome,
      ),
    ),
    field(
      'Caller',
      select(
        'firstTime',
        [
          ['', 'Anyone'],
          ['true', 'First-time (leads)'],
          ['false', 'Repeat'],
        ],
        filters.firstTime,
      ),
    ),
    field(
      'Lead status',
      select(
        'leadStatus',
        [['', 'Any status'], ...LEAD_STATUSES.map((s) => [s, capitalize(s)] as const)],
        filters.leadStatus,
      ),
    ),
  );
  // Each change applies at once: the address keeps the filters, so back and reload keep them too.
  const apply = () => {
    const params = new URLSearchParams();
    for (const [key, value] of new FormData(form)) {
      if (typeof value === 'string' && value !== '') params.set(key, value);
    }
    ctx.navigate(`#/calls?${params}`);
  };
  // A choice applies at once, and focus comes back to it in the new list's form; dates apply with
  // the button or Enter, since a date field changes with every part typed.
  form.addEventListener('change', (event) => {
    if (!(event.target instanceof HTMLSelectElement)) return;
    refocus = event.target.name;
    apply();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  form.append(h('button', { type: 'submit' }, 'Apply'));
  return form;
};
