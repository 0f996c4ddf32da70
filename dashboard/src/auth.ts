import { h } from './dom.js';

const KEY = 'call-tracking.token';

/**
 * The API token: from the URL fragment `#token=…` (which the local server prints), kept in
 * sessionStorage and removed from the address bar; else the one kept earlier in this tab.
 */
export const takeToken = (): string | undefined => {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  const token = match?.[1] === undefined ? undefined : decodeOrUndefined(match[1]);
  if (token) {
    sessionStorage.setItem(KEY, token);
    history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
    return token;
  }
  return sessionStorage.getItem(KEY) ?? undefined;
};

/** A percent-decoded text, or undefined for a malformed escape (a mistyped link). */
export const decodeOrUndefined = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

export const forgetToken = (): void => sessionStorage.removeItem(KEY);

/** The sign-in form: asks for a token and hands it to `signIn`. */
export const signInForm = (
  message: { readonly text: string; readonly isError: boolean } | undefined,
  signIn: (token: string) => void,
): HTMLElement => {
  const input = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    required: true,
    autocomplete: 'off',
    spellcheck: false,
  });
  const form = h(
    'form',
    { className: 'sign-in', attrs: { 'aria-labelledby': 'sign-in-title' } },
    h('h1', { id: 'sign-in-title' }, 'Call tracking'),
    h(
      'p',
      null,
      'Sign in with an API token. The local server prints a link that carries one; a deployed API takes an access token.',
    ),
    message
      ? h(
          'p',
          message.isError
            ? { className: 'error', attrs: { role: 'alert' } }
            : { className: 'status', attrs: { role: 'status' } },
          message.text,
        )
      : null,
    h('label', { htmlFor: 'token', className: 'field-label' }, 'API token'),
    input,
    h('button', { type: 'submit', className: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (token === '') return;
    sessionStorage.setItem(KEY, token);
    signIn(token);
  });
  queueMicrotask(() => input.focus());
  return form;
};
