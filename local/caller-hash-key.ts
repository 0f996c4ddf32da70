import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MIN_CALLER_HASH_KEY_BYTES } from '../lambdas/domain/caller-hash.js';

/**
 * The local system's key of the callers' hashes (the deployment keeps its own in Secrets Manager):
 * `caller-hash.key` in the data directory, 32 random bytes as hex, mode 0600, made on first use
 * and kept, so every writer of the local call log (npm start, import-records, replay) counts a
 * caller the same. Deleting the file is the local rotation.
 */
export const CALLER_HASH_KEY_FILE = 'caller-hash.key';

export const localCallerHashKey = (dataDirectory: URL): Uint8Array => {
  const file = fileURLToPath(new URL(CALLER_HASH_KEY_FILE, dataDirectory));
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    if (key.length >= MIN_CALLER_HASH_KEY_BYTES) return key;
    throw new Error(
      `${file} holds ${key.length} bytes, not the ${MIN_CALLER_HASH_KEY_BYTES} hex-encoded bytes of a key: delete it to make a new one (unique callers counted before then are not linked to later ones)`,
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(fileURLToPath(dataDirectory), { recursive: true });
  const key = randomBytes(MIN_CALLER_HASH_KEY_BYTES);
  // `wx`: two processes starting at once keep the first one's key.
  try {
    writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return localCallerHashKey(dataDirectory);
    throw error;
  }
  chmodSync(file, 0o600);
  return key;
};
