import { createHmac } from 'node:crypto';

/**
 * The caller's number as the rollups count it (unique callers): the first 16 hex digits of an
 * HMAC-SHA256 under a secret key. Unkeyed, a hash of a phone number is reversed by hashing every
 * number of a few area codes; keyed, it is not without the key, and a new key (a rotation)
 * unlinks every hash made before it from those made after.
 */
export const callerHash = (key: Uint8Array, caller: string): string =>
  createHmac('sha256', key).update(caller).digest('hex').slice(0, 16);

/** The shortest key taken: 32 bytes, the HMAC-SHA256 block's half. */
export const MIN_CALLER_HASH_KEY_BYTES = 32;
