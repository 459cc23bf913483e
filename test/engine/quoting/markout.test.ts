/**
 * Markout sampling: the maker book's mid 1 s and 10 s after a fill, written when taken; a book
 * not tradable at that moment, or a session stopped first, leaves the sample out (NULL, n/a).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decimal } from 'decimal.js';
import type { OrderBook } from '../../../engine/market/book.ts';
import type { BookReader } from '../../../engine/market/hub.ts';
import { bookMid, MarkoutSampler } from '../../../engine/quoting/markout.ts';

/** A book at 2 price decimals: bid and ask in integer units, as OrderBook keeps them. */
function books(state: { bid?: number; ask?: number; tradable: boolean }): BookReader {
  const side = (k: 'bid' | 'ask') => ({ best: () => state[k] });
  const book = { bids: side('bid'), asks: side('ask'), market: { priceDecimals: 2 } } as unknown as OrderBook;
  return { book: () => book, isTradable: () => state.tradable };
}

afterEach(() => void vi.useRealTimers());

describe('markout sampling', () => {
  it('the mid is exact: (3000.05 + 3000.10) / 2 = 3000.075', () => {
    expect(bookMid(books({ bid: 300005, ask: 300010, tradable: true }), 'lighter', '0', 0)?.toString()).toBe('3000.075');
    expect(bookMid(books({ bid: 300005, tradable: true }), 'lighter', '0', 0)).toBeUndefined();
    expect(bookMid(books({ bid: 300005, ask: 300010, tradable: false }), 'lighter', '0', 0)).toBeUndefined();
  });

  it('samples at 1 s and 10 s; a stale book at 10 s and a stop before it leave no sample', () => {
    vi.useFakeTimers();
    const state = { bid: 300000, ask: 300010, tradable: true };
    const written: [string, string, string][] = [];
    const sink = { markout: (_v: string, fillId: string, h: string, mid: Decimal) => void written.push([fillId, h, mid.toString()]) };
    const sampler = new MarkoutSampler(books(state), { now: () => 0 }, sink);
    sampler.track('lighter', '0', 'f1');
    vi.advanceTimersByTime(999);
    expect(written).toEqual([]);
    state.bid = 300100;
    state.ask = 300110;
    vi.advanceTimersByTime(1);
    expect(written).toEqual([['f1', '1s', '3001.05']]);
    state.tradable = false;
    vi.advanceTimersByTime(9000);
    // Not tradable at 10 s: nothing written (a stale mid would read as "no move").
    expect(written).toEqual([['f1', '1s', '3001.05']]);
    expect(sampler.pending).toBe(0);
    state.tradable = true;
    sampler.track('lighter', '0', 'f2');
    vi.advanceTimersByTime(1000);
    sampler.stop();
    vi.advanceTimersByTime(20_000);
    expect(written).toEqual([['f1', '1s', '3001.05'], ['f2', '1s', '3001.05']]);
    expect(sampler.pending).toBe(0);
  });
});
