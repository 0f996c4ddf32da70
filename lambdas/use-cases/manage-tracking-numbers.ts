import {
  type CatalogTrackingNumber,
  type CatalogView,
  parseBody,
  type TrackingNumberResource,
  trackingNumberBodySchema,
  trackingNumberResource,
  trackingNumbersOf,
} from '../domain/catalog.js';
import { invalidResource, NotFoundError } from '../domain/request-errors.js';
import { type CatalogEditor, declaredInPortfolio } from './catalog-editor.js';
import type { SavedResource } from './saved-resource.js';

/**
 * The tracking numbers of the catalog: the portfolio file's (read-only here) and the API's, each
 * routed by its routing item from its next call on. Refusals are domain errors: NotFoundError,
 * ConflictError (declared in the file), InvalidRequestError and RoutingLoopError (the change
 * breaks the file's rules).
 */

export interface ManageTrackingNumbers {
  /** Every tracking number, sorted. */
  list(): Promise<TrackingNumberResource[]>;
  get(number: string): Promise<TrackingNumberResource>;
  /** Creates or replaces the API's tracking number from a request body, and routes it. */
  put(number: string, body: unknown): Promise<SavedResource<TrackingNumberResource>>;
  delete(number: string): Promise<void>;
}

const findNumber = (view: CatalogView, number: string) =>
  trackingNumbersOf(view).find((t) => t.item.number === number);

const noNumber = (number: string) => new NotFoundError(`there is no tracking number ${number}`);

export const createManageTrackingNumbers = (editor: CatalogEditor): ManageTrackingNumbers => ({
  async list() {
    const view = await editor.readView();
    return trackingNumbersOf(view)
      .map((t) => trackingNumberResource(view, t))
      .sort((a, b) => a.number.localeCompare(b.number));
  },

  async get(number) {
    const view = await editor.readView();
    const found = findNumber(view, number);
    if (!found) throw noNumber(number);
    return trackingNumberResource(view, found);
  },

  async put(number, body) {
    const parsed = parseBody(trackingNumberBodySchema, body);
    if (!parsed.ok) {
      throw invalidResource('body', `tracking number ${number} is not valid`, parsed.problems);
    }
    const entry: CatalogTrackingNumber = { ...parsed.value, number };
    return editor.change((view) => {
      const existing = findNumber(view, number);
      if (existing?.owner === 'portfolio') {
        throw declaredInPortfolio(view, `tracking number ${number}`);
      }
      const others = view.api.trackingNumbers.filter((t) => t.number !== number);
      return {
        api: { ...view.api, trackingNumbers: [...others, entry] },
        affects: () => [number],
        async after(next) {
          // Written at once: route-call routes the number from its next call on.
          await editor.writeEntries(next, (t) => t.number === number);
          const saved = findNumber(next, number);
          return { created: !existing, resource: saved && trackingNumberResource(next, saved) };
        },
      };
    });
  },

  async delete(number) {
    await editor.change((view) => {
      const existing = findNumber(view, number);
      if (!existing) {
        return {
          async after() {
            // An item left by a delete interrupted after its catalog write goes now.
            if (!(await editor.deleteEntry(number))) throw noNumber(number);
          },
        };
      }
      if (existing.owner === 'portfolio') {
        throw declaredInPortfolio(view, `tracking number ${number}`);
      }
      return {
        api: {
          ...view.api,
          trackingNumbers: view.api.trackingNumbers.filter((t) => t.number !== number),
        },
        affects: () => [number],
        async after() {
          await editor.deleteEntry(number);
        },
      };
    });
  },
});
