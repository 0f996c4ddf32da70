import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenPrivately } from '../../local/dynamo.js';
import { localS3Client } from '../../local/s3.js';
import { newLocalCredentials, type StoreGate, startStoreGate } from '../../local/store-gate.js';

/**
 * The gate forwards to a store that closes kept-alive connections as it pleases (s3rver and
 * dynalite time idle ones out): a request sent on a connection the store has just dropped is sent
 * again on a new one, never answered 502.
 */

const credentials = newLocalCredentials();

describe('the store gate, in front of a store that drops reused connections', () => {
  let store: Server;
  let gate: StoreGate;
  let removeSocket: () => Promise<void>;
  const served: { method: string; connection: number; body: string }[] = [];

  beforeAll(async () => {
    const requestsOn = new WeakMap<Socket, number>();
    const connections = new WeakMap<Socket, number>();
    let opened = 0;
    // Answers the first request of each connection; resets the connection on its second,
    // as a store does whose idle timer fired just as the gate reused the socket.
    store = createServer((req, res) => {
      const count = (requestsOn.get(req.socket) ?? 0) + 1;
      requestsOn.set(req.socket, count);
      if (count > 1) {
        req.socket.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        served.push({
          method: req.method ?? '',
          connection: connections.get(req.socket) ?? 0,
          body: Buffer.concat(chunks).toString(),
        });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('recording');
      });
    });
    store.on('connection', (socket: Socket) => connections.set(socket, ++opened));
    const socket = await listenPrivately(
      (path) => new Promise<void>((resolve) => store.listen(path, resolve)),
      'store',
    );
    removeSocket = socket.remove;
    gate = await startStoreGate({ service: 's3', credentials, socketPath: socket.socketPath });
  });

  afterAll(async () => {
    await gate.close();
    store.closeAllConnections();
    await new Promise((resolve) => store.close(resolve));
    await removeSocket();
  });

  it('answers every presigned GET, one after the other, although each reused connection is reset', async () => {
    // As the dashboard's player loads a recording: a link and one plain GET, never retried.
    const client = localS3Client(gate.endpoint, credentials);
    try {
      for (let i = 0; i < 4; i++) {
        const link = await getSignedUrl(
          client,
          new GetObjectCommand({ Bucket: 'b', Key: `k${i}` }),
        );
        const answer = await fetch(link);
        expect(answer.status).toBe(200);
        expect(await answer.text()).toBe('recording');
      }
    } finally {
      client.destroy();
    }
    const gets = served.filter((s) => s.method === 'GET');
    expect(gets).toHaveLength(4);
    // Every one of them was answered on a connection of its own: each reuse had been reset.
    expect(new Set(gets.map((g) => g.connection)).size).toBe(4);
  });

  it('sends an upload, whose body streams through, on a connection of its own', async () => {
    const client = localS3Client(gate.endpoint, credentials);
    try {
      for (const body of ['first', 'second']) {
        await client.send(new PutObjectCommand({ Bucket: 'b', Key: body, Body: body }));
      }
    } finally {
      client.destroy();
    }
    expect(served.filter((s) => s.method === 'PUT').map((s) => s.body)).toEqual([
      'first',
      'second',
    ]);
  });
});
