/** The report as terminal text: the numbers a trader checks before opening the HTML. */
import { duration, pctOf, spreadPct, usd, utcTime } from './format.ts';
import type { ReportModel } from './model.ts';
import { makerTakerLines } from './maker-taker.ts';
import type { PairLifecycleReport } from './pair-lifecycles.ts';

/** Pairs listed in the terminal; the HTML lists more. */
export const TERMINAL_PAIR_ROWS = 10;

export function renderTerminal(m: ReportModel): string {
  const t = m.totals;
  const lines = [
    '── Opportunity report ──',
    `  range: ${utcTime(m.from)} → ${utcTime(m.to)} (${m.sessions.length} session(s) in journal)`,
    `  judged ${t.judged}: profitable ${t.accept} (${pctOf(t.accept, t.judged)}), unprofitable ${t.reject}, skipped high desync ${t.skip}, flagged medium ${t.flaggedMedium}`,
    `  net over profitable: ${usd(t.sumNetAccepted)}; best ${usd(t.bestNet)}; median ${usd(t.medianNet)}`,
    `  desync risk: Low ${m.desyncMix.Low}, Medium ${m.desyncMix.Medium}, High ${m.desyncMix.High}`,
    `  episodes (gap < ${duration(m.episodes.gapMs)}): ${m.episodes.count}; median ${duration(m.episodes.medianMs)}, p90 ${duration(m.episodes.p90Ms)}, longest ${duration(m.episodes.maxMs)}`,
    ...engineLine(m),
    `  thresholds: ${m.thresholdsPct.length ? m.thresholdsPct.map((p) => p + '%').join(', ') : '-'}`,
    '  venue pair (buy → sell)        judged  profitable  net(profitable)     best',
  ];
  for (const p of m.pairs.slice(0, 12)) {
    lines.push(`  ${p.pair.padEnd(30)} ${String(p.judged).padStart(6)}  ${String(p.accept).padStart(10)}  ${usd(p.sumNetAccepted).padStart(15)}  ${usd(p.bestNet).padStart(7)}`);
  }
  const busiest = [...m.perHour].sort((a, b) => b.accept + b.reject + b.skip - (a.accept + a.reject + a.skip))[0];
  if (busiest) lines.push(`  busiest hour: ${utcTime(busiest.hourStart)} with ${busiest.accept + busiest.reject + busiest.skip} judged`);
  lines.push(m.live.trades.length ? `  live trades: ${m.live.trades.length}` : '  live trades: none (no live trades in range)');
  lines.push(...carryLines(m));
  lines.push(...makerTakerLines(m.makerTaker));
  lines.push(...pairLines(m.pairLifecycles));
  return lines.join('\n');
}

function carryLines(m: ReportModel): string[] {
  const c = m.carry;
  if (c.judged === 0) return [];
  const lines = [
    '── Funding carry (funding-arb) ──',
    `  judged ${c.judged}: accepted ${c.accepted} (${pctOf(c.accepted, c.judged)}), rejected ${c.judged - c.accepted}`,
    '  long / short venues             judged  accepted  best net APR  best net',
  ];
  for (const p of c.pairs.slice(0, 12)) {
    lines.push(`  ${p.pair.padEnd(30)} ${String(p.judged).padStart(7)}  ${String(p.accepted).padStart(8)}  ${aprPct(p.bestNetApr).padStart(12)}  ${usd(p.bestNet).padStart(8)}`);
  }
  return lines;
}

function aprPct(fraction: import('decimal.js').Decimal): string {
  return `${fraction.mul(100).toFixed(2)}%`;
}

function pairLines(p: PairLifecycleReport): string[] {
  if (p.pairs.length === 0) {
    return ['── Pair positions ──', p.tablePresent ? '  none opened in range' : '  none (this journal has no pair_positions table: recorded before pair tracking)'];
  }
  const t = p.totals;
  const lines = [
    '── Pair positions ──',
    `  ${p.pairs.length} opened in range: ${p.closed} closed, ${p.open} open (${p.byMode.map((b) => `${b.mode}: ${b.closed} closed, ${b.open} open`).join('; ')})`,
    `  closed pairs: realized ${usd(t.realizedPnl)} vs expected ${usd(t.expectedPnl)} (gap ${usd(t.pnlGap)}); average holding ${duration(p.averageHoldingMs)}`,
    `  all pairs, open ones included: funding ${usd(t.funding)} (+ received), fees ${usd(t.fees)}`,
    `  exit reasons: ${p.byExitReason.map((r) => `${r.reason} ${r.count}`).join(', ') || '-'}`,
    `  ${'instrument'.padEnd(14)} ${'long / short'.padEnd(20)} ${'mode'.padEnd(9)} ${'held'.padStart(9)}  ${'spread entry → exit'.padEnd(18)} ${'funding'.padStart(9)} ${'fees'.padStart(8)} ${'expected'.padStart(9)} ${'realized'.padStart(9)}  exit`,
  ];
  for (const r of p.pairs.slice(0, TERMINAL_PAIR_ROWS)) {
    lines.push(
      `  ${r.instrument.padEnd(14)} ${`${r.longVenue} / ${r.shortVenue}`.padEnd(20)} ${r.mode.padEnd(9)} ${duration(r.holdingMs).padStart(9)}  ` +
        `${`${spreadPct(r.entrySpread)} → ${spreadPct(r.exitSpread)}`.padEnd(18)} ${usd(r.funding).padStart(9)} ${usd(r.fees).padStart(8)} ` +
        `${usd(r.expectedPnl).padStart(9)} ${usd(r.realizedPnl).padStart(9)}  ${r.exitReason ?? `(${r.state})`}`,
    );
  }
  if (p.pairs.length > TERMINAL_PAIR_ROWS) lines.push(`  … ${p.pairs.length - TERMINAL_PAIR_ROWS} older pair(s): see the HTML report (--out)`);
  return lines;
}

/** A shared (PostgreSQL) journal holds several engines' sessions: name them, with their session counts. */
function engineLine(m: ReportModel): string[] {
  const by = new Map<string, number>();
  for (const s of m.sessions) if (s.engineId) by.set(s.engineId, (by.get(s.engineId) ?? 0) + 1);
  if (by.size === 0) return [];
  return [`  engines: ${[...by].map(([id, n]) => `${id} (${n} session${n === 1 ? '' : 's'})`).join(', ')}`];
}
