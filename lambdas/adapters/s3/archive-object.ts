import { gunzipSync } from 'node:zlib';

/**
 * The bytes of a contact-record archive object: Firehose's GZIP (lib/constructs/contact-record-archive.ts),
 * or plain text when an object was written without it. Read by the replay and rewritten by an erasure.
 */

/** Whether the bytes start with gzip's magic bytes. */
export const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b;

/** An archive object's text: gunzipped when it is gzip. */
export const archiveObjectText = (body: Uint8Array): string => {
  const bytes = Buffer.from(body);
  return (isGzip(bytes) ? gunzipSync(bytes) : bytes).toString('utf8');
};
