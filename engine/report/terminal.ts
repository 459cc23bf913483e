/** The report as terminal text: the numbers a trader checks before opening the HTML. */
import { duration, pctOf, usd, utcTime } from './format.ts';
import type { ReportModel } from './model.ts';

export function renderTerminal(m: ReportModel): string {
  const t = m.totals;
  const lines = [
    '── Opportunity report ──',
    `  range: ${utcTime(m.from)} → ${utcTime(m.to)} (${m.sessions.length} session(s) in journal)`,
    `  judged ${t.judged}: profitable ${t.accept} (${pctOf(t.accept, t.judged)}), unprofitable ${t.reject}, skipped high desync ${t.skip}, flagged medium ${t.flaggedMedium}`,
    `  net over profitable: ${usd(t.sumNetAccepted)}; best ${usd(t.bestNet)}; median ${usd(t.medianNet)}`,
    `  desync risk: Low ${m.desyncMix.Low}, Medium ${m.desyncMix.Medium}, High ${m.desyncMix.High}`,
    `  episodes (gap < ${duration(m.episodes.gapMs)}): ${m.episodes.count}; median ${duration(m.episodes.medianMs)}, p90 ${duration(m.episodes.p90Ms)}, longest ${duration(m.episodes.maxMs)}`,
    `  thresholds: ${m.thresholdsPct.length ? m.thresholdsPct.map((p) => p + '%').join(', ') : '-'}`,
    '  venue pair (buy → sell)        judged  profitable  net(profitable)     best',
  ];
  for (const p of m.pairs.slice(0, 12)) {
    lines.push(`  ${p.pair.padEnd(30)} ${String(p.judged).padStart(6)}  ${String(p.accept).padStart(10)}  ${usd(p.sumNetAccepted).padStart(15)}  ${usd(p.bestNet).padStart(7)}`);
  }
  const busiest = [...m.perHour].sort((a, b) => b.accept + b.reject + b.skip - (a.accept + a.reject + a.skip))[0];
  if (busiest) lines.push(`  busiest hour: ${utcTime(busiest.hourStart)} with ${busiest.accept + busiest.reject + busiest.skip} judged`);
  lines.push(m.live.trades.length ? `  live trades: ${m.live.trades.length}` : '  live trades: none (no live trades in range)');
  return lines.join('\n');
}
