import type { OperationId, Scope } from '../../contracts/api-routes.js';

/**
 * What a route handler of the API sees and answers (routes and scopes: contracts/api-routes.ts).
 */

/** A request as a route handler sees it: routed, authenticated, its body parsed. */
export interface ApiRequest {
  readonly operationId: OperationId;
  readonly pathParameters: Readonly<Record<string, string>>;
  /** Query parameters; a repeated parameter is refused (400) before a handler sees it. */
  readonly query: Readonly<Record<string, string>>;
  /** The JSON body, parsed; undefined when there is none. */
  readonly body: unknown;
  readonly scopes: ReadonlySet<Scope>;
  /** Who the token names: its client id (Cognito client credentials) or subject; for audits. */
  readonly principal: string;
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
