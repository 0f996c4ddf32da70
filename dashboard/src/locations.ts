import {
  type Fallback,
  type Location,
  type LocationInput,
  type TrackingNumber,
  type TrackingNumberInput,
  WEEKDAYS,
  type Weekday,
} from './api.js';
import { type Context, errorBox } from './context.js';
import { field, h, loading, render, select } from './dom.js';

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const describeFallback = (f: Fallback): string =>
  f.type === 'queue'
    ? `Queue ${f.queue}`
    : f.type === 'number'
      ? f.number
      : 'number' in f
        ? `Voicemail ${f.number}`
        : 'Voicemail (recorded by the system)';

const list = (text: string): string[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const ownerCell = (
  item: { owner: string; declaredIn?: string },
  edit: () => void,
  remove: () => void,
  what: string,
): HTMLElement =>
  item.owner === 'portfolio'
    ? h(
        'td',
        { className: 'owner' },
        h('span', { className: 'read-only' }, `Declared in ${item.declaredIn ?? 'the portfolio'}`),
      )
    : h(
        'td',
        { className: 'owner' },
        h(
          'div',
          { className: 'row-actions' },
          h(
            'button',
            { type: 'button', onclick: edit, attrs: { 'aria-label': `Edit ${what}` } },
            'Edit',
          ),
          h(
            'button',
            {
              type: 'button',
              className: 'danger',
              onclick: remove,
              attrs: { 'aria-label': `Delete ${what}` },
            },
            'Delete',
          ),
        ),
      );

/** The location form: a new one, or an API-owned one to edit (its id then fixed). */
const locationForm = (
  ctx: Context,
  existing: Location | undefined,
  done: (message: string) => void,
): HTMLFormElement => {
  const input = (name: string, value = '', props: Record<string, unknown> = {}) =>
    h('input', { type: 'text', name, value, ...props });
  const id = input('id', existing?.id ?? '', {
    required: true,
    pattern: '[a-z0-9-]+',
    disabled: existing !== undefined,
  });
  const name = input('name', existing?.name ?? '', { required: true });
  const timeZone = input('timeZone', existing?.timeZone ?? '', {
    required: true,
    placeholder: 'America/Chicago',
  });
  const ringTo = input('ringTo', existing?.ringTo ?? '', {
    type: 'tel',
    required: true,
    placeholder: '+15125550100',
  });
  const ringTimeout = input(
    'ringTimeoutSeconds',
    existing?.ringTimeoutSeconds === undefined ? '' : String(existing.ringTimeoutSeconds),
    { type: 'number', min: '1', max: '600' },
  );
  const published = input('publishedNumbers', (existing?.publishedNumbers ?? []).join(', '));
  const hours = Object.fromEntries(
    WEEKDAYS.map((d) => [
      d,
      input(`hours.${d}`, existing?.hours[d] ?? '', {
        required: true,
        placeholder: '09:00-17:00',
      }),
    ]),
  ) as Record<Weekday, HTMLInputElement>;
  const recordingEnabled = h('input', {
    type: 'checkbox',
    name: 'recording.enabled',
    checked: existing?.recording?.enabled ?? true,
  });
  const disclosure = input('recording.disclosure', existing?.recording?.disclosure ?? '');
  const fallback = existing?.fallback;
  const fallbackType = select(
    'fallback.type',
    [
      ['number', 'Ring a number'],
      ['voicemail', 'Voicemail box (its number)'],
      ['system-voicemail', 'Voicemail recorded by the system (no number)'],
      ['queue', 'Queue'],
    ],
    fallback?.type === 'voicemail' && !('number' in fallback)
      ? 'system-voicemail'
      : (fallback?.type ?? 'number'),
  );
  const fallbackTarget = input(
    'fallback.target',
    fallback
      ? fallback.type === 'queue'
        ? fallback.queue
        : 'number' in fallback
          ? fallback.number
          : ''
      : '',
    // Not required: the system's own voicemail has no target; the API names a missing one.
    {},
  );
  const errors = h('div', { className: 'form-errors' });
  const title = existing ? `Edit location ${existing.id}` : 'Add a location';

  const form = h(
    'form',
    { className: 'editor', attrs: { 'aria-labelledby': 'location-form-title', novalidate: '' } },
    h('h3', { id: 'location-form-title' }, title),
    h(
      'div',
      { className: 'grid' },
      field('ID', id, 'Lowercase letters, digits and dashes.'),
      field('Name', name),
      field('Time zone', timeZone, 'An IANA name.'),
      field('Ring-to number', ringTo, 'E.164. Never a tracking number or a published line.'),
      field('Ring timeout (seconds)', ringTimeout, 'Optional, 1–600.'),
      field('Published numbers', published, 'Optional, separated by commas.'),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Hours'),
      h(
        'p',
        { className: 'hint' },
        '“09:00-17:00” (ranges separated by commas), “closed” or “open-24h”.',
      ),
      h(
        'div',
        { className: 'grid hours' },
        WEEKDAYS.map((d) => field(DAY_NAMES[d], hours[d])),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'When nobody answers'),
      h(
        'div',
        { className: 'grid' },
        field('Fallback', fallbackType),
        field('Number or queue', fallbackTarget),
      ),
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Recording'),
      h('label', { className: 'check' }, recordingEnabled, ' Record calls'),
      field('Disclosure', disclosure, 'Optional; played before recording starts.'),
    ),
    errors,
    h(
      'div',
      { className: 'actions' },
      h('button', { type: 'submit', className: 'primary' }, 'Save location'),
      existing ? h('button', { type: 'button', onclick: () => done('') }, 'Cancel') : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const target = fallbackTarget.value.trim();
    const type = fallbackType.value;
    const body: LocationInput = {
      name: name.value.trim(),
      timeZone: timeZone.value.trim(),
      hours: Object.fromEntries(WEEKDAYS.map((d) => [d, hours[d].value.trim()])) as Record<
        Weekday,
        string
      >,
      ringTo: ringTo.value.trim(),
      ...(ringTimeout.value === '' ? {} : { ringTimeoutSeconds: Number(ringTimeout.value) }),
      publishedNumbers: list(published.value),
      recording: {
        enabled: recordingEnabled.checked,
        ...(disclosure.value.trim() === '' ? {} : { disclosure: disclosure.value.trim() }),
      },
      fallback:
        type === 'queue'
          ? { type: 'queue', queue: target }
          : type === 'system-voicemail'
            ? { type: 'voicemail' }
            : { type: type === 'voicemail' ? 'voicemail' : 'number', number: target },
      ...(existing?.menu ? { menu: existing.menu } : {}),
    };
    const locationId = id.value.trim();
    if (locationId === '') {
      render(
        errors,
        h('p', { className: 'error', attrs: { role: 'alert' } }, 'Give the location an ID.'),
      );
      id.focus();
      return;
    }
    render(errors, h('p', { className: 'status' }, 'Saving…'));
    ctx.api
      .putLocation(locationId, body)
      .then(() => done(`Saved location ${locationId}.`))
      .catch((error: unknown) => render(errors, errorBox(ctx, error)));
  });
  return form;
};

const trackingNumberForm = (
  ctx: Context,
  existing: TrackingNumber | undefined,
  locations: readonly Location[],
  done: (message: string) => void,
): HTMLFormElement => {
  const number = h('input', {
    type: 'tel',
    name: 'number',
    value: existing?.number ?? '',
    required: true,
    placeholder: '+15125550199',
    disabled: existing !== undefined,
  });
  const id = h('input', { type: 'text', name: 'id', value: existing?.id ?? '', required: true });
  const location = select(
    'location',
    [['', 'Choose a location'], ...locations.map((l) => [l.id, l.name] as const)],
    existing?.locationId ?? '',
  );
  location.required = true;
  const source = h('input', {
    type: 'text',
    name: 'source',
    value: existing?.source ?? '',
    required: true,
    placeholder: 'Google Ads',
  });
  const campaign = h('input', { type: 'text', name: 'campaign', value: existing?.campaign ?? '' });
  const errors = h('div', { className: 'form-errors' });
  const form = h(
    'form',
    { className: 'editor', attrs: { 'aria-labelledby': 'tn-form-title', novalidate: '' } },
    h(
      'h3',
      { id: 'tn-form-title' },
      existing ? `Edit ${existing.number}` : 'Add a tracking number',
    ),
    h(
      'div',
      { className: 'grid' },
      field('Number', number, 'E.164, already in the Connect instance.'),
      field('ID', id),
      field('Location', location),
      field('Source', source, 'The ad source, e.g. Google Ads.'),
      field('Campaign', campaign, 'Optional.'),
    ),
    errors,
    h(
      'div',
      { className: 'actions' },
      h('button', { type: 'submit', className: 'primary' }, 'Save tracking number'),
      existing ? h('button', { type: 'button', onclick: () => done('') }, 'Cancel') : null,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body: TrackingNumberInput = {
      id: id.value.trim(),
      location: location.value,
      source: source.value.trim(),
      ...(campaign.value.trim() === '' ? {} : { campaign: campaign.value.trim() }),
    };
    if (number.value.trim() === '') {
      render(
        errors,
        h('p', { className: 'error', attrs: { role: 'alert' } }, 'Give the tracking number.'),
      );
      number.focus();
      return;
    }
    render(errors, h('p', { className: 'status' }, 'Saving…'));
    ctx.api
      .putTrackingNumber(number.value.trim(), body)
      .then(() => done(`Saved tracking number ${number.value.trim()}.`))
      .catch((error: unknown) => render(errors, errorBox(ctx, error)));
  });
  return form;
};

/** `#/locations`: the locations and tracking numbers; API-owned ones can be edited here. */
export const locationsView = async (ctx: Context, main: HTMLElement): Promise<void> => {
  const notice = h('div', { attrs: { 'aria-live': 'polite' } });
  const body = h('div', null, loading('locations and tracking numbers'));
  render(
    main,
    h('div', { className: 'view-head' }, h('h1', null, 'Locations & numbers')),
    notice,
    body,
  );

  const reload = async (message = ''): Promise<void> => {
    render(
      notice,
      message ? h('p', { className: 'status saved', attrs: { role: 'status' } }, message) : null,
    );
    let locations: readonly Location[];
    let numbers: readonly TrackingNumber[];
    try {
      const [l, n] = await Promise.all([ctx.api.listLocations(), ctx.api.listTrackingNumbers()]);
      locations = l.items;
      numbers = n.items;
    } catch (error) {
      render(body, errorBox(ctx, error));
      return;
    }
    const done = (m: string) => void reload(m);
    const failed = (error: unknown) => render(notice, errorBox(ctx, error));
    const locationSlot = h('div');
    const numberSlot = h('div');
    const showLocationForm = (l?: Location) => {
      render(locationSlot, locationForm(ctx, l, done));
      locationSlot.querySelector<HTMLInputElement>('input:not([disabled])')?.focus();
    };
    const showNumberForm = (t?: TrackingNumber) => {
      render(numberSlot, trackingNumberForm(ctx, t, locations, done));
      numberSlot.querySelector<HTMLInputElement>('input:not([disabled])')?.focus();
    };
    const names = new Map(locations.map((l) => [l.id, l.name]));
    render(
      body,
      h(
        'section',
        { attrs: { 'aria-labelledby': 'locations-title' } },
        h('h2', { id: 'locations-title' }, 'Locations'),
        h(
          'div',
          { className: 'table-scroll' },
          h(
            'table',
            { className: 'data' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                [
                  'Location',
                  'Time zone',
                  'Ring-to',
                  'When nobody answers',
                  'Tracking numbers',
                  'Owner',
                ].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              null,
              locations.map((l) =>
                h(
                  'tr',
                  { dataset: { location: l.id } },
                  h('th', { scope: 'row' }, l.name, h('div', { className: 'hint' }, l.id)),
                  h('td', null, l.timeZone),
                  h('td', { className: 'tel' }, l.ringTo),
                  h('td', null, describeFallback(l.fallback)),
                  h('td', { className: 'tel' }, l.trackingNumbers.join(', ') || '—'),
                  ownerCell(
                    l,
                    () => showLocationForm(l),
                    () => {
                      if (!window.confirm(`Delete location ${l.name}?`)) return;
                      ctx.api
                        .deleteLocation(l.id)
                        .then(() => done(`Deleted location ${l.id}.`), failed);
                    },
                    `location ${l.name}`,
                  ),
                ),
              ),
            ),
          ),
        ),
        locationSlot,
      ),
      h(
        'section',
        { attrs: { 'aria-labelledby': 'numbers-title' } },
        h('h2', { id: 'numbers-title' }, 'Tracking numbers'),
        h(
          'div',
          { className: 'table-scroll' },
          h(
            'table',
            { className: 'data' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['Number', 'ID', 'Location', 'Source', 'Campaign', 'Owner'].map((c) =>
                  h('th', { scope: 'col' }, c),
                ),
              ),
            ),
            h(
              'tbody',
              null,
              numbers.map((t) =>
                h(
                  'tr',
                  { dataset: { number: t.number } },
                  h('th', { scope: 'row', className: 'tel' }, t.number),
                  h('td', null, t.id),
                  h('td', null, names.get(t.locationId) ?? t.locationId),
                  h('td', null, t.source),
                  h('td', null, t.campaign ?? '—'),
                  ownerCell(
                    t,
                    () => showNumberForm(t),
                    () => {
                      if (!window.confirm(`Delete tracking number ${t.number}?`)) return;
                      ctx.api
                        .deleteTrackingNumber(t.number)
                        .then(() => done(`Deleted tracking number ${t.number}.`), failed);
                    },
                    `tracking number ${t.number}`,
                  ),
                ),
              ),
            ),
          ),
        ),
        numberSlot,
      ),
    );
    render(locationSlot, locationForm(ctx, undefined, done));
    render(numberSlot, trackingNumberForm(ctx, undefined, locations, done));
  };
  await reload();
};
