/**
 * CI's Cairo toolchain: the npm package wasm-cairo (the Cairo 2.8.2 compiler and test runner
 * built to WebAssembly). It needs `initSync` with its .wasm bytes under Node. Its quirks, all
 * handled here:
 * - runTests returns the per-test log (`test <path> ... ok (gas usage est.: N)` + resources)
 *   only when every test passes; on a failure it returns just the counts. Failing tests are
 *   named by re-running subsets (tests outside the subset get `#[ignore]`) and halving.
 * - Compile errors come back as "Compilation failed." with no diagnostics (they go to a stderr
 *   the WASM build drops). compileCairoProgram does return diagnostics but lacks the Starknet
 *   plugin, so we use it only as a fallback to show real errors, filtered of plugin noise.
 * - compileStarknetContract accepts exactly one #[starknet::contract] per source, so each
 *   contract is compiled from the crate with the other contract modules switched off by cfg.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';

type WasmCairo = typeof import('wasm-cairo');
type WasmCairoCall = 'runTests' | 'compileStarknetContract' | 'compileCairoProgram';

let compiledModule: WebAssembly.Module | undefined;

/** The wasm-cairo WebAssembly module, compiled once per process and shared with workers. */
function wasmModule(): WebAssembly.Module {
  if (!compiledModule) {
    const require = createRequire(import.meta.url);
    compiledModule = new WebAssembly.Module(readFileSync(require.resolve('wasm-cairo/wasm-cairo_bg.wasm')));
  }
  return compiledModule;
}

/**
 * At most CAIRO_JOBS wasm-cairo jobs at a time per machine (default 2, one per core of a 2-core
 * CI machine): vitest runs test files in parallel workers and each job can take >1 GB (~20 MB
 * per contract call, batches packed to ~110 calls: about 2.2 GB at most), so jobs take one of
 * CAIRO_JOBS lock-file slots and queue when all are held (a slot whose owner process died is
 * taken over). One job at a time made the Cairo suite alone ~22 min once the Ekubo tests landed
 * (12 batches of ~110 s each on one core); CAIRO_JOBS=1 restores it on a small-memory machine.
 */
export const CAIRO_JOBS = Math.max(1, Number(process.env.CAIRO_JOBS ?? 2) || 1);
const lockFile = (slot: number): string => join(tmpdir(), slot === 0 ? 'wasm-cairo-job.lock' : `wasm-cairo-job.${slot}.lock`);

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Takes a free slot's lock file, or a dead owner's; undefined when every slot is held. */
function tryTakeSlot(): string | undefined {
  for (let slot = 0; slot < CAIRO_JOBS; slot++) {
    const file = lockFile(slot);
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return file;
    } catch {
      let owner = NaN;
      try {
        owner = Number(readFileSync(file, 'utf8'));
      } catch {
        continue; // released between our open and read: try it again on the next round
      }
      if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
        try {
          unlinkSync(file);
        } catch {
          // someone else took it over first
        }
      }
    }
  }
  return undefined;
}

async function withMachineLock<T>(job: () => Promise<T>): Promise<T> {
  let file: string | undefined;
  while ((file = tryTakeSlot()) === undefined) await sleep(250);
  try {
    return await job();
  } finally {
    try {
      unlinkSync(file);
    } catch {
      // already gone
    }
    // Give waiting processes (polling every 250 ms) a turn before this one queues again.
    await sleep(400);
  }
}

/**
 * Runs one wasm-cairo function in a fresh worker (fresh WebAssembly memory) and returns its
 * string result, queued behind any other wasm-cairo job on this machine.
 */
export function callWasmCairo<F extends WasmCairoCall>(fn: F, ...args: Parameters<WasmCairo[F]>): Promise<string> {
  return withMachineLock(() => runInWorker(fn, args));
}

function runInWorker(fn: WasmCairoCall, args: unknown[]): Promise<string> {
  const worker = new Worker(new URL('./wasm-cairo-worker.mjs', import.meta.url), {
    workerData: { module: wasmModule(), fn, args },
  });
  return new Promise<string>((resolve, reject) => {
    worker.once('message', (msg: { ok: boolean; value: string }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.value);
      else reject(new CairoRunnerError(`wasm-cairo ${fn} threw`, msg.value));
    });
    worker.once('error', (err) => {
      void worker.terminate();
      reject(err);
    });
  });
}

export type CairoTestStatus = 'ok' | 'fail' | 'ignored';

export interface CairoTestResult {
  /** Full path, e.g. `astro::tests::test_cycle::zklend_cycle_pays_owner_profit_net_of_fee`. */
  name: string;
  status: CairoTestStatus;
  gasEstimate?: bigint;
  steps?: number;
  syscalls?: string;
  /** Why the status is what it is, when the runner says more than ok/fail. */
  note?: string;
}

export class CairoRunnerError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}: ${output.trim().slice(0, 600) || '(no output)'}`);
    this.name = 'CairoRunnerError';
  }
}

/**
 * The batch that compiles every test failed: not halved like other batches (halves compile only
 * their own tests, so the check would silently go away); the whole run reports it.
 */
export class CairoCompileAllError extends Error {
  constructor(message: string, readonly output: string) {
    super(`${message}: ${output.trim().slice(0, 1200) || '(no output)'}`);
    this.name = 'CairoCompileAllError';
  }
}

export class CairoCompileError extends Error {
  constructor(readonly contract: string, message: string, readonly diagnostics: string) {
    super(`${contract}: ${message}${diagnostics ? `\n${diagnostics}` : ''}`);
    this.name = 'CairoCompileError';
  }
}

const SUMMARY = /test result: (ok|FAILED)\. (\d+) passed; (\d+) failed; (\d+) ignored/;
const TEST_LINE = /^test (\S+) \.\.\. (ok|fail|ignored)(?: \(gas usage est\.: (\d+)\))?/;

interface RawRun {
  output: string;
  passed: boolean;
  results: CairoTestResult[];
}

/** Parses runTests' returned log. */
export function parseTestOutput(output: string): RawRun {
  const summary = SUMMARY.exec(output);
  if (!summary) {
    throw new CairoRunnerError(
      output.includes('Compilation failed') ? 'Cairo tests did not compile' : 'Cairo test runner failed',
      output,
    );
  }
  const results: CairoTestResult[] = [];
  let current: CairoTestResult | undefined;
  for (const line of output.split('\n')) {
    const m = TEST_LINE.exec(line);
    if (m) {
      current = { name: m[1]!, status: m[2] as CairoTestStatus };
      if (m[3]) current.gasEstimate = BigInt(m[3]);
      results.push(current);
      continue;
    }
    const steps = /^\s+steps: (\d+)/.exec(line);
    if (steps && current) current.steps = Number(steps[1]);
    const sys = /^\s+syscalls: \((.*)\)/.exec(line);
    if (sys && current) current.syscalls = sys[1];
  }
  return { output, passed: summary[1] === 'ok', results };
}

/** Names of `#[test]` functions in a source (attributes between #[test] and fn are allowed). */
export function listTestFunctions(source: string): string[] {
  const names: string[] = [];
  const re = /#\[test\]\s*(?:#\[(?:[^\[\]]|\[[^\]]*\])*\]\s*)*fn\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    // A test switched off by a cfg of its own (e.g. #[cfg(wasm_cairo_pending)]) is not a test here.
    if (/#\[cfg\(wasm_cairo_pending\)\]\s*$/.test(source.slice(Math.max(0, m.index - 40), m.index))) continue;
    names.push(m[1]!);
  }
  return names;
}

/**
 * Compiles out (cfg) every test not in `keep`, by function name. Compiled-out rather than
 * #[ignore]d: the runner's memory and time grow with the size of the test program.
 */
export function keepOnlyTests(source: string, keep: ReadonlySet<string>): string {
  return source.replace(
    /#\[test\](\s*(?:#\[(?:[^\[\]]|\[[^\]]*\])*\]\s*)*fn\s+([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, rest: string, name: string) => (keep.has(name) ? whole : `#[cfg(wasm_cairo_skip)] #[test]${rest}`),
  );
}

/**
 * Marks every test not in `keep` #[ignore]: compiled (so a test that does not compile fails the
 * run) but not run. Costs memory in the runner (the program holds every test), so only batches
 * of light tests use it.
 */
export function ignoreOtherTests(source: string, keep: ReadonlySet<string>): string {
  return source.replace(
    /#\[test\](\s*(?:#\[(?:[^\[\]]|\[[^\]]*\])*\]\s*)*fn\s+([A-Za-z_][A-Za-z0-9_]*))/g,
    (whole, rest: string, name: string) => (keep.has(name) ? whole : `#[test] #[ignore]${rest}`),
  );
}

/** One runner invocation chosen by hand (measured to fit the runner's memory). */
export interface CairoBatch {
  tests: string[];
  /**
   * Compile every test of the source in this batch (the others #[ignore]d, not run). Tests left
   * out of a batch are compiled out, so without one such batch a test outside the run set could
   * stop compiling unnoticed.
   */
  compileAll?: boolean;
}

export interface RunOptions {
  /** Batches chosen by hand; overrides callBudget/batchSize packing and `tests`. */
  batches?: readonly CairoBatch[];
  /**
   * Tests per runner invocation. wasm-cairo's memory only grows (about 0.5 GB per test that
   * deploys this crate's market) and wasm32 stops at 4 GB, so tests run in batches, each in a
   * fresh worker. Every batch recompiles the crate.
   */
  batchSize?: number;
  /**
   * Packs batches by estimated contract calls instead of a fixed count (see estimateTestCalls):
   * each batch holds tests whose estimates sum to at most this (a test above it runs alone).
   * Memory per batch follows the calls its tests make, so light tests share a batch (and a
   * compile) where heavy ones cannot. When set, batchSize is ignored.
   */
  callBudget?: number;
  /** Run only these tests (names as listTestFunctions gives them); default every test in the source. */
  tests?: readonly string[];
  /** Upper bound on extra runs spent naming failing tests inside a failing batch. */
  maxIsolationRuns?: number;
  /** Maps flat-source positions in recovered diagnostics back to files (see mapDiagnostics). */
  mapPositions?: (diagnostics: string) => string;
  /** Called after each batch (progress for long CI runs). */
  onBatch?: (done: number, total: number) => void;
}

/**
 * Runs every test in `source` with Starknet syscalls and returns one result per test. A failing
 * batch is halved until each failing test is named or the isolation budget is spent (tests still
 * unresolved are reported `fail` with a note saying so).
 */
export async function runCairoTests(source: string, options: RunOptions = {}): Promise<CairoTestResult[]> {
  const all = options.batches ? options.batches.flatMap((b) => b.tests) : options.tests ? [...options.tests] : listTestFunctions(source);
  const compileAllBatches = new Set(options.batches?.filter((b) => b.compileAll).map((b) => b.tests));
  const everyTest = listTestFunctions(source);
  // allow_warnings, filter, include_ignored, ignored, starknet, profiler, gas_disabled (gas
  // must stay on: the 2.8.2 runner fails contract tests without it), print_resource_usage.
  const run = async (group: string[]): Promise<RawRun> => {
    const keep = new Set(group);
    const compileAll = compileAllBatches.has(group);
    const program = compileAll ? ignoreOtherTests(source, keep) : keepOnlyTests(source, keep);
    let output: string;
    try {
      output = await callWasmCairo('runTests', program, true, '', false, false, true, '', false, true);
    } catch (error) {
      if (compileAll && error instanceof CairoRunnerError) throw new CairoCompileAllError('the batch that compiles every Cairo test failed in the runner', error.output);
      throw error;
    }
    if (compileAll && output.includes('Compilation failed')) {
      throw new CairoCompileAllError(
        'a Cairo test does not compile',
        `${output}\nThis batch compiles all ${everyTest.length} tests (the ones it does not run are #[ignore]d). wasm-cairo prints no diagnostics for test code: \`scarb test\` shows them, or look for a name a test uses but its module does not import.`,
      );
    }
    const r = parseTestOutput(output);
    const ignored = Number(SUMMARY.exec(output)?.[4] ?? NaN);
    if (compileAll && r.passed && ignored !== everyTest.length - group.length) {
      throw new CairoCompileAllError('the batch that compiles every Cairo test did not compile every test', `${ignored} ignored, expected ${everyTest.length - group.length}\n${output.slice(0, 400)}`);
    }
    return r;
  };

  let budget = options.maxIsolationRuns ?? 6;
  const byName = new Map<string, CairoTestResult>();
  const shortName = (full: string): string => full.slice(full.lastIndexOf('::') + 2);
  const failAll = (group: string[], note: string): void => {
    for (const name of group) byName.set(name, { name, status: 'fail', note });
  };

  /**
   * Runs `group`; a failing group is halved until each failing test is named. A runner error
   * (no summary at all, e.g. "Vector capacity exceeded", which some combinations of tests hit
   * even far below the 4 GB cap) is also answered by halving: smaller programs get through.
   */
  const settle = async (group: string[], isolating: boolean): Promise<void> => {
    if (group.length === 0) return;
    if (isolating) {
      if (budget <= 0) {
        failAll(group, `one of ${group.length} tests in a failing group (isolation budget spent): ${group.join(', ')}`);
        return;
      }
      budget--;
    }
    let r: RawRun;
    try {
      r = await run(group);
    } catch (error) {
      if (!(error instanceof CairoRunnerError)) throw error;
      if (error.output.includes('Compilation failed')) {
        // Some combinations of tests report "Compilation failed." although each compiles and
        // passes alone (seen on the hostile and Ekubo batches under wasm-cairo 2.8.2): halve the
        // group like a runner error. A single test that does not compile is a real compile error:
        // show what diagnostics can be recovered.
        if (group.length > 1) {
          const half = Math.ceil(group.length / 2);
          await settle(group.slice(0, half), isolating);
          await settle(group.slice(half), isolating);
          return;
        }
        // One test that does not compile fails alone (the others keep their verdicts). The
        // plugin-less compiler does not see test code, so its diagnostics are a hint at best.
        const diagnostics = await recoverDiagnostics(source);
        return failAll(group, `did not compile (wasm-cairo prints no diagnostics for test code; \`scarb test\` shows them). ${error.output.trim()}\n${options.mapPositions?.(diagnostics) ?? diagnostics}`);
      }
      if (group.length === 1) return failAll(group, `wasm-cairo runner error: ${error.message}`);
      const half = Math.ceil(group.length / 2);
      await settle(group.slice(0, half), isolating);
      await settle(group.slice(half), isolating);
      return;
    }
    if (r.passed) {
      for (const res of r.results) if (res.status !== 'ignored') byName.set(shortName(res.name), res);
      return;
    }
    if (group.length === 1) return failAll(group, 'failed (wasm-cairo does not return the panic data of failing tests)');
    const half = Math.ceil(group.length / 2);
    await settle(group.slice(0, half), true);
    await settle(group.slice(half), true);
  };

  const batches = options.batches ? options.batches.map((b) => b.tests) : planBatches(source, all, options);
  // CAIRO_JOBS batches at once, each in its own worker (the machine lock bounds the total).
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      await settle(batch, false);
      options.onBatch?.(++done, batches.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CAIRO_JOBS, batches.length) }, lane));
  return all.map((name) => byName.get(name) ?? { name, status: 'fail', note: 'not reported by the runner' });
}

/** How runCairoTests groups `tests` into runner invocations (one crate compile each). */
export function planBatches(source: string, tests: string[], options: Pick<RunOptions, 'batchSize' | 'callBudget'> = {}): string[][] {
  return options.callBudget !== undefined ? packByCalls(source, tests, options.callBudget) : fixedBatches(tests, options.batchSize ?? 3);
}

function fixedBatches(all: string[], batchSize: number): string[][] {
  const size = Math.max(1, batchSize);
  const batches: string[][] = [];
  for (let i = 0; i < all.length; i += size) batches.push(all.slice(i, i + size));
  return batches;
}

/** The body of `fn name` (from its first `{` to the matching `}`), or '' when not found. */
export function testBody(source: string, name: string): string {
  const at = source.search(new RegExp(`\\bfn\\s+${name}\\s*\\(`));
  return at < 0 ? '' : blockAt(source, at);
}

/** The `{ ... }` block that starts at or after `from` (brace-matched), or ''. */
function blockAt(text: string, from: number): string {
  const open = text.indexOf('{', from);
  if (open < 0) return '';
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** The attributes between a test's `#[test]` and its `fn` (should_panic, feature, ...). */
export function testAttributes(source: string, name: string): string {
  const at = source.search(new RegExp(`\\bfn\\s+${name}\\s*\\(`));
  if (at < 0) return '';
  const start = source.lastIndexOf('#[test]', at);
  return start < 0 ? '' : source.slice(start, at);
}

/**
 * Rough count of the contract calls (deploys included) a test makes, from its source: what the
 * runner's memory grows with (~20 MB a call, see contracts/README.md). The constants are the
 * syscall counts the runner printed for this crate's helpers (deploy_market: 8 deploys + 3 calls;
 * with_ekubo: 1 deploy + 4 calls; one cycle: 25-35 calls); every other dispatcher-style call
 * counts 1, and a cycle inside a loop counts three times. An estimate only decides packing: a
 * batch that still exceeds the runner's memory fails with a runner error and is halved.
 */
export function estimateTestCalls(body: string, attributes = ''): number {
  const count = (re: RegExp) => (body.match(re) ?? []).length;
  // A cycle refused by start_cycle's own checks never reaches the lender: a few calls, not 30.
  const early = /should_panic\(expected: \('(NOT_OWNER|ZERO_AMOUNT|AMOUNT_TOO_LARGE|BAD_ROUTE|EKUBO_LEG_NEEDS_EKUBO_LENDER|POOL_KEY_NOT_THE_PAIR|CYCLE_IN_FLIGHT|LENDER_PAUSED)'/.test(attributes);
  const perCycle = early ? 3 : 30;
  const cycle = /\b(run_cycle|run_ekubo_cycle|try_vesu_cycle)\(|\.start_cycle\(|selector!\("start_cycle"\)/g;
  const inLoop = [...body.matchAll(/\b(while|loop|for)\b/g)].some((m) => new RegExp(cycle.source).test(blockAt(body, m.index!)));
  const cycles = count(cycle) * (inLoop ? 3 : 1);
  const setup = 11 * count(/\bdeploy_market\(/g) + 5 * count(/\bwith_ekubo\(/g);
  const other = count(/\.(balance_of|allowance|cycle_state|owner|pending_owner|get_reserves|set_\w+|mint\w*|rescue|transfer_ownership|accept_ownership|locked|zklend_flash_callback|on_flash_loan|flash_loan|approve|transfer\w*)\(/g);
  return setup + perCycle * cycles + other;
}

/** First-fit decreasing by estimated calls; a pure test (no calls) costs 1 so it still packs. */
function packByCalls(source: string, all: string[], budget: number): string[][] {
  const weighted = all.map((name) => ({ name, calls: Math.max(1, estimateTestCalls(testBody(source, name), testAttributes(source, name))) }));
  weighted.sort((a, b) => b.calls - a.calls);
  const bins: { names: string[]; calls: number }[] = [];
  for (const t of weighted) {
    const bin = bins.find((b) => b.calls + t.calls <= budget);
    if (bin) {
      bin.names.push(t.name);
      bin.calls += t.calls;
    } else bins.push({ names: [t.name], calls: t.calls });
  }
  return bins.map((b) => b.names);
}

/** The crate with every #[starknet::contract] module except `contract` switched off. */
export function singleContractSource(source: string, contract: string): string {
  return source.replace(
    /#\[starknet::contract\](\s*pub\s+mod\s+|\s*mod\s+)([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, between: string, name: string) =>
      name === contract ? whole : `#[cfg(wasm_cairo_skip)] #[starknet::contract]${between}${name}`,
  );
}

/** Names of all #[starknet::contract] modules in a source. */
export function listContracts(source: string): string[] {
  return [...source.matchAll(/#\[starknet::contract\]\s*(?:pub\s+)?mod\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!);
}

export interface SierraClass {
  sierra_program: string[];
  entry_points_by_type: Record<string, unknown>;
  abi: unknown[];
}

/**
 * Compiles one contract of the crate to its Sierra class. On failure the error carries what
 * diagnostics can be recovered (plain-Cairo compile, plugin noise removed).
 */
export async function compileContract(
  source: string,
  contract: string,
  mapPositions: (diagnostics: string) => string = (d) => d,
): Promise<SierraClass> {
  // Rewrites keep line numbers (attributes are added on the same line), so positions map back.
  const single = singleContractSource(source, contract);
  const out = await callWasmCairo('compileStarknetContract', single, true, false);
  if (out.trimStart().startsWith('{')) return JSON.parse(out) as SierraClass;
  throw new CairoCompileError(contract, out.trim(), mapPositions(await recoverDiagnostics(single)));
}

/** Diagnostics from the plugin-less compiler, minus errors that only mean "no Starknet plugin". */
export async function recoverDiagnostics(source: string): Promise<string> {
  const out = await callWasmCairo('compileCairoProgram', source, false);
  if (!out.startsWith('failed to compile')) return '';
  const noise = /Unsupported attribute|Type not found|Ambiguous method call|Identifier not found|Function not found|Method `\w+` not found|Unknown inline attribute/;
  return out
    .split(/\n(?=error|warning)/)
    .filter((block) => !noise.test(block))
    .join('\n')
    .trim();
}
