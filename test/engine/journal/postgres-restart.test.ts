/**
 * Restart reconciliation (test/engine/execution/restart.test.ts) with the journal in
 * PostgreSQL: a run dies mid-trade, the restarted engine finds its orders there, settles and
 * unwinds them, and never trades the intent again. With two engines in one database, a
 * restart recovers only its own engine's trades: the other engine's in-flight trade is left
 * alone (unwinding it would close a position the other engine is managing).
 */
import { describe, afterAll, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { clientIdFor } from '../../../engine/execution/client-ids.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { InstrumentLocks } from '../../../engine/execution/instrument-lock.ts';
import { reconcileWithVenues } from '../../../engine/execution/restart-reconciler.ts';
import { TradeExecutor } from '../../../engine/execution/trade-executor.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';
import type { OrderGateway } from '../../../engine/exchange/orders.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { TradeJournal } from '../../../engine/journal/trade-journal.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { postgresForTests } from '../../helpers/postgres-server.ts';
import { D, FAST, judgment, until } from '../execution/fixtures.ts';

const pgTest = await postgresForTests('postgres-restart.test.ts');
afterAll(() => pgTest.server?.stop());

const arb = (id: string) =>
  judgment({
    id,
    size: '1',
    buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100.025', worst: '100.05' },
    sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.47', worst: '100.4' },
  });

function venues() {
  const vest = new PaperVenue('vest');
  const paradex = new PaperVenue('paradex');
  vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '0.5'], ['100.05', '1']]);
  paradex.setBook('BTC-USD-PERP', [['100.5', '0.7'], ['100.4', '1']], [['100.6', '2']]);
  return { vest, paradex };
}

/** An engine's live part over a PostgreSQL journal, as fixtures.ts's rig() builds it over SQLite. */
function engine(url: string, engineId: string, gws: Array<OrderGateway & { venue: string }>, ackTimeoutMs?: number) {
  const journal = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId });
  const trades = new TradeJournal(journal.db);
  const config = ExecutionConfigSchema.parse({ ...FAST, ...(ackTimeoutMs ? { ackTimeoutMs } : {}) });
  const gateways = new Map<string, OrderGateway>(gws.map((v) => [v.venue, v]));
  const locks = new InstrumentLocks();
  const executor = new TradeExecutor({ journal: trades, clock: systemClock, monotonic: monotonicNow, config, logger: silentLogger, gateways, locks });
  const reconcile = () =>
    reconcileWithVenues(
      { journal: trades, clock: systemClock, monotonic: monotonicNow, config, logger: silentLogger, gateways, clientId: clientIdFor },
      { symbols: new Map([['vest', new Set(['BTC-PERP'])], ['paradex', new Set(['BTC-USD-PERP'])]]), locks },
    );
  const rows = (sql: string) => journal.db.prepare(sql).all() as Record<string, unknown>[];
  return { journal, trades, executor, reconcile, rows };
}

describe.skipIf(!pgTest.server)('restart reconciliation on a PostgreSQL journal', () => {
  it('engine killed after leg 1 reached the venue: the restart settles it, unwinds it, and does not double-trade', async () => {
    const url = await pgTest.freshUrl();
    const { vest, paradex } = venues();
    vest.script({ kind: 'stall' });
    const first = engine(url, 'eu-1', [vest, paradex], 600_000);
    void first.executor.run(arb('i-crash')).catch(() => undefined);
    await until(() => vest.sent.length === 1);
    expect(first.rows('SELECT role, outcome FROM orders')).toEqual([{ role: 'leg1', outcome: 'sent' }]);
    // The process dies: its connection goes, and with it the engine id's lock.
    first.journal.db.close();

    const second = engine(url, 'eu-1', [vest, paradex]);
    const report = await second.reconcile();
    expect(report.problems).toEqual([]);
    expect(report.settledOrders).toBe(1);
    expect(report.closedTrades.map((t) => t.state)).toEqual(['unwound']);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0');
    expect(paradex.sent).toHaveLength(0);
    expect(second.rows('SELECT role, side, outcome, filled_size, reduce_only FROM orders ORDER BY sent_at, rowid')).toEqual([
      { role: 'leg1', side: 'buy', outcome: 'confirmed', filled_size: '1', reduce_only: 0 },
      { role: 'unwind', side: 'sell', outcome: 'confirmed', filled_size: '1', reduce_only: 1 },
    ]);
    // -100.025 + 99.98, no fees on these paper venues.
    expect(second.rows('SELECT intent_id, state, residual, realized_pnl, engine_id FROM trades')).toEqual([
      { intent_id: 'i-crash', state: 'unwound', residual: '0', realized_pnl: '-0.045', engine_id: 'eu-1' },
    ]);
    expect(await second.executor.run(arb('i-crash'))).toBeUndefined();
    expect(vest.sent).toHaveLength(2);
    second.journal.close(Date.now());
  });

  it('two engines in one database: a restart recovers its own trades only', async () => {
    const url = await pgTest.freshUrl();
    // Engine eu-1 trades on its own accounts and is mid-trade (leg 1 out, unanswered).
    const eu = venues();
    eu.vest.script({ kind: 'stall' });
    const euEngine = engine(url, 'eu-1', [eu.vest, eu.paradex], 600_000);
    void euEngine.executor.run(arb('i-eu')).catch(() => undefined);
    await until(() => eu.vest.sent.length === 1);

    // Engine us-1 died mid-trade the same way on its accounts, and restarts.
    const us = venues();
    us.vest.script({ kind: 'stall' });
    const usFirst = engine(url, 'us-1', [us.vest, us.paradex], 600_000);
    void usFirst.executor.run(arb('i-us')).catch(() => undefined);
    await until(() => us.vest.sent.length === 1);
    usFirst.journal.db.close();

    const usAgain = engine(url, 'us-1', [us.vest, us.paradex]);
    const report = await usAgain.reconcile();
    expect(report.problems).toEqual([]);
    expect(report.settledOrders).toBe(1);
    expect(report.closedTrades.map((t) => t.state)).toEqual(['unwound']);
    // eu-1's trade and order are untouched, its venue never asked; its open trade is still its own to finish.
    expect(eu.vest.sent).toHaveLength(1);
    expect(eu.vest.positionOf('BTC-PERP').toString()).toBe('1');
    expect(usAgain.rows("SELECT t.engine_id, t.state, o.outcome FROM trades t JOIN orders o ON o.trade_id = t.id WHERE o.role = 'leg1' ORDER BY t.engine_id")).toEqual([
      { engine_id: 'eu-1', state: 'open', outcome: 'sent' },
      { engine_id: 'us-1', state: 'unwound', outcome: 'confirmed' },
    ]);
    expect(euEngine.trades.openTrades().map((t) => t.intent_id)).toEqual(['i-eu']);
    expect(usAgain.trades.openTrades()).toEqual([]);
    usAgain.journal.close(Date.now());
    euEngine.journal.db.close();
  });

  it('two engines in one database: a restarted pair book resumes the open pairs of its own engine only', async () => {
    const url = await pgTest.freshUrl();
    const pair = (id: string) => ({
      id, strategy: 'funding-arb', instrument: 'ETH-USD-PERP', mode: 'live' as const, state: 'open' as const, size: D('1'),
      long: { venue: 'vest', symbol: 'ETH-PERP', entryPrice: D('2000'), fundingAccruedTo: 0 },
      short: { venue: 'lighter', symbol: '0', entryPrice: D('2001'), fundingAccruedTo: 0 },
      entrySpread: D('0.0005'), entryFees: D('0.2'), exitFees: D('0'), funding: D('0'), expectedPnl: D('1'),
      policy: { maxHoldHours: 24 } as never, openedAt: 1,
    });
    for (const [engineId, pairId] of [['eu-1', 'p-eu'], ['us-1', 'p-us']] as const) {
      const j = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId });
      j.startSession(`s-${engineId}`, 'live', '{}', 1);
      new PairJournal(j.db, () => j.sessionId).opened(pair(pairId) as never, 1, {});
      j.close(2);
    }
    const euAgain = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId: 'eu-1' });
    expect(new PairJournal(euAgain.db).unclosed().map((p) => p.id)).toEqual(['p-eu']);
    euAgain.close(3);
  });
});
