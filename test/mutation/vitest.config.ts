/**
 * The tests Stryker runs against each mutant (stryker.config.json): the unit tests of the risk
 * gate and the executor, which finish in seconds. The e2e and chaos suites also cover these
 * modules but take tens of seconds per run, too slow for hundreds of mutants.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/engine/risk/**/*.test.ts', 'test/engine/execution/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
