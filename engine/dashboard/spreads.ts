/**
 * The best executable spread per instrument and direction, read off the hub's books now: buy
 * `size` on one venue's asks, sell it into another's bids, both walked through the depth as the
 * cross-exchange strategy walks them (plugins/strategies/cross-exchange/strategy.ts), so the
 * page shows how far each direction is from the threshold, not just the touch.
 */
import { Decimal } from 'decimal.js';
import type { BookReader } from '../market/hub.ts';
import type { OrderBook } from '../market/book.ts';
import type { InstrumentMap } from '../market/instruments.ts';
import { walkDepth } from '../simulation/depth-walk.ts';

export interface DirectionSpread {
  instrument: string;
  buyVenue: string;
  sellVenue: string;
  /** (sell top - buy top) / buy top, percent, exact string. */
  topPct: string;
  /** Same through the depth for `size`; undefined when a book is too thin for it. */
  executablePct?: string;
  /** Base size walked (the strategy's notional at the buy top, on both venues' size step). */
  size: string;
  /** Both books live, uncrossed and fresh. */
  tradable: boolean;
}

function pow10(n: number): Decimal {
  return new Decimal(10).pow(n);
}

function sizeFor(notionalUsd: Decimal, buyTop: Decimal, a: OrderBook, b: OrderBook): Decimal {
  const step = Decimal.max(new Decimal(a.market.sizeIncrement), new Decimal(b.market.sizeIncrement));
  return notionalUsd.div(buyTop).div(step).floor().mul(step);
}

function vwap(book: OrderBook, side: 'bids' | 'asks', size: Decimal): Decimal | undefined {
  const units = size.mul(pow10(book.market.sizeDecimals));
  if (!units.isInteger() || units.lte(0)) return undefined;
  const walk = walkDepth(book[side], units.toNumber());
  return walk.complete ? walk.averagePrice.div(pow10(book.market.priceDecimals)) : undefined;
}

export function directionSpreads(books: BookReader, instruments: InstrumentMap, notionalUsd: Decimal, now: number): DirectionSpread[] {
  const out: DirectionSpread[] = [];
  for (const instrument of instruments.instruments()) {
    const listed = instruments
      .listings(instrument)
      .map((l) => books.book(l.venue, l.symbol))
      .filter((b): b is OrderBook => b !== undefined);
    for (const buy of listed) {
      for (const sell of listed) {
        if (buy === sell) continue;
        const ask = buy.asks.best();
        const bid = sell.bids.best();
        if (ask === undefined || bid === undefined) continue;
        const buyTop = new Decimal(ask).div(pow10(buy.market.priceDecimals));
        const sellTop = new Decimal(bid).div(pow10(sell.market.priceDecimals));
        const size = sizeFor(notionalUsd, buyTop, buy, sell);
        const buyAvg = vwap(buy, 'asks', size);
        const sellAvg = vwap(sell, 'bids', size);
        out.push({
          instrument,
          buyVenue: buy.market.venue,
          sellVenue: sell.market.venue,
          topPct: sellTop.minus(buyTop).div(buyTop).mul(100).toSignificantDigits(8).toFixed(),
          ...(buyAvg && sellAvg ? { executablePct: sellAvg.minus(buyAvg).div(buyAvg).mul(100).toSignificantDigits(8).toFixed() } : {}),
          size: size.toFixed(),
          tradable: books.isTradable(buy, now) && books.isTradable(sell, now),
        });
      }
    }
  }
  return out;
}
