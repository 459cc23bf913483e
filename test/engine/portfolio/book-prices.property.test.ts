/**
 * The portfolio's book prices take shortcuts for speed (cached powers of ten, multiplying by
 * 10^-d instead of dividing by 10^d, a one-level walk's average taken as that level's price).
 * Each must give the very Decimal the plain formula gives, on any integers a venue could send.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../../engine/market/book.ts';
import { exitQuote, midPrice } from '../../../engine/portfolio/book-prices.ts';
import { walkDepth } from '../../../engine/simulation/depth-walk.ts';

const units = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const decimals = fc.integer({ min: 0, max: 18 });

function bookOf(priceDecimals: number, sizeDecimals: number, bids: [number, number][], asks: [number, number][]): OrderBook {
  const market = { venue: 'v', symbol: 'S', priceDecimals, sizeDecimals } as unknown as ConstructorParameters<typeof OrderBook>[0];
  const book = new OrderBook(market);
  const level = ([price, size]: [number, number]) => ({ price, size });
  book.applySnapshot({ type: 'snapshot', venue: 'v', symbol: 'S', bids: bids.map(level), asks: asks.map(level), receivedAt: 1, venueTime: 1 });
  return book;
}

describe('book prices: fast paths equal the plain formulas', () => {
  it('x * 10^-d is the same Decimal as x / 10^d', () => {
    fc.assert(
      fc.property(units, units, decimals, (a, b, d) => {
        const plain = new Decimal(a).plus(b).div(2).div(new Decimal(10).pow(d));
        const fast = new Decimal(a).plus(b).times(new Decimal(0.5)).times(new Decimal(10).pow(-d));
        expect(fast.toString()).toBe(plain.toString());
      }),
      { numRuns: 2000 },
    );
  });

  it('midPrice and exitQuote match dividing by 10^priceDecimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 2 ** 40 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 6 }), (bid, width, pd, sd) => {
        const ask = bid + width;
        // The best level holds 1.0: a close of 1.5 walks two levels.
        const book = bookOf(pd, sd, [[bid, 10 ** sd], [bid - 1, 10 ** (sd + 2)]], [[ask, 10 ** sd], [ask + 1, 10 ** (sd + 2)]]);
        const ps = new Decimal(10).pow(pd);
        expect(midPrice(book)!.toString()).toBe(new Decimal(bid).plus(ask).div(2).div(ps).toString());
        const books = { book: () => book, isTradable: () => true } as never;
        const size = new Decimal(150).div(new Decimal(10).pow(2)); // 1.5: spans two levels when a level holds 1
        const q = exitQuote(books, { long: { venue: 'v', symbol: 'S' }, short: { venue: 'v', symbol: 'S' }, size, exitedSize: new Decimal(0) } as never, 1);
        // 1.5 is no size on a venue trading whole units: no quote, as before the fast paths.
        if (sd === 0) {
          expect(q).toBeUndefined();
          return;
        }
        expect(q).toBeDefined();
        if (!q) return;
        expect(q.longExit.toString()).not.toBe(q.longTop!.toString()); // two levels: a real average
        const walk = walkDepth(book.bids, size.mul(new Decimal(10).pow(sd)).toNumber());
        expect(q.longExit.toString()).toBe(walk.averagePrice.div(ps).toString());
        expect(q.longTop!.toString()).toBe(new Decimal(bid).div(ps).toString());
      }),
      { numRuns: 500 },
    );
  });

  it("a one-level walk's average is that level's price, as cost / size gives it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 44 }), fc.integer({ min: 1, max: 2 ** 20 }), (price, size) => {
        const book = bookOf(2, 0, [[price, size]], [[price + 1, size]]);
        const w = walkDepth(book.bids, size);
        expect([w.complete, w.levelsUsed]).toEqual([true, 1]);
        expect(w.averagePrice.toString()).toBe(new Decimal((BigInt(price) * BigInt(size)).toString()).div(size).toString());
      }),
      { numRuns: 1000 },
    );
  });
});
