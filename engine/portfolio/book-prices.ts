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
import { openSize, type PairPosition } from './pair-position.ts';

/**
 * 10^decimals and 10^-decimals, made once per exponent: this runs for every open pair on every
 * book update (decimal.js's pow, then its division, were a tenth each of a replay's CPU in the
 * profile). Multiplying by 10^-d gives the same Decimal as dividing by 10^d: a power of ten only
 * moves the exponent, so both round the same exact value to the same significant digits.
 */
const HALF = new Decimal(0.5);
const POWERS: Decimal[] = [];
const INVERSE_POWERS: Decimal[] = [];
function scale(decimals: number): Decimal {
  return (POWERS[decimals] ??= new Decimal(10).pow(decimals));
}
function unscale(decimals: number): Decimal {
  return (INVERSE_POWERS[decimals] ??= new Decimal(10).pow(-decimals));
}

/** VWAP and worst price of taking `size` from one side, or undefined when the book is too thin. */
function take(book: OrderBook, side: 'bids' | 'asks', size: Decimal): { vwap: Decimal; worst: Decimal } | undefined {
  const units = size.mul(scale(book.market.sizeDecimals));
  if (!units.isInteger()) return undefined; // a size the venue could not trade
  const walk = walkDepth(book[side], units.toNumber());
  if (!walk.complete) return undefined;
  const ps = unscale(book.market.priceDecimals);
  return { vwap: walk.averagePrice.times(ps), worst: new Decimal(walk.worstPrice).times(ps) };
}

/** Sell the long into its venue's bids, buy the short back from its venue's asks, now, for the size still held. */
export function exitQuote(books: BookReader, pair: PairPosition, now: number): ExitQuote | undefined {
  const lb = books.book(pair.long.venue, pair.long.symbol);
  const sb = books.book(pair.short.venue, pair.short.symbol);
  if (!lb || !sb || !books.isTradable(lb, now) || !books.isTradable(sb, now)) return undefined;
  const size = openSize(pair);
  const long = take(lb, 'bids', size);
  const short = take(sb, 'asks', size);
  if (!long || !short) return undefined;
  return {
    longExit: long.vwap,
    shortExit: short.vwap,
    longWorst: long.worst,
    shortWorst: short.worst,
    longTop: new Decimal(lb.bids.best()!).times(unscale(lb.market.priceDecimals)),
    shortTop: new Decimal(sb.asks.best()!).times(unscale(sb.market.priceDecimals)),
    longBook: { receivedAt: lb.receivedAt, venueTime: lb.venueTime },
    shortBook: { receivedAt: sb.receivedAt, venueTime: sb.venueTime },
  };
}

export function midPrice(book: OrderBook | undefined): Decimal | undefined {
  const bid = book?.bids.best();
  const ask = book?.asks.best();
  if (!book || bid === undefined || ask === undefined) return undefined;
  return new Decimal(bid).plus(ask).times(HALF).times(unscale(book.market.priceDecimals));
}
