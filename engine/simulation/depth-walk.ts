/**
 * Walk one side of a book for a size: the volume-weighted price a taker would get and the
 * worst level it would touch. Integer arithmetic (BigInt for price x size) keeps it exact.
 */
import { Decimal } from 'decimal.js';
import type { BookSide } from '../market/book.ts';

export interface DepthWalk {
  /** True when the book held enough size. */
  complete: boolean;
  /** Size taken, in size units. */
  filledUnits: number;
  /** Volume-weighted average price, in price units (exact rational as Decimal). */
  averagePrice: Decimal;
  /** Worst price touched, in price units. */
  worstPrice: number;
  levelsUsed: number;
}

export function walkDepth(side: BookSide, sizeUnits: number): DepthWalk {
  let remaining = sizeUnits;
  let cost = 0n;
  const depth = side.depth;
  let worst = depth > 0 ? side.priceAt(0) : 0;
  let i = 0;
  for (; i < depth && remaining > 0; i++) {
    const take = Math.min(remaining, side.sizeAt(i));
    worst = side.priceAt(i);
    cost += BigInt(worst) * BigInt(take);
    remaining -= take;
  }
  const filled = sizeUnits - remaining;
  return {
    complete: remaining === 0,
    filledUnits: filled,
    // One level touched: the average is that level's price, exactly (no division to pay for).
    averagePrice: filled === 0 ? new Decimal(0) : i === 1 ? new Decimal(worst) : new Decimal(cost.toString()).div(filled),
    worstPrice: worst,
    levelsUsed: i,
  };
}
