import type { ApiResponse, RouteHandlers } from '../adapters/http/api-contract.js';
import { locationIdFromPath, trackingNumberFromPath } from '../adapters/http/catalog-paths.js';
import {
  type CatalogEditorDependencies,
  createCatalogEditor,
} from '../use-cases/catalog-editor.js';
import { createManageLocations } from '../use-cases/manage-locations.js';
import { createManageTrackingNumbers } from '../use-cases/manage-tracking-numbers.js';
import type { SavedResource } from '../use-cases/saved-resource.js';
import { createRoutePreview } from './api-route-preview.js';

/**
 * The management API's handlers: locations and tracking numbers (use-cases/manage-locations.ts,
 * manage-tracking-numbers.ts over the catalog editor), and the route preview.
 */

export type ManagementOperation =
  | 'listLocations'
  | 'getLocation'
  | 'putLocation'
  | 'deleteLocation'
  | 'listTrackingNumbers'
  | 'getTrackingNumber'
  | 'putTrackingNumber'
  | 'deleteTrackingNumber'
  | 'previewRoute';

export type ManagementDependencies = CatalogEditorDependencies;

const noContent: ApiResponse = { statusCode: 204 };

/** 201 with the new resource, 200 with the replaced one. */
const saved = <R>({ created, resource }: SavedResource<R>): ApiResponse => ({
  statusCode: created ? 201 : 200,
  body: resource,
});

export const createManagementHandlers = (
  deps: ManagementDependencies,
): Pick<RouteHandlers, ManagementOperation> => {
  const editor = createCatalogEditor(deps);
  const locations = createManageLocations(editor);
  const numbers = createManageTrackingNumbers(editor);
  const { client, routingTableName, clock = () => new Date() } = deps;
  return {
    listLocations: async () => ({ statusCode: 200, body: { items: await locations.list() } }),
    getLocation: async ({ pathParameters }) => ({
      statusCode: 200,
      body: await locations.get(locationIdFromPath(pathParameters.id)),
    }),
    putLocation: async ({ pathParameters, body }) =>
      saved(await locations.put(locationIdFromPath(pathParameters.id), body)),
    deleteLocation: async ({ pathParameters }) => {
      await locations.delete(locationIdFromPath(pathParameters.id));
      return noContent;
    },

    listTrackingNumbers: async () => ({ statusCode: 200, body: { items: await numbers.list() } }),
    getTrackingNumber: async ({ pathParameters }) => ({
      statusCode: 200,
      body: await numbers.get(trackingNumberFromPath(pathParameters.number)),
    }),
    putTrackingNumber: async ({ pathParameters, body }) =>
      saved(await numbers.put(trackingNumberFromPath(pathParameters.number), body)),
    deleteTrackingNumber: async ({ pathParameters }) => {
      await numbers.delete(trackingNumberFromPath(pathParameters.number));
      return noContent;
    },

    previewRoute: createRoutePreview({ client, routingTableName, clock }),
  };
};
