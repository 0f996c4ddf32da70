import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { RouteHandler, RouteHandlers } from '../../lambdas/adapters/http/api-contract.js';
import { API_ROUTES, OAUTH_SCOPES } from '../../lambdas/contracts/api-routes.js';

export interface EventOptions {
  readonly method?: string;
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly query?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** OAuth scopes of the token; `null`: no authorizer context at all. @default read */
  readonly scopes?: readonly string[] | null;
}

/** An API Gateway HTTP API (payload v2) event with a JWT authorizer context. */
export const apiEvent = ({
  method = 'GET',
  path,
  query = '',
  body,
  headers = {},
  scopes = [OAUTH_SCOPES.read],
}: EventOptions): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers,
    isBase64Encoded: false,
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      accountId: '111122223333',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:12:00:00 +0000',
      timeEpoch: 0,
      ...(scopes === null
        ? {}
        : {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: {}, scopes: [...scopes] },
            },
          }),
    },
  }) as APIGatewayProxyEventV2WithJWTAuthorizer;

/** Route handlers that each answer 200 `{ operationId, request }`, with overrides. */
export const echoHandlers = (overrides: Partial<RouteHandlers> = {}): RouteHandlers => {
  const echo: RouteHandler = async (request) => ({
    statusCode: 200,
    body: {
      operationId: request.operationId,
      pathParameters: request.pathParameters,
      query: request.query,
      body: request.body ?? null,
      scopes: [...request.scopes].sort(),
    },
  });
  return {
    ...(Object.fromEntries(API_ROUTES.map((r) => [r.operationId, echo])) as RouteHandlers),
    ...overrides,
  };
};
