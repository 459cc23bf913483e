/**
 * What the desk's resting quotes and unhedged fills put at risk, for the risk gate and for the
 * desk's own unhedged-exposure limit (`strategies.maker-taker.maxUnhedgedUsd`).
 *
 * A resting quote can fill at its full size without another decision: it counts as if filled,
 * on the maker venue (its side, its limit price) and on the taker venue (the hedge that fill
 * sends, at the hedge walk's worst price). A maker fill not yet hedged is already in the gate's
 * positions (Exposure.applyFills); the hedge it still needs counts here on the taker venue.
 *
 * Unhedged exposure is the USD notional of maker fills whose hedge has not filled (the lots),
 * and "if filled" adds every resting quote's remaining size at its price: the worst case if the
 * market trades through every quote at once while the hedge venue lags.
 */
import { Decimal } from 'decimal.js';
import type { PendingExposureSource, PendingLeg } from '../risk/risk-gate.ts';
import type { QuoteSide } from './quote-price.ts';
import type { QuoteTarget, QuoteVenue } from './quote-target.ts';

export interface RestingQuoteView {
  maker: QuoteVenue;
  taker: QuoteVenue;
  side: QuoteSide;
  /** Size still able to fill (quote size less what filled). */
  remaining: Decimal;
  price: Decimal;
  hedgeWorst: Decimal;
}

export interface UnhedgedLotView {
  taker: QuoteVenue;
  /** The maker fills' side. */
  side: QuoteSide;
  size: Decimal;
  /** Average maker fill price. */
  price: Decimal;
}

export interface QuoteBook {
  quotes(): Iterable<RestingQuoteView>;
  lots(): Iterable<UnhedgedLotView>;
}

const opposite = (s: QuoteSide): QuoteSide => (s === 'buy' ? 'sell' : 'buy');

export class QuoteExposure implements PendingExposureSource {
  constructor(
    private readonly book: QuoteBook,
    /** USD; undefined: no unhedged limit. */
    private readonly maxUnhedgedUsd?: Decimal,
  ) {}

  *pendingLegs(): Iterable<PendingLeg> {
    for (const q of this.book.quotes()) {
      if (q.remaining.lte(0)) continue;
      yield { venue: q.maker.venue, symbol: q.maker.symbol, side: q.side, size: q.remaining, price: q.price };
      yield { venue: q.taker.venue, symbol: q.taker.symbol, side: opposite(q.side), size: q.remaining, price: q.hedgeWorst };
    }
    for (const l of this.book.lots()) {
      if (l.size.lte(0)) continue;
      yield { venue: l.taker.venue, symbol: l.taker.symbol, side: opposite(l.side), size: l.size, price: l.price };
    }
  }

  /** USD of maker fills not hedged yet. */
  unhedgedUsd(): Decimal {
    let n = new Decimal(0);
    for (const l of this.book.lots()) n = n.plus(l.size.mul(l.price));
    return n;
  }

  /** Unhedged USD if every resting quote filled now (and `extra` too). */
  unhedgedIfFilledUsd(extra?: Pick<QuoteTarget, 'size' | 'price'>): Decimal {
    let n = this.unhedgedUsd();
    for (const q of this.book.quotes()) if (q.remaining.gt(0)) n = n.plus(q.remaining.mul(q.price));
    if (extra) n = n.plus(extra.size.mul(extra.price));
    return n;
  }

  /** Why quoting must pause now: the fills already unhedged are over the limit (the hedges lag). */
  hedgesLag(): string | undefined {
    if (!this.maxUnhedgedUsd) return undefined;
    const now = this.unhedgedUsd();
    if (now.lte(this.maxUnhedgedUsd)) return undefined;
    return `hedges lag: ${now.toFixed(2)} USD of maker fills unhedged, over maxUnhedgedUsd ${this.maxUnhedgedUsd.toString()}`;
  }

  /** Why `t` may not be placed: with it and every resting quote filled, unhedged exposure passes the limit. */
  refusal(t: Pick<QuoteTarget, 'size' | 'price'>): string | undefined {
    if (!this.maxUnhedgedUsd) return undefined;
    const after = this.unhedgedIfFilledUsd(t);
    if (after.lte(this.maxUnhedgedUsd)) return undefined;
    return `unhedged exposure if every resting quote filled would be ${after.toFixed(2)} USD, over maxUnhedgedUsd ${this.maxUnhedgedUsd.toString()}`;
  }
}
