import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { LOCAL_REGION } from './names.js';

export interface LocalS3Options {
  /** The bucket created at start. */
  readonly bucket: string;
  /** Where the objects live. @default - a new temporary directory, removed by close() */
  readonly directory?: string;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** A client on the endpoint, configured for s3rver; destroyed by `close()`. */
  readonly client: S3Client;
  close(): Promise<void>;
}

/**
 * A client for s3rver at `endpoint`: the access key s3rver requires (`S3RVER`), path-style URLs, and
 * checksums only when required: with the SDK's defaults a streamed body would be stored with its
 * aws-chunked framing.
 */
export const localS3Client = (endpoint: string): S3Client =>
  new S3Client({
    region: LOCAL_REGION,
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });

/**
 * Starts s3rver on 127.0.0.1 (ephemeral port, silent) with one bucket, and a localS3Client on it.
 */
export const startLocalS3 = async ({ bucket, directory }: LocalS3Options): Promise<LocalS3> => {
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'local-s3-')));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    close() {
      closed ??= (async () => {
        client.destroy();
        await server.close();
        if (directory === undefined) await rm(dir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
};
