import { gzipSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { archiveObjectText, isGzip } from './archive-object.js';

/**
 * Deleting a caller's objects for an erasure (use-cases/erase-caller.ts): every version of a key
 * in the versioned recordings bucket, and the caller's lines out of the contact-record archive.
 */

/** DeleteObjects takes at most 1,000 keys a request. */
const DELETE_BATCH = 1_000;

/** Whether an error says the store has no versions API (s3rver, the local S3: MethodNotAllowed). */
const noVersioning = (error: unknown): boolean =>
  error instanceof Error && /MethodNotAllowed|NotImplemented/.test(error.name);

const exists = async (client: S3Client, bucket: string, key: string): Promise<boolean> => {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof Error && /NotFound|NoSuchKey/.test(error.name)) return false;
    throw error;
  }
};

/**
 * Deletes every version and delete marker of one key: a plain DeleteObject on a versioned bucket
 * only hides the object behind a marker, the recording still there. Answers whether the key had
 * anything to delete. A store without versions (the local S3) gets a plain delete.
 */
export const deleteEveryVersion = async (
  client: S3Client,
  bucket: string,
  key: string,
): Promise<boolean> => {
  let versions: ObjectIdentifier[] = [];
  try {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          Prefix: key,
          ...(keyMarker ? { KeyMarker: keyMarker } : {}),
          ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
        }),
      );
      // The prefix also matches longer keys (a.wav.json): only the key itself.
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (v.Key === key && v.VersionId) versions.push({ Key: key, VersionId: v.VersionId });
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
  } catch (error) {
    if (!noVersioning(error)) throw error;
    if (!(await exists(client, bucket, key))) return false;
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  }
  if (versions.length === 0) return false;
  for (; versions.length > 0; versions = versions.slice(DELETE_BATCH)) {
    const output = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: versions.slice(0, DELETE_BATCH), Quiet: true },
      }),
    );
    const failed = output.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(
        `could not delete ${failed.length} version(s) of s3://${bucket}/${key}: ${first?.Code} ${first?.Message}`,
      );
    }
  }
  return true;
};

/**
 * Rewrites each archive object below `prefix` with `rewrite` (the archive is Firehose's gzip of
 * newline-delimited records), writing back only objects that changed; answers the records removed.
 * The archive bucket is not versioned, so the rewritten object replaces the old one.
 */
export const rewriteArchiveObjects = async (
  client: S3Client,
  bucket: string,
  prefix: string,
  rewrite: (text: string) => { text: string; removed: number },
): Promise<number> => {
  let removed = 0;
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      const bytes = (await got.Body?.transformToByteArray()) ?? new Uint8Array();
      const gzipped = isGzip(bytes);
      const result = rewrite(archiveObjectText(bytes));
      if (result.removed === 0) continue;
      const body = Buffer.from(result.text, 'utf8');
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.Key,
          Body: gzipped ? gzipSync(body) : body,
          ...(got.ContentType ? { ContentType: got.ContentType } : {}),
        }),
      );
      removed += result.removed;
    }
  }
  return removed;
};
