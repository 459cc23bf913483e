/**
 * Where a post-only maker quote rests, priced from the hedge venue. Pure: no book objects, no
 * clock, only Decimal levels, so every figure can be checked by hand.
 *
 * A buy quote on the maker venue is hedged by selling on the taker venue into its bids; the
 * quote must leave the required edge after both fees and the gas of both orders:
 *
 *   buy:  H·(1 − fT) − Q·(1 + fM) − g/s  ≥  e·Q   →   Q ≤ (H·(1 − fT) − g/s) / (1 + fM + e)
 *   sell: Q·(1 − fM) − H·(1 + fT) − g/s  ≥  e·Q   →   Q ≥ (H·(1 + fT) + g/s) / (1 − fM − e)
 *
 * H is the hedge side's volume-weighted price walked for the quote size (not its top: a hedge of
 * the whole size pays the depth), fM / fT the maker and taker fee rates, g the gas of both orders
 * in USD, s the size, e the minimum edge as a fraction of the quote's notional.
 */
import { Decimal } from 'decimal.js';

export type QuoteSide = 'buy' | 'sell';

export interface PriceLevel {
  price: Decimal;
  size: Decimal;
}

export interface Walked {
  /** Volume-weighted price for the whole size. */
  vwap: Decimal;
  /** The last level the walk touched (the hedge IOC's band starts here). */
  worst: Decimal;
}

/** Walk best-first levels for `size`; undefined when they hold less than that. */
export function walkLevels(levels: readonly PriceLevel[], size: Decimal): Walked | undefined {
  if (size.lte(0)) return undefined;
  let left = size;
  let notional = new Decimal(0);
  for (const l of levels) {
    const take = Decimal.min(left, l.size);
    notional = notional.plus(take.mul(l.price));
    left = left.minus(take);
    if (left.lte(0)) return { vwap: notional.div(size), worst: l.price };
  }
  return undefined;
}

export interface QuoteInputs {
  /** The maker quote's side. */
  side: QuoteSide;
  size: Decimal;
  /** The hedge venue's side the hedge takes from, best first: bids for a buy quote, asks for a sell quote. */
  hedgeLevels: readonly PriceLevel[];
  makerFee: Decimal;
  takerFee: Decimal;
  /** Gas of the maker order and the hedge together, USD. */
  gasUsd: Decimal;
  minEdge: Decimal;
  /** The maker venue's price step. */
  tickSize: Decimal;
  /** The maker venue's best opposite price (best ask for a buy quote, best bid for a sell quote), if any. */
  makerOpposite?: Decimal;
}

export interface PricedQuote {
  price: Decimal;
  hedge: Walked;
  /** The edge the quote leaves at `price` if hedged at `hedge.vwap`, fraction of the quote's notional. */
  edge: Decimal;
  /** True when the edge price would have crossed the maker book: the quote sits one tick inside instead. */
  heldBack: boolean;
}

export type QuoteDecision = { ok: true; quote: PricedQuote } | { ok: false; reason: string };

export function priceQuote(q: QuoteInputs): QuoteDecision {
  const hedge = walkLevels(q.hedgeLevels, q.size);
  if (!hedge) return { ok: false, reason: `hedge book too thin for ${q.size.toString()}` };
  if (q.tickSize.lte(0)) return { ok: false, reason: 'maker tick size is not positive' };
  const gasPerUnit = q.gasUsd.div(q.size);
  let price: Decimal;
  if (q.side === 'buy') {
    const raw = hedge.vwap.mul(Decimal.sub(1, q.takerFee)).minus(gasPerUnit).div(Decimal.add(1, q.makerFee).plus(q.minEdge));
    // Away from crossing: a buy rounds down (it can only gain edge).
    price = raw.div(q.tickSize).floor().mul(q.tickSize);
  } else {
    const denominator = Decimal.sub(1, q.makerFee).minus(q.minEdge);
    if (denominator.lte(0)) return { ok: false, reason: 'maker fee plus edge leave nothing to sell at' };
    const raw = hedge.vwap.mul(Decimal.add(1, q.takerFee)).plus(gasPerUnit).div(denominator);
    price = raw.div(q.tickSize).ceil().mul(q.tickSize);
  }
  let heldBack = false;
  // Post-only: a price at or through the maker venue's opposite best would be refused (or take);
  // one tick inside it is further from crossing than the edge price, so the edge only grows.
  if (q.makerOpposite !== undefined) {
    if (q.side === 'buy' && price.gte(q.makerOpposite)) {
      price = q.makerOpposite.minus(q.tickSize);
      heldBack = true;
    } else if (q.side === 'sell' && price.lte(q.makerOpposite)) {
      price = q.makerOpposite.plus(q.tickSize);
      heldBack = true;
    }
  }
  if (price.lte(0)) return { ok: false, reason: 'no positive price leaves the edge' };
  return { ok: true, quote: { price, hedge, edge: edgeAt(q.side, price, hedge.vwap, q), heldBack } };
}

/** The edge a quote at `price` leaves when hedged at `hedgePrice`, fraction of the quote's notional. */
export function edgeAt(side: QuoteSide, price: Decimal, hedgePrice: Decimal, q: Pick<QuoteInputs, 'size' | 'makerFee' | 'takerFee' | 'gasUsd'>): Decimal {
  const gasPerUnit = q.gasUsd.div(q.size);
  const perUnit =
    side === 'buy'
      ? hedgePrice.mul(Decimal.sub(1, q.takerFee)).minus(price.mul(Decimal.add(1, q.makerFee))).minus(gasPerUnit)
      : price.mul(Decimal.sub(1, q.makerFee)).minus(hedgePrice.mul(Decimal.add(1, q.takerFee))).minus(gasPerUnit);
  return perUnit.div(price);
}

export interface RestingQuoteView {
  side: QuoteSide;
  /** The hedge walked price the resting quote was priced on. */
  hedgeVwap: Decimal;
  placedAt: number;
}

/**
 * Whether a resting quote must be replaced: the hedge venue's walked price moved more than
 * `reprice` (fraction) from the one it was priced on, and either the quote has rested
 * `minQuoteLifeMs` or the move ate into its edge (an adverse move never waits: the quote would
 * fill at a loss). Small moves keep the quote: each replace costs rate limit and queue place.
 */
export function needsReprice(q: RestingQuoteView, hedgeVwapNow: Decimal, now: number, rules: { reprice: Decimal; minQuoteLifeMs: number }): boolean {
  const move = hedgeVwapNow.minus(q.hedgeVwap).div(q.hedgeVwap);
  if (move.abs().lte(rules.reprice)) return false;
  // A buy quote is hedged by a sell: a falling hedge price is adverse. A sell quote: a rising one.
  const adverse = q.side === 'buy' ? move.lt(0) : move.gt(0);
  return adverse || now - q.placedAt >= rules.minQuoteLifeMs;
}
