/**
 * A cross-venue pair: long on one venue, short the same instrument on another. The arb's
 * profit exists only once both legs are closed, so the pair (not the single trade) is what
 * the portfolio tracks, journals and reconciles.
 *
 * Sign conventions, used everywhere in engine/portfolio:
 * - Fees are positive amounts paid (a maker rebate would be negative).
 * - Funding is signed from our side: positive = received, negative = paid.
 * - Spreads are (short price - long price) / long price: positive when the short sold rich.
 */
import { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';
import type { ExitPolicy, ExitReason } from './exit-terms.ts';

export type PairState = 'open' | 'closing' | 'closed';
/** A simulated pair lives only in the journal (dry-run); a live one has positions on venues. */
export type PairMode = 'simulated' | 'live';
export type LegSide = 'long' | 'short';

export interface PairLeg {
  venue: VenueId;
  symbol: string;
  entryPrice: Decimal;
  exitPrice?: Decimal;
  /** Funding has been applied to this leg up to this time (ms). */
  fundingAccruedTo: number;
}

export interface PairExit {
  reason: ExitReason;
  detail: string;
  spread: Decimal;
  at: number;
  realizedPnl: Decimal;
}

/**
 * What closing orders have taken off the pair so far, summed over every close attempt:
 * net base size closed on both legs, the cash the long's sells brought in (net of any
 * buy-back a failed close made), the cash the short's buy-backs cost, and their fees. A pair
 * closed in several IOC rounds is priced from these totals, so realized PnL stays exact.
 */
export interface PairExits {
  size: Decimal;
  longProceeds: Decimal;
  shortCost: Decimal;
  fees: Decimal;
}

export interface PairPosition {
  id: string;
  strategy: string;
  /** The intent that opened it, to join with the opportunities table. */
  intentId?: string;
  instrument: string;
  mode: PairMode;
  size: Decimal;
  long: PairLeg;
  short: PairLeg;
  entrySpread: Decimal;
  entryFees: Decimal;
  /** Fees of every closing order so far (equals exits.fees). */
  exitFees: Decimal;
  /** Partial closes so far; absent or zero size while the pair is whole. */
  exits?: PairExits;
  funding: Decimal;
  /** What the strategy expected the pair to make (simulator net, or carry net). */
  expectedPnl: Decimal;
  policy: ExitPolicy;
  openedAt: number;
  state: PairState;
  exit?: PairExit;
}

export function spreadOf(longPrice: Decimal, shortPrice: Decimal): Decimal {
  return shortPrice.minus(longPrice).div(longPrice);
}

export interface LegPnl {
  long: Decimal;
  short: Decimal;
}

/** Price PnL of each leg if closed at these prices: long gains when price rises, short when it falls. */
export function pricePnl(pair: Pick<PairPosition, 'size' | 'long' | 'short'>, longExit: Decimal, shortExit: Decimal): LegPnl {
  return {
    long: longExit.minus(pair.long.entryPrice).mul(pair.size),
    short: pair.short.entryPrice.minus(shortExit).mul(pair.size),
  };
}

/** Realized PnL = both legs' price PnL - entry and exit fees + funding (received positive). */
export function realizedPnl(
  pair: Pick<PairPosition, 'size' | 'long' | 'short' | 'entryFees' | 'funding'>,
  longExit: Decimal,
  shortExit: Decimal,
  exitFees: Decimal,
): Decimal {
  const p = pricePnl(pair, longExit, shortExit);
  return p.long.plus(p.short).minus(pair.entryFees).minus(exitFees).plus(pair.funding);
}

/**
 * Realized PnL from exit totals over the pair's whole size: long proceeds minus what the long
 * cost, what the short sold for minus what buying it back cost, less all fees, plus funding.
 */
export function realizedFromExits(
  pair: Pick<PairPosition, 'size' | 'long' | 'short' | 'entryFees' | 'funding'>,
  exits: PairExits,
): Decimal {
  const long = exits.longProceeds.minus(pair.long.entryPrice.mul(pair.size));
  const short = pair.short.entryPrice.mul(pair.size).minus(exits.shortCost);
  return long.plus(short).minus(pair.entryFees).minus(exits.fees).plus(pair.funding);
}

export const ZERO = new Decimal(0);

export const NO_EXITS: PairExits = { size: ZERO, longProceeds: ZERO, shortCost: ZERO, fees: ZERO };

/** Size still held on each leg: the whole size less what closing orders already took off. */
export function openSize(pair: Pick<PairPosition, 'size' | 'exits'>): Decimal {
  return pair.exits ? pair.size.minus(pair.exits.size) : pair.size;
}

/** Signed base size the pair holds on each venue market: + long, - short. */
export function legExposures(pair: PairPosition): Array<{ venue: VenueId; symbol: string; size: Decimal }> {
  const size = openSize(pair);
  return [
    { venue: pair.long.venue, symbol: pair.long.symbol, size },
    { venue: pair.short.venue, symbol: pair.short.symbol, size: size.neg() },
  ];
}
