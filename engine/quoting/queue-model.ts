/**
 * Where a dry-run post-only quote stands in its price level's FIFO queue, and which public trades
 * would have filled it. The quote is virtual: it is not in the venue's book, so everything it
 * learns comes from the public trade tape and the level's resting size. Every rule below errs on
 * the side of fewer and later fills, so a dry-run never promises a fill rate the live quote
 * cannot reach.
 *
 * Rules (each answers a question the tape cannot answer exactly):
 * - Placement: the size ahead of us is the level's resting size at our price on our side when
 *   the quote lands (0 when our price improves the level). The level's size never includes our
 *   own virtual quote, so we join at the back.
 * - Life: only events strictly after `placedAt` and strictly before the cancel's effective time
 *   touch the quote. A trade in the same millisecond as the placement may have printed before
 *   our order arrived, so it does not count. To model latency, pass the venue's ack time as
 *   `placedAt` and the cancel's ack time to `cancelQuote`, not the times we sent them.
 * - Trade at our price, aggressor on the other side (a sell hitting our bid, a buy lifting our
 *   ask): it first consumes the size ahead of us, the rest fills us, never more than we have
 *   left. This is hftbacktest's RiskAdverseQueueModel `trade()` with its PartialFillExchange
 *   equal-price branch, `exec_qty = min(filled_qty, qty, leaves_qty)`
 *   (https://github.com/nkaz001/hftbacktest/blob/master/hftbacktest/src/backtest/models/queue.rs,
 *   .../src/backtest/proc/partialfillexchange.rs).
 * - Trade through our price (strictly better for the aggressor: a sell below our bid, a buy above
 *   our ask): the level was swept, so everyone ahead of us is gone (size ahead becomes 0), but we
 *   fill only `min(remaining, max(0, trade.size - sizeAhead))`, as if the print's size had gone
 *   through our queue first. Hummingbot's paper exchange (`c_match_trade_to_limit_orders` in
 *   https://github.com/hummingbot/hummingbot/blob/master/hummingbot/connector/exchange/paper_trade/paper_trade_exchange.pyx)
 *   and hftbacktest's PartialFillExchange both fill the whole order on a trade through its
 *   price. We do not: a venue that prints one trade per sweep (size summed over the levels it
 *   took) would have given us only what was left after the queue ahead, and a venue that prints
 *   one trade per level has already shown us the prints at our price. Our rule is the lower
 *   bound under either convention.
 * - Trades by an aggressor on our own side, or at a price worse for the aggressor than ours
 *   (a sell above our bid), never fill us: they traded against other liquidity.
 * - Book update at our level shrinking it below our size ahead: size ahead = the level's new
 *   size (hftbacktest RiskAdverseQueueModel `depth()`: `front = min(front, new_qty)`). A
 *   cancel is assumed ahead of us only as far as the level shrank below our position; any
 *   shrink that still leaves more than our size ahead is taken as cancels behind us. A level
 *   that grows leaves us where we are (newcomers join behind). Because `min` is idempotent,
 *   the book update that follows a trade we already counted does not move us twice.
 * - Not modelled, on purpose (each under-fills): a book update where the other side crosses our
 *   price without a trade print (an order resting through our virtual price would have hit us
 *   live); hidden or iceberg liquidity; pro-rata matching.
 * - A replace is a cancel plus a new quote at the back of the queue at the new price.
 *
 * All sizes and prices are decimal.js Decimals; nothing here rounds.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide } from '../exchange/orders.ts';

/** A post-only quote as the dry-run places it. `placedAt` is when it joined the venue's book. */
export interface RestingQuote {
  id: string;
  side: OrderSide;
  price: Decimal;
  size: Decimal;
  /** ms since epoch, same clock as the tape's trade and book times. */
  placedAt: number;
}

/** One print from a venue's public trade stream. `aggressor` is the taker's side. */
export interface PublicTrade {
  time: number;
  price: Decimal;
  size: Decimal;
  aggressor: OrderSide;
}

/** The resting size at one price on one side of the book after an update (0: level gone). */
export interface LevelUpdate {
  time: number;
  side: OrderSide;
  price: Decimal;
  size: Decimal;
}

/** A simulated maker fill: always at our quote's price. */
export interface MakerFill {
  quoteId: string;
  time: number;
  side: OrderSide;
  price: Decimal;
  size: Decimal;
  /** 'at-price': a print at our price reached us in the queue; 'through': the level was swept. */
  cause: 'at-price' | 'through';
}

export type QuoteStatus = 'resting' | 'filled' | 'cancelled';

/** The model's state for one quote. Immutable: every function returns a new one. */
export interface QueuePosition {
  quote: RestingQuote;
  /** Resting size at our price that the venue would match before us. */
  sizeAhead: Decimal;
  filled: Decimal;
  remaining: Decimal;
  status: QuoteStatus;
  /** Set by cancelQuote: trades at or after this time do not fill us. */
  cancelledAt?: number;
}

export class QueueModelError extends Error {
  constructor(field: string, problem: string) {
    super(`queue model: ${field} ${problem}`);
    this.name = 'QueueModelError';
  }
}

const ZERO = new Decimal(0);

/** Puts a quote at the back of its level: `levelSize` is what rests at its price on its side now. */
export function placeQuote(quote: RestingQuote, levelSize: Decimal): QueuePosition {
  requirePositive(quote.size, `quote ${quote.id} size`);
  requirePositive(quote.price, `quote ${quote.id} price`);
  requireFiniteTime(quote.placedAt, `quote ${quote.id} placedAt`);
  if (!levelSize.isFinite() || levelSize.isNeg()) {
    throw new QueueModelError(`quote ${quote.id} levelSize`, `must be the level's resting size, 0 or more (got ${levelSize.toString()}); pass 0 when the quote improves the level`);
  }
  return { quote, sizeAhead: levelSize, filled: ZERO, remaining: quote.size, status: 'resting' };
}

/** Applies one public trade; returns the new position and the fill it caused, if any. */
export function applyTrade(pos: QueuePosition, trade: PublicTrade): { position: QueuePosition; fill?: MakerFill } {
  requirePositive(trade.size, 'trade size');
  requirePositive(trade.price, 'trade price');
  if (!isLive(pos, trade.time)) return { position: pos };
  const { quote } = pos;
  // Only a taker on the other side can trade against a resting quote.
  if (trade.aggressor === quote.side) return { position: pos };
  const cmp = trade.price.cmp(quote.price);
  // For our bid a sell print below our price is through it; for our ask a buy print above.
  const through = quote.side === 'buy' ? cmp < 0 : cmp > 0;
  if (!through && cmp !== 0) return { position: pos };

  const consumedAhead = Decimal.min(pos.sizeAhead, trade.size);
  const reachingUs = trade.size.minus(consumedAhead);
  const fillSize = Decimal.min(pos.remaining, reachingUs);
  // A sweep empties the level: whoever was ahead of us traded, whatever the print's size says.
  const sizeAhead = through ? ZERO : pos.sizeAhead.minus(consumedAhead);
  if (fillSize.isZero()) return { position: { ...pos, sizeAhead } };

  const filled = pos.filled.plus(fillSize);
  const remaining = pos.remaining.minus(fillSize);
  const position: QueuePosition = { ...pos, sizeAhead, filled, remaining, status: remaining.isZero() ? 'filled' : pos.status };
  const fill: MakerFill = { quoteId: quote.id, time: trade.time, side: quote.side, price: quote.price, size: fillSize, cause: through ? 'through' : 'at-price' };
  return { position, fill };
}

/** Applies a book update; only a shrink of our own level below our size ahead moves us forward. */
export function applyLevelUpdate(pos: QueuePosition, update: LevelUpdate): QueuePosition {
  if (!update.size.isFinite() || update.size.isNeg()) {
    throw new QueueModelError('level update size', `must be 0 or more (got ${update.size.toString()})`);
  }
  if (!isLive(pos, update.time)) return pos;
  if (update.side !== pos.quote.side || !update.price.eq(pos.quote.price)) return pos;
  if (update.size.gte(pos.sizeAhead)) return pos;
  return { ...pos, sizeAhead: update.size };
}

/** Stops the quote filling from `effectiveAt` on (the venue's cancel ack); trades before it still fill. */
export function cancelQuote(pos: QueuePosition, effectiveAt: number): QueuePosition {
  requireFiniteTime(effectiveAt, `cancel of quote ${pos.quote.id} effectiveAt`);
  if (pos.status !== 'resting') return pos;
  return { ...pos, status: 'cancelled', cancelledAt: effectiveAt };
}

/**
 * Cancels `pos` at the new quote's placement time and puts `next` at the back of its level
 * (`levelSize` at its price now). The venue gives a replaced order no priority, even at the
 * same price, so the new quote's queue starts from the whole level.
 */
export function replaceQuote(pos: QueuePosition, next: RestingQuote, levelSize: Decimal): { cancelled: QueuePosition; placed: QueuePosition } {
  if (next.side !== pos.quote.side) {
    throw new QueueModelError(`replacement ${next.id} side`, `must be ${pos.quote.side} like the quote it replaces (${pos.quote.id}); a quote on the other side is a new quote, not a replace`);
  }
  return { cancelled: cancelQuote(pos, next.placedAt), placed: placeQuote(next, levelSize) };
}

/** True while a quote can still be filled by an event at `time`. */
function isLive(pos: QueuePosition, time: number): boolean {
  if (pos.status === 'filled') return false;
  if (time <= pos.quote.placedAt) return false;
  if (pos.cancelledAt !== undefined && time >= pos.cancelledAt) return false;
  return true;
}

function requirePositive(v: Decimal, field: string): void {
  if (!v.isFinite() || !v.gt(0)) throw new QueueModelError(field, `must be a positive decimal (got ${v.toString()})`);
}

function requireFiniteTime(t: number, field: string): void {
  if (!Number.isFinite(t)) throw new QueueModelError(field, `must be a time in ms since epoch (got ${String(t)})`);
}
