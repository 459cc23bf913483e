import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { edgeAt, needsReprice, priceQuote, walkLevels, type QuoteInputs } from '../../../engine/quoting/quote-price.ts';

const d = (v: string) => new Decimal(v);
const lv = (price: string, size: string) => ({ price: d(price), size: d(size) });

const buy: QuoteInputs = {
  side: 'buy',
  size: d('0.5'),
  // The hedge sells 0.5 into these bids: 0.2 @ 3505.5 + 0.3 @ 3505.0 = 1752.6 / 0.5 = 3505.2.
  hedgeLevels: [lv('3505.5', '0.2'), lv('3505.0', '1'), lv('3504.0', '5')],
  makerFee: d('0'),
  takerFee: d('0.0002'),
  gasUsd: d('0'),
  minEdge: d('0.001'),
  tickSize: d('0.1'),
  makerOpposite: d('3501.5'),
};

describe('walkLevels', () => {
  it('volume-weights the levels the size reaches and names the last one', () => {
    const w = walkLevels(buy.hedgeLevels, d('0.5'))!;
    expect(w.vwap.toString()).toBe('3505.2');
    expect(w.worst.toString()).toBe('3505');
  });
  it('is undefined when the levels hold less than the size', () => {
    expect(walkLevels([lv('1', '0.1')], d('0.2'))).toBeUndefined();
  });
});

describe('priceQuote', () => {
  it('buy: hedge walk net of the taker fee, over 1 + maker fee + edge, rounded down to the tick', () => {
    // 3505.2 × 0.9998 / 1.001 = 3500.99796… → 3500.9 (down: a buy never rounds toward crossing).
    const r = priceQuote(buy);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.quote.price.toString()).toBe('3500.9');
    expect(r.quote.heldBack).toBe(false);
    // (3504.49896 − 3500.9) / 3500.9 = 0.0010280…: at least the 10 bps asked.
    expect(r.quote.edge.toFixed(6)).toBe('0.001028');
  });

  it('sell: hedge walk plus taker fee and gas per unit, over 1 − maker fee − edge, rounded up to the tick', () => {
    // (3506 × 1.0002 + 0.10 / 0.5) / (1 − 0.0001 − 0.001) = 3506.9012 / 0.9989 = 3510.763… → 3510.8.
    const r = priceQuote({ ...buy, side: 'sell', hedgeLevels: [lv('3506.0', '0.5')], makerFee: d('0.0001'), gasUsd: d('0.10'), makerOpposite: d('3505.0') });
    expect(r.ok && r.quote.price.toString()).toBe('3510.8');
  });

  it('never crosses the maker book: a buy at or above the best ask rests one tick under it', () => {
    const r = priceQuote({ ...buy, makerOpposite: d('3500.9') });
    expect(r.ok && r.quote.price.toString()).toBe('3500.8');
    expect(r.ok && r.quote.heldBack).toBe(true);
    const s = priceQuote({ ...buy, side: 'sell', hedgeLevels: [lv('3506.0', '0.5')], makerOpposite: d('3520.0') });
    // Edge price 3506 × 1.0002 / 0.999 = 3510.21… → 3510.3 is under the best bid 3520: one tick above it.
    expect(s.ok && s.quote.price.toString()).toBe('3520.1');
  });

  it('refuses a hedge book too thin for the size', () => {
    const r = priceQuote({ ...buy, size: d('10') });
    expect(r).toEqual({ ok: false, reason: 'hedge book too thin for 10' });
  });

  it('edgeAt agrees with the formula at the quoted price (buy, gas included)', () => {
    // (3505.2 × 0.9998 − 3500 × 1 − 0.5 / 0.5) / 3500 = (3504.49896 − 3500 − 1) / 3500 = 0.00099970…
    expect(edgeAt('buy', d('3500'), d('3505.2'), { size: d('0.5'), makerFee: d('0'), takerFee: d('0.0002'), gasUsd: d('0.5') }).toFixed(8)).toBe('0.00099970');
  });
});

describe('needsReprice', () => {
  const rules = { reprice: d('0.0002'), minQuoteLifeMs: 1000 };
  const q = { side: 'buy' as const, hedgeVwap: d('3500'), placedAt: 10_000 };
  it('keeps the quote while the hedge price moved no more than repriceBps', () => {
    // 3500 × 1.0002 = 3500.70: exactly at the threshold, not past it.
    expect(needsReprice(q, d('3500.70'), 20_000, rules)).toBe(false);
  });
  it('a favourable move past the threshold waits for the minimum quote life', () => {
    expect(needsReprice(q, d('3500.71'), 10_999, rules)).toBe(false);
    expect(needsReprice(q, d('3500.71'), 11_000, rules)).toBe(true);
  });
  it('an adverse move past the threshold replaces at once (a buy quote hedged by a sell: a falling hedge price)', () => {
    expect(needsReprice(q, d('3499.29'), 10_001, rules)).toBe(true);
    expect(needsReprice({ ...q, side: 'sell' }, d('3500.71'), 10_001, rules)).toBe(true);
    expect(needsReprice({ ...q, side: 'sell' }, d('3499.29'), 10_001, rules)).toBe(false);
  });
});
