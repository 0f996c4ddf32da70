import { type Api, ApiError } from './api.js';
import { h } from './dom.js';

/** What every view is handed. */
export interface Context {
  readonly api: Api;
  /** The query of the current route (`#/calls?source=Yelp` → `source=Yelp`). */
  readonly params: URLSearchParams;
  /** Goes to another route, e.g. `#/calls/abc`. */
  navigate(hash: string): void;
  /** Signs out and shows the sign-in form with `message`. */
  signOut(message: string): void;
}

/**
 * An error in words: the API's message and its list of problems. A refused token (401) signs out,
 * so the sign-in form asks for another.
 */
export const errorBox = (ctx: Context, error: unknown): HTMLElement => {
  if (error instanceof ApiError && error.status === 401) {
    ctx.signOut(`The API refused the token: ${error.message}`);
  }
  const message = error instanceof Error ? error.message : `Something went wrong: ${String(error)}`;
  const problems = error instanceof ApiError ? error.problems : [];
  return h(
    'div',
    { className: 'error', attrs: { role: 'alert' } },
    h('p', null, message),
    problems.length > 0
      ? h(
          'ul',
          null,
          problems.map((p) => h('li', null, p)),
        )
      : null,
  );
};
