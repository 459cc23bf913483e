/**
 * The trader's console: one line per judged opportunity in the first design's format, a quiet
 * summary every few seconds so a calm market never looks like a hung engine, and a session
 * summary at the end. Money is rounded to cents for display only; the journal keeps it exact.
 */
import type { Decimal } from 'decimal.js';
import type { Judgment } from '../simulation/execution-simulator.ts';

export interface SessionTally {
  judged: number;
  accepted: number;
  rejected: number;
  skippedHighRisk: number;
  flaggedMedium: number;
  bestNet: Decimal | undefined;
  sumNetAccepted: Decimal | undefined;
}

export function usd(d: Decimal): string {
  const cents = d.toDecimalPlaces(2);
  return cents.isNegative() && !cents.isZero() ? `-$${cents.abs().toFixed(2)}` : `$${cents.abs().toFixed(2)}`;
}

export function pct(fraction: Decimal): string {
  return `${fraction.mul(100).toDecimalPlaces(2).toFixed(2)}%`;
}

export function formatJudgment(j: Judgment, label = 'SIMULATION'): string {
  const i = j.intent;
  const mark = j.decision === 'accept' ? '✅' : j.decision === 'skip-high-risk' ? '⏭️' : '❌';
  const risk = j.desync.level + (j.decision === 'skip-high-risk' ? ' (skipped)' : j.flagged ? ' ⚠️' : '');
  const head = `[${label}] ${mark} ${i.instrument} | Spread: ${pct(i.spread)} | ${i.buy.venue} → ${i.sell.venue} | Net profit: ${usd(j.net)} | Desync risk: ${risk}`;
  const c = j.costs;
  const details = `  └─ Details: Gross=${usd(j.gross)} | Costs=${usd(c.total)} (trading: ${usd(c.trading)}, gas: ${usd(c.gas)}, slippage: ${usd(c.slippage)}${c.close.isZero() ? '' : `, close: ${usd(c.close)}`})${c.unmodelled?.length ? ` | not modelled: ${c.unmodelled.join(', ')}` : ''}`;
  return head + '\n' + details;
}

export function tally(t: SessionTally, j: Judgment): void {
  t.judged++;
  if (j.decision === 'accept') {
    t.accepted++;
    t.sumNetAccepted = t.sumNetAccepted ? t.sumNetAccepted.plus(j.net) : j.net;
  } else if (j.decision === 'skip-high-risk') t.skippedHighRisk++;
  else t.rejected++;
  if (j.flagged) t.flaggedMedium++;
  if (!t.bestNet || j.net.gt(t.bestNet)) t.bestNet = j.net;
}

export function emptyTally(): SessionTally {
  return { judged: 0, accepted: 0, rejected: 0, skippedHighRisk: 0, flaggedMedium: 0, bestNet: undefined, sumNetAccepted: undefined };
}

export interface FeedSnapshot {
  booksLive: number;
  booksTotal: number;
  updates: number;
  gaps: number;
  /** Venues unreachable since start and being retried (Engine.venues.down()). */
  venuesDown?: ReadonlyArray<{ venue: string; attempts: number }>;
}

/** " | DOWN paradex (3 tries)" while a venue is being retried; empty when all are up. */
export function formatVenuesDown(f: FeedSnapshot): string {
  if (!f.venuesDown?.length) return '';
  return ` | DOWN ${f.venuesDown.map((d) => `${d.venue} (${d.attempts} ${d.attempts === 1 ? 'try' : 'tries'})`).join(', ')}`;
}

export function formatSummary(t: SessionTally, f: FeedSnapshot, elapsedSec: number, updatesPerSec: number): string {
  const clock = new Date().toISOString().slice(11, 19);
  return (
    `[summary ${clock}] books live ${f.booksLive}/${f.booksTotal} | updates ${f.updates} (${updatesPerSec.toFixed(0)}/s) | ` +
    `judged ${t.judged} (✅ ${t.accepted}, ❌ ${t.rejected}, skipped ${t.skippedHighRisk}) | ` +
    `best net ${t.bestNet ? usd(t.bestNet) : '-'} | ${Math.round(elapsedSec)}s${formatVenuesDown(f)}`
  );
}

export function formatSessionSummary(t: SessionTally, f: FeedSnapshot, elapsedSec: number, journalPath: string): string {
  return [
    '── Session summary ──',
    `  ran ${elapsedSec.toFixed(1)} s, ${f.updates} book updates, ${f.gaps} sequence gaps resynced`,
    `  opportunities judged: ${t.judged}  profitable: ${t.accepted}  unprofitable: ${t.rejected}  skipped (high desync): ${t.skippedHighRisk}  flagged (medium): ${t.flaggedMedium}`,
    `  sum of net profit over profitable opportunities: ${t.sumNetAccepted ? usd(t.sumNetAccepted) : '$0.00'}; best single: ${t.bestNet ? usd(t.bestNet) : '-'}`,
    `  journal: ${journalPath}`,
  ].join('\n');
}
