import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RecordingLink } from '../../domain/call-view.js';
import { RECORDINGS_PREFIX } from '../../domain/recordings.js';

/** How long a recording link works: long enough to start playing, short enough not to be shared. */
export const RECORDING_URL_SECONDS = 300;

/** Short-lived GET links to a call's recordings (`bucket/key` locations, as the call log keeps them). */
export type RecordingUrls = (locations: readonly string[]) => Promise<RecordingLink[]>;

/**
 * Presigns a GET of each recording stored in `bucket` below RECORDINGS_PREFIX; a location in any
 * other bucket or place gets no link
 * (this function may read only the recordings bucket, and a record naming another is not ours).
 */
export const createRecordingUrls = ({
  client,
  bucket,
  expiresInSeconds = RECORDING_URL_SECONDS,
  now = Date.now,
}: {
  client: S3Client;
  bucket: string;
  expiresInSeconds?: number;
  now?: () => number;
}): RecordingUrls => {
  return async (locations) => {
    // Only what Connect wrote below the recordings prefix: all this function may read.
    const keys = locations
      .filter((location) => location.startsWith(`${bucket}/${RECORDINGS_PREFIX}/`))
      .map((location) => location.slice(bucket.length + 1));
    return Promise.all(
      keys.map(async (key) => {
        const expiresAt = new Date(now() + expiresInSeconds * 1000).toISOString();
        const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
          expiresIn: expiresInSeconds,
        });
        return { url, expiresAt };
      }),
    );
  };
};
