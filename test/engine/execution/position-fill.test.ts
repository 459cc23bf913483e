/**
 * An order over at its venue whose fill size the venue will never give (Vest: a partly filled,
 * then cancelled IOC whose pushes were missed; the report carries `fillUnknown`). verifyOrder
 * reads the size from the venue position against the journal, only where nothing else on that
 * market could have moved it, and never takes a position no fill of this order explains.
 * The venue here is a stub on purpose: what it answers is the input, the executor's arithmetic is
 * what is checked (hand-computed values).
 */
import { Decimal } from 'decimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { ExecutionConfigSchema } from '../../../engine/execution/config.ts';
import { verifyOrder, type CommandDeps } from '../../../engine/execution/order-command.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';
import type { OrderGateway, OrderReport, OrderRequest, Position, SignedOrder } from '../../../engine/exchange/orders.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { TradeJournal } from '../../../engine/journal/trade-journal.ts';

const D = (v: string) => new Decimal(v);

/** Answers every lookup "cancelled, fees charged, size unknown" and the positions it is given. */
class SilentFillVenue implements OrderGateway {
  positionReads = 0;
  constructor(public held: Position[]) {}
  sign(): Promise<SignedOrder> {
    throw new Error('not used');
  }
  send(): never {
    throw new Error('not used');
  }
  async cancel() {}
  async report(o: { clientId: string }): Promise<OrderReport> {
    return { state: { clientId: o.clientId, venueOrderId: '0x2a', status: 'unknown', filledSize: D('0') }, fills: [], fillUnknown: { finalStatus: 'cancelled', fee: D('0.0123') } };
  }
  async positions() {
    this.positionReads++;
    return this.held;
  }
  async openOrders() {
    return [];
  }
}

const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close(Date.now());
});

function setup(): { deps: CommandDeps; trades: TradeJournal } {
  const journal = new Journal({ path: ':memory:', flushIntervalMs: 10_000 });
  journals.push(journal);
  const trades = new TradeJournal(journal.db);
  const config = ExecutionConfigSchema.parse({ ackTimeoutMs: 100, reconcileTimeoutMs: 150, pollIntervalMs: 5, notFoundGraceMs: 30 });
  for (const id of ['t-old', 't-1']) {
    trades.openTrade({ id, intentId: `i-${id}`, instrument: 'X', buy: { venue: 'px', symbol: 'X' }, sell: { venue: 'py', symbol: 'X' }, size: D('1'), firstLeg: 'buy', expectedNet: D('0'), detectedAt: 0, judgedAt: 0, startedAt: 0 });
  }
  return { deps: { journal: trades, clock: systemClock, monotonic: monotonicNow, config, logger: silentLogger }, trades };
}

const buy = (clientId: string, size = '1'): OrderRequest => ({ venue: 'px', symbol: 'X', side: 'buy', type: 'limit', size: D(size), price: D('101.5'), timeInForce: 'IOC', clientId });

/** A confirmed earlier buy of `size` at 100 on px X: the journal's position before the order under test. */
function earlierBuy(trades: TradeJournal, size: string) {
  trades.recordSend('t-old', 'leg1', buy('old-1', size), { sentAt: 1 });
  trades.recordFills('t-old', [{ venue: 'px', symbol: 'X', clientId: 'old-1', fillId: 'f-old', side: 'buy', price: D('100'), size: D(size), fee: D('0'), liquidity: 'taker', time: 1 }]);
  trades.recordResult('old-1', { outcome: 'confirmed', state: { clientId: 'old-1', status: 'filled', filledSize: D(size) } });
}

async function verify(deps: CommandDeps, trades: TradeJournal, gw: OrderGateway, req: OrderRequest) {
  trades.recordSend('t-1', 'leg1', req, { sentAt: Date.now() });
  return verifyOrder(deps, gw, 't-1', req, { sentAt: Date.now() });
}

describe('a fill the venue never itemizes, read from the position', () => {
  it('not from flat: the size is the move from the journal position, priced at the IOC limit, with the venue fee', async () => {
    const { deps, trades } = setup();
    earlierBuy(trades, '0.5');
    // The journal holds 0.5; the venue now holds 0.8: this buy filled 0.3 of its 1.
    const gw = new SilentFillVenue([{ venue: 'px', symbol: 'X', size: D('0.8'), entryPrice: D('100.4') }]);
    const placed = await verify(deps, trades, gw, buy('c-1'));
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toString()).toBe('0.3');
    expect(placed.fills).toHaveLength(1);
    expect(placed.fills[0]).toMatchObject({ side: 'buy', venueOrderId: '0x2a', fillId: '0x2a:position', liquidity: 'taker' });
    // Not opened from flat: the entry price (100.4) blends both fills, so the limit bounds the price.
    expect(placed.fills[0]!.price.toString()).toBe('101.5');
    expect(placed.fills[0]!.fee.toString()).toBe('0.0123');
    const row = trades.ordersOf('t-1')[0]! as unknown as Record<string, unknown>;
    expect([row['outcome'], row['venue_status'], row['filled_size']]).toEqual(['confirmed', 'cancelled', '0.3']);
    // The journal now explains the venue: 0.5 + 0.3.
    expect(trades.expectedPositions().get('px:X')!.size.toString()).toBe('0.8');
  });

  it('from flat: the venue entry price is the fill price; a sell reads a short', async () => {
    const { deps, trades } = setup();
    const gw = new SilentFillVenue([{ venue: 'px', symbol: 'X', size: D('-0.25'), entryPrice: D('99.75') }]);
    const placed = await verify(deps, trades, gw, { ...buy('c-2'), side: 'sell', price: D('98') });
    expect(placed.outcome).toBe('confirmed');
    expect(placed.filled.toString()).toBe('0.25');
    expect(placed.fills[0]!.side).toBe('sell');
    expect(placed.fills[0]!.price.toString()).toBe('99.75');
  });

  it('another unsettled order on the same market: the move cannot be split, the position is not read, the order stays unresolved', async () => {
    const { deps, trades } = setup();
    trades.recordSend('t-old', 'leg1', buy('old-2'), { sentAt: 1 });
    const gw = new SilentFillVenue([{ venue: 'px', symbol: 'X', size: D('0.3') }]);
    const placed = await verify(deps, trades, gw, buy('c-3'));
    expect(placed.outcome).toBe('unresolved');
    expect(placed.reason).toMatch(/order old-2 on the same market is also unsettled/);
    expect(gw.positionReads).toBe(0);
    expect(trades.fillsOf('t-1')).toEqual([]);
  });

  it('a position no fill of this order explains (the wrong way, or more than its size) is not taken', async () => {
    for (const [held, why] of [
      ['1.7', 'more than the 1 asked on top of 0.5'],
      ['0.4', 'the position fell on a buy'],
      ['0.5', 'nothing moved, though fees were charged'],
    ] as const) {
      const { deps, trades } = setup();
      earlierBuy(trades, '0.5');
      const gw = new SilentFillVenue([{ venue: 'px', symbol: 'X', size: D(held) }]);
      const placed = await verify(deps, trades, gw, buy('c-4'));
      expect(placed.outcome, why).toBe('unresolved');
      expect(placed.reason, why).toMatch(new RegExp(`venue position ${held.replace('.', '\\.')} against 0\\.5 in the journal is no buy of at most 1`));
      expect(trades.fillsOf('t-1'), why).toEqual([]);
    }
  });
});
