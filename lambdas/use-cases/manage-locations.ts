import {
  type CatalogView,
  type LocationResource,
  locationBodySchema,
  locationResource,
  locationsOf,
  parseBody,
  trackingNumbersOf,
} from '../domain/catalog.js';
import { ConflictError, invalidResource, NotFoundError } from '../domain/request-errors.js';
import { type CatalogEditor, declaredInPortfolio } from './catalog-editor.js';
import type { SavedResource } from './saved-resource.js';

/**
 * The locations of the catalog: the portfolio file's (read-only here) and the API's. Refusals are
 * domain errors: NotFoundError, ConflictError (declared in the file, still in use),
 * InvalidRequestError and RoutingLoopError (the change breaks the file's rules).
 */

export interface ManageLocations {
  /** Every location, sorted by id. */
  list(): Promise<LocationResource[]>;
  get(id: string): Promise<LocationResource>;
  /** Creates or replaces the API's location `id` from a request body, and re-routes its numbers. */
  put(id: string, body: unknown): Promise<SavedResource<LocationResource>>;
  delete(id: string): Promise<void>;
}

const findLocation = (view: CatalogView, id: string) =>
  locationsOf(view).find((l) => l.item.id === id);

const noLocation = (id: string) => new NotFoundError(`there is no location ${id}`);

export const createManageLocations = (editor: CatalogEditor): ManageLocations => ({
  async list() {
    const view = await editor.readView();
    return locationsOf(view)
      .map((l) => locationResource(view, l))
      .sort((a, b) => a.id.localeCompare(b.id));
  },

  async get(id) {
    const view = await editor.readView();
    const found = findLocation(view, id);
    if (!found) throw noLocation(id);
    return locationResource(view, found);
  },

  async put(id, body) {
    const parsed = parseBody(locationBodySchema, body);
    if (!parsed.ok) throw invalidResource('body', `location ${id} is not valid`, parsed.problems);
    const location = { id, ...parsed.value };
    return editor.change((view) => {
      const existing = findLocation(view, id);
      if (existing?.owner === 'portfolio') throw declaredInPortfolio(view, `location ${id}`);
      const others = view.api.locations.filter((l) => l.id !== id);
      return {
        api: { ...view.api, locations: [...others, location] },
        affects: (v) => v.api.trackingNumbers.filter((t) => t.location === id).map((t) => t.number),
        async after(next) {
          // The API's numbers of this location embed its route: rewrite them.
          await editor.writeEntries(next, (t) => t.location === id);
          const saved = findLocation(next, id);
          return { created: !existing, resource: saved && locationResource(next, saved) };
        },
      };
    });
  },

  async delete(id) {
    await editor.change((view) => {
      const existing = findLocation(view, id);
      if (!existing) throw noLocation(id);
      if (existing.owner === 'portfolio') throw declaredInPortfolio(view, `location ${id}`);
      const using = trackingNumbersOf(view).filter((t) => t.item.location === id);
      if (using.length > 0) {
        throw new ConflictError(
          'in-use',
          `location ${id} still has tracking numbers: move them to another location or delete them first`,
          using.map((t) => `tracking number ${t.item.number} (${t.item.id}) routes to ${id}`),
        );
      }
      return {
        api: { ...view.api, locations: view.api.locations.filter((l) => l.id !== id) },
        after: async () => undefined,
      };
    });
  },
});
