import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { listenPrivately } from './dynamo.js';
import { LOCAL_REGION } from './names.js';
import { type LocalCredentials, startStoreGate } from './store-gate.js';

/** The only key s3rver accepts (it also serves unsigned requests). */
const S3RVER_CREDENTIALS: LocalCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3Options {
  /** The bucket created at start. */
  readonly bucket: string;
  /** Where the objects live. @default - a new temporary directory, removed by close() */
  readonly directory?: string;
  /**
   * Serve only requests signed with these credentials: s3rver listens on a Unix socket in a
   * private directory, and `endpoint` is a verifying gate (store-gate.ts). @default - s3rver
   * itself on 127.0.0.1 (tests)
   */
  readonly credentials?: LocalCredentials;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client on the endpoint with the credentials it requires; destroyed by `close()`. */
  readonly client: S3Client;
  close(): Promise<void>;
}

/**
 * A client for s3rver at `endpoint` (or its gate): the access key s3rver requires (`S3RVER`) unless
 * others are given, path-style URLs, and checksums only when required: with the SDK's defaults a
 * streamed body would be stored with its aws-chunked framing.
 */
export const localS3Client = (
  endpoint: string,
  credentials: LocalCredentials = S3RVER_CREDENTIALS,
): S3Client =>
  new S3Client({
    region: LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/**
 * Starts s3rver (silent) with one bucket, on 127.0.0.1 (ephemeral port) or behind a gate when
 * `credentials` are given, and a localS3Client on it.
 */
export const startLocalS3 = async ({
  bucket,
  directory,
  credentials,
}: LocalS3Options): Promise<LocalS3> => {
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
  const options = {
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  };
  let endpoint: string;
  let server: S3rver;
  let closeGate = async () => {};
  let removeSocket = async () => {};
  if (credentials) {
    const socket = await listenPrivately(async (socketPath) => {
      // s3rver hands `port` to server.listen, which takes a socket path there too.
      server = new S3rver({ ...options, port: socketPath as unknown as number });
      await server.run();
    }, 's3');
    const gate = await startStoreGate({
      service: 's3',
      credentials,
      socketPath: socket.socketPath,
    });
    endpoint = gate.endpoint;
    closeGate = () => gate.close();
    removeSocket = () => socket.remove();
  } else {
    server = new S3rver({ ...options, address: '127.0.0.1', port: 0 });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  }
  const client = localS3Client(endpoint, credentials);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close() {
      closed ??= (async () => {
        client.destroy();
        await closeGate();
        await server.close();
        await removeSocket();
        if (directory === undefined) await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
};
