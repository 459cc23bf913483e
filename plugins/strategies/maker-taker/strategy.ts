/**
 * Maker-taker: rest a post-only quote on the maker venue priced off the hedge venue's depth, and
 * hedge each fill there as taker. This strategy only prices: on every book update of a quoted
 * instrument it works out the quote each side wants (engine/quoting/quote-price.ts) and hands it
 * to the engine's quote desk (live), which places, replaces, cancels and hedges. In dry-run
 * there is no desk: the strategy says what it would quote, once per change that would reprice.
 */
import { Decimal } from 'decimal.js';
import type { OrderBook } from '../../../engine/market/book.ts';
import type { VenueId } from '../../../engine/market/types.ts';
import { bookLevels } from '../../../engine/quoting/quote-desk.ts';
import { needsReprice, priceQuote, type QuoteSide } from '../../../engine/quoting/quote-price.ts';
import type { QuotePort, QuoteRules, QuoteTarget, QuotingStrategy } from '../../../engine/quoting/quote-target.ts';
import type { FeeRates } from '../../../engine/simulation/fees.ts';
import type { Strategy, StrategyDeps } from '../../../engine/strategy/strategy.ts';
import type { MakerTakerOptions } from './options.ts';

export interface MakerTakerDeps extends StrategyDeps {
  fees: { rates(venue: VenueId, symbol: string): FeeRates };
  /** Gas per order on a venue, USD. */
  gasUsd(venue: VenueId): Decimal;
}

export class MakerTakerStrategy implements Strategy, QuotingStrategy {
  readonly name = 'maker-taker';
  readonly quoteRules: QuoteRules;
  private desk: QuotePort | undefined;
  private readonly quoted: Set<string>;
  /** Dry-run: the last quote said per instrument and side, so a line is printed only when it would reprice. */
  private readonly said = new Map<string, { target: QuoteTarget; at: number } | undefined>();
  readonly stats = { evaluations: 0, targets: 0, noTarget: 0 };

  constructor(
    private readonly deps: MakerTakerDeps,
    private readonly options: MakerTakerOptions,
  ) {
    this.quoted = new Set(options.instruments);
    this.quoteRules = {
      maxRestingQuotes: options.maxRestingQuotes,
      minQuoteLifeMs: options.minQuoteLifeMs,
      reprice: options.reprice,
      maxUnhedgedMs: options.maxUnhedgedMs,
      hedgeBandBps: options.hedgeBandBps,
      maxUnhedgedUsd: options.maxUnhedgedUsd,
      statusPollMs: options.statusPollMs,
    };
  }

  attachDesk(desk: QuotePort): void {
    this.desk = desk;
  }

  onBookUpdate(_venue: VenueId, _symbol: string, instrument: string): void {
    if (!this.quoted.has(instrument)) return;
    this.stats.evaluations++;
    for (const side of this.options.sides) {
      const target = this.target(instrument, side);
      if (target) this.stats.targets++;
      else this.stats.noTarget++;
      if (this.desk) this.desk.want(instrument, side, target);
      else this.sayDryRun(instrument, side, target);
    }
  }

  stop(): void {
    // The engine's attach stops the desk first and waits for it; this covers an engine stopped directly.
    void this.desk?.stop('strategy stopped');
  }

  /** The quote this side wants now, or undefined (a stale book, no edge-leaving price, a thin hedge book). */
  target(instrument: string, side: QuoteSide): QuoteTarget | undefined {
    const { books, instruments, clock } = this.deps;
    const now = clock.now();
    const listings = instruments.listings(instrument);
    const makerListing = listings.find((l) => l.venue === this.options.makerVenue);
    if (!makerListing) return undefined;
    const makerBook = books.book(makerListing.venue, makerListing.symbol);
    if (!makerBook || !books.isTradable(makerBook, now)) return undefined;
    const size = this.sizeFor(instrument, makerBook);
    if (!size) return undefined;
    const takers = this.options.takerVenue ? listings.filter((l) => l.venue === this.options.takerVenue) : listings.filter((l) => l.venue !== this.options.makerVenue);
    const makerFee = this.deps.fees.rates(makerListing.venue, makerListing.symbol).maker;
    const opposite = makerBook[side === 'buy' ? 'asks' : 'bids'].best();
    let best: QuoteTarget | undefined;
    for (const t of takers) {
      const hedgeBook = books.book(t.venue, t.symbol);
      if (!hedgeBook || !books.isTradable(hedgeBook, now)) continue;
      const r = priceQuote({
        side,
        size,
        hedgeLevels: bookLevels(hedgeBook, side === 'buy' ? 'bids' : 'asks', size),
        makerFee,
        takerFee: this.deps.fees.rates(t.venue, t.symbol).taker,
        gasUsd: this.deps.gasUsd(makerListing.venue).plus(this.deps.gasUsd(t.venue)),
        minEdge: this.options.minEdge,
        tickSize: new Decimal(makerBook.market.tickSize),
        ...(opposite !== undefined ? { makerOpposite: new Decimal(opposite).div(new Decimal(10).pow(makerBook.market.priceDecimals)) } : {}),
      });
      if (!r.ok) continue;
      // "best": the taker venue whose walk lets the quote rest most aggressively.
      if (best && (side === 'buy' ? r.quote.price.lte(best.price) : r.quote.price.gte(best.price))) continue;
      best = {
        instrument,
        side,
        size,
        price: r.quote.price,
        maker: { venue: makerListing.venue, symbol: makerListing.symbol },
        taker: { venue: t.venue, symbol: t.symbol },
        hedge: r.quote.hedge,
        edge: r.quote.edge,
      };
    }
    return best;
  }

  private sizeFor(instrument: string, makerBook: OrderBook): Decimal | undefined {
    const raw = this.options.quoteSize(instrument);
    if (!raw) return undefined;
    const step = new Decimal(makerBook.market.sizeIncrement);
    const size = step.gt(0) ? raw.div(step).floor().mul(step) : raw;
    if (size.lte(0) || (makerBook.market.minSize !== undefined && size.lt(makerBook.market.minSize))) return undefined;
    return size;
  }

  private sayDryRun(instrument: string, side: QuoteSide, target: QuoteTarget | undefined): void {
    const key = `${instrument}|${side}`;
    const last = this.said.get(key);
    const now = this.deps.clock.now();
    if (!target) {
      if (last) this.deps.announce?.(`[DRY-RUN] would cancel the ${instrument} ${last.target.maker.venue} ${side} quote (no edge-leaving price on fresh books)`);
      this.said.set(key, undefined);
      return;
    }
    if (last && !needsReprice({ side, hedgeVwap: last.target.hedge.vwap, placedAt: last.at }, target.hedge.vwap, now, this.quoteRules)) return;
    this.said.set(key, { target, at: now });
    this.deps.announce?.(
      `[DRY-RUN] 🎯 would quote ${instrument} ${target.maker.venue} ${side} ${target.size.toString()} @ ${target.price.toFixed()} post-only | hedge ${side === 'buy' ? 'sell' : 'buy'} ${target.taker.venue} walk ${target.hedge.vwap.toDecimalPlaces(4).toString()} | edge ${target.edge.mul(100).toFixed(3)}%`,
    );
  }
}
