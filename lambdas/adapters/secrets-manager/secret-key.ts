import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A key kept in Secrets Manager: the secret's string (UTF-8 bytes) or binary value, at least
 * `minBytes` long. Read once per container (cold start); `purpose` names it in the error.
 */
export const readSecretKey = async (
  client: SecretsManagerClient,
  secretArn: string,
  {
    minBytes,
    purpose,
    versionStage,
  }: { readonly minBytes: number; readonly purpose: string; readonly versionStage?: string },
): Promise<Uint8Array> => {
  const output = await client.send(
    new GetSecretValueCommand({
      SecretId: secretArn,
      ...(versionStage ? { VersionStage: versionStage } : {}),
    }),
  );
  const key =
    output.SecretString !== undefined
      ? Buffer.from(output.SecretString, 'utf8')
      : output.SecretBinary !== undefined
        ? Buffer.from(output.SecretBinary)
        : undefined;
  if (!key || key.length < minBytes) {
    throw new Error(
      `${purpose} secret ${secretArn} holds ${key?.length ?? 0} bytes: store at least ${minBytes} random bytes (e.g. a generated 64-character password)`,
    );
  }
  return key;
};
