import type { Call, Location } from './api.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render, select } from './dom.js';
import { formatDateTime, formatDuration, lastDays } from './format.js';

/** Messages shown at once: a location's last 30 days rarely hold more. */
const MESSAGE_LIMIT = 100;

/**
 * The message's player, on the link of the call's own GET (presigned for 5 minutes, so fetched when
 * the row is shown, one request per message).
 */
const player = async (ctx: Context, call: Call): Promise<HTMLElement> => {
  const detail = await ctx.api.getCall(call.contactId);
  const url = detail.voicemail?.recordingUrl;
  if (!url) return h('span', { className: 'empty' }, 'The audio is not available yet.');
  return h('audio', { controls: true, preload: 'none', src: url });
};

/** The "handled" mark: a checkbox that PATCHes the call, reverted with the API's words on refusal. */
const handledMark = (ctx: Context, call: Call): HTMLElement => {
  const box = h('input', { type: 'checkbox', name: 'handled', checked: call.handled });
  const problem = h('span', { attrs: { 'aria-live': 'polite' } });
  box.addEventListener('change', () => {
    const handled = box.checked;
    box.disabled = true;
    render(problem);
    ctx.api
      .updateCall(call.contactId, { handled })
      .then((updated) => {
        box.checked = updated.handled;
        box.closest('tr')?.classList.toggle('handled', updated.handled);
      })
      .catch((error: unknown) => {
        box.checked = !handled;
        render(problem, errorBox(ctx, error));
      })
      .finally(() => {
        box.disabled = false;
      });
  });
  return h('label', { className: 'check' }, box, ' Handled', problem);
};

const messageRow = (ctx: Context, call: Call): HTMLTableRowElement => {
  const audio = h('td', null, loading('the message'));
  player(ctx, call)
    .then((el) => render(audio, el))
    .catch((error: unknown) => render(audio, errorBox(ctx, error)));
  return h(
    'tr',
    { dataset: { contactId: call.contactId }, className: call.handled ? 'handled' : '' },
    h(
      'td',
      null,
      h(
        'a',
        { href: `#/calls/${encodeURIComponent(call.contactId)}` },
        formatDateTime(call.startedAt),
      ),
    ),
    h('td', { className: 'tel' }, call.caller ?? 'Unknown'),
    h('td', null, call.source ?? '—'),
    h('td', { className: 'num' }, formatDuration(call.durationSeconds)),
    audio,
    h('td', null, handledMark(ctx, call)),
  );
};

/** `#/voicemail?locationId=…`: a location's messages of the last 30 days, newest first. */
export const voicemailView = async (ctx: Context, main: HTMLElement): Promise<void> => {
  render(main, h('h1', null, 'Voicemail'), loading('the locations'));
  const locations: readonly Location[] = (await ctx.api.listLocations()).items;
  const locationId = ctx.params.get('locationId') || locations[0]?.id || '';
  const chooser = select(
    'locationId',
    locations.map((l) => [l.id, l.name] as const),
    locationId,
  );
  chooser.addEventListener('change', () =>
    ctx.navigate(`#/voicemail?locationId=${encodeURIComponent(chooser.value)}`),
  );
  const list = h('div', null, loading('the messages'));
  render(main, h('h1', null, 'Voicemail'), field('Location', chooser), list);
  if (locationId === '') {
    render(list, h('p', { className: 'empty' }, 'No location yet.'));
    return;
  }
  const page = await ctx.api.listCalls({
    ...lastDays(30),
    locationId,
    outcome: 'voicemail',
    limit: MESSAGE_LIMIT,
  });
  if (page.items.length === 0) {
    render(list, h('p', { className: 'empty' }, 'No message in the last 30 days.'));
    return;
  }
  render(
    list,
    h(
      'table',
      { className: 'data voicemail' },
      h('caption', { className: 'visually-hidden' }, 'Messages left at the location'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Received', 'Caller', 'Source', 'Call length', 'Message', 'Handled'].map((label) =>
            h('th', { scope: 'col' }, label),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        page.items.map((call) => messageRow(ctx, call)),
      ),
    ),
    page.nextCursor
      ? h('p', { className: 'hint' }, `The newest ${MESSAGE_LIMIT} are shown.`)
      : null,
  );
};
