/**
 * Console lines for strategies' own verdicts (engine/strategy/verdicts.ts): a funding carry or
 * a flash cycle judged by its strategy, not by the execution simulator. Counted per strategy
 * and kind, shown in the periodic summary and the session summary beside the simulator's.
 */
import type { Decimal } from 'decimal.js';
import type { StrategyVerdict } from '../strategy/verdicts.ts';
import { usd } from './console-reporter.ts';

interface VerdictCount {
  strategy: string;
  kind: string;
  judged: number;
  accepted: number;
  bestNet: Decimal | undefined;
}

export type VerdictTally = Map<string, VerdictCount>;

export function emptyVerdictTally(): VerdictTally {
  return new Map();
}

export function tallyVerdict(t: VerdictTally, v: StrategyVerdict): void {
  const key = `${v.strategy}\u0000${v.kind}`;
  let c = t.get(key);
  if (!c) t.set(key, (c = { strategy: v.strategy, kind: v.kind, judged: 0, accepted: 0, bestNet: undefined }));
  c.judged++;
  if (v.decision === 'accept') c.accepted++;
  if (v.netUsd && (!c.bestNet || v.netUsd.gt(c.bestNet))) c.bestNet = v.netUsd;
}

export function formatVerdict(v: StrategyVerdict): string {
  return `[${v.strategy}] ${v.decision === 'accept' ? '✅' : '❌'} ${v.instrument} ${v.kind} | ${v.summary}${v.detail ? `\n  └─ ${v.detail}` : ''}`;
}

/** Appended to the periodic summary line: ` | carry judged 25 (✅ 0, ❌ 25)`; empty when none. */
export function formatVerdictCounts(t: VerdictTally): string {
  return [...t.values()].map((c) => ` | ${c.kind} judged ${c.judged} (✅ ${c.accepted}, ❌ ${c.judged - c.accepted})`).join('');
}

/** Session summary lines, one per strategy and kind. */
export function formatVerdictSummary(t: VerdictTally): string[] {
  return [...t.values()].map(
    (c) => `  ${c.strategy} ${c.kind} judged: ${c.judged}  accepted: ${c.accepted}  rejected: ${c.judged - c.accepted}; best net: ${c.bestNet ? usd(c.bestNet) : '-'} (journaled with every figure)`,
  );
}
