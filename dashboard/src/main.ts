import 'uplot/dist/uPlot.min.css';
import '../styles.css';
import { createApi } from './api.js';
import { decodeOrUndefined, forgetToken, signInForm, takeToken } from './auth.js';
import { callDetailView } from './call-detail.js';
import { callsView } from './calls.js';
import { type Context, errorBox } from './context.js';
import { h, render } from './dom.js';
import { locationsView } from './locations.js';
import { performanceView } from './performance.js';
import { voicemailView } from './voicemail.js';

const NAV = [
  ['#/performance', 'Performance'],
  ['#/calls', 'Calls'],
  ['#/voicemail', 'Voicemail'],
  ['#/locations', 'Locations & numbers'],
] as const;

const root = document.getElementById('app') ?? document.body;

/** `#/calls/abc?x=1` → path segments `['calls', 'abc']` and the query. */
const parseHash = (hash: string): { path: string[]; params: URLSearchParams } => {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  return {
    path: path
      .split('/')
      .filter((s) => s !== '')
      // A malformed escape keeps its raw text: the view then says it found nothing.
      .map((s) => decodeOrUndefined(s) ?? s),
    params: new URLSearchParams(query),
  };
};

let onHashChange: (() => void) | undefined;

const signOut = (message?: string, isError = true): void => {
  forgetToken();
  if (onHashChange) window.removeEventListener('hashchange', onHashChange);
  onHashChange = undefined;
  document.title = 'Sign in · Call tracking';
  render(
    root,
    h(
      'main',
      { className: 'signed-out' },
      signInForm(message === undefined ? undefined : { text: message, isError }, start),
    ),
  );
};

function start(token: string): void {
  const api = createApi(token);
  const main = h('main', { id: 'main', tabIndex: -1 });
  // The skip link focuses the content itself: following `#main` would change the route.
  const skip = h('a', { href: '#main', className: 'skip-link' }, 'Skip to content');
  skip.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  const links = NAV.map(([href, label]) => h('a', { href }, label));
  const signOutButton = h('button', { type: 'button', className: 'quiet' }, 'Sign out');
  signOutButton.addEventListener('click', () =>
    signOut('Signed out. The token is forgotten in this tab.', false),
  );
  render(
    root,
    skip,
    h(
      'header',
      { className: 'top' },
      h('span', { className: 'brand' }, 'Call tracking'),
      h('nav', { attrs: { 'aria-label': 'Views' } }, links),
      signOutButton,
    ),
    main,
  );
  let signedOut = false;
  let previousView = '';
  const route = () => {
    if (signedOut) return;
    const { path, params } = parseHash(window.location.hash);
    const view = path[0] ?? 'performance';
    for (const link of links) {
      const current = link.getAttribute('href') === `#/${view}`;
      if (current) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const ctx: Context = {
      api,
      params,
      navigate: (hash) => {
        window.location.hash = hash;
      },
      signOut: (message) => {
        if (signedOut) return;
        signedOut = true;
        signOut(message);
      },
    };
    const title = NAV.find(([href]) => href === `#/${view}`)?.[1] ?? 'Call';
    document.title = `${title} · Call tracking`;
    // Each route renders into an element of its own: a slow answer to an earlier route then lands
    // in a detached element, never over the current view.
    const viewRoot = h('div', { className: 'view' });
    render(main, viewRoot);
    const run =
      view === 'calls' && path[1] !== undefined
        ? callDetailView(ctx, viewRoot, path[1])
        : view === 'calls'
          ? callsView(ctx, viewRoot)
          : view === 'voicemail'
            ? voicemailView(ctx, viewRoot)
            : view === 'locations'
              ? locationsView(ctx, viewRoot)
              : performanceView(ctx, viewRoot);
    // Focus moves to the new view when the person chose another one, not on every filter change.
    const key = `${view}/${path[1] ?? ''}`;
    if (previousView !== '' && key !== previousView) main.focus({ preventScroll: true });
    previousView = key;
    run.catch((error: unknown) => render(viewRoot, errorBox(ctx, error)));
  };
  onHashChange = route;
  window.addEventListener('hashchange', route);
  route();
}

const token = takeToken();
if (token) start(token);
else signOut();
