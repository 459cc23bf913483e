/**
 * CI for the Cairo package: every `#[test]` in contracts/src, and the proofs of the TypeScript
 * start_cycle calldata (test/plugins/strategies/flash-loan/calldata-proof.ts), run through
 * wasm-cairo (Cairo 2.8.2 with Starknet syscalls) and are reported here as vitest tests, and the
 * deployable contract compiles to a Sierra class. Users with scarb run the same tests with `scarb test`.
 *
 * Cost (measured, see contracts/README.md): wasm-cairo memory only grows (~20 MB per contract
 * call a test makes, 4 GB cap), so tests run in batches in fresh workers, each batch recompiling
 * the crate (~60 s CPU); batches are packed by each test's estimated contract calls
 * (CALL_BUDGET), so light tests share a compile; the runs happen once, in beforeAll. compileStarknetContract also type-checks the whole corelib on every call (~45 s CPU each), so
 * by default only FlashArb, the contract users deploy, is compiled to Sierra; the mocks are
 * compiled and exercised by the test run. CAIRO_COMPILE_ALL=1 compiles every contract.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inlineCairoCrate, mapDiagnostics } from '../../contracts/tooling/inline-modules.ts';
import { CALLDATA_PROOF_TESTS, calldataProofSource } from '../plugins/strategies/flash-loan/calldata-proof.ts';
import {
  compileContract,
  estimateTestCalls,
  listContracts,
  listTestFunctions,
  runCairoTests,
  testAttributes,
  testBody,
  type CairoBatch,
  type CairoTestResult,
  type SierraClass,
} from '../../contracts/tooling/wasm-cairo.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const crate = inlineCairoCrate(join(repoRoot, 'contracts', 'src', 'lib.cairo'));
// The TypeScript calldata proofs run in the same batches (and compiles) as the crate's tests.
const source = crate.source + calldataProofSource();
const testNames = listTestFunctions(source);
const contracts = listContracts(crate.source);
const compileAll = process.env.CAIRO_COMPILE_ALL === '1';
const toCompile = compileAll ? contracts : ['FlashArb'];
/**
 * Estimated contract calls per batch (estimateTestCalls). Three full cycles with their market
 * setup (~140 calls) fit before the Ekubo code grew the program every call copies; now three
 * full cycles (149 measured calls) end in "RuntimeError: unreachable" (wasm32 out of memory),
 * so 110. A batch that still overflows the runner's
 * memory fails with a runner error and is halved, so a low estimate costs time, never a verdict.
 * CAIRO_CALL_BUDGET overrides it.
 */
const CALL_BUDGET = Number(process.env.CAIRO_CALL_BUDGET ?? 110);

/**
 * The Cairo tests `npm test` runs, in batches measured to fit wasm-cairo's memory and the suite's
 * time (2026-12-03, 2 cores with the rest of a load beside: 90-270 s a batch; two Vesu-lent cycles
 * in one batch, or a 51+47+12-call batch, end in "RuntimeError: unreachable", wasm32 out of
 * memory; 7 batches took 891 s, too long beside the rest of the suite). The first batch compiles
 * every test of the crate (the ones it does not run are #[ignore]d) and runs the light ones:
 * tests outside a batch are compiled out, and a test that had stopped compiling went unnoticed
 * that way (test_security.cairo used `vesu()` without importing it). The set: a zkLend-lent cycle
 * paying the owner net of the fee, an Ekubo cycle below min_profit reverting, an over-reporting
 * router that cannot spend stray tokens, and the three TypeScript calldata proofs (a zkLend router
 * cycle and an Ekubo-only cycle through the real entry point). CAIRO_FULL=1 (`npm run test:cairo`)
 * runs all tests (Vesu-lent cycles, access control, the other hostile cases: about 40 min on 2
 * cores, a compile per batch); the others are listed as skipped with that reason.
 */
const CI_BATCHES: CairoBatch[] = [
  { tests: ['pool_formula_matches_hand_computed_legs', 'ekubo_swap_math_matches_hand_computed_legs', 'ts_calldata_decodes_as_start_cycle_parameters', 'zklend_fee_floors_like_zklend_safe_decimal_math'], compileAll: true },
  { tests: ['zklend_cycle_pays_owner_profit_net_of_fee_and_emits_events', 'ekubo_cycle_below_min_profit_reverts'] },
  { tests: ['ts_ekubo_calldata_runs_a_cycle_inside_the_lock', 'over_reporting_router_cannot_make_the_contract_spend_stray_tokens'] },
  { tests: ['ts_calldata_runs_a_cycle_through_the_entry_point'] },
];
const CI_SET = new Set(CI_BATCHES.flatMap((b) => b.tests));
const runAll = process.env.CAIRO_FULL === '1';
const selected = runAll ? testNames : testNames.filter((n) => CI_SET.has(n));

describe('Cairo crate layout', () => {
  it('inlines every module file and finds the tests and contracts', () => {
    expect(crate.files.length).toBeGreaterThan(10);
    expect(crate.source).not.toMatch(/^\s*(pub\s+)?mod\s+\w+\s*;/m);
    expect(testNames.length).toBeGreaterThanOrEqual(20);
    expect(testNames).toEqual(expect.arrayContaining([...CALLDATA_PROOF_TESTS]));
    // Every name in npm test's Cairo set is a real test (a rename would silently drop it otherwise).
    expect([...CI_SET].filter((n) => !testNames.includes(n))).toEqual([]);
    expect(new Set(testNames).size).toBe(testNames.length); // results are matched by function name
    expect(contracts).toEqual(
      expect.arrayContaining(['FlashArb', 'MockERC20', 'MockZkLendMarket', 'MockVesuLender', 'MockConstantProductPool', 'MockEkuboCore']),
    );
  });
});

/**
 * The Sierra compile starts with the test batches (it takes a wasm-cairo slot of its own while
 * the batches share the others: CAIRO_JOBS) instead of after the last of them.
 */
let sierra: Promise<Map<string, SierraClass | Error>> | undefined;
function compileClasses(): Promise<Map<string, SierraClass | Error>> {
  sierra ??= (async () => {
    const classes = new Map<string, SierraClass | Error>();
    for (const name of toCompile) {
      try {
        classes.set(name, await compileContract(crate.source, name, (d) => mapDiagnostics(d, crate, repoRoot)));
      } catch (error) {
        classes.set(name, error as Error);
      }
    }
    return classes;
  })();
  return sierra;
}

describe('Cairo tests (wasm-cairo, Starknet syscalls)', () => {
  let results: CairoTestResult[] = [];
  let runError: unknown;

  beforeAll(async () => {
    void compileClasses();
    const started = Date.now();
    try {
      if (!runAll) console.log(`cairo tests: running ${selected.length} of ${testNames.length} (issue 17's proof set, the first batch compiling all); CAIRO_FULL=1 or \`npm run test:cairo\` runs all`);
      results = await runCairoTests(source, {
        ...(runAll ? { tests: selected, callBudget: CALL_BUDGET } : { batches: CI_BATCHES }),
        mapPositions: (d) => mapDiagnostics(d, crate, repoRoot),
        onBatch: (done, total) => console.log(`cairo tests: batch ${done}/${total} done after ${Math.round((Date.now() - started) / 1000)} s`),
      });
    } catch (error) {
      runError = error;
      return;
    }
    const baseline = results.find((r) => r.name.endsWith('::market_setup_resource_baseline'));
    for (const r of results.filter((x) => /cycle_pays_owner/.test(x.name))) {
      const cycleSteps = r.steps !== undefined && baseline?.steps !== undefined ? r.steps - baseline.steps : undefined;
      const cycleGas = r.gasEstimate !== undefined && baseline?.gasEstimate !== undefined ? r.gasEstimate - baseline.gasEstimate : undefined;
      console.log(
        `cairo resources ${r.name.split('::').pop()}: cycle ≈ ${cycleSteps ?? '?'} steps, ≈ ${cycleGas ?? '?'} gas (runner estimate, market setup subtracted); whole test steps=${r.steps ?? '?'} syscalls=(${r.syscalls ?? ''})`,
      );
    }
    // The packing estimate against what each test really did (Deploy + CallContract), so the
    // estimate can be tuned from a run instead of guessed.
    const off: string[] = [];
    for (const r of results.filter((x) => x.syscalls !== undefined)) {
      const short = r.name.split('::').pop()!;
      const calls = [...(r.syscalls ?? '').matchAll(/"(Deploy|CallContract)": (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
      const estimate = estimateTestCalls(testBody(source, short), testAttributes(source, short));
      if (Math.abs(calls - estimate) > Math.max(8, calls * 0.3)) off.push(`${short} ${calls} (est. ${estimate})`);
    }
    if (off.length) console.log(`cairo call estimates off by >30%: ${off.join('; ')}`);
    console.log(`cairo test run: ${results.length} tests in ${Math.round((Date.now() - started) / 1000)} s`);
  }, 1_800_000);

  for (const name of testNames.filter((n) => !selected.includes(n))) {
    it.skip(`${name} (not in npm test's Cairo set: CAIRO_FULL=1 or \`npm run test:cairo\` runs it)`, () => undefined);
  }

  for (const name of selected) {
    it(name, () => {
      if (runError) throw runError;
      const r = results.find((x) => x.name.endsWith(`::${name}`) || x.name === name);
      expect(r, `Cairo test ${name} was not reported by the runner`).toBeDefined();
      expect(r?.status, r?.note ?? `Cairo test ${name} failed`).toBe('ok');
    });
  }
});

describe('Sierra classes (compileStarknetContract)', () => {
  let classes = new Map<string, SierraClass | Error>();

  beforeAll(async () => {
    if (!compileAll) console.log('sierra: compiling FlashArb only; set CAIRO_COMPILE_ALL=1 to compile the mocks too');
    classes = await compileClasses();
  }, 1_800_000);

  for (const name of toCompile) {
    it(`${name} compiles to a Sierra class with its entry points`, () => {
      const cls = classes.get(name);
      if (cls instanceof Error) throw cls;
      expect(cls?.sierra_program.length).toBeGreaterThan(100);
      if (name === 'FlashArb') {
        const abi = JSON.stringify(cls?.abi);
        for (const entry of ['start_cycle', 'rescue', 'zklend_flash_callback', 'on_flash_loan', 'locked', 'transfer_ownership', 'accept_ownership', 'CycleExecuted']) {
          expect(abi).toContain(entry);
        }
      }
    });
  }
});
