import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Test files that need a module graph of their own: they mock an SDK client class
 * (aws-sdk-client-mock patches its prototype), mock, hoist or reset modules, stub the environment,
 * or import a handler module (handlers read their environment when imported). Found by what the
 * file contains, so a new file of that kind is isolated without a list to keep.
 */
const NEEDS_OWN_MODULES =
  /vi\.mock\(|vi\.hoisted|vi\.stubEnv|vi\.resetModules|mockClient\(|lambdas\/handlers\/|fake-connect/;

const TEST_FILES = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => join('test', file).replaceAll('\\', '/'));

const OWN_MODULES = TEST_FILES.filter((file) => NEEDS_OWN_MODULES.test(readFileSync(file, 'utf8')));

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Measured on the 2-core machine:
    // - forks, not threads: the same wall time here, and dynalite, s3rver and the CLIs' process
    //   state stay out of one another's way;
    // - two workers, one per core: synthesising stacks and the dynalite suites are CPU-bound;
    // - modules shared between files, except where a file needs its own (OWN_MODULES): importing
    //   aws-cdk-lib, the SDK and the simulator afresh for each of 110 files was most of the suite's
    //   time (a run on a busy machine: 124 s shared, 327 s all isolated). Shared files must leave
    //   nothing behind: servers closed, spies restored, no module state another file relies on.
    setupFiles: ['test/support/log-scan.ts'],
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'own-modules', include: OWN_MODULES, isolate: true },
      },
      {
        extends: true,
        test: {
          name: 'shared-modules',
          include: ['test/**/*.test.ts'],
          exclude: OWN_MODULES,
          isolate: false,
        },
      },
    ],
  },
});
