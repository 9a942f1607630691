import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Install tests (a real pre-commit building the hook, packed tarballs installed into an empty
    // project) take minutes of npm work: `npm run test:install` runs them, and .ci/run calls it
    // after `npm test`, so they gate CI without slowing the everyday suite.
    exclude: process.env.TLS_LINT_INSTALL_TESTS
      ? [...configDefaults.exclude]
      : [...configDefaults.exclude, 'test/install/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests that start servers pick free ports, so files can run side by side. Vitest's default
    // (one worker fewer than the cores) would run them one after the other on a 2-core machine,
    // while many of them mostly wait on servers and child processes.
    pool: 'forks',
    // Files in one worker share loaded modules instead of importing the readers (Babel and all)
    // again for each file: a third of the suite's CPU time. So a test that changes process-wide
    // state (environment, working folder, streams) restores it, as test/support/cli.ts does.
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
