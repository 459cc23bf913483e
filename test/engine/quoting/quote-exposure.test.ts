/** The desk's unhedged-exposure limit: hand-computed USD, resting quotes counted as if filled. */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { QuoteExposure, type RestingQuoteView, type UnhedgedLotView } from '../../../engine/quoting/quote-exposure.ts';

const D = (v: string) => new Decimal(v);
const quote = (remaining: string, price: string): RestingQuoteView => ({ maker: { venue: 'lighter', symbol: 'ETH' }, taker: { venue: 'paradex', symbol: 'ETH-USD-PERP' }, side: 'buy', remaining: D(remaining), price: D(price), hedgeWorst: D('2990') });
const lot = (size: string, price: string): UnhedgedLotView => ({ taker: { venue: 'paradex', symbol: 'ETH-USD-PERP' }, side: 'buy', size: D(size), price: D(price) });

describe('QuoteExposure', () => {
  it('unhedged USD: lots only; if filled: lots + every resting remainder + the new quote', () => {
    const x = new QuoteExposure({ quotes: () => [quote('0.05', '3000'), quote('0.02', '3100')], lots: () => [lot('0.03', '2999')] }, D('500'));
    // 0.03 × 2999 = 89.97
    expect(x.unhedgedUsd().toString()).toBe('89.97');
    // 89.97 + 150 + 62 + 0.05 × 3000 (150) = 451.97
    expect(x.unhedgedIfFilledUsd({ size: D('0.05'), price: D('3000') }).toString()).toBe('451.97');
    expect(x.refusal({ size: D('0.05'), price: D('3000') })).toBeUndefined();
    // 0.07 × 3000 = 210: 511.97 > 500
    expect(x.refusal({ size: D('0.07'), price: D('3000') })).toBe('unhedged exposure if every resting quote filled would be 511.97 USD, over maxUnhedgedUsd 500');
    expect(x.hedgesLag()).toBeUndefined();
  });

  it('hedges lag: unhedged fills alone over the limit pause quoting (cancel reason text)', () => {
    const x = new QuoteExposure({ quotes: () => [], lots: () => [lot('0.2', '3000')] }, D('500'));
    expect(x.hedgesLag()).toBe('hedges lag: 600.00 USD of maker fills unhedged, over maxUnhedgedUsd 500');
    // Exactly at the limit is allowed.
    const y = new QuoteExposure({ quotes: () => [], lots: () => [lot('0.5', '1000')] }, D('500'));
    expect(y.hedgesLag()).toBeUndefined();
  });

  it('pending legs: a resting quote on both venues (hedge at its walk worst), a lot only on the taker venue', () => {
    const x = new QuoteExposure({ quotes: () => [quote('0.05', '3000')], lots: () => [lot('0.03', '2999')] });
    expect([...x.pendingLegs()].map((l) => `${l.venue} ${l.side} ${l.size.toString()} @ ${l.price.toString()}`)).toEqual(['lighter buy 0.05 @ 3000', 'paradex sell 0.05 @ 2990', 'paradex sell 0.03 @ 2999']);
  });
});
