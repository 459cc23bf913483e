/**
 * One chaos run and a campaign of them. A run: fresh simulators (market seeded from the run's
 * seed), the real live engine built by the e2e rig (test/e2e/harness.ts: real gateways, risk
 * gate, executor, SQLite journal, simulated accounts provisioned as `arb run --live` does), the
 * plan's trades submitted through the risk gate while its faults fire on all three venues, then a
 * settle phase on healthy venues, the invariants (invariants.ts), the kill switch (trips, then no
 * order reaches any venue) and, on some runs, a dry-run engine over the same venues (sends nothing).
 *
 * Replay: the plan is a pure function of the seed, so `--seed S --runs 1` runs the same trades and
 * faults at the same offsets. The venues are real loopback sockets on the wall clock, so the exact
 * interleaving of a fault with an in-flight request can differ between two replays of one seed.
 */
import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../engine/core/config.ts';
import { createEngine } from '../../engine/core/engine.ts';
import { createLogger } from '../../engine/core/logger.ts';
import { systemClock } from '../../engine/core/clock.ts';
import { startVenueSimulators } from '../../simulators/index.ts';
import { startLiveRig, type LiveRig } from '../e2e/harness.ts';
import { FaultInjector } from './inject.ts';
import { accountOf, ExposureWatch, finalChecks, instrumentsAwaitingExpiry, netExposure, OrderWatch, pendingOrders, type RunView } from './invariants.ts';
import { planRun, runSeed, VENUES, type PlanOptions, type PlannedFault, type PlannedTrade, type RunPlan } from './schedule.ts';

export interface RunReport {
  seed: number;
  plan: RunPlan;
  violations: string[];
  /** Trade end states (and 'denied:<rule>' for trades the gate refused). */
  outcomes: Record<string, number>;
  faults: Record<string, number>;
  ordersAtVenues: number;
  maxLoneLegMs: number;
  ms: number;
  /** Kept when the run failed, for inspection. */
  journalPath?: string;
}

export interface RunOptions extends Partial<PlanOptions> {
  /** Honour the plan's engine crash (default true). */
  crashes?: boolean;
  /** Keep the run's directory (journal) even when it passed. */
  keep?: boolean;
}

/** The engine's repair timings in a run; short so a run is seconds, the ratios as in production. */
const EXECUTION = { ackTimeoutMs: 600, reconcileTimeoutMs: 1500, pollIntervalMs: 20, maxPollIntervalMs: 200, notFoundGraceMs: 300, requarantineCheckMs: 150 };
/** Longest fault the plan draws (stall, ack stall, storm), ms. */
const LONGEST_FAULT_MS = 1500;
/**
 * A lone leg may stay open this long: two of the longest faults (two can hit one trade: an index
 * delay on leg 1's venue and an ack stall on leg 2's), an ack timeout, the reconcile window and a
 * margin for a loaded machine.
 */
export const REPAIR_WINDOW_MS = 2 * LONGEST_FAULT_MS + EXECUTION.ackTimeoutMs + EXECUTION.reconcileTimeoutMs + 3000;
const SETTLE_MS = 15_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A halt that keeps a restarted engine from trading. The quarantine retry halts the gate only while
 * it compares journal and venues (LiveTrading.retryQuarantined), every tick while an order waits
 * for its expiry: that is the engine working, not stuck.
 */
const haltedForGood = (halted: string | undefined): boolean => halted !== undefined && !halted.startsWith('re-reconciling a quarantined instrument');
const phase = (what: string, since: number) => void (process.env['CHAOS_DEBUG'] && console.error(`chaos: ${what} at +${Date.now() - since} ms`));

let runCounter = 0;

export async function runOne(seed: number, options: RunOptions = {}): Promise<RunReport> {
  const plan = planRun(seed, { trades: options.trades ?? 6, faults: options.faults ?? 8, spanMs: options.spanMs ?? 2500, lighterStorms: options.lighterStorms ?? false });
  // A Lighter 429 holds that gateway 60 s: give such a run the time to come out of it.
  const settleMs = plan.faults.some((f) => f.venue === 'lighter' && f.kind === 'rate-storm') ? 75_000 : SETTLE_MS;
  const started = Date.now();
  const violations: string[] = [];
  const outcomes: Record<string, number> = {};
  const count = (k: string) => void (outcomes[k] = (outcomes[k] ?? 0) + 1);
  const sims = await startVenueSimulators({ seed: plan.marketSeed, updateIntervalMs: 0, dislocationProbability: 0, paradexSbeHeartbeatMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'arb-chaos-'));
  const injector = new FaultInjector(sims);
  let rig: LiveRig | undefined;
  let orders: OrderWatch | undefined;
  let exposure: ExposureWatch | undefined;
  const stepper = setInterval(() => sims.step(), 100);
  let journal: Database.Database | undefined;
  const rigs: LiveRig[] = [];
  let crashes = 0;
  try {
    const envPrefix = `CHAOS_${process.pid}_${runCounter++}`;
    rig = await startLiveRig({ sims, dir, envPrefix, execution: EXECUTION });
    rigs.push(rig);
    // The checks read the journal file through their own connection (WAL: they see every committed
    // row), so they outlive a crashed engine; positions come from the venues, logs from every engine.
    const db = (journal = new Database(join(dir, 'journal.sqlite'), { readonly: true }));
    const first = rig;
    const view: RunView = {
      sims,
      accounts: first.accounts,
      position: first.position,
      rows: (sql, ...params) => db.prepare(sql).all(...params) as Record<string, unknown>[],
      get logLines() {
        return rigs.flatMap((x) => x.logLines);
      },
    };
    orders = new OrderWatch(view);
    exposure = new ExposureWatch(view, REPAIR_WINDOW_MS, orders);
    // Trades, faults and the crash on one timeline, each at its planned offset.
    const t0 = Date.now();
    const running: Array<{ generation: number; done: Promise<void> }> = [];
    type Event = { at: number; trade: PlannedTrade } | { at: number; fault: PlannedFault } | { at: number; crash: true };
    const events: Event[] = [
      ...plan.trades.map((t) => ({ at: t.at, trade: t })),
      ...plan.faults.map((f) => ({ at: f.at, fault: f })),
      ...(plan.crashAt !== undefined && options.crashes !== false ? [{ at: plan.crashAt, crash: true as const }] : []),
    ].sort((a, b) => a.at - b.at);
    for (const e of events) {
      const wait = t0 + e.at - Date.now();
      if (wait > 0) await sleep(wait);
      if ('fault' in e) {
        injector.apply(e.fault);
        continue;
      }
      if ('crash' in e) {
        crashes++; // before the journal closes: trades of the old engine die from here on
        rig = await crashAndRestart(rig, { sims, dir, envPrefix, accounts: first.accounts });
        rigs.push(rig);
        continue;
      }
      const t = e.trade;
      const r = rig;
      const generation = crashes;
      const j = r.judgment(t.buy, t.sell, t.size, { base: t.base });
      running.push({
        generation,
        done: r.trade(j).then(
          (res) => (res ? count(res.state) : count(`denied:${(r.lastDenial ?? '?').split(':')[0]}`)),
          (err: unknown) => {
            // A trade of an engine that crashed under it dies at its next journal write: that is the crash.
            if (generation < crashes) return count('died-in-crash');
            violations.push(`no-escaping-error: trade ${t.buy}->${t.sell} ${t.size} ${t.base} threw: ${err instanceof Error ? err.message : String(err)}`);
          },
        ),
      });
    }
    const r = rig;
    // A crashed engine's trades are not waited for: in a real crash they are gone with the process.
    const live = () => Promise.all(running.filter((x) => x.generation === crashes).map((x) => x.done));
    await Promise.race([live(), sleep(settleMs)]);
    phase('trades done', started);
    // Settle on healthy venues: no armed fault, every instrument out of quarantine, no open trade.
    injector.clearAll();
    const settleEnd = Date.now() + settleMs;
    // An instrument may stay quarantined on an order the venue never saw but could still execute
    // (pendingOrders: untilExpiry); anything else must clear.
    const watch = orders;
    const settled = () => {
      if (r.rows("SELECT 1 FROM trades WHERE state = 'open'").length > 0) return false;
      if (crashes > 0 && haltedForGood(r.live.gate.halted)) return false;
      if (!r.live.locks.isBusy('BTC-USD-PERP') && !r.live.locks.isBusy('ETH-USD-PERP')) return true;
      // Only orders executable past the settle deadline (Lighter's 10-min ExpiredAt) may hold an
      // instrument; one expiring sooner (a 5 s recvWindow) must resolve inside the settle phase.
      const pending = pendingOrders(view, watch, settleEnd);
      return pending.length > 0 && pending.every((o) => o.untilExpiry);
    };
    while (!settled() && Date.now() < settleEnd) await sleep(50);
    if (!settled()) {
      const halted = crashes > 0 && haltedForGood(r.live.gate.halted) ? `; the restarted engine is still halted: ${r.live.gate.halted}` : '';
      violations.push(`settle: instruments still busy or trades open ${settleMs} ms after the faults cleared${halted}`);
    }
    await Promise.race([live(), sleep(1000)]);
    const held = pendingOrders(view, orders).filter((o) => o.untilExpiry).length;
    if (held > 0) outcomes['quarantined-until-expiry'] = held;
    if (crashes > 0) outcomes['engine-crashes'] = crashes;
    for (const i of instrumentsAwaitingExpiry(view, orders)) if (!netExposure(view, i).isZero()) outcomes['lone-leg-until-expiry'] = (outcomes['lone-leg-until-expiry'] ?? 0) + 1;
    phase('settled', started);
    exposure.sample();
    exposure.stop();
    violations.push(...exposure.violations, ...orders.violations, ...finalChecks(view, orders, { maxOrdersPerTrade: 12 }));

    phase('checked', started);
    // Kill switch: once tripped, a trade is refused and no new order reaches any venue.
    const before = orders.seen.length;
    writeFileSync(join(dir, 'KILL'), 'chaos');
    const killBy = Date.now() + 3000;
    while (!r.live.killSwitch.tripped && Date.now() < killBy) await sleep(20);
    if (!r.live.killSwitch.tripped) violations.push('kill-switch: the kill file did not trip the switch within 3 s');
    for (const [buy, sell] of [['paradex', 'lighter'], ['vest', 'paradex']] as const) {
      const res = await r.trade(r.judgment(buy, sell, '0.01'));
      if (res) violations.push(`kill-switch: a trade ran after the switch tripped (${res.state})`);
    }
    await sleep(100);
    if (orders.seen.length !== before) violations.push(`kill-switch: ${orders.seen.length - before} order(s) reached a venue after the switch tripped`);
    phase('kill checked', started);
    orders.stop();
    // The engine's log, for reading a failure (debug level; secrets already scrubbed by the logger).
    writeFileSync(join(dir, 'engine.log'), view.logLines.join(''));
    await r.close({ keepSims: true, keepDir: true });
    phase('closed', started);
    rig = undefined;
    if (existsSync(join(dir, 'KILL'))) unlinkSync(join(dir, 'KILL'));
    if (plan.dryRunCheck) violations.push(...(await dryRunSendsNothing(sims, r, dir)));
  } catch (err) {
    violations.push(`run-crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    clearInterval(stepper);
    journal?.close();
    exposure?.stop();
    orders?.stop();
    injector.clearAll();
    await rig?.close({ keepSims: true, keepDir: true }).catch(() => undefined);
    await sims.stop();
  }
  const report: RunReport = {
    seed,
    plan,
    violations,
    outcomes,
    faults: Object.fromEntries(injector.counts),
    ordersAtVenues: orders?.seen.length ?? 0,
    maxLoneLegMs: exposure?.maxOpenMs ?? 0,
    ms: Date.now() - started,
  };
  if (violations.length > 0 || options.keep) report.journalPath = join(dir, 'journal.sqlite');
  else rmSync(dir, { recursive: true, force: true });
  return report;
}

/**
 * The crash, as test/e2e/recovery.test.ts makes one: the journal closes under the engine (its next
 * write throws, so a trade in flight dies there), the kill switch and connectors go; nothing is
 * settled or shut down in order. Then a new engine on the same journal file, venues and keys,
 * which reconciles with the venues before it trades.
 */
async function crashAndRestart(old: LiveRig, o: { sims: Awaited<ReturnType<typeof startVenueSimulators>>; dir: string; envPrefix: string; accounts: LiveRig['accounts'] }): Promise<LiveRig> {
  old.engine.journal.close(Date.now());
  old.live.killSwitch.disarm();
  await Promise.allSettled(old.engine.connectors.map((c) => c.stop()));
  // A dead process runs no timers: the old engine's quarantine retry must not keep reading venues.
  void old.live.stop().catch(() => undefined);
  // It may start halted: a start-up reconcile that could not read a venue in time (a faulted
  // venue, a loaded machine) is asked again at every re-check tick (LiveTrading.retryUnreadable).
  // The settle phase requires trading to have resumed; a real disagreement never does.
  return startLiveRig({ sims: o.sims, accounts: o.accounts, dir: o.dir, envPrefix: o.envPrefix, execution: EXECUTION, allowHaltedStart: true });
}

/**
 * A dry-run engine over the same venues and accounts (credentials present, as a live run would
 * have them), with a 1% dislocation so there is something to trade: no order reaches any venue.
 */
async function dryRunSendsNothing(sims: Awaited<ReturnType<typeof startVenueSimulators>>, rig: LiveRig, dir: string): Promise<string[]> {
  const events: string[] = [];
  const offs = VENUES.map((v) => sims.trading[v].engine.on((e) => void (e.type === 'order' && events.push(`${v} ${e.order.clientId ?? e.order.id}`))));
  // As config/demo.yaml: the cross-exchange strategy and the venues' published fees.
  const config = parseConfig({
    ...rig.config,
    mode: 'dry-run',
    plugins: [...rig.config.plugins, 'fee-model:table', 'strategy:cross-exchange'],
    strategies: { 'cross-exchange': { thresholdPct: 0.15, notionalUsd: 1000, cooldownMs: 200 } },
    fees: { table: { preset: 'current' } },
    journal: { path: join(dir, 'dry.sqlite'), flushIntervalMs: 50 },
    logLevel: 'warn',
  });
  const engine = await createEngine({ config, baseDir: dir, logger: createLogger({ level: 'warn', destination: { write: () => undefined } }), clock: systemClock, live: false });
  try {
    await engine.start();
    if (engine.liveTrading) return ['dry-run: the dry-run engine has LiveTrading'];
    sims.model.dislocate('paradex', 'BTC', 0.01, 2000);
    const judged = () => {
      engine.journal.flush();
      return Number((engine.journal.db.prepare('SELECT COUNT(*) AS n FROM opportunities WHERE profitable = 1').get() as { n: number }).n);
    };
    for (let i = 0; i < 30 && judged() === 0; i++) {
      sims.step();
      await sleep(50);
    }
    const v = events.length > 0 ? [`dry-run: ${events.length} order(s) reached a venue from a dry-run engine (${events.slice(0, 3).join(', ')})`] : [];
    if (judged() === 0) v.push('dry-run: no profitable opportunity judged in 1.5 s of a 1% dislocation (the check saw nothing to refuse)');
    return v;
  } finally {
    for (const off of offs) off();
    await engine.stop();
  }
}

export interface CampaignReport {
  seed: number;
  runs: RunReport[];
  violations: number;
  ms: number;
}

/** Runs `runs` runs, run i seeded runSeed(seed, i); `onRun` sees each as it ends. */
export async function runCampaign(seed: number, runs: number, options: RunOptions & { onRun?: (r: RunReport, i: number) => void } = {}): Promise<CampaignReport> {
  const started = Date.now();
  const reports: RunReport[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOne(runs === 1 ? seed : runSeed(seed, i), options);
    reports.push(r);
    options.onRun?.(r, i);
  }
  return { seed, runs: reports, violations: reports.filter((r) => r.violations.length > 0).length, ms: Date.now() - started };
}

/** What a failing run prints: enough to replay it and to read it. */
export function describeFailure(r: RunReport): string {
  return [
    `chaos: run seed ${r.seed} FAILED (${r.violations.length} violation(s)); replay: npm run chaos -- --seed ${r.seed} --runs 1`,
    ...r.violations.map((v) => `  violation: ${v}`),
    `  journal: ${r.journalPath ?? '(removed)'} (engine.log beside it)`,
    `  outcomes: ${JSON.stringify(r.outcomes)}`,
    `  schedule: ${JSON.stringify({ trades: r.plan.trades, faults: r.plan.faults, dryRunCheck: r.plan.dryRunCheck, crashAt: r.plan.crashAt })}`,
  ].join('\n');
}

export { accountOf };
