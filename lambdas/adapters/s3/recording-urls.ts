import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { RecordingLink } from '../../domain/call-view.js';
import { RECORDINGS_PREFIX } from '../../domain/recordings.js';

/** How long a recording link works: long enough to start playing, short enough not to be shared. */
export const RECORDING_URL_SECONDS = 300;

/** Short-lived GET links to a call's recordings (`bucket/key` locations, as the call log keeps them). */
export type RecordingUrls = (locations: readonly string[]) => Promise<RecordingLink[]>;

/**
 * A short-lived GET link to one object of the recordings bucket, by key (a voicemail message);
 * undefined for a key outside the recordings prefix.
 */
export type RecordingKeyUrl = (key: string) => Promise<RecordingLink | undefined>;

interface RecordingSigner {
  readonly client: S3Client;
  readonly bucket: string;
  readonly expiresInSeconds?: number;
  readonly now?: () => number;
}

/** Whether a key is below the prefix Connect writes to: all the API function may read. */
const readable = (key: string): boolean => key.startsWith(`${RECORDINGS_PREFIX}/`);

const presigner =
  ({ client, bucket, expiresInSeconds = RECORDING_URL_SECONDS, now = Date.now }: RecordingSigner) =>
  async (key: string): Promise<RecordingLink> => {
    const expiresAt = new Date(now() + expiresInSeconds * 1000).toISOString();
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
    return { url, expiresAt };
  };

/**
 * Presigns a GET of each recording stored in `bucket` below RECORDINGS_PREFIX; a location in any
 * other bucket or place gets no link
 * (this function may read only the recordings bucket, and a record naming another is not ours).
 */
export const createRecordingUrls = (signer: RecordingSigner): RecordingUrls => {
  const presign = presigner(signer);
  return async (locations) => {
    const keys = locations
      .filter((location) => location.startsWith(`${signer.bucket}/`))
      .map((location) => location.slice(signer.bucket.length + 1))
      .filter(readable);
    return Promise.all(keys.map(presign));
  };
};

/** Presigns a GET of one key of the recordings bucket, when it is below RECORDINGS_PREFIX. */
export const createRecordingKeyUrl = (signer: RecordingSigner): RecordingKeyUrl => {
  const presign = presigner(signer);
  return async (key) => (readable(key) ? presign(key) : undefined);
};
