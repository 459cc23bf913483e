/** Builders shared by the executor tests: judgments, an executor over paper venues, journal reads. */
import { Decimal } from 'decimal.js';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger, type Logger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema, type ExecutionConfig } from '../../../engine/execution/config.ts';
import { InstrumentLocks } from '../../../engine/execution/instrument-lock.ts';
import { TradeExecutor, type TradeExecutorDeps } from '../../../engine/execution/trade-executor.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { TradeJournal } from '../../../engine/journal/trade-journal.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';
import type { IntentLeg } from '../../../engine/strategy/strategy.ts';

export const D = (v: string | number) => new Decimal(v);

export interface LegSpec {
  venue: string;
  symbol: string;
  top: string;
  expected: string;
  worst: string;
}

export function judgment(spec: { id?: string; instrument?: string; size: string; buy: LegSpec; sell: LegSpec; net?: string; detectedAt?: number }): Judgment {
  const leg = (s: LegSpec, side: 'buy' | 'sell'): IntentLeg => ({
    venue: s.venue,
    symbol: s.symbol,
    side,
    topPrice: D(s.top),
    expectedPrice: D(s.expected),
    worstPrice: D(s.worst),
    bookReceivedAt: Date.now(),
    bookVenueTime: Date.now(),
  });
  const buy = leg(spec.buy, 'buy');
  const sell = leg(spec.sell, 'sell');
  const size = D(spec.size);
  const net = D(spec.net ?? '0.1');
  return {
    intent: {
      id: spec.id ?? `intent-${Math.random().toString(36).slice(2)}`,
      strategy: 'cross-exchange',
      instrument: spec.instrument ?? 'BTC-USD-PERP',
      size,
      buy,
      sell,
      spread: sell.topPrice.minus(buy.topPrice).div(buy.topPrice),
      executableSpread: sell.expectedPrice.minus(buy.expectedPrice).div(buy.expectedPrice),
      detectedAt: spec.detectedAt ?? Date.now(),
    },
    notional: buy.topPrice.mul(size),
    gross: sell.topPrice.minus(buy.topPrice).mul(size),
    costs: { trading: D(0), gas: D(0), slippage: D(0), close: D(0), total: D(0) },
    net,
    profitable: true,
    desync: { level: 'Low', maxAgeMs: 10, gapMs: 1 },
    decision: 'accept',
    flagged: false,
    judgedAt: Date.now(),
  };
}

/** Fast timeouts so the fault tests run in well under a second each. */
export const FAST: Partial<ExecutionConfig> = { ackTimeoutMs: 100, reconcileTimeoutMs: 2000, pollIntervalMs: 5, notFoundGraceMs: 30 };

export interface Rig {
  executor: TradeExecutor;
  trades: TradeJournal;
  journal: Journal;
  locks: InstrumentLocks;
  config: ExecutionConfig;
  gateways: Map<string, OrderGateway>;
}

export function rig(
  venues: Array<OrderGateway & { venue: string }>,
  opts: { config?: Partial<ExecutionConfig>; path?: string; logger?: Logger; markets?: TradeExecutorDeps['markets'] } = {},
): Rig {
  const journal = new Journal({ path: opts.path ?? ':memory:', flushIntervalMs: 10_000 });
  const trades = new TradeJournal(journal.db);
  const locks = new InstrumentLocks();
  const config = ExecutionConfigSchema.parse({ ...FAST, ...opts.config });
  const gateways = new Map<string, OrderGateway>(venues.map((v) => [v.venue, v]));
  const executor = new TradeExecutor({
    journal: trades,
    clock: systemClock,
    monotonic: monotonicNow,
    config,
    logger: opts.logger ?? silentLogger,
    gateways,
    locks,
    markets: opts.markets,
  });
  return { executor, trades, journal, locks, config, gateways };
}

export function rows(r: Rig, sql: string, ...params: unknown[]): Record<string, unknown>[] {
  return r.journal.db.prepare(sql).all(...params) as Record<string, unknown>[];
}

export const until = async (cond: () => boolean, ms = 2000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
};
