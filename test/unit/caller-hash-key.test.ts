import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretKey } from '../../lambdas/adapters/secrets-manager/secret-key.js';
import { CALLER_HASH_KEY_FILE, localCallerHashKey } from '../../local/caller-hash-key.js';

const directory = () => pathToFileURL(`${mkdtempSync(join(tmpdir(), 'hash-key-'))}/`);

describe("the local system's callers' hash key", () => {
  it('is made once, 32 random bytes kept as hex with mode 0600, and read back the same', () => {
    const data = directory();
    const key = localCallerHashKey(data);
    const file = new URL(CALLER_HASH_KEY_FILE, data);
    expect(key).toHaveLength(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(Buffer.from(key).toString('hex'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(localCallerHashKey(data)).equals(Buffer.from(key))).toBe(true);
    // Another data directory, another key.
    expect(Buffer.from(localCallerHashKey(directory())).equals(Buffer.from(key))).toBe(false);
  });

  it('refuses a key file too short to be a key, saying what to do', () => {
    const data = directory();
    writeFileSync(new URL(CALLER_HASH_KEY_FILE, data), 'abcd\n');
    expect(() => localCallerHashKey(data)).toThrow(/holds 2 bytes.*delete it to make a new one/);
  });
});

describe('a key from Secrets Manager', () => {
  const secrets = mockClient(SecretsManagerClient);
  afterAll(() => secrets.restore());
  const client = new SecretsManagerClient({ region: 'us-east-1' });
  const read = () => readSecretKey(client, 'arn:k', { minBytes: 32, purpose: "the callers' hash" });

  it('is the secret string as bytes, or its binary value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(64) });
    expect(Buffer.from(await read()).toString()).toBe('k'.repeat(64));
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(40).fill(3) });
    expect(await read()).toHaveLength(40);
  });

  it('is refused when shorter than the minimum, naming the secret and what to store', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    await expect(read()).rejects.toThrow(
      /the callers' hash secret arn:k holds 5 bytes: store at least 32 random bytes/,
    );
  });
});
