/**
 * A pair opened by the live executor and closed with reduce-only IOC orders, against the
 * in-process paper venues (real matching, positions, reduce-only enforcement).
 */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../engine/exchange/orders.ts';
import { realizedPnl as cashFlowPnl } from '../../../engine/execution/trade-result.ts';
import { evaluateExit } from '../../../engine/portfolio/exit-policy.ts';
import { closePlan, exitRoundFromFills, pairFromTrade } from '../../../engine/portfolio/live-pairs.ts';
import { LivePairs } from '../../../engine/portfolio/live-pair-manager.ts';
import { recoverClosingPairs } from '../../../engine/portfolio/closing-recovery.ts';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { PairBook } from '../../../engine/portfolio/pair-book.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import { reconcilePairs, venuePositions } from '../../../engine/portfolio/reconcile.ts';
import { PaperVenue } from '../../helpers/paper-venue.ts';
import { judgment, rig } from '../execution/fixtures.ts';

describe('live pair through the executor and paper venues', () => {
  it('opens from verified fills, reconciles, closes reduce-only on convergence, PnL equals the cash flow', async () => {
    const vest = new PaperVenue('vest', { takerFee: '0.0004' });
    const paradex = new PaperVenue('paradex', { takerFee: '0.0005' });
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '1']]);
    paradex.setBook('BTC-USD-PERP', [['100.5', '1']], [['100.6', '2']]);
    const r = rig([vest, paradex]);
    const j = judgment({
      size: '0.5',
      buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' },
      sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' },
    });
    const result = await r.executor.run(j);
    expect(result?.state).toBe('completed');

    const pairs = new PairBook(new PairJournal(r.journal.db));
    const policy = { exitSpread: new Decimal('0.001') };
    const pair = pairs.open(pairFromTrade(result!, j, policy, Date.now()));
    expect(pair.mode).toBe('live');
    expect(pair.long.entryPrice.toString()).toBe('100');
    expect(pair.short.entryPrice.toString()).toBe('100.5');
    expect(pair.entryFees.toString()).toBe('0.045125'); // 50 x 0.0004 + 50.25 x 0.0005
    expect(reconcilePairs(pairs.unclosed(), await venuePositions(r.gateways)).disagreements).toEqual([]);

    // Converge: Vest bid 100.2, Paradex ask 100.25 -> exit spread 0.05 / 100.2 < 0.1%.
    vest.setBook('BTC-PERP', [['100.2', '2']], [['100.3', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.2', '2']], [['100.25', '2']]);
    const quote = { longExit: new Decimal('100.2'), shortExit: new Decimal('100.25') };
    const signal = evaluateExit(pair, pair.policy, Date.now(), quote, undefined);
    expect(signal?.reason).toBe('converged');
    pairs.markClosing(pair.id, signal!.reason, signal!.detail, Date.now());

    // The close is a reduce-only two-leg trade through the same executor.
    const plan = closePlan(pairs.get(pair.id)!, quote, 1, Date.now());
    expect(plan.reduceOnly).toBe(true);
    const closeResult = await r.executor.run(plan);
    expect(closeResult?.state).toBe('completed');
    for (const o of closeResult!.orders) {
      expect(o.request.reduceOnly).toBe(true);
      expect(o.request.timeInForce).toBe('IOC');
    }
    const closeFills: Fill[] = closeResult!.orders.flatMap((o) => o.fills);
    const closed = pairs.recordExit(pair.id, exitRoundFromFills(pairs.get(pair.id)!, closeFills, signal!, Date.now()));
    expect(closed.state).toBe('closed');
    // By hand: long (100.2 - 100) x 0.5 = 0.1; short (100.5 - 100.25) x 0.5 = 0.125;
    // fees 0.045125 + 50.1 x 0.0004 + 50.125 x 0.0005 = 0.045125 + 0.02004 + 0.0250625
    expect(closed.exit!.realizedPnl.toString()).toBe('0.1347725');
    // Independently: the executor's cash-flow PnL over every fill of the round trip.
    const allFills = [...result!.orders.flatMap((o) => o.fills), ...closeFills];
    expect(closed.exit!.realizedPnl.eq(cashFlowPnl(allFills))).toBe(true);

    expect(vest.positionOf('BTC-PERP').isZero()).toBe(true);
    expect(paradex.positionOf('BTC-USD-PERP').isZero()).toBe(true);
    const after = reconcilePairs(pairs.unclosed(), await venuePositions(r.gateways));
    expect(after.disagreements).toEqual([]);
    expect(pairs.journal.events(pair.id).map((e) => e.type)).toEqual(['open', 'closing', 'closed']);
  });

  it('LivePairs opens on a completed trade, closes over two rounds when the book is thin, PnL equals the cash flow', async () => {
    const vest = new PaperVenue('vest', { takerFee: '0.0004' });
    const paradex = new PaperVenue('paradex', { takerFee: '0.0005' });
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '1']]);
    paradex.setBook('BTC-USD-PERP', [['100.5', '1']], [['100.6', '2']]);
    const r = rig([vest, paradex]);
    const pairs = new PairBook(new PairJournal(r.journal.db));
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({ exitSpread: new Decimal('0.001') }), clock: systemClock, logger: silentLogger, closeRetryMs: 0 });
    const j = judgment({
      size: '0.5',
      buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' },
      sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' },
    });
    const fills: Fill[] = [];
    let trades = 0;
    r.executor.onTradeEnd((res) => {
      trades++;
      fills.push(...res.orders.flatMap((o) => o.fills));
    });
    const opening = await r.executor.run(j);
    expect(opening?.state).toBe('completed');
    const [pair] = pairs.unclosed();
    expect(pair?.size.toString()).toBe('0.5');

    // Round 1: Vest bids only 0.3, so the buy-first close buys back 0.5 of the short and the
    // repair must even the legs out; whatever it does, both legs must end closed by the same size.
    vest.setBook('BTC-PERP', [['100.2', '0.3']], [['100.3', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.2', '2']], [['100.25', '2']]);
    const signal = { reason: 'converged' as const, detail: 'test' };
    live.close(pair!, signal, { longExit: new Decimal('100.2'), shortExit: new Decimal('100.25') }, Date.now());
    await live.settle();
    const half = pairs.get(pair!.id)!;
    expect(half.state).toBe('open');
    const remaining = half.size.minus(half.exits!.size);
    expect(remaining.gt(0) && remaining.lt('0.5')).toBe(true);
    expect(reconcilePairs(pairs.unclosed(), await venuePositions(r.gateways)).disagreements).toEqual([]);
    expect(vest.positionOf('BTC-PERP').eq(remaining)).toBe(true);
    expect(paradex.positionOf('BTC-USD-PERP').eq(remaining.neg())).toBe(true);
    // The repair's hedge (finishing the close on Vest) was reduce-only like the close legs.
    const hedges = r.journal.db.prepare("SELECT reduce_only FROM orders WHERE role = 'hedge'").all() as Array<{ reduce_only: number }>;
    expect(hedges.length).toBeGreaterThan(0);
    expect(hedges.every((h) => h.reduce_only === 1)).toBe(true);

    // Round 2: the book refills and the rest closes.
    vest.setBook('BTC-PERP', [['100.2', '2']], [['100.3', '2']]);
    live.close(half, signal, { longExit: new Decimal('100.2'), shortExit: new Decimal('100.25') }, Date.now());
    await live.settle();
    expect(pairs.get(pair!.id)).toBeUndefined();
    const closed = pairs.journal.pair(pair!.id)!;
    expect(closed.state).toBe('closed');
    expect(vest.positionOf('BTC-PERP').isZero()).toBe(true);
    expect(paradex.positionOf('BTC-USD-PERP').isZero()).toBe(true);
    // Every fill of the opening, both close rounds and any repair, as cash: the same PnL.
    expect(trades).toBe(3);
    expect(fills.length).toBeGreaterThan(3);
    expect(closed.exit!.realizedPnl.eq(cashFlowPnl(fills))).toBe(true);
    expect(live.stats).toMatchObject({ opened: 1, closed: 1, partialExits: 1 });
  });

  it('a restart books a close the previous run sent but never booked, and reopens one it never sent', async () => {
    const vest = new PaperVenue('vest', { takerFee: '0.0004' });
    const paradex = new PaperVenue('paradex', { takerFee: '0.0005' });
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.5', '2']], [['100.6', '2']]);
    const r = rig([vest, paradex]);
    const first = new PairBook(new PairJournal(r.journal.db));
    const open = async (size: string) => {
      const j = judgment({
        size,
        buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' },
        sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' },
      });
      const res = await r.executor.run(j);
      return first.open(pairFromTrade(res!, j, {}, Date.now()));
    };
    const sent = await open('0.5');
    const unsent = await open('0.25');
    vest.setBook('BTC-PERP', [['100.2', '2']], [['100.3', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.2', '2']], [['100.25', '2']]);
    const quote = { longExit: new Decimal('100.2'), shortExit: new Decimal('100.25') };
    // The previous run: marked both closing, sent only the first pair's close, then died before booking.
    first.markClosing(sent.id, 'converged', 'test', Date.now());
    first.markClosing(unsent.id, 'converged', 'test', Date.now());
    const closeRun = await r.executor.run(closePlan(first.get(sent.id)!, quote, 1, Date.now()));
    expect(closeRun?.state).toBe('completed');

    const restarted = new PairBook(new PairJournal(r.journal.db));
    const report = recoverClosingPairs(restarted, r.trades, Date.now());
    expect(report.map((x) => [x.pairId, x.outcome])).toEqual([
      [sent.id, 'booked'],
      [unsent.id, 'reopened'],
    ]);
    const closed = restarted.journal.pair(sent.id)!;
    expect(closed.state).toBe('closed');
    // (100.2 - 100) x 0.5 + (100.5 - 100.25) x 0.5 - fees, with fees from the journaled fills.
    expect(closed.exit!.realizedPnl.eq(cashFlowPnl(closeRun!.orders.flatMap((o) => o.fills)).plus(new Decimal('100.5').minus('100').mul('0.5')).minus(sent.entryFees))).toBe(true);
    expect(restarted.get(unsent.id)?.state).toBe('open');
    // What is left on the venues is exactly the reopened pair.
    expect(reconcilePairs(restarted.unclosed(), await venuePositions(r.gateways)).disagreements).toEqual([]);
  });

  it('LivePairs sends no close while trading is halted (journal and venues under comparison), and closes once the halt lifts', async () => {
    const vest = new PaperVenue('vest', { takerFee: '0.0004' });
    const paradex = new PaperVenue('paradex', { takerFee: '0.0005' });
    vest.setBook('BTC-PERP', [['99.98', '2']], [['100', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.5', '2']], [['100.6', '2']]);
    const r = rig([vest, paradex]);
    const pairs = new PairBook(new PairJournal(r.journal.db));
    let halted: string | undefined;
    const live = new LivePairs({ pairs, executor: r.executor, policyFor: () => ({}), clock: systemClock, logger: silentLogger, closeRetryMs: 0, halted: () => halted });
    const opening = await r.executor.run(
      judgment({
        size: '0.5',
        buy: { venue: 'vest', symbol: 'BTC-PERP', top: '100', expected: '100', worst: '100' },
        sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', top: '100.5', expected: '100.5', worst: '100.5' },
      }),
    );
    expect(opening?.state).toBe('completed');
    const [pair] = pairs.unclosed();
    vest.setBook('BTC-PERP', [['100.2', '2']], [['100.3', '2']]);
    paradex.setBook('BTC-USD-PERP', [['100.2', '2']], [['100.25', '2']]);
    const signal = { reason: 'converged' as const, detail: 'test' };
    const quote = { longExit: new Decimal('100.2'), shortExit: new Decimal('100.25') };

    halted = 'journal and venues disagree: vest BTC-PERP';
    live.close(pair!, signal, quote, Date.now());
    await live.settle();
    expect(pairs.get(pair!.id)?.state).toBe('open');
    expect(pairs.journal.events(pair!.id).map((e) => e.type)).toEqual(['open']);
    expect(vest.positionOf('BTC-PERP').toString()).toBe('0.5');
    expect(paradex.positionOf('BTC-USD-PERP').toString()).toBe('-0.5');
    expect(live.stats.closeHeldWhileHalted).toBe(1);

    halted = undefined;
    live.close(pair!, signal, quote, Date.now());
    await live.settle();
    expect(pairs.get(pair!.id)).toBeUndefined();
    expect(vest.positionOf('BTC-PERP').isZero() && paradex.positionOf('BTC-USD-PERP').isZero()).toBe(true);
  });
});
