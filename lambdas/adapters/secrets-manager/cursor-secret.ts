import {
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { type CursorKeys, MIN_CURSOR_KEY_BYTES } from '../http/cursor.js';
import { readSecretKey } from './secret-key.js';

/**
 * The keys of GET /calls cursors, from Secrets Manager: the secret's current version signs, the
 * previous one (AWSPREVIOUS, there once the secret was rotated) is still accepted, so the cursors
 * clients are paging with survive a rotation. Read once per container (cold start).
 */
export const readCursorKeys = async (
  client: SecretsManagerClient,
  secretArn: string,
): Promise<CursorKeys> => {
  const options = { minBytes: MIN_CURSOR_KEY_BYTES, purpose: 'cursor' };
  const current = await readSecretKey(client, secretArn, options);
  try {
    const previous = await readSecretKey(client, secretArn, {
      ...options,
      versionStage: 'AWSPREVIOUS',
    });
    return { current, previous };
  } catch (error) {
    // Never rotated: there is no previous version.
    if (error instanceof ResourceNotFoundException) return { current };
    throw error;
  }
};
