/**
 * Engine overhead of one two-leg trade, from the decision (executor.run) to the second leg's
 * ack, with the time spent waiting on venue calls subtracted. Both venues are paper venues
 * that match for real and answer across an async boundary (one setImmediate hop per call, as
 * a socket callback would), and the journal is a real SQLite file in WAL mode, so the figure
 * includes the synchronous journal writes made before each send, signing orchestration, leg-1
 * verification bookkeeping and leg sizing: everything the engine does between venue answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { PaperVenue } from '../test/helpers/paper-venue.ts';
import { systemClock } from '../engine/core/clock.ts';
import { silentLogger } from '../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../engine/execution/config.ts';
import { InstrumentLocks } from '../engine/execution/instrument-lock.ts';
import { TradeExecutor } from '../engine/execution/trade-executor.ts';
import { monotonicNow } from '../engine/execution/venue-wait.ts';
import type { OrderGateway } from '../engine/exchange/orders.ts';
import { Journal } from '../engine/journal/journal.ts';
import { TradeJournal } from '../engine/journal/trade-journal.ts';
import type { Judgment } from '../engine/simulation/execution-simulator.ts';
import { percentile } from './stats.ts';

const D = (v: string | number) => new Decimal(v);

function judgment(n: number): Judgment {
  const now = Date.now();
  const leg = (venue: string, symbol: string, side: 'buy' | 'sell', price: string) => ({
    venue, symbol, side, topPrice: D(price), expectedPrice: D(price), worstPrice: D(price), bookReceivedAt: now, bookVenueTime: now,
  });
  const buy = leg('vest', 'BTC-PERP', 'buy', '100');
  const sell = leg('paradex', 'BTC-USD-PERP', 'sell', '100.5');
  return {
    intent: { id: `bench-${n}`, strategy: 'bench', instrument: 'BTC-USD-PERP', size: D('0.01'), buy, sell, spread: D('0.005'), executableSpread: D('0.005'), detectedAt: now },
    notional: D('1'), gross: D('0.005'), costs: { trading: D(0), gas: D(0), slippage: D(0), close: D(0), total: D(0) }, net: D('0.005'),
    profitable: true, desync: { level: 'Low', maxAgeMs: 0, gapMs: 0 }, decision: 'accept', flagged: false, judgedAt: now,
  };
}

export async function benchExecution(trades = 2000, warmup = 300): Promise<{ p50Ms: number; p99Ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'arb-bench-exec-'));
  const journal = new Journal({ path: join(dir, 'journal.sqlite'), flushIntervalMs: 1000 });
  const vest = new PaperVenue('vest');
  const paradex = new PaperVenue('paradex');
  const executor = new TradeExecutor({
    journal: new TradeJournal(journal.db),
    clock: systemClock,
    monotonic: monotonicNow,
    config: ExecutionConfigSchema.parse({}),
    logger: silentLogger,
    gateways: new Map<string, OrderGateway>([
      ['vest', vest],
      ['paradex', paradex],
    ]),
    locks: new InstrumentLocks(),
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < warmup + trades; i++) {
      vest.setBook('BTC-PERP', [['99.9', '10']], [['100', '10']]);
      paradex.setBook('BTC-USD-PERP', [['100.5', '10']], [['100.6', '10']]);
      const r = await executor.run(judgment(i));
      if (r?.state !== 'completed' || r.latency?.ackOverheadMs === undefined) throw new Error(`bench trade ${i} ended ${r?.state ?? 'not started'}`);
      if (i >= warmup) samples.push(r.latency.ackOverheadMs);
    }
  } finally {
    journal.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { p50Ms: percentile(samples, 0.5), p99Ms: percentile(samples, 0.99) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchExecution();
  console.log(`engine overhead, decision -> both legs acknowledged (venue latency subtracted): p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms`);
}
