import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../engine/market/book.ts';
import { walkDepth } from '../../../engine/simulation/depth-walk.ts';
import { ExecutionSimulator, UnknownGasChainError } from '../../../engine/simulation/execution-simulator.ts';
import { DEFAULT_DESYNC } from '../../../engine/simulation/desync.ts';
import { FeeSchedule, MissingFeeModelError } from '../../../engine/simulation/fee-schedule.ts';
import type { ArbIntent } from '../../../engine/strategy/strategy.ts';
import { createTableFeeModel } from '../../../plugins/fees/table/index.ts';
import { market, snapshot } from '../../helpers/books.ts';

const D = (v: string | number) => new Decimal(v);

function intent(overrides: Partial<ArbIntent> = {}): ArbIntent {
  // Hand example: buy 10 on Vest (asks 100.00 x 6, 100.05 x 10), sell 10 on Paradex (bid 100.25 x 10).
  return {
    id: 't1',
    strategy: 'cross-exchange',
    instrument: 'BTC-USD-PERP',
    size: D(10),
    buy: { venue: 'vest', symbol: 'BTC-PERP', side: 'buy', topPrice: D('100.00'), expectedPrice: D('100.02'), worstPrice: D('100.05'), bookReceivedAt: 9_900, bookVenueTime: 9_850 },
    sell: { venue: 'paradex', symbol: 'BTC-USD-PERP', side: 'sell', topPrice: D('100.25'), expectedPrice: D('100.25'), worstPrice: D('100.25'), bookReceivedAt: 9_950, bookVenueTime: 9_900 },
    spread: D('0.0025'),
    executableSpread: D('0.00229954'),
    detectedAt: 10_000,
    ...overrides,
  };
}

function simulator(minNet = '0', gas: Record<string, string> = { vest: '0.10', paradex: '0.05' }, includeCloseCosts = false) {
  const fees = new FeeSchedule([createTableFeeModel({ preset: 'seed', overrides: {} })]);
  return new ExecutionSimulator(fees, (v) => v, {
    gasUsd: Object.fromEntries(Object.entries(gas).map(([k, v]) => [k, D(v)])),
    desync: DEFAULT_DESYNC,
    minNetProfitUsd: D(minNet),
    includeCloseCosts,
  });
}

describe('depth walk', () => {
  it('computes the VWAP and worst level for a size, exactly', () => {
    const m = market('vest', 'BTC-PERP', 2, 3);
    const book = new OrderBook(m);
    book.applySnapshot(snapshot(m, [], [['100.00', '6'], ['100.05', '10']]));
    const w = walkDepth(book.asks, 10_000); // 10.000 in size units
    expect(w.complete).toBe(true);
    expect(w.averagePrice.div(100).toString()).toBe('100.02'); // (6*100 + 4*100.05)/10
    expect(w.worstPrice).toBe(10005);
    expect(w.levelsUsed).toBe(2);
    expect(walkDepth(book.asks, 16_001).complete).toBe(false);
  });
});

describe('execution simulator', () => {
  it('matches the hand-computed fee, slippage and gas breakdown', () => {
    const j = simulator().judge(intent(), 10_000);
    // gross = 0.25 * 10
    expect(j.gross.toString()).toBe('2.5');
    // trading = 1000.2 * 0.0004 (Vest taker) + 1002.5 * 0.0005 (Paradex taker) = 0.40008 + 0.50125
    expect(j.costs.trading.toString()).toBe('0.90133');
    // slippage = (100.02 - 100.00) * 10 on the buy leg, nothing on the sell leg
    expect(j.costs.slippage.toString()).toBe('0.2');
    expect(j.costs.gas.toString()).toBe('0.15');
    expect(j.costs.total.toString()).toBe('1.25133');
    expect(j.net.toString()).toBe('1.24867');
    expect(j.profitable).toBe(true);
    expect(j.decision).toBe('accept');
    expect(j.desync).toEqual({ level: 'Low', maxAgeMs: 100, gapMs: 50 });
  });

  it('prices the close too when asked: the pair is closed later with two more taker orders and their gas', () => {
    const j = simulator('0', undefined, true).judge(intent(), 10_000);
    // close = the entry's taker fees 0.90133 + gas 0.15 again
    expect(j.costs.close.toString()).toBe('1.05133');
    expect(j.costs.total.toString()).toBe('2.30266');
    expect(j.net.toString()).toBe('0.19734');
    expect(j.decision).toBe('accept');
    // Entry costs alone: the close is zero.
    expect(simulator().judge(intent(), 10_000).costs.close.toString()).toBe('0');
  });

  it('rejects when costs exceed the edge or the minimum net', () => {
    expect(simulator('1.25').judge(intent(), 10_000).decision).toBe('reject-unprofitable');
    const thin = intent({ sell: { ...intent().sell, topPrice: D('100.10'), expectedPrice: D('100.10') } });
    const j = simulator().judge(thin, 10_000);
    expect(j.net.isNegative()).toBe(true);
    expect(j.decision).toBe('reject-unprofitable');
  });

  it('skips high desync risk and flags medium', () => {
    expect(simulator().judge(intent(), 15_001).decision).toBe('skip-high-risk');
    const medium = simulator().judge(intent(), 11_500);
    expect(medium.desync.level).toBe('Medium');
    expect(medium.flagged).toBe(true);
    expect(medium.decision).toBe('accept');
  });

  it('uses the paradex-current preset when chosen', () => {
    const fees = new FeeSchedule([createTableFeeModel({ preset: 'paradex-current', overrides: {} })]);
    expect(fees.rates('paradex', 'BTC-USD-PERP').taker.toString()).toBe('0.00045');
    expect(fees.rates('paradex', 'BTC-USD-PERP').maker.toString()).toBe('0.00003');
  });

  it('names what is missing: a fee model or a chain gas figure', () => {
    const noFees = new ExecutionSimulator(new FeeSchedule([]), (v) => v, { gasUsd: {}, desync: DEFAULT_DESYNC, minNetProfitUsd: D(0) });
    expect(() => noFees.judge(intent(), 10_000)).toThrow(MissingFeeModelError);
    expect(() => simulator('0', { vest: '0.1' }).judge(intent(), 10_000)).toThrow(UnknownGasChainError);
    expect(() => simulator('0', { vest: '0.1' }).judge(intent(), 10_000)).toThrow(/simulation\.gasUsd\.paradex/);
  });
});
