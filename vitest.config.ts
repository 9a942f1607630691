import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests that start servers pick free ports; files still run in parallel (2 cores).
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
