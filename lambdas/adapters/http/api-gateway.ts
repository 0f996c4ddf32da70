import type {
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import {
  API_ROUTES,
  OAUTH_SCOPES,
  type OperationId,
  type Scope,
} from '../../contracts/api-routes.js';
import { isTransient } from '../aws-errors.js';
import {
  ApiError,
  type ApiRequest,
  type ApiResponse,
  errorBody,
  type RouteHandlers,
} from './api-contract.js';
import { apiErrorOf } from './refusals.js';

/**
 * The API's core, shared by the Lambda (api.ts) and the local HTTP server: an API Gateway HTTP API
 * (payload v2, JWT authorizer) event → authorization, routing by API_ROUTES, query and body parsing
 * → the route's handler → a JSON response. Every error is `errorBody(ApiError)`; a domain refusal
 * becomes its ApiError by refusals.ts.
 *
 * Not @middy/http-router: it answers a known path with a wrong method as 404 (we owe 405 and
 * Allow), leaves path parameters percent-encoded, and routes on a second copy of the route table;
 * matching API_ROUTES here keeps one list of routes.
 */

export type Api = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
) => Promise<APIGatewayProxyStructuredResultV2>;

export type ApiLog = (line: Record<string, unknown>) => void;

export interface ApiOptions {
  /** One line per request (operationId, status, ms); never numbers or bodies. @default JSON to stdout */
  readonly log?: ApiLog;
  /** Seconds a client should wait after a 503. @default 2 */
  readonly retryAfterSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const jsonLine: ApiLog = (line) => console.log(JSON.stringify(line));

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

interface CompiledRoute {
  readonly operationId: OperationId;
  readonly method: string;
  readonly scope: Scope;
  readonly segments: readonly string[];
}

const segmentsOf = (path: string): string[] => path.split('/').filter((s) => s !== '');

const ROUTES: readonly CompiledRoute[] = API_ROUTES.map((r) => ({
  operationId: r.operationId,
  method: r.method,
  scope: r.scope,
  segments: segmentsOf(r.path),
}));

/** Path parameters when `segments` fits the route's path, else undefined. */
const matchPath = (
  route: CompiledRoute,
  segments: readonly string[],
): Record<string, string> | undefined => {
  if (route.segments.length !== segments.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [i, template] of route.segments.entries()) {
    const segment = segments[i] as string;
    if (template.startsWith('{') && template.endsWith('}')) {
      parameters[template.slice(1, -1)] = segment;
    } else if (template !== segment) {
      return undefined;
    }
  }
  return parameters;
};

const decode = (value: string, what: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new ApiError(400, 'invalid-encoding', `${what} is not valid percent-encoding`);
  }
};

/**
 * Query parameters from the raw query string: HTTP API joins a repeated parameter's values with
 * commas in queryStringParameters, so `a=1&a=2` would pass as `1,2`. `+` stays `+` (E.164).
 */
export const parseRawQuery = (raw: string | undefined): Record<string, string> => {
  const query: Record<string, string> = {};
  const repeated = new Set<string>();
  for (const part of (raw ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decode(eq < 0 ? part : part.slice(0, eq), 'a query parameter name');
    const value = decode(eq < 0 ? '' : part.slice(eq + 1), `query parameter ${name}`);
    if (Object.hasOwn(query, name)) repeated.add(name);
    query[name] = value;
  }
  if (repeated.size > 0) {
    const names = [...repeated].map((n) => `"${n}"`).join(', ');
    throw new ApiError(
      400,
      'repeated-parameter',
      `query parameter ${names} given more than once: give each parameter once`,
      [...repeated].map((n) => `${n}: given more than once`),
    );
  }
  return query;
};

const parseBody = (event: APIGatewayProxyEventV2WithJWTAuthorizer): unknown => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const contentType = event.headers?.['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new ApiError(
      400,
      'invalid-content-type',
      `the body must be JSON sent with content-type: application/json (got ${contentType ? JSON.stringify(contentType.slice(0, 100)) : 'none'})`,
    );
  }
  const text = event.isBase64Encoded
    ? Buffer.from(event.body, 'base64').toString('utf8')
    : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid-json', 'the body is not valid JSON');
  }
};

/** The caller's scopes; admin implies read. Undefined without a JWT authorizer context. */
const scopesOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): Set<Scope> | undefined => {
  const jwt = event.requestContext?.authorizer?.jwt;
  if (!jwt) return undefined;
  // `scopes` may be null (e.g. a route without authorization scopes): the token's `scope` claim
  // (space-separated, as Cognito access tokens carry it) says the same.
  const claim = jwt.claims?.scope;
  const granted = Array.isArray(jwt.scopes)
    ? jwt.scopes
    : typeof claim === 'string'
      ? claim.split(' ')
      : [];
  const scopes = new Set<Scope>();
  for (const [scope, oauth] of Object.entries(OAUTH_SCOPES) as [Scope, string][]) {
    if (granted.includes(oauth)) scopes.add(scope);
  }
  if (scopes.has('admin')) scopes.add('read');
  return scopes;
};

/** The token's client id (client-credentials tokens carry no `sub` of a person), else its subject. */
const principalOf = (event: APIGatewayProxyEventV2WithJWTAuthorizer): string => {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const name = claims.client_id ?? claims.sub;
  return typeof name === 'string' && name !== '' ? name : 'unknown';
};

const respond = (response: ApiResponse): APIGatewayProxyStructuredResultV2 => ({
  statusCode: response.statusCode,
  headers: { ...HEADERS, ...response.headers },
  ...(response.body === undefined ? {} : { body: JSON.stringify(response.body) }),
});

const errorResponse = (error: ApiError): ApiResponse => ({
  statusCode: error.status,
  body: errorBody(error),
  ...(error.headers ? { headers: error.headers } : {}),
});

export const createApi = (handlers: RouteHandlers, options: ApiOptions = {}): Api => {
  const { log = jsonLine, retryAfterSeconds = 2, now = Date.now } = options;

  const route = (
    event: APIGatewayProxyEventV2WithJWTAuthorizer,
    requestId: string,
  ): { operationId: OperationId; handle: () => Promise<ApiResponse> } | ApiError => {
    const scopes = scopesOf(event);
    if (!scopes || scopes.size === 0) {
      return new ApiError(
        401,
        'unauthorized',
        'a bearer token with a calltracking scope is required',
      );
    }
    const method = event.requestContext.http.method.toUpperCase();
    const segments = segmentsOf(event.rawPath);
    const matches = ROUTES.map((r) => ({ r, parameters: matchPath(r, segments) })).filter(
      (m) => m.parameters !== undefined,
    );
    if (matches.length === 0) {
      return new ApiError(404, 'not-found', `no route ${event.rawPath}: see the OpenAPI document`);
    }
    const match = matches.find((m) => m.r.method === method);
    if (!match) {
      const allow = [...new Set(matches.map((m) => m.r.method))].join(', ');
      return new ApiError(
        405,
        'method-not-allowed',
        `${method} is not allowed on ${event.rawPath}: use ${allow}`,
        undefined,
        { allow },
      );
    }
    const { r } = match;
    return {
      operationId: r.operationId,
      handle: async () => {
        if (!scopes.has(r.scope)) {
          throw new ApiError(
            403,
            'forbidden',
            `${r.operationId} needs the ${OAUTH_SCOPES[r.scope]} scope`,
          );
        }
        const pathParameters = Object.fromEntries(
          Object.entries(match.parameters ?? {}).map(([k, v]) => [
            k,
            decode(v, `path parameter ${k}`),
          ]),
        );
        const request: ApiRequest = {
          operationId: r.operationId,
          pathParameters,
          query: parseRawQuery(event.rawQueryString),
          body: parseBody(event),
          scopes,
          principal: principalOf(event),
          requestId,
        };
        return handlers[r.operationId](request);
      },
    };
  };

  return async (event) => {
    const started = now();
    const requestId = event.requestContext?.requestId ?? 'unknown';
    const routed = route(event, requestId);
    let response: ApiResponse;
    let failure: string | undefined;
    if (routed instanceof ApiError) {
      response = errorResponse(routed);
    } else {
      try {
        response = await routed.handle();
      } catch (error) {
        const refusal = apiErrorOf(error);
        if (refusal) {
          response = errorResponse(refusal);
        } else if (isTransient(error)) {
          failure = error instanceof Error ? error.name : 'unknown';
          response = errorResponse(
            new ApiError(
              503,
              'unavailable',
              `the call log is busy or unreachable: retry in ${retryAfterSeconds} seconds`,
              undefined,
              { 'retry-after': String(retryAfterSeconds) },
            ),
          );
        } else {
          // Only the error's name reaches the log: messages may quote callers' numbers.
          failure = error instanceof Error ? error.name : typeof error;
          response = errorResponse(
            new ApiError(
              500,
              'internal',
              `internal error: quote request id ${requestId} when you report it`,
            ),
          );
        }
      }
    }
    log({
      message: 'api request',
      requestId,
      operationId: routed instanceof ApiError ? null : routed.operationId,
      status: response.statusCode,
      ms: now() - started,
      ...(failure ? { failure } : {}),
    });
    return respond(response);
  };
};
