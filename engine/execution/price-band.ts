/**
 * Protective limit prices. Every order the executor sends is a limit (even the stop-loss, unless
 * configured as market), placed a band beyond a reference price, so a book that moved between
 * detection and arrival fills us no worse than the band, and otherwise not at all.
 */
import { Decimal } from 'decimal.js';
import type { OrderSide } from '../exchange/orders.ts';

const BPS = new Decimal(10_000);

/** Price `bps` worse than `reference` for `side`, rounded away from aggression onto the tick. */
export function bandedLimit(reference: Decimal, side: OrderSide, bps: number, tickSize?: string): Decimal {
  const factor = new Decimal(bps).div(BPS);
  const raw = side === 'buy' ? reference.mul(Decimal.add(1, factor)) : reference.mul(Decimal.sub(1, factor));
  if (!tickSize) return raw;
  const tick = new Decimal(tickSize);
  // A buy rounds down and a sell up (less aggressive), but never inside the reference itself:
  // a band narrower than one tick must still reach the price the walk expected.
  if (side === 'buy') return Decimal.max(raw.div(tick).floor().mul(tick), reference.div(tick).ceil().mul(tick));
  return Decimal.min(raw.div(tick).ceil().mul(tick), reference.div(tick).floor().mul(tick));
}

/** Size rounded down to the venue's step: never send more than was filled on the other side. */
export function roundSizeDown(size: Decimal, sizeIncrement?: string): Decimal {
  if (!sizeIncrement) return size;
  const step = new Decimal(sizeIncrement);
  return size.div(step).floor().mul(step);
}
