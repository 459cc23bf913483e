/**
 * Prices the portfolio reads from the hub's books: what closing a pair would fetch (walking
 * the depth for its size) and a mark for funding (the mid; venues use their own mark or
 * oracle price, which the public feeds here do not carry for every venue).
 */
import { Decimal } from 'decimal.js';
import type { BookReader } from '../market/hub.ts';
import type { OrderBook } from '../market/book.ts';
import { walkDepth } from '../simulation/depth-walk.ts';
import type { ExitQuote } from './exit-policy.ts';
import type { PairPosition } from './pair-position.ts';

function scale(decimals: number): Decimal {
  return new Decimal(10).pow(decimals);
}

/** VWAP of taking `size` from one side, or undefined when the book is too thin. */
function takeVwap(book: OrderBook, side: 'bids' | 'asks', size: Decimal): Decimal | undefined {
  const units = size.mul(scale(book.market.sizeDecimals));
  if (!units.isInteger()) return undefined; // a size the venue could not trade
  const walk = walkDepth(book[side], units.toNumber());
  if (!walk.complete) return undefined;
  return walk.averagePrice.div(scale(book.market.priceDecimals));
}

/** Sell the long into its venue's bids, buy the short back from its venue's asks, now. */
export function exitQuote(books: BookReader, pair: PairPosition, now: number): ExitQuote | undefined {
  const lb = books.book(pair.long.venue, pair.long.symbol);
  const sb = books.book(pair.short.venue, pair.short.symbol);
  if (!lb || !sb || !books.isTradable(lb, now) || !books.isTradable(sb, now)) return undefined;
  const longExit = takeVwap(lb, 'bids', pair.size);
  const shortExit = takeVwap(sb, 'asks', pair.size);
  if (!longExit || !shortExit) return undefined;
  return { longExit, shortExit };
}

export function midPrice(book: OrderBook | undefined): Decimal | undefined {
  const bid = book?.bids.best();
  const ask = book?.asks.best();
  if (!book || bid === undefined || ask === undefined) return undefined;
  return new Decimal(bid).plus(ask).div(2).div(scale(book.market.priceDecimals));
}
