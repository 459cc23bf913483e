/**
 * OrderBook (typed arrays, worst-first, galloping search) against a plain reference book (a Map
 * of price -> size, sorted when read) on random streams: deltas near and far from the touch,
 * deletes of present and absent levels, snapshots in venue order, unsorted and with duplicates,
 * and sides growing past the initial capacity. After every change: best price, depth and every
 * level equal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../engine/market/book.ts';
import type { BookEvent, LevelChange, MarketInfo } from '../../../engine/market/types.ts';

const MARKET: MarketInfo = { venue: 'v', symbol: 'S', priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' };

class ReferenceSide {
  readonly levels = new Map<number, number>();
  constructor(private readonly descending: boolean) {}
  set(price: number, size: number): void {
    if (size === 0) this.levels.delete(price);
    else this.levels.set(price, size);
  }
  sorted(): [number, number][] {
    return [...this.levels].sort((a, b) => (this.descending ? b[0] - a[0] : a[0] - b[0]));
  }
}

function expectSame(book: OrderBook, bids: ReferenceSide, asks: ReferenceSide): void {
  for (const [ours, ref] of [[book.bids, bids], [book.asks, asks]] as const) {
    const want = ref.sorted();
    expect(ours.depth).toBe(want.length);
    expect(ours.best()).toBe(want[0]?.[0]);
    const got: [number, number][] = [];
    for (let i = 0; i < ours.depth; i++) got.push([ours.priceAt(i), ours.sizeAt(i)]);
    expect(got).toEqual(want);
    expect(ours.prices).toEqual(want.map((l) => l[0]));
    expect(ours.sizes).toEqual(want.map((l) => l[1]));
  }
}

const event = (type: 'snapshot' | 'delta', bids: LevelChange[], asks: LevelChange[]): BookEvent => ({ type, venue: 'v', symbol: 'S', bids, asks, venueTime: 0, receivedAt: 0 });

// Prices on a small grid so changes hit present levels often; sizes 0 (delete) a quarter of the time.
const change = (grid: number) => fc.record({
  price: fc.integer({ min: 1, max: grid }),
  size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 40 })),
});
const step = (grid: number) => fc.oneof(
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('delta' as const), bids: fc.array(change(grid), { maxLength: 4 }), asks: fc.array(change(grid), { maxLength: 4 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), bids: fc.array(change(grid), { maxLength: 80 }), asks: fc.array(change(grid), { maxLength: 80 }) }) },
);

function venueOrder(levels: LevelChange[], descending: boolean): LevelChange[] {
  const seen = new Map<number, LevelChange>();
  for (const l of levels) seen.set(l.price, l);
  return [...seen.values()].sort((a, b) => (descending ? b.price - a.price : a.price - b.price));
}

describe('OrderBook equals a reference book on random streams', () => {
  for (const grid of [20, 300, 3000]) {
    it(`prices on a grid of ${grid}`, () => {
      fc.assert(fc.property(fc.array(step(grid), { minLength: 1, maxLength: 120 }), fc.boolean(), (steps, sortSnapshots) => {
        const book = new OrderBook(MARKET);
        const bids = new ReferenceSide(true);
        const asks = new ReferenceSide(false);
        for (const s of steps) {
          if (s.kind === 'snapshot') {
            // Venue order (best first, strictly worsening) takes the append path; raw order the general one.
            const b = sortSnapshots ? venueOrder(s.bids, true) : s.bids;
            const a = sortSnapshots ? venueOrder(s.asks, false) : s.asks;
            bids.levels.clear();
            asks.levels.clear();
            for (const l of b) bids.set(l.price, l.size);
            for (const l of a) asks.set(l.price, l.size);
            book.applySnapshot(event('snapshot', b, a));
          } else {
            for (const l of s.bids) bids.set(l.price, l.size);
            for (const l of s.asks) asks.set(l.price, l.size);
            book.applyDelta(event('delta', s.bids, s.asks));
          }
          expectSame(book, bids, asks);
        }
      }), { numRuns: 300 });
    });
  }

  it('grows past its initial capacity and shrinks back, level for level', () => {
    const book = new OrderBook(MARKET);
    const bids = new ReferenceSide(true);
    const asks = new ReferenceSide(false);
    const bidLevels: LevelChange[] = [];
    const askLevels: LevelChange[] = [];
    for (let i = 0; i < 1500; i++) {
      bidLevels.push({ price: 100_000 - i, size: i + 1 });
      askLevels.push({ price: 100_001 + i, size: i + 1 });
    }
    book.applySnapshot(event('snapshot', bidLevels, askLevels));
    for (const l of bidLevels) bids.set(l.price, l.size);
    for (const l of askLevels) asks.set(l.price, l.size);
    expectSame(book, bids, asks);
    // Delete from the far end, the middle and the touch; re-insert a new best.
    const deletes = [1499, 750, 0, 3, 1200].map((i) => ({ price: 100_000 - i, size: 0 }));
    book.applyDelta(event('delta', [...deletes, { price: 100_000, size: 7 }], [{ price: 100_001, size: 0 }]));
    for (const l of deletes) bids.set(l.price, l.size);
    bids.set(100_000, 7);
    asks.set(100_001, 0);
    expectSame(book, bids, asks);
  });
});
