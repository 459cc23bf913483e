/**
 * What a quoting strategy asks of the engine: the quote it wants resting per instrument and
 * side. The strategy prices it from books (quote-price.ts); only the engine's quote desk, built
 * in live mode from the order gateways, can place it. A strategy never calls a venue.
 */
import type { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';
import type { QuoteSide, Walked } from './quote-price.ts';

export interface QuoteVenue {
  venue: VenueId;
  symbol: string;
}

export interface QuoteTarget {
  instrument: string;
  side: QuoteSide;
  size: Decimal;
  /** Post-only limit price on the maker venue (on its tick, never crossing its book when priced). */
  price: Decimal;
  maker: QuoteVenue;
  /** Where a fill is hedged as taker. */
  taker: QuoteVenue;
  /** The hedge side's walk the price came from: reprice decisions and the hedge's band start here. */
  hedge: Walked;
  /** Edge left at `price` if hedged at `hedge.vwap`, fraction of notional. */
  edge: Decimal;
}

/** The quote desk as a strategy sees it. */
export interface QuotePort {
  /** The quote wanted now for (instrument, side); undefined means none (cancel any resting). */
  want(instrument: string, side: QuoteSide, target: QuoteTarget | undefined): void;
  /** Cancel every quote and hedge what filled; resolves when nothing of the desk is left in flight. */
  stop(reason: string): Promise<void>;
}

/** The desk's rules, from the strategy's options. */
export interface QuoteRules {
  maxRestingQuotes: number;
  minQuoteLifeMs: number;
  /** Fraction (0.0002 = 2 bps). */
  reprice: Decimal;
  maxUnhedgedMs: number;
  hedgeBandBps: number;
  /** USD of maker fills unhedged (resting quotes counted as if filled) above which quoting waits; undefined: no limit. */
  maxUnhedgedUsd?: Decimal;
  /** A resting quote's REST status poll interval on this venue, ms, when no push came (fill-poller.ts). */
  statusPollMs?(venue: VenueId): number;
}

/** A strategy that quotes: the engine gives it a desk in live mode (engine/quoting/attach.ts). */
export interface QuotingStrategy {
  readonly quoteRules: QuoteRules;
  attachDesk(desk: QuotePort): void;
}

export function isQuotingStrategy(s: object): s is QuotingStrategy {
  return 'quoteRules' in s && typeof (s as { attachDesk?: unknown }).attachDesk === 'function';
}
