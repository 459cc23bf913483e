/**
 * What a strategy emits: a two-leg spread candidate, priced and sized. Its own file so the layers
 * that price and journal it (simulation, journal) need not import the strategy contract.
 */
import type { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';

export interface IntentLeg {
  venue: VenueId;
  symbol: string;
  side: 'buy' | 'sell';
  /** Best price at detection (top of book). */
  topPrice: Decimal;
  /** Volume-weighted price for the intent size, walking the book. */
  expectedPrice: Decimal;
  /** Worst price the walk touched: the IOC limit, before any protective band. */
  worstPrice: Decimal;
  /** Book age and venue time when detected, for desync risk. */
  bookReceivedAt: number;
  bookVenueTime: number;
}

export interface ArbIntent {
  id: string;
  strategy: string;
  instrument: string;
  /** Base-asset size of both legs. */
  size: Decimal;
  buy: IntentLeg;
  sell: IntentLeg;
  /** (sell top - buy top) / buy top, as a fraction. */
  spread: Decimal;
  /** (sell VWAP - buy VWAP) / buy VWAP for the intent size: what the threshold applies to. */
  executableSpread: Decimal;
  detectedAt: number;
}
