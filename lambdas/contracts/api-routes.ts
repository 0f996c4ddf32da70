/**
 * The reporting and management API's routes and scopes, shared by the Lambda router, the CDK
 * routes (API Gateway authorizes each route by its scope), the local HTTP server and the OpenAPI
 * test: one list of routes.
 */

/** `read`: every GET. `admin`: also the writes. An admin token may do everything a read one may. */
export type Scope = 'read' | 'admin';

/** The OAuth scopes the deployed API's JWT authorizer checks (Cognito resource server `calltracking`). */
export const OAUTH_SCOPES: Readonly<Record<Scope, string>> = {
  read: 'calltracking/read',
  admin: 'calltracking/admin',
};

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiRoute {
  readonly operationId: OperationId;
  readonly method: HttpMethod;
  /** API Gateway route path syntax: `/calls/{contactId}`. */
  readonly path: string;
  readonly scope: Scope;
}

export const API_ROUTES = [
  { operationId: 'listCalls', method: 'GET', path: '/calls', scope: 'read' },
  { operationId: 'getCall', method: 'GET', path: '/calls/{contactId}', scope: 'read' },
  { operationId: 'updateCall', method: 'PATCH', path: '/calls/{contactId}', scope: 'admin' },
  { operationId: 'getSummary', method: 'GET', path: '/reports/summary', scope: 'read' },
  { operationId: 'getTimeseries', method: 'GET', path: '/reports/timeseries', scope: 'read' },
  { operationId: 'listLocations', method: 'GET', path: '/locations', scope: 'read' },
  { operationId: 'getLocation', method: 'GET', path: '/locations/{id}', scope: 'read' },
  { operationId: 'putLocation', method: 'PUT', path: '/locations/{id}', scope: 'admin' },
  { operationId: 'deleteLocation', method: 'DELETE', path: '/locations/{id}', scope: 'admin' },
  { operationId: 'listTrackingNumbers', method: 'GET', path: '/tracking-numbers', scope: 'read' },
  {
    operationId: 'getTrackingNumber',
    method: 'GET',
    path: '/tracking-numbers/{number}',
    scope: 'read',
  },
  {
    operationId: 'putTrackingNumber',
    method: 'PUT',
    path: '/tracking-numbers/{number}',
    scope: 'admin',
  },
  {
    operationId: 'deleteTrackingNumber',
    method: 'DELETE',
    path: '/tracking-numbers/{number}',
    scope: 'admin',
  },
  { operationId: 'previewRoute', method: 'GET', path: '/route-preview', scope: 'read' },
  // Webhooks: admin only, reads included (the deliveries name the receivers' URLs and errors).
  { operationId: 'registerWebhook', method: 'POST', path: '/webhooks', scope: 'admin' },
  { operationId: 'listWebhooks', method: 'GET', path: '/webhooks', scope: 'admin' },
  { operationId: 'deleteWebhook', method: 'DELETE', path: '/webhooks/{id}', scope: 'admin' },
  {
    operationId: 'listWebhookDeliveries',
    method: 'GET',
    path: '/webhooks/{id}/deliveries',
    scope: 'admin',
  },
  // Privacy: erasing a caller on request, and the audit of erasures (who, when, how much).
  { operationId: 'eraseCaller', method: 'POST', path: '/privacy/erasures', scope: 'admin' },
  { operationId: 'listErasures', method: 'GET', path: '/privacy/erasures', scope: 'admin' },
] as const satisfies readonly (Omit<ApiRoute, 'operationId'> & { operationId: string })[];

export type OperationId = (typeof API_ROUTES)[number]['operationId'];
