import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { ApiError, errorBody } from '../lambdas/adapters/http/api-contract.js';
import type { Api } from '../lambdas/adapters/http/api-gateway.js';
import { OAUTH_SCOPES, type Scope } from '../lambdas/contracts/api-routes.js';
import { listenOnLoopback } from './listen.js';

export interface LocalApiOptions {
  readonly api: Api;
  /** Bearer tokens the server accepts, and the scope each grants (as the JWT authorizer would). */
  readonly tokens: Readonly<Record<string, Scope>>;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Larger bodies are refused with 413. @default 64 KiB */
  readonly maxBodyBytes?: number;
  /**
   * Answers a request before the API when it can (the dashboard's page and assets, which carry no
   * token): returns true when it did.
   */
  readonly staticFiles?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface LocalApi {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

const send = (
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number | boolean>,
  body?: string,
): void => {
  // Booleans are legal in API Gateway's result headers; node wants strings.
  res.writeHead(
    status,
    Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
  );
  res.end(body);
};

const sendError = (res: ServerResponse, error: ApiError): void =>
  send(
    res,
    error.status,
    { 'content-type': 'application/json', 'cache-control': 'no-store' },
    JSON.stringify(errorBody(error)),
  );

class BodyTooLarge extends Error {}

const readBody = async (req: IncomingMessage, maxBytes: number): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** Headers as API Gateway passes them: lower-case names, repeated values joined with commas. */
const headersOf = (req: IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
};

/**
 * The API over HTTP on 127.0.0.1, as API Gateway would serve it: a bearer token is checked first
 * (missing or unknown → 401 with only an error body, as the JWT authorizer refuses), then the
 * request becomes a payload-v2 event with the token's scopes, and `api` answers it.
 */
export const startLocalApi = async ({
  api,
  tokens,
  port = 0,
  maxBodyBytes = 64 * 1024,
  staticFiles,
}: LocalApiOptions): Promise<LocalApi> => {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (staticFiles?.(req, res)) return;
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const scope = token !== undefined && Object.hasOwn(tokens, token) ? tokens[token] : undefined;
    if (scope === undefined) {
      req.resume();
      sendError(res, new ApiError(401, 'unauthorized', 'a valid bearer token is required'));
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      res.setHeader('connection', 'close');
      sendError(res, new ApiError(413, 'too-large', `the body is over ${maxBodyBytes} bytes`));
      return;
    }
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQueryString = q < 0 ? '' : target.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const requestId = randomUUID();
    const now = new Date();
    const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
      version: '2.0',
      routeKey: '$default',
      rawPath,
      rawQueryString,
      headers: headersOf(req),
      isBase64Encoded: false,
      ...(body.length > 0 ? { body: body.toString('utf8') } : {}),
      requestContext: {
        accountId: 'local',
        apiId: 'local',
        domainName: req.headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method,
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: '$default',
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        authorizer: {
          principalId: '',
          integrationLatency: 0,
          jwt: {
            claims: { sub: `local-${scope}`, scope: OAUTH_SCOPES[scope] },
            scopes: [OAUTH_SCOPES[scope]],
          },
        },
      },
    };
    const result = await api(event);
    const headers: Record<string, string | number | boolean> = { ...result.headers };
    send(res, result.statusCode ?? 200, headers, result.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        sendError(res, new ApiError(500, 'internal', 'the local API server failed'));
      } else {
        res.destroy();
      }
    });
  });
  const url =
    port === 0
      ? await listenOnLoopback(server)
      : await new Promise<string>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${port}`));
        });
  let closed: Promise<void> | undefined;
  return {
    url,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };
};
