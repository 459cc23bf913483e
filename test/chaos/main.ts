/**
 * `npm run chaos -- [--runs N] [--seed S] [--trades T] [--faults F] [--keep] [--lighter-storms]`: a seeded chaos
 * campaign on the loopback simulators (see docs/chaos.md). One line per run, the full schedule of
 * each failing run, and last `chaos: N runs, V violations (seed S)`; exit 1 on any violation.
 * With --runs 1 the seed is the run's own seed (the one a failure line prints), so it replays it.
 */
import { describeFailure, runCampaign } from './campaign.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function intArg(name: string, fallback: number): number {
  const raw = arg(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

// An error escaping the engine (a rejected promise nobody awaits) is a finding, not a reason to lose the campaign.
const escaped: string[] = [];
process.on('unhandledRejection', (err) => void escaped.push(err instanceof Error ? (err.stack ?? err.message) : String(err)));
process.on('uncaughtException', (err) => void escaped.push(err.stack ?? err.message));

const runs = intArg('runs', 50);
const seed = intArg('seed', Date.now() % 1_000_000);
const report = await runCampaign(seed, runs, {
  trades: intArg('trades', 6),
  faults: intArg('faults', 8),
  keep: process.argv.includes('--keep'),
  lighterStorms: process.argv.includes('--lighter-storms'),
  onRun(r, i) {
    if (escaped.length > 0) r.violations.push(...escaped.splice(0).map((e) => `no-escaping-error: ${e}`));
    const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
    if (r.violations.length > 0) console.log(describeFailure(r));
    else console.log(`chaos: run ${i + 1}/${runs} seed ${r.seed} ok in ${r.ms} ms: ${faults} faults, ${r.ordersAtVenues} orders at venues, outcomes ${JSON.stringify(r.outcomes)}, longest lone leg ${r.maxLoneLegMs} ms`);
  },
});
const faults: Record<string, number> = {};
for (const r of report.runs) for (const [k, n] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + n;
console.log(`chaos: faults injected ${JSON.stringify(faults)} in ${(report.ms / 1000).toFixed(1)} s`);
const failed = report.runs.filter((r) => r.violations.length > 0).length;
console.log(`chaos: ${runs} runs, ${failed} violations (seed ${seed})`);
process.exit(failed > 0 ? 1 : 0);
