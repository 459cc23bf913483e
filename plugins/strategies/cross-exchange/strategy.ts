/**
 * Cross-exchange spread detection (the first design's flow). On each book update, for every
 * other venue listing the same instrument and both directions, compare top of book; where the
 * top spread could clear the threshold, size the trade, walk both books for that size, and
 * submit an intent when the executable spread clears the threshold.
 */
import { Decimal } from 'decimal.js';
import type { OrderBook } from '../../../engine/market/book.ts';
import type { VenueId } from '../../../engine/market/types.ts';
import { walkDepth } from '../../../engine/simulation/depth-walk.ts';
import type { ArbIntent, IntentLeg, Strategy, StrategyDeps } from '../../../engine/strategy/strategy.ts';
import type { CrossExchangeOptions } from './options.ts';

/** Threshold and prices compared as integers: fraction scaled by 1e8. */
const THRESHOLD_SCALE = 100_000_000n;
const POW10 = Array.from({ length: 30 }, (_, i) => 10n ** BigInt(i));
const POW10_NUMBER = Array.from({ length: 30 }, (_, i) => 10 ** i);
/**
 * 10^-d as Decimals: multiplying by one gives the same Decimal as dividing by 10^d (a power of
 * ten only moves the exponent; both round the same exact value), at a fraction of the cost.
 */
const UNSCALE = Array.from({ length: 30 }, (_, i) => new Decimal(10).pow(-i));
/**
 * The float pre-screen's margin: a top spread this far (relative) below the threshold is below
 * it exactly too. Doubles carry ~1e-16 relative error per operation and the screen does four.
 */
const SCREEN_MARGIN = 1e-9;

export class CrossExchangeStrategy implements Strategy {
  readonly name = 'cross-exchange';
  private readonly thresholdUnits: bigint;
  /** The exact threshold (thresholdUnits / 1e8) as a double, for the pre-screen only. */
  private readonly thresholdFloat: number;
  /** Size step per venue pair (the coarser of the two), made once. */
  private readonly steps = new Map<string, Decimal>();
  private readonly lastSubmitted = new Map<string, number>();
  private sequence = 0;
  /** Book updates evaluated and candidates found, for the session summary. */
  readonly stats = { evaluations: 0, candidates: 0, thinBook: 0 };

  constructor(
    private readonly deps: StrategyDeps,
    private readonly options: CrossExchangeOptions,
  ) {
    this.thresholdUnits = BigInt(options.threshold.mul(THRESHOLD_SCALE.toString()).floor().toFixed(0));
    this.thresholdFloat = Number(this.thresholdUnits) / Number(THRESHOLD_SCALE);
  }

  onBookUpdate(venue: VenueId, symbol: string, instrument: string): void {
    const { books, instruments, clock } = this.deps;
    const now = clock.now();
    const here = books.book(venue, symbol);
    if (!here || !books.isTradable(here, now)) return;
    for (const other of instruments.listings(instrument)) {
      if (other.venue === venue) continue;
      const there = books.book(other.venue, other.symbol);
      if (!there || !books.isTradable(there, now)) continue;
      this.stats.evaluations++;
      this.consider(instrument, here, there, now);
      this.consider(instrument, there, here, now);
    }
  }

  /** Buy on `buyBook` (its asks), sell on `sellBook` (its bids). */
  private consider(instrument: string, buyBook: OrderBook, sellBook: OrderBook, now: number): void {
    const ask = buyBook.asks.best();
    const bid = sellBook.bids.best();
    if (ask === undefined || bid === undefined) return;
    const bm = buyBook.market;
    const sm = sellBook.market;
    const pd = Math.max(bm.priceDecimals, sm.priceDecimals);
    // The top spread bounds the executable one: most updates stop here without touching depth.
    // Screened in doubles first (no BigInt allocated on the common path); only a spread within
    // the margin of the threshold, or above it, is decided exactly in integers below.
    const askF = ask * POW10_NUMBER[pd - bm.priceDecimals]!;
    const bidF = bid * POW10_NUMBER[pd - sm.priceDecimals]!;
    if ((bidF - askF) / askF < this.thresholdFloat - SCREEN_MARGIN) return;
    const askC = BigInt(ask) * POW10[pd - bm.priceDecimals]!;
    const bidC = BigInt(bid) * POW10[pd - sm.priceDecimals]!;
    if ((bidC - askC) * THRESHOLD_SCALE < this.thresholdUnits * askC) return;

    const key = `${instrument}|${bm.venue}|${sm.venue}`;
    const last = this.lastSubmitted.get(key);
    if (last !== undefined && now - last < this.options.cooldownMs) return;

    const buyTop = unitsToDecimal(ask, bm.priceDecimals);
    const size = this.sizeFor(instrument, buyTop, buyBook, sellBook);
    if (size.lte(0)) return;
    const buyWalk = walkDepth(buyBook.asks, size.mul(POW10[bm.sizeDecimals]!.toString()).toNumber());
    const sellWalk = walkDepth(sellBook.bids, size.mul(POW10[sm.sizeDecimals]!.toString()).toNumber());
    if (!buyWalk.complete || !sellWalk.complete) {
      this.stats.thinBook++;
      return;
    }
    const buyAvg = buyWalk.averagePrice.times(UNSCALE[bm.priceDecimals]!);
    const sellAvg = sellWalk.averagePrice.times(UNSCALE[sm.priceDecimals]!);
    const executableSpread = sellAvg.minus(buyAvg).div(buyAvg);
    if (executableSpread.lt(this.options.threshold)) return;

    const sellTop = unitsToDecimal(bid, sm.priceDecimals);
    this.lastSubmitted.set(key, now);
    this.stats.candidates++;
    const intent: ArbIntent = {
      id: `${this.deps.idPrefix ?? ''}xex-${now}-${++this.sequence}`,
      strategy: this.name,
      instrument,
      size,
      buy: leg(buyBook, 'buy', buyTop, buyAvg, unitsToDecimal(buyWalk.worstPrice, bm.priceDecimals)),
      sell: leg(sellBook, 'sell', sellTop, sellAvg, unitsToDecimal(sellWalk.worstPrice, sm.priceDecimals)),
      spread: sellTop.minus(buyTop).div(buyTop),
      executableSpread,
      detectedAt: now,
    };
    this.deps.submit(intent);
  }

  /** Configured base size, or the notional at the buy price, rounded down to both venues' size step. */
  private sizeFor(instrument: string, buyTop: Decimal, a: OrderBook, b: OrderBook): Decimal {
    const stepKey = `${a.market.venue}|${a.market.symbol}|${b.market.venue}|${b.market.symbol}`;
    let step = this.steps.get(stepKey);
    if (!step) this.steps.set(stepKey, (step = Decimal.max(new Decimal(a.market.sizeIncrement), new Decimal(b.market.sizeIncrement))));
    const raw = this.options.size.get(instrument) ?? this.options.notionalUsd.div(buyTop);
    const size = raw.div(step).floor().mul(step);
    for (const m of [a.market, b.market]) if (m.minSize && size.lt(m.minSize)) return new Decimal(0);
    return size;
  }
}

function unitsToDecimal(units: number, decimals: number): Decimal {
  return new Decimal(units).times(UNSCALE[decimals]!);
}

function leg(book: OrderBook, side: 'buy' | 'sell', top: Decimal, expected: Decimal, worst: Decimal): IntentLeg {
  return {
    venue: book.market.venue,
    symbol: book.market.symbol,
    side,
    topPrice: top,
    expectedPrice: expected,
    worstPrice: worst,
    bookReceivedAt: book.receivedAt,
    bookVenueTime: book.venueTime,
  };
}
