/**
 * Wires the notifier to what the engine already publishes, so no strategy knows alerts exist:
 * - trade ends (LiveTrading executor.onTradeEnd): unwound, stopped out, failed-unresolved;
 * - the kill switch (KillSwitch.onTrip);
 * - venues unreachable (Engine.venues.onChange) and, while running, a venue whose every book
 *   has gone stale for feedDownSec (the hub marks books stale on a disconnect);
 * - the risk state, looked at every watchMs (the gate and venue health keep state, not events):
 *   a reconciliation halt ("journal and venues disagree"), a benched venue, the daily loss limit;
 * - a daily summary at dailySummaryUtc.
 * Everything here runs off the trading path: listeners only call notify(), which queues.
 */
import { Decimal } from 'decimal.js';
import type { Engine } from '../core/engine.ts';
import type { Logger } from '../core/logger.ts';
import type { SecretSource } from '../exchange/connector.ts';
import type { TradeResult } from '../execution/trade-result.ts';
import type { AlertsConfig } from './config.ts';
import { Notifier } from './notifier.ts';
import { TelegramTransport } from './telegram.ts';
import type { AlertTransport } from './transport.ts';
import { WebhookTransport } from './webhook.ts';

export interface AlertsDeps {
  logger: Logger;
  secrets: SecretSource;
  /** Wall clock (tests pass a fake); default Date.now. */
  now?: () => number;
  /** How long every book of a venue may be stale before it counts as down, ms (default 30 s). */
  feedDownMs?: number;
}

export interface AttachedAlerts {
  notifier: Notifier;
  /** Look at the risk state now (also run every watchMs). */
  watch(): void;
  /** The daily summary's text (also sent at dailySummaryUtc). */
  dailySummary(): string;
  /** Stop watching; unless `quiet`, send the session's summary as the engine stops (an operator wants to know it did). */
  stop(opts?: { quiet?: boolean }): Promise<void>;
}

export function buildTransports(config: AlertsConfig, secrets: SecretSource): AlertTransport[] {
  const out: AlertTransport[] = [];
  if (config.telegram) out.push(new TelegramTransport(secrets.read(config.telegram.botToken, 'alerts.telegram.botToken'), config.telegram.chatId, config.telegram.apiUrl));
  if (config.webhook) {
    const url = typeof config.webhook.url === 'string' ? config.webhook.url : secrets.read(config.webhook.url, 'alerts.webhook.url');
    out.push(new WebhookTransport(url, config.webhook.format));
  }
  return out;
}

export function attachAlerts(engine: Engine, config: AlertsConfig, deps: AlertsDeps): AttachedAlerts {
  const now = deps.now ?? Date.now;
  const logger = deps.logger.child({ component: 'alerts' });
  const notifier = new Notifier(
    buildTransports(config, deps.secrets),
    {
      events: config.events,
      dedupWindowMs: config.dedupWindowSec * 1000,
      maxPerMinute: config.maxPerMinute,
      queueSize: config.queueSize,
      retry: config.retry,
      timeoutMs: config.timeoutMs,
      now,
      prefix: `[arb ${engine.liveTrading ? 'LIVE' : 'dry-run'}]`,
    },
    logger,
  );
  const day = { trades: new Map<string, number>(), realized: new Decimal(0), judged: 0, accepted: 0, since: now() };
  const live = engine.liveTrading;

  live?.executor.onTradeEnd((r) => {
    day.trades.set(r.state, (day.trades.get(r.state) ?? 0) + 1);
    if (r.realizedPnl) day.realized = day.realized.plus(r.realizedPnl);
    const event = tradeAlert(r);
    if (event) notifier.notify(event);
  });
  live?.killSwitch.onTrip((reason) =>
    notifier.notify({ kind: 'kill-switch', subject: 'kill', text: `KILL SWITCH tripped (${reason}): no new trades, resting orders cancelled. Restart the engine deliberately to trade again.` }),
  );
  engine.venues.onChange((venue, up) => {
    if (up) return;
    notifier.notify({ kind: 'venue-down', subject: venue, text: `VENUE DOWN: ${engine.venues.downReason(venue) ?? venue}; retried in the background, nothing that needs ${venue} trades meanwhile.` });
  });
  engine.flow.onJudgment((j) => {
    day.judged++;
    if (j.decision === 'accept') day.accepted++;
  });

  const feedDownMs = deps.feedDownMs ?? 30_000;
  const staleSince = new Map<string, number>();
  let halted: string | undefined;
  const watch = (): void => {
    try {
      const t = now();
      const reason = live?.gate.halted;
      if (reason?.startsWith('journal and venues disagree') && reason !== halted) {
        notifier.notify({ kind: 'reconciliation-halt', subject: reason, text: `TRADING HALTED: ${reason}. Nothing trades until the journal and the venues agree (see the log).` });
      }
      halted = reason;
      for (const c of engine.connectors) {
        const benched = live?.health.benchedFor(c.venue);
        if (benched) notifier.notify({ kind: 'venue-benched', subject: c.venue, text: `VENUE BENCHED: ${c.venue}: ${benched}. No trade uses it until the cool-down ends.` });
        const feedDown = venueFeedDown(engine, c.venue, t);
        if (!feedDown) staleSince.delete(c.venue);
        else {
          const since = staleSince.get(c.venue) ?? t;
          staleSince.set(c.venue, since);
          if (t - since >= feedDownMs) notifier.notify({ kind: 'venue-down', subject: c.venue, text: `VENUE DOWN: ${c.venue}: no live book for ${Math.round((t - since) / 1000)} s (${feedDown}).` });
        }
      }
      if (live) {
        const realized = live.exposure.realizedToday(t);
        const limit = new Decimal(engine.config.risk.dailyLossLimitUsd);
        if (realized.neg().gte(limit)) {
          notifier.notify({ kind: 'daily-loss-limit', subject: new Date(t).toISOString().slice(0, 10), text: `DAILY LOSS LIMIT reached: realized ${realized.toFixed(2)} USD today (limit -${limit.toString()} USD). No new trade until 00:00 UTC.` });
        }
      }
    } catch (err) {
      logger.warn('alert watch failed', { error: (err as Error).message });
    }
  };
  const watchTimer = setInterval(watch, config.watchMs);
  watchTimer.unref();

  const dailySummary = (): string => {
    const t = now();
    const trades = [...day.trades].map(([s, n]) => `${n} ${s}`).join(', ') || 'none';
    const down = engine.venues.down().map((d) => d.venue);
    const lines = [
      `DAILY SUMMARY ${new Date(t).toISOString().slice(0, 16)}Z (since ${new Date(day.since).toISOString().slice(0, 16)}Z)`,
      `judged ${day.judged}, accepted ${day.accepted}`,
      live ? `trades: ${trades}; realized ${day.realized.toFixed(2)} USD` : 'dry-run: no order sent',
      `venues down: ${down.join(', ') || 'none'}${live?.gate.halted ? `; halted: ${live.gate.halted}` : ''}${live?.killSwitch.tripped ? '; kill switch tripped' : ''}`,
    ];
    return lines.join('\n');
  };
  let summaryTimer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (config.dailySummaryUtc === false) return;
    summaryTimer = setTimeout(() => {
      notifier.notify({ kind: 'daily-summary', subject: new Date(now()).toISOString().slice(0, 10), text: dailySummary() });
      day.trades.clear();
      day.realized = new Decimal(0);
      day.judged = day.accepted = 0;
      day.since = now();
      schedule();
    }, Math.max(1000, nextDailyAt(now(), config.dailySummaryUtc) - now()));
    summaryTimer.unref();
  };
  schedule();

  return {
    notifier,
    watch,
    dailySummary,
    async stop(opts = {}) {
      clearInterval(watchTimer);
      if (summaryTimer) clearTimeout(summaryTimer);
      if (!opts.quiet) notifier.notify({ kind: 'daily-summary', subject: 'engine stopped', text: `ENGINE STOPPED. ${dailySummary()}` });
      await notifier.stop();
    },
  };
}

/** The alert a trade end raises, if any: unwound, stopped out, or left exposed. */
export function tradeAlert(r: TradeResult): { kind: 'trade-unwound' | 'trade-stopped-out' | 'hedge-failed'; subject: string; text: string } | undefined {
  const pnl = r.realizedPnl ? `; realized ${r.realizedPnl.toFixed(2)} USD` : '';
  const note = r.note ? ` (${r.note})` : '';
  if (r.state === 'unwound') return { kind: 'trade-unwound', subject: r.tradeId, text: `TRADE UNWOUND: ${r.instrument} trade ${r.tradeId}: the second leg failed, the first was closed${pnl}${note}.` };
  if (r.state === 'stopped-out') return { kind: 'trade-stopped-out', subject: r.tradeId, text: `TRADE STOPPED OUT: ${r.instrument} trade ${r.tradeId}${pnl}${note}.` };
  if (r.state === 'failed-unresolved') {
    return { kind: 'hedge-failed', subject: r.tradeId, text: `HEDGE FAILED: ${r.instrument} trade ${r.tradeId} left ${r.residual.toString()} exposed on one venue; the instrument is quarantined until reconciled${note}. Check the venue now.` };
  }
  return undefined;
}

/** Why every book of the venue is untradable, or undefined while one is live (or it has none). */
function venueFeedDown(engine: Engine, venue: string, t: number): string | undefined {
  let reason: string | undefined;
  let any = false;
  for (const b of engine.hub.allBooks()) {
    if (b.market.venue !== venue) continue;
    any = true;
    if (engine.hub.isTradable(b, t)) return undefined;
    reason = b.staleReason ?? `book ${Math.round((t - b.receivedAt) / 1000)} s old`;
  }
  // No snapshot yet at all is a start-up state, not an outage.
  return any && reason !== 'no snapshot yet' ? reason : undefined;
}

/** Next time of day "HH:MM" UTC strictly after `now`. */
export function nextDailyAt(now: number, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const d = new Date(now);
  let at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h, m);
  if (at <= now) at += 86_400_000;
  return at;
}
