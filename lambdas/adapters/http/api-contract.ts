/**
 * The reporting and management API's contract, shared by the Lambda router, the CDK routes (with
 * their authorization scopes), the local HTTP server and the OpenAPI test: one list of routes.
 */

/** `read`: every GET. `admin`: also the writes. An admin token may do everything a read one may. */
export type Scope = 'read' | 'admin';

/** The OAuth scopes the deployed API's JWT authorizer checks (Cognito resource server `calltracking`). */
export const OAUTH_SCOPES: Readonly<Record<Scope, string>> = {
  read: 'calltracking/read',
  admin: 'calltracking/admin',
};

export type HttpMethod = 'GET' | 'PATCH' | 'PUT' | 'DELETE';

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
] as const satisfies readonly (Omit<ApiRoute, 'operationId'> & { operationId: string })[];

export type OperationId = (typeof API_ROUTES)[number]['operationId'];

/** A request as a route handler sees it: routed, authenticated, its body parsed. */
export interface ApiRequest {
  readonly operationId: OperationId;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query parameters; a repeated parameter is refused (400) before a handler sees it. */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body, parsed; undefined when there is none. */
  readonly body: unknown;
  readonly scopes: ReadonlySet<Scope>;
  readonly requestId: string;
}

export interface ApiResponse {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type RouteHandler = (request: ApiRequest) => Promise<ApiResponse>;
export type RouteHandlers = Readonly<Record<OperationId, RouteHandler>>;

/**
 * Every 4xx and 5xx body is `{ error: { status, code, message, problems? } }`: `message` says what
 * is wrong and what to do; `problems` lists each bad parameter or field when there are several.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems?: readonly string[],
    /** Extra response headers, e.g. Retry-After on a 503. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (error: ApiError) => ({
  error: {
    status: error.status,
    code: error.code,
    message: error.message,
    ...(error.problems && error.problems.length > 0 ? { problems: error.problems } : {}),
  },
});
