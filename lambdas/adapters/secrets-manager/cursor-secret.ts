import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { MIN_CURSOR_KEY_BYTES } from '../http/cursor.js';

/**
 * The key that signs GET /calls cursors, from Secrets Manager: the secret's string (UTF-8 bytes) or
 * binary value, at least MIN_CURSOR_KEY_BYTES long. Read once per container (cold start).
 */
export const readCursorKey = async (
  client: SecretsManagerClient,
  secretArn: string,
): Promise<Uint8Array> => {
  const output = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const key =
    output.SecretString !== undefined
      ? Buffer.from(output.SecretString, 'utf8')
      : output.SecretBinary !== undefined
        ? Buffer.from(output.SecretBinary)
        : undefined;
  if (!key || key.length < MIN_CURSOR_KEY_BYTES) {
    throw new Error(
      `cursor secret ${secretArn} holds ${key?.length ?? 0} bytes: store at least ${MIN_CURSOR_KEY_BYTES} random bytes (e.g. a generated 64-character password)`,
    );
  }
  return key;
};
