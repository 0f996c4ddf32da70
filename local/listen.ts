import type { AddressInfo, Server } from 'node:net';

/**
 * Starts `server` listening on 127.0.0.1 with an ephemeral port, and returns its endpoint,
 * `http://127.0.0.1:<port>`. Rejects if the server cannot listen.
 */
export const listenOnLoopback = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
};
