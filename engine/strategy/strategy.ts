/**
 * Strategy contract. A strategy reads books and emits intents; it never calls a venue.
 */
import type { Clock } from '../core/clock.ts';
import type { Logger } from '../core/logger.ts';
import type { VenueId } from '../market/types.ts';

export type { ArbIntent, IntentLeg } from './intent.ts';
import type { ArbIntent } from './intent.ts';

export interface StrategyDeps {
  readonly options: unknown;
  readonly optionsPath: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly books: import('../market/hub.ts').BookReader;
  readonly instruments: import('../market/instruments.ts').InstrumentMap;
  /**
   * Put in front of every intent id this strategy makes: the engine id and "/" when the journal is
   * a PostgreSQL database shared by several engines (ids are unique keys there), else empty, so a
   * lone engine's ids, and a replay's, stay as they were.
   */
  readonly idPrefix?: string;
  /** Hand a candidate to the pipeline (simulator, journal, then the executor in live mode). */
  submit(intent: ArbIntent): void;
  /** True only in live mode (the CLI switch and `mode: live`); the engine always sets it. */
  readonly live?: boolean;
  /** The engine's journal, for strategies that record judgments of their own kind; the engine always sets it. */
  readonly journal?: import('../journal/journal.ts').Journal;
  /** Print a line on the trader's console (for judgments that bypass the execution simulator). */
  announce?(line: string): void;
  /** Report a verdict the execution simulator did not make (a carry, a flash cycle): tallied and shown on the console. */
  verdict?(v: import('./verdicts.ts').StrategyVerdict): void;
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
