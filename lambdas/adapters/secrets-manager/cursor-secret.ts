import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MIN_CURSOR_KEY_BYTES } from '../http/cursor.js';
import { readSecretKey } from './secret-key.js';

/** The key that signs GET /calls cursors, from Secrets Manager (readSecretKey). */
export const readCursorKey = (
  client: SecretsManagerClient,
  secretArn: string,
): Promise<Uint8Array> =>
  readSecretKey(client, secretArn, { minBytes: MIN_CURSOR_KEY_BYTES, purpose: 'cursor' });
