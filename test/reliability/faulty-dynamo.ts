import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { listenOnLoopback } from '../../local/listen.js';

/**
 * A DynamoDB endpoint that misbehaves on purpose, over real HTTP, so the SDK's own retry, timeout
 * and error parsing are exercised: it answers every request as `mode` says.
 */
export type DynamoFault =
  /** 400 ProvisionedThroughputExceededException, as DynamoDB sends it. */
  | 'throughput'
  /** 400 ThrottlingException. */
  | 'throttling'
  /** 500 InternalServerError. */
  | 'internal'
  /** 503 with no DynamoDB error body (a load balancer in the way). */
  | 'unavailable'
  /** Accepts the request and never answers. */
  | 'hang'
  /** Closes the connection without an answer. */
  | 'reset'
  /** Sends half a JSON body, then closes. */
  | 'truncated';

export const DYNAMO_FAULTS: readonly DynamoFault[] = [
  'throughput',
  'throttling',
  'internal',
  'unavailable',
  'hang',
  'reset',
  'truncated',
];

export interface FaultyDynamo {
  readonly endpoint: string;
  mode: DynamoFault;
  /** Requests received so far. */
  readonly requests: () => number;
  close(): Promise<void>;
}

const errorBody = (type: string, message: string): string =>
  JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message });

export const startFaultyDynamo = async (mode: DynamoFault = 'internal'): Promise<FaultyDynamo> => {
  let requests = 0;
  const sockets = new Set<Socket>();
  const state = { mode };
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on('end', () => {
      const json = (status: number, body: string) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.0',
          'x-amzn-requestid': `fault-${requests}`,
        });
        res.end(body);
      };
      switch (state.mode) {
        case 'throughput':
          return json(
            400,
            errorBody('ProvisionedThroughputExceededException', 'The level of configured...'),
          );
        case 'throttling':
          return json(400, errorBody('ThrottlingException', 'Rate of requests exceeds...'));
        case 'internal':
          return json(500, errorBody('InternalServerError', 'Internal server error'));
        case 'unavailable':
          res.writeHead(503, { 'content-type': 'text/html' });
          return res.end('<html>Service Unavailable</html>');
        case 'hang':
          return;
        case 'reset':
          return req.socket.destroy();
        case 'truncated':
          res.writeHead(200, {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': '200',
          });
          res.write('{"Item":{"pk":{"S":"+1512');
          return req.socket.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const endpoint = await listenOnLoopback(server);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    get mode() {
      return state.mode;
    },
    set mode(next) {
      state.mode = next;
    },
    requests: () => requests,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
};
