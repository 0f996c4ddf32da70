import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  announceRunningSystem,
  credentialsOf,
  readRunningSystem,
} from '../../local/running-record.js';

const directories: string[] = [];
const fileIn = (): URL => {
  const directory = mkdtempSync(join(tmpdir(), 'running-'));
  directories.push(directory);
  return pathToFileURL(join(directory, 'nested', 'running.json'));
};

afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

describe('the running local system record', () => {
  it('is read back while this process runs, and gone once withdrawn', () => {
    const file = fileIn();
    const withdraw = announceRunningSystem({ dynamodbEndpoint: 'http://127.0.0.1:4567' }, file);
    expect(readRunningSystem(file)).toEqual({
      pid: process.pid,
      dynamodbEndpoint: 'http://127.0.0.1:4567',
    });
    withdraw();
    expect(readRunningSystem(file)).toBeUndefined();
  });

  it('ignores a record left by a process that is gone, and one that is not a record', () => {
    const file = fileIn();
    announceRunningSystem({ dynamodbEndpoint: 'http://127.0.0.1:1' }, file);
    // The highest pid Linux allows is 2^22: no process has a larger one.
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 1, dynamodbEndpoint: 'http://x' }));
    expect(readRunningSystem(file)).toBeUndefined();
    writeFileSync(file, '{"pid":"1"}');
    expect(readRunningSystem(file)).toBeUndefined();
    writeFileSync(file, 'not json');
    expect(readRunningSystem(file)).toBeUndefined();
  });

  it('is the owner’s alone (0600), a file left by a crash included, and carries the stores’ credentials', () => {
    const file = fileIn();
    const path = fileURLToPath(file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '{}');
    chmodSync(path, 0o644);
    announceRunningSystem(
      { dynamodbEndpoint: 'http://127.0.0.1:4567', accessKeyId: 'LOCALX', secretAccessKey: 's' },
      file,
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const running = readRunningSystem(file);
    expect(running && credentialsOf(running)).toEqual({
      accessKeyId: 'LOCALX',
      secretAccessKey: 's',
    });
  });
});
