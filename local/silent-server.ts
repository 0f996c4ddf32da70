import { createServer, type Socket } from 'node:net';
import { listenOnLoopback } from './listen.js';

/** A TCP server that accepts connections and never answers: a DynamoDB that hangs. */
export interface SilentServer {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** Connections accepted so far. */
  readonly connectionsAccepted: () => number;
  /** Destroys every open connection and stops the server. */
  close(): Promise<void>;
}

/** Starts a {@link SilentServer} on 127.0.0.1 with an ephemeral port. */
export const startSilentServer = async (): Promise<SilentServer> => {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    // Read and drop whatever arrives; a reset from the client is not an error here.
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const endpoint = await listenOnLoopback(server);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    connectionsAccepted: () => accepted,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
};
