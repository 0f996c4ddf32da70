import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Synthesising stacks is CPU-bound; two cores, so keep files from starving each other.
    maxWorkers: 2,
  },
});
