/** Console lines for pair lifecycles: a spread trade's profit is realized only when both legs close. */
import type { PairPosition } from '../portfolio/pair-position.ts';
import type { PairLifecycleSummary } from '../portfolio/lifecycle-summary.ts';
import { pct, usd } from './console-reporter.ts';
import { Decimal } from 'decimal.js';

export function formatPairClose(p: PairPosition, label: string): string {
  const exit = p.exit;
  if (!exit) return `[${label}] pair ${p.id} closing`;
  const held = Math.round((exit.at - p.openedAt) / 1000);
  return (
    `[${label}] ⇄ closed ${p.instrument} pair | long ${p.long.venue} / short ${p.short.venue} | ${exit.reason} after ${held}s | ` +
    `spread ${pct(p.entrySpread)} → ${pct(exit.spread)} | Realized: ${usd(exit.realizedPnl)} (expected ${usd(p.expectedPnl)}, funding ${usd(p.funding)}, fees ${usd(p.entryFees.plus(p.exitFees))})`
  );
}

export function formatPairSummary(s: PairLifecycleSummary): string {
  const hold = s.averageHoldingMs === null ? '-' : `${(s.averageHoldingMs / 1000).toFixed(1)} s`;
  return (
    `  pairs: ${s.closed} closed (realized ${usd(new Decimal(s.totals.realizedPnl))} vs expected ${usd(new Decimal(s.totals.expectedPnl))}; ` +
    `funding ${usd(new Decimal(s.totals.funding))}; average hold ${hold}), ${s.open} still open`
  );
}
