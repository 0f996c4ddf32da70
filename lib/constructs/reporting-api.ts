import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  API_ROUTES,
  type ApiRoute,
  OAUTH_SCOPES,
  type Scope,
} from '../../lambdas/contracts/api-routes.js';

/** The token scopes a route accepts: an admin token may do everything a read one may. */
export const acceptedScopes = (scope: Scope): string[] =>
  scope === 'admin' ? [OAUTH_SCOPES.admin] : [OAUTH_SCOPES.read, OAUTH_SCOPES.admin];

export interface ApiThrottle {
  /** Steady-state requests per second, over all routes of the stage. */
  readonly rateLimit: number;
  /** Requests allowed at once above the steady rate. */
  readonly burstLimit: number;
}

export interface ReportingApiProps {
  /** The API's name in the console, e.g. `call-tracking-api`. */
  readonly name: string;
  /**
   * The functions the routes invoke (each routes by the route key itself): `read` serves the
   * routes a read-only token may call, `admin` the others.
   */
  readonly handlers: { readonly read: lambda.IFunction; readonly admin: lambda.IFunction };
  /** The token issuer. */
  readonly userPool: cognito.IUserPool;
  /** The app clients whose tokens the API accepts (the JWT audience). */
  readonly clients: readonly cognito.IUserPoolClient[];
  /** Browser origins allowed to call the API (CORS). @default - none: no CORS, server-to-server only */
  readonly corsOrigins?: readonly string[];
  /** @default - 50 requests per second, bursts of 100 */
  readonly throttle?: ApiThrottle;
  /** Days the access log is kept. @default - 90 days */
  readonly accessLogRetention?: logs.RetentionDays;
}

export const DEFAULT_API_THROTTLE: ApiThrottle = { rateLimit: 50, burstLimit: 100 };

/**
 * Access log fields, one JSON object per request. The client id says which integration called;
 * no query string or body is logged, since they may hold callers' numbers.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  clientId: '$context.authorizer.claims.client_id',
  authorizerError: '$context.authorizer.error',
};

/**
 * The reporting API: an HTTP API whose every route (one per entry of API_ROUTES) needs a JWT from
 * the user pool with a scope the route accepts, and invokes its scope's function (payload v2). There is
 * no `$default` route, so a path outside the contract is a 404 from API Gateway, before any code
 * runs. One `$default` stage, deployed on every change, with an access log and default throttling.
 */
export class ReportingApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** The API's base URL, e.g. `https://<id>.execute-api.<region>.amazonaws.com/`. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ReportingApiProps) {
    super(scope, id);
    const corsOrigins = props.corsOrigins ?? [];
    for (const origin of corsOrigins) {
      const problem = corsOriginProblem(origin);
      if (problem) throw new Error(problem);
    }
    const throttle = props.throttle ?? DEFAULT_API_THROTTLE;
    checkThrottle(throttle);

    this.httpApi = new apigw.HttpApi(this, 'HttpApi', {
      apiName: props.name,
      description: 'Call tracking: reporting and management API',
      // The stage below replaces the default one, to add the access log and throttling.
      createDefaultStage: false,
      ...(corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...corsOrigins],
              allowMethods: [...new Set(API_ROUTES.map((r) => apigw.CorsHttpMethod[r.method]))],
              // Authorization is never covered by a wildcard: it must be named.
              allowHeaders: ['Authorization', 'Content-Type'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.accessLogRetention ?? logs.RetentionDays.THREE_MONTHS,
      // Who called the API and how: kept if the stack is deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttle.rateLimit, burstLimit: throttle.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.url = this.stage.url;

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, {
      userPoolClients: [...props.clients],
    });
    // One permission per function rather than one per route: each serves all routes of its scope.
    const integrations: Record<Scope, HttpLambdaIntegration> = {
      read: new HttpLambdaIntegration('ReadFunction', props.handlers.read, {
        scopePermissionToRoute: false,
      }),
      admin: new HttpLambdaIntegration('ApiFunction', props.handlers.admin, {
        scopePermissionToRoute: false,
      }),
    };
    for (const route of API_ROUTES as readonly ApiRoute[]) {
      new apigw.HttpRoute(this, route.operationId, {
        httpApi: this.httpApi,
        routeKey: apigw.HttpRouteKey.with(route.path, apigw.HttpMethod[route.method]),
        // A read-only token's routes never reach the function that may write.
        integration: integrations[route.scope],
        authorizer,
        authorizationScopes: acceptedScopes(route.scope),
      });
    }
  }
}

/** Why a CORS origin is refused, or undefined if it is a plain `scheme://host[:port]`. */
export const corsOriginProblem = (origin: string): string | undefined => {
  const fix =
    'give each origin as https://host[:port], comma-separated, e.g. -c apiCorsOrigins=https://dashboard.example.com';
  if (origin === '*') return `apiCorsOrigins must list the origins, not "*": ${fix}`;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `apiCorsOrigins "${origin}" is not an origin: ${fix}`;
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    return `apiCorsOrigins "${origin}" must use https (http only for localhost): ${fix}`;
  }
  if (url.origin !== origin) {
    return `apiCorsOrigins "${origin}" must be an origin without path or trailing slash (${url.origin}): ${fix}`;
  }
  return undefined;
};

const checkThrottle = ({ rateLimit, burstLimit }: ApiThrottle): void => {
  if (!(Number.isFinite(rateLimit) && rateLimit > 0)) {
    throw new Error(
      `the API throttle rate must be a positive number of requests per second, got ${rateLimit}`,
    );
  }
  if (!(Number.isInteger(burstLimit) && burstLimit >= 1)) {
    throw new Error(
      `the API throttle burst must be a positive whole number of requests, got ${burstLimit}`,
    );
  }
};
