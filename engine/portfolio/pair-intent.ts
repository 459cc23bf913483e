/**
 * What a pair-opening strategy may add to an ArbIntent, additively (the core's ArbIntent is
 * unchanged; the Judgment carries the same object through the flow to the pair lifecycle).
 */
import type { Decimal } from 'decimal.js';
import type { Judgment } from '../simulation/execution-simulator.ts';
import type { ArbIntent } from '../strategy/strategy.ts';
import type { ExitPolicy } from './exit-policy.ts';

/** A carry trade's own verdict: the simulator prices only the entry spread, not the funding. */
export interface CarryVerdict {
  decision: 'accept' | 'reject';
  /** Expected carry minus fees and the round-trip spread cost over the horizon (USD). */
  net: Decimal;
}

export interface PairIntentExtras {
  /** How this pair should be closed; otherwise the portfolio config's policy for the strategy. */
  exitPolicy?: ExitPolicy;
  carry?: CarryVerdict;
}

export type PairIntent = ArbIntent & PairIntentExtras;

export function pairExtras(intent: ArbIntent): PairIntentExtras {
  return intent as PairIntent;
}

/**
 * A judgment opens a pair when the simulator accepted it, or, for a carry trade, when its
 * carry verdict accepted it and desync risk was not High (the simulator's net omits funding,
 * so it would reject most carry trades whose books are level).
 */
export function opensPair(j: Judgment): boolean {
  if (j.decision === 'accept') return true;
  const carry = pairExtras(j.intent).carry;
  return carry?.decision === 'accept' && j.decision !== 'skip-high-risk';
}

/** The expected PnL to compare the realized one with. */
export function expectedPnlOf(j: Pick<Judgment, 'intent' | 'net'>): Decimal {
  return pairExtras(j.intent).carry?.net ?? j.net;
}
