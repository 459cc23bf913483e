/**
 * A strategy's own verdict on a candidate the execution simulator does not judge: a funding
 * carry (its entry is decided by the carry, not the spread), a flash-loan cycle. The strategy
 * journals its own record first (its store), then emits the verdict; the console tallies and
 * prints verdicts beside the simulator's judgments, so a strategy that only rejects is not
 * silent ("judged 0" while its table fills).
 */
import type { Decimal } from 'decimal.js';

export interface StrategyVerdict {
  strategy: string;
  /** What the verdict is about in the trader's words: "carry", "flash cycle". */
  kind: string;
  instrument: string;
  decision: 'accept' | 'reject';
  /** One human line with the figures that decided it (no mark, no label: the console adds them). */
  summary: string;
  /** Expected net USD over the verdict's horizon, when the strategy has one. */
  netUsd?: Decimal;
  /** A second line with the cost breakdown, when the strategy has one. */
  detail?: string;
}

export type VerdictListener = (v: StrategyVerdict) => void;

export class Verdicts {
  private readonly listeners: VerdictListener[] = [];

  on(listener: VerdictListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  emit(v: StrategyVerdict): void {
    // A console bug must not stop the strategy that emitted.
    for (const l of this.listeners) {
      try {
        l(v);
      } catch {
        /* the listener's own problem */
      }
    }
  }
}
