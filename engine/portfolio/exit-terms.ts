/**
 * The words of an exit policy (why a pair closes, the thresholds that decide it), apart from the
 * policy's logic so a pair's own types can name them without importing the logic that reads pairs.
 */
import type { Decimal } from 'decimal.js';

export type ExitReason = 'converged' | 'stop' | 'max-hold' | 'funding' | 'manual' | 'reconcile';

export interface ExitPolicy {
  /** Close when the exit spread is at or below this fraction (0.0005 = 5 bp). */
  exitSpread?: Decimal;
  /** Close when the exit spread has widened this far past the entry spread (fraction). */
  stopWidening?: Decimal;
  /** Close after holding this long (ms). */
  maxHoldMs?: number;
  /**
   * Close when the pair's annualized funding carry falls below this (fraction per year).
   * Negative for a spread trade ("funding turned against us by more than X"), positive for a
   * funding trade ("it stopped paying").
   */
  minCarryApr?: Decimal;
}
