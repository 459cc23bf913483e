import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The Cairo suite (wasm-cairo, minutes of single-threaded compile) starts first, so the rest of
 * the suite runs beside it on the other core instead of after it.
 */
class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (f: TestSpecification) => (f.moduleId.includes('/test/contracts/cairo') ? 0 : 1);
    return [...sorted].sort((a, b) => slow(a) - slow(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores in CI: the Cairo runner is memory-hungry, so keep workers bounded.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    sequence: { sequencer: SlowestFirst },
  },
});
