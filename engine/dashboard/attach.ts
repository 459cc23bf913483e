/**
 * Wires the dashboard into a running `arb run`: listeners on the flow, the verdicts, the
 * executor and the pair book; a market-data tap for per-venue gaps; the HTTP server; a timer
 * that publishes a snapshot to the open pages. Call it after attachPortfolio() and before
 * engine.start() (the tap must be in place before the first event); stop() before engine.stop().
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { Engine } from '../core/engine.ts';
import { scrub } from '../core/logger.ts';
import type { Portfolio } from '../portfolio/attach.ts';
import { Activity } from './activity.ts';
import type { DashboardConfig } from './config.ts';
import { startDashboardServer, type ActionResult } from './server.ts';
import { buildSnapshot, type DashboardSnapshot, type DashboardSources } from './snapshot.ts';
import { loadStaticFiles } from './static-files.ts';
import { VenueGaps } from './venue-gaps.ts';

export interface Dashboard {
  /** The URL with the token: print it, never log it elsewhere. */
  url: string;
  /** Called with every snapshot as it is published (tests compare it with the engine). */
  onSnapshot(listener: (s: DashboardSnapshot) => void): void;
  stop(): Promise<void>;
}

function strategyOption(engine: Engine, key: string): string | undefined {
  const o = engine.config.strategies['cross-exchange'];
  const v = o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/**
 * The kill-switch button does what `touch <risk.killSwitch.file>` does: the file appears (so a
 * restart stays stopped until the operator removes it) and the switch's own check trips on it,
 * now rather than at its next poll: no new trades, resting orders cancelled.
 */
export function pressKillSwitch(engine: Engine): ActionResult {
  const live = engine.liveTrading;
  if (!live) return { status: 409, body: { error: 'dry-run: no order can be sent, so no kill switch runs' } };
  const file = engine.config.risk.killSwitch.file;
  mkdirSync(dirname(file), { recursive: true });
  closeSync(openSync(file, 'a'));
  return { status: 200, body: { tripped: live.killSwitch.check() ?? null, file } };
}

export async function attachDashboard(engine: Engine, portfolio: Portfolio, config: DashboardConfig, clock: Clock): Promise<Dashboard> {
  const activity = new Activity(() => clock.now());
  const gaps = new VenueGaps();
  engine.tapMarketData(gaps);
  engine.flow.onJudgment(activity.onJudgment);
  engine.verdicts.on(activity.onVerdict);
  engine.liveTrading?.executor.onTradeEnd(activity.onTrade);
  portfolio.pairs.onClose(activity.onPairClose);
  const sources: DashboardSources = {
    mode: engine.liveTrading ? 'live' : 'dry-run',
    startedAt: clock.now(),
    hub: engine.hub,
    instruments: engine.instruments,
    venues: engine.venues,
    venueIds: engine.connectors.map((c) => c.venue),
    ...(engine.liveTrading ? { live: engine.liveTrading } : {}),
    portfolio,
    activity,
    gaps,
    ...(strategyOption(engine, 'thresholdPct') !== undefined ? { thresholdPct: strategyOption(engine, 'thresholdPct') } : {}),
    notionalUsd: new Decimal(strategyOption(engine, 'notionalUsd') ?? '1000'),
    dailyLossLimitUsd: engine.config.risk.dailyLossLimitUsd,
  };
  const listeners: Array<(s: DashboardSnapshot) => void> = [];
  let seq = 0;
  let latest = '';
  const publish = (): string => {
    const snap = buildSnapshot(sources, ++seq, clock.now());
    for (const l of listeners) l(snap);
    // Defence in depth: a venue's error text is the only free text here; no registered secret leaves.
    latest = scrub(JSON.stringify(snap));
    return latest;
  };
  const server = await startDashboardServer(config.host, config.port, {
    files: loadStaticFiles(),
    // A page that (re)connects gets a fresh snapshot, not one from before it was away.
    snapshot: () => publish(),
    actions: {
      kill: () => {
        const r = pressKillSwitch(engine);
        publish();
        server.broadcast(latest);
        return r;
      },
    },
  });
  const timer = setInterval(() => {
    if (server.clients === 0 && listeners.length === 0) return;
    server.broadcast(publish());
  }, config.publishEveryMs);
  timer.unref();
  return {
    url: server.url,
    onSnapshot: (l) => void listeners.push(l),
    async stop() {
      clearInterval(timer);
      await server.close();
    },
  };
}
