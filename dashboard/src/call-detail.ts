import { type CallDetail, LEAD_STATUSES, type LeadUpdate } from './api.js';
import { leadBadge } from './calls.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render, select } from './dom.js';
import { formatDateTime, formatDuration, OUTCOME_LABELS } from './format.js';
import { estimatedCostText, journeyTimeline, routedToText } from './journey.js';

const facts = (call: CallDetail): HTMLDListElement => {
  const entries: readonly (readonly [string, string | null | undefined])[] = [
    ['Started', formatDateTime(call.startedAt)],
    ['Ended', call.endedAt ? formatDateTime(call.endedAt) : undefined],
    ['Duration', formatDuration(call.durationSeconds)],
    ['Caller', call.caller ?? 'Unknown'],
    ['Tracking number', call.trackingNumber],
    ['Location', call.locationName ?? call.locationId],
    ['Source', call.source],
    ['Campaign', call.campaign],
    ['Outcome', OUTCOME_LABELS[call.outcome] ?? call.outcome],
    ['Routed to', routedToText(call.routedTo)],
    ['Connect cost', estimatedCostText(call)],
    ['First-time caller', call.firstTime ? 'Yes (a lead)' : 'No'],
  ];
  return h(
    'dl',
    { className: 'facts' },
    entries
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v))),
  );
};

const recordingPlayer = (call: CallDetail): HTMLElement => {
  const recording = call.recordings[0];
  if (!recording) {
    return h(
      'p',
      { className: 'empty' },
      call.recording ? 'The recording is not available yet.' : 'This call was not recorded.',
    );
  }
  return h(
    'figure',
    { className: 'recording' },
    h('audio', { controls: true, preload: 'metadata', src: recording.url }),
    h(
      'figcaption',
      { className: 'hint' },
      `The link to this recording expires ${formatDateTime(recording.expiresAt)}; reload the page for a new one.`,
    ),
  );
};

/** The caller's message, when they left one: its player, length and transcript. */
const messagePlayer = (call: CallDetail): HTMLElement | null => {
  const message = call.voicemail;
  if (!message) return null;
  return h(
    'figure',
    { className: 'recording voicemail-message' },
    message.recordingUrl
      ? h('audio', { controls: true, preload: 'metadata', src: message.recordingUrl })
      : h('p', { className: 'empty' }, 'The message is not available yet.'),
    h(
      'figcaption',
      { className: 'hint' },
      `${formatDuration(message.durationSeconds)} long. `,
      message.transcript ?? 'No transcript.',
    ),
  );
};

const leadForm = (ctx: Context, call: CallDetail, onSaved: (c: CallDetail) => void) => {
  const status = select(
    'leadStatus',
    [['', 'Not set'], ...LEAD_STATUSES.map((s) => [s, s[0]?.toUpperCase() + s.slice(1)] as const)],
    call.leadStatus ?? '',
  );
  const value = h('input', {
    type: 'number',
    name: 'value',
    min: '0',
    step: '0.01',
    inputMode: 'decimal',
    value: call.value === undefined ? '' : String(call.value),
  });
  const note = h('textarea', { name: 'note', rows: 3, value: call.note ?? '' });
  const tags = h('input', { type: 'text', name: 'tags', value: (call.tags ?? []).join(', ') });
  const spam = h('input', { type: 'checkbox', name: 'spam', checked: call.spam === true });
  const save = h('button', { type: 'submit', className: 'primary' }, 'Save');
  const outcome = h('div', { className: 'form-outcome', attrs: { 'aria-live': 'polite' } });

  const form = h(
    'form',
    { className: 'lead-form', attrs: { 'aria-labelledby': 'lead-title' } },
    h('h2', { id: 'lead-title' }, 'Lead'),
    field('Status', status),
    field('Value', value, 'What the call was worth, e.g. the first month’s rent.'),
    field('Note', note),
    field('Tags', tags, 'Separated by commas.'),
    h('label', { className: 'check' }, spam, ' Spam'),
    h('div', { className: 'actions' }, save, outcome),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const tagList = tags.value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const update: LeadUpdate = {
      leadStatus: LEAD_STATUSES.find((s) => s === status.value) ?? null,
      value: value.value === '' ? null : Number(value.value),
      note: note.value.trim() === '' ? null : note.value.trim(),
      tags: tagList.length === 0 ? null : tagList,
      spam: spam.checked,
    };
    save.disabled = true;
    render(outcome, h('span', { className: 'status' }, 'Saving…'));
    ctx.api
      .updateCall(call.contactId, update)
      .then((updated) => {
        render(
          outcome,
          h('span', { className: 'status saved', attrs: { role: 'status' } }, 'Saved.'),
        );
        onSaved({
          ...updated,
          recordings: call.recordings,
          voicemail: call.voicemail,
          journey: call.journey,
        });
      })
      .catch((error: unknown) => render(outcome, errorBox(ctx, error)))
      .finally(() => {
        save.disabled = false;
      });
  });
  return form;
};

/** `#/calls/<contactId>`: what is known of a call, its recording, and its lead fields. */
export const callDetailView = async (
  ctx: Context,
  main: HTMLElement,
  contactId: string,
): Promise<void> => {
  const back = h('a', { href: '#/calls', className: 'back' }, '← All calls');
  render(main, back, loading('the call'));
  let call: CallDetail;
  try {
    call = await ctx.api.getCall(contactId);
  } catch (error) {
    render(main, back, h('h1', null, 'Call'), errorBox(ctx, error));
    return;
  }
  const badge = h('span');
  const showBadge = (c: CallDetail) => render(badge, leadBadge(c));
  showBadge(call);
  render(
    main,
    back,
    h(
      'div',
      { className: 'view-head' },
      h('h1', null, `Call from ${call.caller ?? 'an unknown caller'}`, ' ', badge),
    ),
    h(
      'div',
      { className: 'detail' },
      h(
        'section',
        { attrs: { 'aria-labelledby': 'about-title' } },
        h('h2', { id: 'about-title' }, 'About the call'),
        facts(call),
        h('h2', null, 'Journey'),
        journeyTimeline(call),
        h('h2', null, 'Recording'),
        recordingPlayer(call),
        call.voicemail ? h('h2', null, 'Message') : null,
        messagePlayer(call),
      ),
      h('section', null, leadForm(ctx, call, showBadge)),
    ),
  );
};
