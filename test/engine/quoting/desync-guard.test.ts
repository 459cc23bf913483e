/**
 * The desk's desync guard uses the execution simulator's assessment: High past highGapMs between
 * the two books' venue times or highAgeMs of age, the hedge venue's taker delay making its book older.
 */
import { describe, expect, it } from 'vitest';
import type { OrderBook } from '../../../engine/market/book.ts';
import type { BookReader } from '../../../engine/market/hub.ts';
import { DEFAULT_DESYNC } from '../../../engine/simulation/desync.ts';
import { assessQuoteDesync, desyncBlock } from '../../../engine/quoting/desync-guard.ts';

const books = (m: { receivedAt: number; venueTime: number }, t: { receivedAt: number; venueTime: number }): BookReader => ({
  book: (venue) => (venue === 'lighter' ? m : t) as unknown as OrderBook,
  isTradable: () => true,
});
const maker = { venue: 'lighter', symbol: 'ETH' };
const taker = { venue: 'paradex', symbol: 'ETH-USD-PERP' };
const now = 100_000;

describe('desync guard', () => {
  it('books 2001 ms apart by venue time: High, with a reason naming both venues and the figures', () => {
    const r = books({ receivedAt: now - 100, venueTime: now - 2101 }, { receivedAt: now - 50, venueTime: now - 100 });
    expect(desyncBlock(r, maker, taker, now, { thresholds: DEFAULT_DESYNC })).toBe('desync risk High: lighter/paradex books 2001 ms apart, older one 100 ms old (limits 2000 ms / 5000 ms)');
  });

  it('exactly 2000 ms apart is Medium (the simulator skips only beyond): no block', () => {
    const r = books({ receivedAt: now - 100, venueTime: now - 2100 }, { receivedAt: now - 50, venueTime: now - 100 });
    expect(assessQuoteDesync(r, maker, taker, now, { thresholds: DEFAULT_DESYNC })?.level).toBe('Medium');
    expect(desyncBlock(r, maker, taker, now, { thresholds: DEFAULT_DESYNC })).toBeUndefined();
  });

  it("the hedge venue's taker delay ages its book: 4900 ms old + 200 ms speed bump = 5100 > 5000: High", () => {
    const r = books({ receivedAt: now - 10, venueTime: now - 10 }, { receivedAt: now - 4900, venueTime: now - 10 });
    expect(desyncBlock(r, maker, taker, now, { thresholds: DEFAULT_DESYNC })).toBeUndefined();
    const a = assessQuoteDesync(r, maker, taker, now, { thresholds: DEFAULT_DESYNC, takerDelayMs: (v) => (v === 'paradex' ? 200 : 0) });
    expect(a).toEqual({ level: 'High', maxAgeMs: 5100, gapMs: 0 });
  });

  it('Low books: no block', () => {
    const r = books({ receivedAt: now - 10, venueTime: now - 20 }, { receivedAt: now - 10, venueTime: now - 30 });
    expect(desyncBlock(r, maker, taker, now, { thresholds: DEFAULT_DESYNC })).toBeUndefined();
  });
});
