import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { Fill } from '../../../engine/exchange/orders.ts';
import { hedgeableSize, HedgeLot } from '../../../engine/quoting/hedge-lot.ts';
import { formatMakerFill } from '../../../engine/quoting/maker-fill-line.ts';

const d = (v: string) => new Decimal(v);
const fill = (size: string, price: string, fee: string): Fill => ({
  venue: 'lighter',
  symbol: '1',
  clientId: 'q-a1',
  fillId: `${size}@${price}`,
  side: 'buy',
  price: d(price),
  size: d(size),
  fee: d(fee),
  liquidity: 'maker',
  time: 0,
});

describe('HedgeLot', () => {
  it("carries the size-weighted hedge price the fills' quotes were priced on (the report's slippage reference)", () => {
    const lot = new HedgeLot();
    lot.add(fill('0.1', '3000', '0'), 't1', 1, d('3003'));
    lot.add(fill('0.3', '2999', '0'), 't2', 2, d('3010'));
    // 0.1 × 3003 + 0.3 × 3010 = 300.3 + 903 = 1203.3; half of the lot: 601.65 (3008.25 a unit).
    const p = lot.take(d('0.2'));
    expect(p.expectedNotional.toString()).toBe('601.65');
    // 0.1 of it comes back unhedged: 601.65 + 601.65 / 2 = 902.475 for the 0.3 held again.
    lot.giveBack(p, d('0.1'), 3);
    expect(lot.take(d('0.3')).expectedNotional.toString()).toBe('902.475');
    // Without a quote price the fill's own price stands in.
    lot.add(fill('0.1', '3000', '0'), 't3', 4);
    expect(lot.take(d('0.1')).expectedNotional.toString()).toBe('300');
  });

  it('adds fills up and hands out a hedge size with its pro-rata maker notional and fees', () => {
    const lot = new HedgeLot();
    lot.add(fill('0.00015', '65000', '0.01'), 't1', 100);
    lot.add(fill('0.00005', '64000', '0.002'), 't2', 200);
    expect(lot.size.toString()).toBe('0.0002');
    // (0.00015 × 65000 + 0.00005 × 64000) / 0.0002 = (9.75 + 3.2) / 0.0002 = 64750
    expect(lot.averagePrice.toString()).toBe('64750');
    const p = lot.take(d('0.0001'));
    expect([p.size.toString(), p.notional.toString(), p.fees.toString(), p.tradeId, p.seenMono]).toEqual(['0.0001', '6.475', '0.006', 't2', 200]);
    expect(lot.size.toString()).toBe('0.0001');
    expect(lot.oldestMono).toBe(100);
    lot.take(d('0.0001'));
    expect(lot.oldestMono).toBeUndefined();
    expect([...lot.trades]).toEqual(['t1', 't2']);
  });

  it('a hedge that closed less gives the rest back at the portion’s prices', () => {
    const lot = new HedgeLot();
    lot.add(fill('0.002', '3500', '0'), 't1', 5);
    const p = lot.take(d('0.002'));
    lot.giveBack(p, d('0.0005'), 9);
    expect(lot.size.toString()).toBe('0.0005');
    expect(lot.averagePrice.toString()).toBe('3500');
    expect(lot.oldestMono).toBe(9);
  });
});

describe('hedgeableSize', () => {
  it('rounds down to the taker step and waits below its minimum size or notional', () => {
    expect(hedgeableSize(d('0.00015'), { sizeIncrement: '0.0001' }, d('65000')).toString()).toBe('0.0001');
    expect(hedgeableSize(d('0.0009'), { sizeIncrement: '0.0001', minSize: '0.001' }, d('3500')).toString()).toBe('0');
    expect(hedgeableSize(d('0.0012'), { sizeIncrement: '0.0001', minSize: '0.001' }, d('3500')).toString()).toBe('0.0012');
    // 0.002 × 3500 = 7 USD under a 10 USD minimum notional.
    expect(hedgeableSize(d('0.002'), { sizeIncrement: '0.001', minNotional: '10' }, d('3500')).toString()).toBe('0');
  });
});

describe('formatMakerFill', () => {
  it('the issue’s line: sizes, prices, latency, gross edge and the cash-flow PnL', () => {
    expect(
      formatMakerFill({
        label: 'LIVE',
        instrument: 'ETH-USD-PERP',
        makerVenue: 'lighter',
        side: 'buy',
        size: d('0.05'),
        makerPrice: d('3499.1'),
        outcome: 'hedged',
        closeVenue: 'paradex',
        closeSize: d('0.05'),
        closePrice: d('3505.4'),
        ms: 38.4,
        pnl: d('0.2938'),
      }),
      // (3505.4 − 3499.1) / 3499.1 = 0.18%
    ).toBe('[LIVE] 🎯 maker fill ETH-USD-PERP lighter buy 0.05 @ 3499.10 → hedged sell paradex 0.05 @ 3505.40 in 38 ms | edge 0.18% | PnL est $0.29');
  });
  it('says when the hedge failed and the fill was unwound on the maker venue', () => {
    const line = formatMakerFill({ label: 'LIVE', instrument: 'BTC-USD-PERP', makerVenue: 'paradex', side: 'sell', size: d('0.003'), makerPrice: d('65000'), outcome: 'unwound', closeVenue: 'paradex', closeSize: d('0.003'), closePrice: d('65010'), ms: 410, pnl: d('-0.031') });
    expect(line).toBe('[LIVE] 🎯 maker fill BTC-USD-PERP paradex sell 0.003 @ 65000.00 → hedge failed, unwound buy paradex 0.003 @ 65010.00 in 410 ms | PnL est -$0.03');
  });
});
