/**
 * `arb run`: start the engine on a config (or the built-in demo), print judged opportunities
 * and periodic summaries, and stop cleanly on Ctrl-C with a session summary.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../core/clock.ts';
import { loadConfigFile, type EngineConfig } from '../core/config.ts';
import { assemble } from '../app/assemble.ts';
import { pairLifecycleSummary } from '../portfolio/lifecycle-summary.ts';
import { formatPairClose, formatPairSummary } from './pair-lines.ts';
import { createLogger, silentLogger, type Logger } from '../core/logger.ts';
import { preflight } from '../core/preflight.ts';
import { attachMetrics } from '../metrics/attach.ts';
import { attachAlerts, buildTransports } from '../alerts/attach.ts';
import { formatDiscovery } from '../instruments/discovery.ts';
import { EnvironmentSecrets } from '../core/secrets.ts';
import { attachDashboard } from '../dashboard/attach.ts';
import { attachRecorder, recordingDir } from '../recording/attach.ts';
import { askOnTerminal, confirmLive, formatLivePlan, type Ask } from './live-plan.ts';
import { emptyTally, formatJudgment, formatSessionSummary, formatSummary, tally, type FeedSnapshot } from './console-reporter.ts';
import { emptyVerdictTally, formatVerdict, formatVerdictCounts, formatVerdictSummary, tallyVerdict } from './verdict-lines.ts';
import { emptyLiveTally, formatLiveSummary, formatTrade, tallyTrade } from './live-reporter.ts';
import { startSimulatorsFor, withSimulatedVenues, type RunningSimulators } from './simulated-venues.ts';
import { loadVenueSpecs } from './venue-specs.ts';
import { describeJournal } from '../journal/journal.ts';

export const DEMO_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../config/demo.yaml');
/** `arb run --live` without --config: live trading against the loopback simulators with generated test keys. */
export const DEMO_LIVE_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../config/demo-live.yaml');

export interface RunOptions {
  config?: string;
  live?: boolean;
  yes?: boolean;
  /** Stop by itself after this many seconds (for scripted runs). */
  duration?: number;
  quiet?: boolean;
  /** Record the market data received (overrides recording.enabled). */
  record?: boolean;
  /** Log lines as pino JSON (for files and log shippers) instead of one readable line each. */
  logJson?: boolean;
}

export async function runCommand(opts: RunOptions, out: (line: string) => void = console.log, ask: Ask = askOnTerminal): Promise<void> {
  const configPath = resolve(opts.config ?? (opts.live ? DEMO_LIVE_CONFIG : DEMO_CONFIG));
  if (!opts.config) out(`No --config given: running the built-in ${opts.live ? 'LIVE ' : ''}demo (${configPath}) on local venue simulators.`);
  let config = loadConfigFile(configPath, opts.config ?? configPath);
  // Live needs both switches: the flag on the command line and `mode: live` in the file.
  const wantLive = Boolean(opts.live);
  if (wantLive && config.mode !== 'live') {
    throw new Error(`--live needs "mode: live" in ${configPath} (it says "${config.mode}"); both are required before any order is sent`);
  }
  if (!wantLive && config.mode === 'live') out('The config says mode: live, but --live was not given: running DRY-RUN.');
  const logger = createLogger({ level: config.logLevel, format: opts.logJson ? 'json' : 'human' });
  // Every config and credential error surfaces here, before the live prompt and before any
  // simulator or socket exists (nothing is left running to keep the process alive).
  // With simulators on, the venues whose spec has a simulator run on loopback; any other keeps its config URLs.
  const simulated = config.simulators.enabled ? await simulatedVenueNames(config, dirname(configPath)) : [];
  await preflight({ config, baseDir: dirname(configPath), live: wantLive, logger: silentLogger, simulatedVenues: new Set(simulated) });
  // The alert transports' secrets (bot token, webhook URL) are read now too, before the live prompt.
  if (config.alerts) buildTransports(config.alerts, new EnvironmentSecrets());
  if (wantLive) {
    for (const line of formatLivePlan(config)) out(line);
    if (config.simulators.enabled) out(simulatorPlanLine(config, simulated));
    if (!opts.yes && !(await confirmLive(ask))) {
      out('Not confirmed: exiting without trading.');
      return;
    }
  }
  let sims: RunningSimulators | undefined;
  if (config.simulators.enabled) {
    sims = await startSimulatorsFor(config, { live: wantLive, baseDir: dirname(configPath) });
    config = withSimulatedVenues(config, sims);
    out(`Venue simulators listening on loopback: ${Object.entries(sims.venues).map(([v, u]) => `${v} ${String(u.wsUrl)}`).join(', ')}`);
  }
  try {
    await runEngine(config, configPath, opts, out, logger, wantLive, sims);
  } finally {
    await sims?.stop();
  }
}

async function runEngine(
  config: EngineConfig,
  configPath: string,
  opts: RunOptions,
  out: (line: string) => void,
  logger: Logger,
  wantLive: boolean,
  sims: RunningSimulators | undefined,
): Promise<void> {
  // The engine and the portfolio (pairs: an accepted spread trade leaves a long and a short open
  // until the exit policy closes them), wired as a replay wires them (engine/app/assemble.ts).
  const { engine, portfolio, clock, quoting } = await assemble({ config, baseDir: dirname(configPath), logger, clock: systemClock, live: wantLive });
  // instruments.auto: what was mapped, said once before anything streams.
  if (engine.discovery) for (const line of formatDiscovery(engine.discovery)) out(line);
  const recorder = opts.record || config.recording.enabled ? attachRecorder(engine, config, clock, logger) : undefined;
  if (recorder) out(`Recording market data to ${recordingDir(config)} (${config.recording.rotateMb} MB segments, at most ${config.recording.maxTotalMb} MB).`);
  const metrics = config.metrics ? await attachMetrics(engine, config.metrics, systemClock, recorder, quoting) : undefined;
  if (metrics) out(`Metrics: ${metrics.server.url}`);
  // Alerts listen to the engine's own events; a missing bot token fails here, before anything trades.
  const alerts = config.alerts ? attachAlerts(engine, config.alerts, { logger, secrets: new EnvironmentSecrets() }) : undefined;
  if (alerts) out(`Alerts: ${[config.alerts?.telegram && 'Telegram', config.alerts?.webhook && `webhook (${config.alerts.webhook.format})`].filter(Boolean).join(' and ')}, ${config.alerts!.events.length} event kinds.`);
  const pairLabel = engine.liveTrading ? 'LIVE' : 'SIMULATION';
  portfolio.pairs.onClose((p) => out(formatPairClose(p, pairLabel)));
  // The live page (engine/dashboard): loopback, a token per run; its market-data tap goes in before start().
  const dashboard = config.dashboard.enabled ? await attachDashboard(engine, portfolio, config.dashboard, systemClock) : undefined;
  if (dashboard) out(`Dashboard: ${dashboard.url}`);
  const t = emptyTally();
  const lt = emptyLiveTally();
  engine.liveTrading?.executor.onTradeEnd((r, plan) => {
    tallyTrade(lt, r);
    out(formatTrade(r, plan));
  });
  engine.flow.onJudgment((j) => {
    tally(t, j);
    if (j.decision === 'accept' || config.console.showUnprofitable) out(formatJudgment(j));
  });
  // Strategies' own verdicts (a carry, a flash cycle): accepted ones always shown, rejected as judgments are.
  const vt = emptyVerdictTally();
  engine.verdicts.on((v) => {
    tallyVerdict(vt, v);
    if (v.decision === 'accept' || config.console.showUnprofitable) out(formatVerdict(v));
  });
  engine.announcements.on(out);
  const started = Date.now();
  const feed = (): FeedSnapshot => {
    let live = 0;
    let total = 0;
    const now = Date.now();
    for (const b of engine.hub.allBooks()) {
      total++;
      if (engine.hub.isTradable(b, now)) live++;
    }
    const c = engine.hub.counters;
    return { booksLive: live, booksTotal: total, updates: c.snapshots + c.deltas, gaps: c.gaps, venuesDown: engine.venues.down() };
  };
  out(
    engine.liveTrading
      ? `Mode: LIVE. Journal: ${describeJournal(config.journal)}. Ctrl-C stops new trades, settles those in flight, then exits; open pairs stay open.`
      : `Mode: DRY-RUN (no order can be sent). Journal: ${describeJournal(config.journal)}. Ctrl-C to stop.`,
  );
  try {
    await engine.start();
  } catch (err) {
    // A venue that fails at start (markets unreachable, a refused login) must not leave the
    // others' sockets and timers running behind the error.
    await dashboard?.stop();
    await engine.stop().catch(() => undefined);
    throw err;
  }
  const halted = engine.liveTrading?.gate.halted;
  if (halted) out(`NOT TRADING: ${halted}`);
  let lastUpdates = 0;
  let lastAt = Date.now();
  const summary = setInterval(() => {
    const f = feed();
    const now = Date.now();
    const rate = ((f.updates - lastUpdates) * 1000) / Math.max(1, now - lastAt);
    lastUpdates = f.updates;
    lastAt = now;
    if (!opts.quiet) out(formatSummary(t, f, (now - started) / 1000, rate) + formatVerdictCounts(vt));
  }, config.console.summaryEverySec * 1000);

  await new Promise<void>((done) => {
    const finish = () => done();
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    if (opts.duration) setTimeout(finish, opts.duration * 1000).unref();
  });
  clearInterval(summary);
  if (engine.liveTrading) out(`\nStopping: no new trades; settling ${engine.liveTrading.executor.inFlightCount} in flight...`);
  out('\nStopping: closing venue connections and flushing the journal...');
  engine.journal.flush();
  // Pair closes first (one still reading positions sends nothing), then the executor and venues.
  await portfolio.stop();
  const pairSummary = pairLifecycleSummary(engine.journal.db, engine.journal.sessionId);
  await dashboard?.stop();
  await engine.stop();
  const recorded = await recorder?.stop();
  await metrics?.server.close();
  await alerts?.stop();
  out(formatSessionSummary(t, feed(), (Date.now() - started) / 1000, describeJournal(config.journal)));
  for (const line of formatVerdictSummary(vt)) out(line);
  out(formatPairSummary(pairSummary));
  if (engine.liveTrading) out(formatLiveSummary(lt, pairSummary, { simulators: config.simulators.enabled }));
  else if (pairSummary.open > 0) out(`  the ${pairSummary.open} open simulated pair(s) stay in the journal: the next dry-run on it resumes them`);
  if (sims?.faults) out(`  simulator faults: ${sims.faults.counts.leg2Rejected} order(s) refused of ${sims.faults.counts.leg2Seen} sent just after a fill on another venue (rejectLeg2Every)`);
  if (recorded) out(`  recording: ${recorded.events - recorded.dropped} events in ${recorded.segments} segment(s), ${(recorded.compressedBytes / 1048576).toFixed(2)} MB${recorded.dropped ? `, ${recorded.dropped} dropped` : ''}: arb replay --from ${recordingDir(config)}`);
}

/** The config's exchange plugins whose VenueSpec has a loopback simulator. */
async function simulatedVenueNames(config: EngineConfig, baseDir: string): Promise<string[]> {
  return (await loadVenueSpecs(config.plugins, baseDir)).filter((s) => s.simulator).map((s) => s.name);
}

/** The live plan's simulator line: which venues are loopback (no real money) and which are not. */
export function simulatorPlanLine(config: EngineConfig, simulated: readonly string[]): string {
  const traded = new Set(Object.values(config.instruments).flatMap((l) => Object.keys(l)));
  // instruments.auto may trade any loaded venue: every simulated one is in play.
  if (config.instrumentDiscovery) for (const v of simulated) traded.add(v);
  const real = [...traded].filter((v) => !simulated.includes(v));
  const sims = simulated.filter((v) => traded.has(v));
  if (real.length === 0) return '  Simulators:   every venue is a loopback simulator; fresh test keys and funded test accounts, no real money';
  return (
    `  Simulators:   ${sims.join(', ') || 'none'} on loopback simulators (test keys, no real money); ` +
    `${real.join(', ')} ${real.length === 1 ? 'has' : 'have'} no simulator and trade${real.length === 1 ? 's' : ''} against ${real.length === 1 ? 'its' : 'their'} configured URLs with the configured credentials`
  );
}
