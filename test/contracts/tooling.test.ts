import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CairoModuleNotFoundError, inlineCairoCrate, mapDiagnostics } from '../../contracts/tooling/inline-modules.ts';
import {
  CairoRunnerError,
  estimateTestCalls,
  ignoreOtherTests,
  keepOnlyTests,
  listContracts,
  listTestFunctions,
  parseTestOutput,
  planBatches,
  singleContractSource,
  testAttributes,
  testBody,
} from '../../contracts/tooling/wasm-cairo.ts';

const dir = mkdtempSync(join(tmpdir(), 'cairo-inline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function crateWith(files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return join(dir, 'src', 'lib.cairo');
}

describe('inlineCairoCrate', () => {
  it('follows Cairo file rules recursively and keeps attributes and visibility', () => {
    const lib = crateWith({
      'src/lib.cairo': 'pub mod a;\n#[cfg(test)]\nmod tests;\nfn root() {}\n',
      'src/a.cairo': 'pub mod b; // child\npub fn fa() {}\n',
      'src/a/b.cairo': 'pub fn fb() {}\n',
      'src/tests.cairo': 'mod t1;\n',
      'src/tests/t1.cairo': '#[test]\nfn t() {}\n',
    });
    const crate = inlineCairoCrate(lib);
    expect(crate.source).toBe(
      'pub mod a {\npub mod b {\npub fn fb() {}\n\n}\npub fn fa() {}\n\n}\n#[cfg(test)]\nmod tests {\nmod t1 {\n#[test]\nfn t() {}\n\n}\n\n}\nfn root() {}\n\n',
    );
    expect(crate.files.map((f) => f.slice(dir.length + 1))).toEqual([
      'src/lib.cairo', 'src/a.cairo', 'src/a/b.cairo', 'src/tests.cairo', 'src/tests/t1.cairo',
    ]);
  });

  it('maps flat-source positions back to the original file and line', () => {
    const crate = inlineCairoCrate(join(dir, 'src', 'lib.cairo'));
    // line 3 of the flat source is `pub fn fb() {}` from src/a/b.cairo:1
    expect(mapDiagnostics(' --> lib.cairo:3:5', crate, dir)).toBe(' --> src/a/b.cairo:1:5');
  });

  it('names the missing file', () => {
    const lib = crateWith({ 'src/lib.cairo': 'mod gone;\n' });
    expect(() => inlineCairoCrate(lib)).toThrow(CairoModuleNotFoundError);
    expect(() => inlineCairoCrate(lib)).toThrow(/gone\.cairo/);
  });
});

describe('wasm-cairo output parsing', () => {
  it('reads per-test results and resources from a passing run', () => {
    const out = [
      'Wasm-Cairo Test outputs: ',
      'test astro::tests::a ... ok (gas usage est.: 3288530)',
      '    steps: 4503',
      '    memory holes: 622',
      '    builtins: ("range_check_builtin": 336)',
      '    syscalls: ("CallContract": 12, "Deploy": 8)',
      'test astro::tests::b ... ignored',
      'test result: ok. 1 passed; 0 failed; 1 ignored; 0 filtered out;',
    ].join('\n');
    const run = parseTestOutput(out);
    expect(run.passed).toBe(true);
    expect(run.results).toEqual([
      { name: 'astro::tests::a', status: 'ok', gasEstimate: 3288530n, steps: 4503, syscalls: '"CallContract": 12, "Deploy": 8' },
      { name: 'astro::tests::b', status: 'ignored' },
    ]);
  });
  it('sees a failing run (counts only) as failed', () => {
    const run = parseTestOutput('test result: FAILED. 2 passed; 1 failed; 0 ignored');
    expect(run.passed).toBe(false);
    expect(run.results).toEqual([]);
  });
  it('raises a runner error with the output when there is no summary', () => {
    expect(() => parseTestOutput('Compilation failed.')).toThrow(CairoRunnerError);
    expect(() => parseTestOutput('Memory loading failed during state initialization')).toThrow(/runner failed/);
  });
});

describe('source rewriting', () => {
  const src = [
    '#[starknet::contract]\npub mod A {}',
    '#[starknet::contract]\nmod B {}',
    '#[test]\nfn one() {}',
    '#[test]\n#[should_panic(expected: (\'X\', \'ENTRYPOINT_FAILED\'))]\nfn two() {}',
  ].join('\n');
  it('lists tests and contracts', () => {
    expect(listTestFunctions(src)).toEqual(['one', 'two']);
    expect(listContracts(src)).toEqual(['A', 'B']);
  });
  it('compiles out every test outside the kept set', () => {
    const out = keepOnlyTests(src, new Set(['two']));
    expect(out).toContain('#[cfg(wasm_cairo_skip)] #[test]\nfn one()');
    expect(out.split('\n').length).toBe(src.split('\n').length);
    expect(out).toContain("#[test]\n#[should_panic(expected: ('X', 'ENTRYPOINT_FAILED'))]\nfn two()");
  });
  it('ignores (compiles, does not run) every test but the kept ones', () => {
    const out = ignoreOtherTests(src, new Set(['two']));
    expect(out).toContain('#[test] #[ignore]\nfn one()');
    expect(out).not.toContain('wasm_cairo_skip');
    expect(out).toContain("#[test]\n#[should_panic(expected: ('X', 'ENTRYPOINT_FAILED'))]\nfn two()");
    expect(listTestFunctions(out)).toEqual(listTestFunctions(src));
  });
  it('switches off every contract but one', () => {
    const out = singleContractSource(src, 'B');
    expect(out).toContain('#[cfg(wasm_cairo_skip)] #[starknet::contract]\npub mod A');
    expect(out).toMatch(/^#\[starknet::contract\]\nmod B/m);
    expect(out).not.toContain('#[cfg(wasm_cairo_skip)] #[starknet::contract]\nmod B');
  });
});

describe('batch packing by estimated contract calls', () => {
  const src = [
    "#[test]\n#[should_panic(expected: ('NOT_OWNER', 'ENTRYPOINT_FAILED'))]\nfn early() { let market = deploy_market(); run_cycle(@market, a); }",
    '#[test]\nfn cycle() { let market = deploy_market(); run_cycle(@market, a); market.token.balance_of(x); }',
    '#[test]\nfn looped() { let m = with_ekubo(deploy_market()); while i != 3 { m.arb.start_cycle(1); }; }',
    '#[test]\nfn pure() { assert(1 == 1, \'x\'); }',
    '#[test]\nfn cycle2() { let market = deploy_market(); run_cycle(@market, a); }',
    '#[test]\nfn proof() { let m = with_ekubo(deploy_market()); for f in x { a.append(f); }; call_contract_syscall(arb, selector!("start_cycle"), c); }',
  ].join('\n');
  const tests = listTestFunctions(src);

  it('counts setup, cycles (three times in a loop, a few calls when refused up front) and other calls', () => {
    const est = (n: string) => estimateTestCalls(testBody(src, n), testAttributes(src, n));
    // A loop counts three cycles only when the cycle is inside it (proof: the loop copies felts).
    expect(tests.map(est)).toEqual([11 + 3, 11 + 30 + 1, 11 + 5 + 90, 0, 11 + 30, 11 + 5 + 30]);
  });
  it('keeps every batch within the budget (a test above it alone) and runs every test once', () => {
    const batches = planBatches(src, tests.filter((t) => t !== 'proof'), { callBudget: 60 });
    expect(batches.flat().sort()).toEqual(tests.filter((t) => t !== 'proof').sort());
    const est = (n: string) => Math.max(1, estimateTestCalls(testBody(src, n), testAttributes(src, n)));
    for (const b of batches) if (b.length > 1) expect(b.reduce((n, t) => n + est(t), 0)).toBeLessThanOrEqual(60);
    expect(batches.find((b) => b.includes('looped'))).toEqual(['looped']);
    // The light tests share batches with heavy ones instead of taking a compile each.
    expect(batches.length).toBe(3);
    // Without a budget: fixed groups of batchSize, in source order.
    expect(planBatches(src, tests, { batchSize: 2 })).toEqual([['early', 'cycle'], ['looped', 'pure'], ['cycle2', 'proof']]);
  });
});
