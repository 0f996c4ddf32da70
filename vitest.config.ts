import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Chosen, measured on the 2-core machine (the issue-11 note has the figures):
    // - forks, not threads: the same wall time here, and dynalite, s3rver and the CLIs' process
    //   state stay out of one another's way;
    // - isolation on: a fresh module graph per file, so a mocked SDK client (aws-sdk-client-mock
    //   patches the client class) or a module's counter cannot leak into the next file. Off, the
    //   suite ran 10% faster and failed one file that depends on order.
    // - two workers, one per core: synthesising stacks and the dynalite suites are CPU-bound.
    pool: 'forks',
    isolate: true,
    maxWorkers: 2,
  },
});
