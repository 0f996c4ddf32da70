import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleSourceHash, hashOfInputs } from '../../lib/bundling.js';

/** A bundle's asset hash comes from its inputs: the same inputs, the same hash; any change, another. */

const inputs = { directories: ['code'], files: ['lock.json'] };
const roots: string[] = [];

const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(join(tmpdir(), 'bundle-inputs-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};

const base = { 'code/a.ts': 'a', 'code/deep/b.ts': 'b', 'lock.json': '{}', 'other.txt': 'x' };

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe('hashOfInputs', () => {
  it('is the same for the same files wherever they are, and ignores files outside the inputs', () => {
    expect(hashOfInputs(tree(base), inputs)).toBe(
      hashOfInputs(tree({ ...base, 'other.txt': 'changed' }), inputs),
    );
  });

  it('changes with a byte of a nested file, a new file, a renamed file or the lock file', () => {
    const hash = hashOfInputs(tree(base), inputs);
    for (const changed of [
      { ...base, 'code/deep/b.ts': 'B' },
      { ...base, 'code/c.ts': '' },
      { ...base, 'code/deep/b.ts': undefined, 'code/deep/b2.ts': 'b' },
      { ...base, 'lock.json': '{"x":1}' },
    ]) {
      const files = Object.fromEntries(
        Object.entries(changed).filter((e): e is [string, string] => e[1] !== undefined),
      );
      expect(hashOfInputs(tree(files), inputs)).not.toBe(hash);
    }
  });
});

describe('bundleSourceHash', () => {
  it('differs between functions and is stable for one', () => {
    expect(bundleSourceHash('route-call')).toBe(bundleSourceHash('route-call'));
    expect(bundleSourceHash('route-call')).not.toBe(bundleSourceHash('api'));
    expect(bundleSourceHash('api')).toMatch(/^[0-9a-f]{64}$/);
  });
});
