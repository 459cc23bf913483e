/**
 * Maker fills of one (instrument, side, maker venue, taker venue) not yet hedged. Fills too
 * small for the taker venue's minimum stay here and add up until a hedge can be sent (the
 * hummingbot#855 / #6431 failure: a partial below the hedge minimum left unhedged for good).
 * Pure bookkeeping: what is taken for a hedge carries its share of the maker notional and fees,
 * so each hedge's PnL estimate is exact.
 */
import { Decimal } from 'decimal.js';
import type { Fill } from '../exchange/orders.ts';
import type { MarketInfo } from '../market/types.ts';

export interface LotPortion {
  size: Decimal;
  /** Maker notional and fees of this size (pro rata of what the lot held). */
  notional: Decimal;
  fees: Decimal;
  /** Size × the hedge price each fill's quote was priced on (pro rata): the hedge's expected price is this over size. */
  expectedNotional: Decimal;
  /** The quote (journal trade) of the newest fill in the lot: the hedge is journaled there. */
  tradeId: string;
  /** Monotonic time the engine saw the newest fill in the lot (hedge latency starts here). */
  seenMono: number;
}

export class HedgeLot {
  size = new Decimal(0);
  private notional = new Decimal(0);
  private fees = new Decimal(0);
  private expectedNotional = new Decimal(0);
  private tradeId = '';
  private seenMono = 0;
  /** Monotonic time of the oldest fill still unhedged: maxUnhedgedMs counts from here. */
  oldestMono: number | undefined;
  /** Every journal trade that put a fill here since the lot was last flat. */
  readonly trades = new Set<string>();

  /** `expectedHedgePrice`: the hedge walk the fill's quote was priced on (default: the fill's own price). */
  add(fill: Fill, tradeId: string, seenMono: number, expectedHedgePrice: Decimal = fill.price): void {
    if (this.size.isZero()) this.oldestMono = seenMono;
    this.size = this.size.plus(fill.size);
    this.expectedNotional = this.expectedNotional.plus(expectedHedgePrice.mul(fill.size));
    this.notional = this.notional.plus(fill.price.mul(fill.size));
    this.fees = this.fees.plus(fill.fee);
    this.tradeId = tradeId;
    this.seenMono = seenMono;
    this.trades.add(tradeId);
  }

  /** Average maker price of what the lot holds. */
  get averagePrice(): Decimal {
    return this.size.isZero() ? new Decimal(0) : this.notional.div(this.size);
  }

  take(size: Decimal): LotPortion {
    const share = size.div(this.size);
    const portion: LotPortion = {
      size,
      notional: this.notional.mul(share),
      fees: this.fees.mul(share),
      expectedNotional: this.expectedNotional.mul(share),
      tradeId: this.tradeId,
      seenMono: this.seenMono,
    };
    this.size = this.size.minus(size);
    this.expectedNotional = this.expectedNotional.minus(portion.expectedNotional);
    this.notional = this.notional.minus(portion.notional);
    this.fees = this.fees.minus(portion.fees);
    if (this.size.isZero()) this.oldestMono = undefined;
    return portion;
  }

  /** A hedge that closed less than it took: the rest is unhedged again, at the portion's prices. */
  giveBack(portion: LotPortion, size: Decimal, seenMono: number): void {
    if (size.lte(0)) return;
    const share = size.div(portion.size);
    if (this.size.isZero()) this.oldestMono = seenMono;
    this.size = this.size.plus(size);
    this.notional = this.notional.plus(portion.notional.mul(share));
    this.fees = this.fees.plus(portion.fees.mul(share));
    this.expectedNotional = this.expectedNotional.plus(portion.expectedNotional.mul(share));
  }
}

/**
 * The size of `unhedged` the taker venue accepts now: rounded down to its step, zero while
 * below its minimum size or minimum notional at `price`.
 */
export function hedgeableSize(unhedged: Decimal, market: Pick<MarketInfo, 'sizeIncrement' | 'minSize' | 'minNotional'> | undefined, price: Decimal): Decimal {
  if (!market) return unhedged;
  const step = new Decimal(market.sizeIncrement);
  const size = step.gt(0) ? unhedged.div(step).floor().mul(step) : unhedged;
  if (size.lte(0)) return new Decimal(0);
  if (market.minSize !== undefined && size.lt(market.minSize)) return new Decimal(0);
  if (market.minNotional !== undefined && size.mul(price).lt(market.minNotional)) return new Decimal(0);
  return size;
}
