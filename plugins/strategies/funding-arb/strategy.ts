/**
 * Funding-rate arbitrage: hold long where funding is cheap and short where it is rich, same
 * instrument, equal size, so price moves cancel and the funding differential is the profit.
 *
 * Entry: on a funding or book update, for each ordered pair of venues listing the instrument,
 * price the carry over the horizon net of fees and round-trip spread (carry.ts); journal the
 * carry judgment; submit an intent when it beats the threshold. The simulator then judges the
 * entry spread as for any intent, and the pair lifecycle opens the pair.
 * Hold and exit: the intent carries its exit policy (close when carry falls below
 * exitBelowApr, optional max hold and price stop); the lifecycle applies it on every update.
 */
import { Decimal } from 'decimal.js';
import type { OrderBook } from '../../../engine/market/book.ts';
import type { VenueId } from '../../../engine/market/types.ts';
import type { CarryJudgment } from '../../../engine/portfolio/carry-journal.ts';
import type { ExitPolicy } from '../../../engine/portfolio/exit-policy.ts';
import type { FundingRate, FundingTracker } from '../../../engine/portfolio/funding-tracker.ts';
import type { PairIntent } from '../../../engine/portfolio/pair-intent.ts';
import type { FeeRates } from '../../../engine/simulation/fees.ts';
import { walkDepth } from '../../../engine/simulation/depth-walk.ts';
import type { IntentLeg, Strategy, StrategyDeps } from '../../../engine/strategy/strategy.ts';
import { judgeCarry, hourlyCarry, type PairQuotes } from './carry.ts';
import type { FundingArbOptions } from './options.ts';

export interface FundingArbDeps extends StrategyDeps {
  funding: FundingTracker;
  fees: { rates(venue: VenueId, symbol: string): FeeRates };
  /** True while a pair on this instrument is open (any direction): hold, do not stack. */
  holds(instrument: string): boolean;
  /** Journal a carry judgment before its intent is submitted. */
  recordCarry?(c: CarryJudgment): void;
}

interface Walked {
  top: Decimal;
  vwap: Decimal;
  worst: Decimal;
}

export class FundingArbStrategy implements Strategy {
  readonly name = 'funding-arb';
  private readonly lastJudged = new Map<string, number>();
  private sequence = 0;
  readonly stats = { evaluations: 0, judged: 0, submitted: 0, thinBook: 0 };
  private readonly exitPolicy: ExitPolicy;

  constructor(
    private readonly deps: FundingArbDeps,
    private readonly options: FundingArbOptions,
  ) {
    const p: ExitPolicy = { minCarryApr: options.exitBelowApr };
    if (options.maxHoldMs !== undefined) p.maxHoldMs = options.maxHoldMs;
    if (options.stopWidening !== undefined) p.stopWidening = options.stopWidening;
    this.exitPolicy = p;
  }

  onBookUpdate(_venue: VenueId, _symbol: string, instrument: string): void {
    this.evaluate(instrument);
  }

  /** Feed from the FundingTracker: a new rate may open a trade before the next book update. */
  onFundingRate(rate: FundingRate): void {
    const instrument = this.deps.instruments.instrumentOf(rate.venue, rate.symbol);
    if (instrument !== undefined) this.evaluate(instrument);
  }

  private evaluate(instrument: string): void {
    const { books, instruments, clock, funding } = this.deps;
    if (this.deps.holds(instrument)) return;
    const now = clock.now();
    const listings = instruments.listings(instrument);
    // Every ordered venue pair whose gross carry alone beats the threshold (a cheap check before
    // touching depth), best carry first: with three venues the first pair that passes is not
    // necessarily the one that pays most.
    const candidates: Array<{ a: (typeof listings)[number]; b: (typeof listings)[number]; longRate: FundingRate; shortRate: FundingRate; carry: Decimal }> = [];
    for (const a of listings) {
      for (const b of listings) {
        if (a.venue === b.venue) continue;
        const longRate = funding.current(a.venue, a.symbol);
        const shortRate = funding.current(b.venue, b.symbol);
        if (!longRate || !shortRate) continue;
        const carry = hourlyCarry(longRate, shortRate);
        if (carry.mul(8760).lt(this.options.minNetApr)) continue;
        candidates.push({ a, b, longRate, shortRate, carry });
      }
    }
    candidates.sort((x, y) => y.carry.comparedTo(x.carry));
    for (const { a, b, longRate, shortRate } of candidates) {
      const lb = books.book(a.venue, a.symbol);
      const sb = books.book(b.venue, b.symbol);
      if (!lb || !sb || !books.isTradable(lb, now) || !books.isTradable(sb, now)) continue;
      const key = `${instrument}|${a.venue}|${b.venue}`;
      const last = this.lastJudged.get(key);
      if (last !== undefined && now - last < this.options.cooldownMs) continue;
      this.stats.evaluations++;
      this.lastJudged.set(key, now);
      if (this.consider(instrument, lb, sb, longRate, shortRate, now)) return; // one pair per instrument
    }
  }

  private consider(instrument: string, lb: OrderBook, sb: OrderBook, longRate: FundingRate, shortRate: FundingRate, now: number): boolean {
    const size = this.sizeFor(instrument, lb, sb);
    if (size.lte(0)) return false;
    const longAsk = walk(lb, 'asks', size);
    const longBid = walk(lb, 'bids', size);
    const shortBid = walk(sb, 'bids', size);
    const shortAsk = walk(sb, 'asks', size);
    if (!longAsk || !longBid || !shortBid || !shortAsk) {
      this.stats.thinBook++;
      return false;
    }
    const quotes: PairQuotes = { longAsk: longAsk.vwap, longBid: longBid.vwap, shortBid: shortBid.vwap, shortAsk: shortAsk.vwap };
    const intentId = `${this.deps.idPrefix ?? ''}fund-${now}-${++this.sequence}`;
    const carry = judgeCarry({
      intentId,
      instrument,
      size,
      quotes,
      long: longRate,
      short: shortRate,
      longTaker: this.deps.fees.rates(lb.market.venue, lb.market.symbol).taker,
      shortTaker: this.deps.fees.rates(sb.market.venue, sb.market.symbol).taker,
      horizonHours: this.options.horizonHours,
      minNetApr: this.options.minNetApr,
      now,
    });
    this.stats.judged++;
    this.deps.recordCarry?.(carry);
    this.deps.verdict?.({
      strategy: this.name,
      kind: 'carry',
      instrument,
      decision: carry.decision,
      netUsd: carry.net,
      summary:
        `long ${carry.long.venue} / short ${carry.short.venue} | funding ${aprPct(carry.carryApr)} APR → net ${aprPct(carry.netApr)} APR ` +
        `over ${carry.horizonHours} h (${usdText(carry.net)} on ${usdText(carry.notional)}) | needs ${aprPct(this.options.minNetApr)}`,
    });
    if (carry.decision !== 'accept') return false;
    const intent: PairIntent = {
      id: intentId,
      strategy: this.name,
      instrument,
      size,
      buy: leg(lb, 'buy', longAsk),
      sell: leg(sb, 'sell', shortBid),
      spread: shortBid.top.minus(longAsk.top).div(longAsk.top),
      executableSpread: shortBid.vwap.minus(longAsk.vwap).div(longAsk.vwap),
      detectedAt: now,
      exitPolicy: this.exitPolicy,
      carry: { decision: carry.decision, net: carry.net },
    };
    this.stats.submitted++;
    this.deps.submit(intent);
    return true;
  }

  private sizeFor(instrument: string, a: OrderBook, b: OrderBook): Decimal {
    const step = Decimal.max(new Decimal(a.market.sizeIncrement), new Decimal(b.market.sizeIncrement));
    const ask = a.asks.best();
    if (ask === undefined) return new Decimal(0);
    const price = new Decimal(ask).div(new Decimal(10).pow(a.market.priceDecimals));
    const raw = this.options.size.get(instrument) ?? this.options.notionalUsd.div(price);
    const size = raw.div(step).floor().mul(step);
    for (const m of [a.market, b.market]) if (m.minSize && size.lt(m.minSize)) return new Decimal(0);
    return size;
  }
}

/** Display only (the journal keeps the exact figures). */
function aprPct(fraction: Decimal): string {
  return `${fraction.mul(100).toFixed(2)}%`;
}

function usdText(d: Decimal): string {
  const cents = d.toDecimalPlaces(2);
  return cents.isNegative() && !cents.isZero() ? `-$${cents.abs().toFixed(2)}` : `$${cents.abs().toFixed(2)}`;
}

function walk(book: OrderBook, side: 'bids' | 'asks', size: Decimal): Walked | undefined {
  const ps = new Decimal(10).pow(book.market.priceDecimals);
  const units = size.mul(new Decimal(10).pow(book.market.sizeDecimals));
  const top = book[side].best();
  if (top === undefined || !units.isInteger()) return undefined;
  const w = walkDepth(book[side], units.toNumber());
  if (!w.complete) return undefined;
  return { top: new Decimal(top).div(ps), vwap: w.averagePrice.div(ps), worst: new Decimal(w.worstPrice).div(ps) };
}

function leg(book: OrderBook, side: 'buy' | 'sell', w: Walked): IntentLeg {
  return {
    venue: book.market.venue,
    symbol: book.market.symbol,
    side,
    topPrice: w.top,
    expectedPrice: w.vwap,
    worstPrice: w.worst,
    bookReceivedAt: book.receivedAt,
    bookVenueTime: book.venueTime,
  };
}
