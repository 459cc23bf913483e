/**
 * Strategy contract. A strategy reads books and emits intents; it never calls a venue.
 */
import type { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
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

export interface StrategyDeps {
  readonly options: unknown;
  readonly optionsPath: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly books: import('../market/hub.ts').BookReader;
  readonly instruments: import('../market/instruments.ts').InstrumentMap;
  /** Hand a candidate to the pipeline (simulator, journal, then the executor in live mode). */
  submit(intent: ArbIntent): void;
  /** True only in live mode (the CLI switch and `mode: live`); the engine always sets it. */
  readonly live?: boolean;
  /** The engine's journal, for strategies that record judgments of their own kind; the engine always sets it. */
  readonly journal?: import('../journal/journal.ts').Journal;
  /** Print a line on the trader's console (for judgments that bypass the execution simulator). */
  announce?(line: string): void;
}

export interface Strategy {
  readonly name: string;
  /** Called after every applied book update for a market this engine tracks. */
  onBookUpdate(venue: VenueId, symbol: string, instrument: string): void;
  stop?(): void;
}

export interface StrategyFactory {
  readonly name: string;
  create(deps: StrategyDeps): Strategy;
}
