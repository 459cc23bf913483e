/**
 * The self-contained HTML report: one file with its CSS, uPlot and the engine's chart script
 * inline (the same chart style as the dashboard: hover values, drag-to-zoom on time), nothing
 * fetched, so it opens offline and can be mailed as one file. The tables carry the exact figures.
 */
import { chartAssets } from '../charts/assets.ts';
import { emptyFigure } from '../charts/chart-spec.ts';
import { escapeHtml as esc } from '../charts/escape.ts';
import {
  desyncChart, episodesChart, livePnlChart, liveTimeChart, netBySizeChart, netHistogramChart, pairHoldingChart, pairPnlChart, pairsChart, perHourChart, spreadChart,
} from './charts.ts';
import { duration, pctOf, spreadPct, usd, utcTime } from './format.ts';
import { makerTakerHtml } from './maker-taker.ts';
import type { ReportModel } from './model.ts';

export function renderHtml(m: ReportModel, meta: { journal: string; generatedAt: number }): string {
  const t = m.totals;
  const assets = chartAssets();
  const sections = [
    card('Summary', summaryTable(m)),
    card('Opportunities per hour (UTC)', perHourChart(m)),
    card('Venue pair and direction (buy → sell)', pairsChart(m) + pairsTable(m)),
    card('Net profit per trade', netHistogramChart(m)),
    card('Net profit by trade size', netBySizeChart(m)),
    card('Executable spread over time, with the threshold', spreadChart(m)),
    card('Desync-risk mix', desyncChart(m)),
    card(`How long opportunities last (episodes: same instrument and direction, gaps under ${duration(m.episodes.gapMs)})`, episodesChart(m) + episodesLine(m)),
    card('Live trades: estimated vs real', liveSection(m)),
    ...(m.carry.judged > 0 ? [card('Funding carry (funding-arb): judged by the carry, not the execution simulator', carrySection(m))] : []),
    ...makerTakerHtml(m.makerTaker).map((body) => card('Maker-taker: quotes, fill rate, hedge latency and slippage, markout, net vs taker-taker', body, { wide: true })),
    card('Pair positions: holding time, spread, funding, realized vs expected', pairSection(m), { wide: true }),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Arbitrage report ${esc(utcTime(m.from))} → ${esc(utcTime(m.to))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111827}
header{background:#111827;color:#f9fafb;padding:16px 24px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:#9ca3af;font-size:13px}
main{display:grid;grid-template-columns:repeat(auto-fit,minmax(640px,1fr));gap:16px;padding:16px 24px}
section{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}section h2{font-size:15px;margin:0 0 8px}
table{border-collapse:collapse;font-size:13px;width:100%}td,th{padding:3px 8px;border-bottom:1px solid #e5e7eb;text-align:right}th:first-child,td:first-child{text-align:left}
.kpi{display:flex;gap:24px;flex-wrap:wrap;margin-bottom:8px}.kpi div{font-size:12px;color:#6b7280}.kpi b{display:block;font-size:20px;color:#111827}
.note{font-size:12px;color:#6b7280}.scroll{overflow-x:auto}
section.wide{grid-column:1/-1}.nowrap td{white-space:nowrap}.pair-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px}
${assets.uplotCss}
${assets.chartsCss}
</style></head><body>
<header><h1>Arbitrage opportunities: ${t.judged} judged, ${t.accept} profitable, net ${esc(usd(t.sumNetAccepted))}</h1>
<p>${esc(utcTime(m.from))} → ${esc(utcTime(m.to))} · journal ${esc(meta.journal)} · generated ${esc(utcTime(meta.generatedAt))}</p></header>
<main>
${sections.join('\n')}
</main>
<script>${assets.uplotJs}</script>
<script>${assets.chartsJs}</script>
<script>ArbCharts.renderAll(document);</script>
</body></html>
`;
}

/** wide: spans the whole grid row (a table too wide for half the page). */
function card(title: string, body: string, options: { wide?: boolean } = {}): string {
  return `<section${options.wide ? ' class="wide"' : ''}><h2>${esc(title)}</h2>${body}</section>`;
}

function summaryTable(m: ReportModel): string {
  const t = m.totals;
  const kpi = (label: string, value: string) => `<div>${esc(label)}<b>${esc(value)}</b></div>`;
  return (
    `<div class="kpi">${kpi('judged', String(t.judged))}${kpi('profitable', `${t.accept} (${pctOf(t.accept, t.judged)})`)}` +
    `${kpi('net over profitable', usd(t.sumNetAccepted))}${kpi('best net', usd(t.bestNet))}${kpi('median net', usd(t.medianNet))}</div>` +
    `<table><tr><th>decision</th><th>count</th></tr>` +
    `<tr><td>profitable (accept)</td><td>${t.accept}</td></tr><tr><td>unprofitable (reject)</td><td>${t.reject}</td></tr>` +
    `<tr><td>skipped, high desync</td><td>${t.skip}</td></tr><tr><td>flagged, medium desync</td><td>${t.flaggedMedium}</td></tr></table>` +
    `<p class="note">Sessions: ${m.sessions.map((s) => `${esc(s.id)} (${s.engineId ? `engine ${esc(s.engineId)}, ` : ''}${esc(s.mode)}, threshold ${esc(s.thresholdPct ?? '-')}%)`).join('; ') || '-'}</p>`
  );
}

function pairsTable(m: ReportModel): string {
  const rows = m.pairs
    .map((p) => `<tr><td>${esc(p.pair)}</td><td>${p.judged}</td><td>${p.accept}</td><td>${p.reject}</td><td>${p.skip}</td><td>${esc(usd(p.sumNetAccepted))}</td><td>${esc(usd(p.bestNet))}</td><td>${esc(p.instruments.join(', '))}</td></tr>`)
    .join('');
  return `<table><tr><th>buy → sell</th><th>judged</th><th>profitable</th><th>unprofitable</th><th>skipped</th><th>net (profitable)</th><th>best</th><th>instruments</th></tr>${rows}</table>`;
}

function episodesLine(m: ReportModel): string {
  const e = m.episodes;
  return `<p class="note">${e.count} episodes · median ${esc(duration(e.medianMs))} · p90 ${esc(duration(e.p90Ms))} · longest ${esc(duration(e.maxMs))}</p>`;
}

function liveSection(m: ReportModel): string {
  const trades = m.live.trades;
  if (trades.length === 0) return livePnlChart(m) + liveTimeChart(m);
  const settled = trades.filter((t) => t.realizedNet !== undefined);
  const totalEst = trades.reduce((s, t) => s.plus(t.estimatedNet), trades[0]!.estimatedNet.mul(0));
  const totalReal = settled.reduce((s, t) => s.plus(t.realizedNet!), trades[0]!.estimatedNet.mul(0));
  return livePnlChart(m) + liveTimeChart(m) + `<p class="note">${trades.length} live trades · estimated net ${esc(usd(totalEst))} · realized ${esc(usd(totalReal))} over ${settled.length} settled</p>`;
}

/** Pairs listed in the HTML table, most recent first; a journal of months holds thousands. */
export const HTML_PAIR_ROWS = 200;

function carrySection(m: ReportModel): string {
  const c = m.carry;
  const rows = c.pairs
    .map((p) => `<tr><td>${esc(p.pair)}</td><td>${esc(p.instruments.join(', '))}</td><td>${p.judged}</td><td>${p.accepted}</td><td>${esc(p.bestNetApr.mul(100).toFixed(2))}%</td><td>${esc(usd(p.bestNet))}</td></tr>`)
    .join('');
  return (
    `<p>${c.judged} carry judgments, ${c.accepted} accepted.</p>` +
    `<table class="nowrap"><thead><tr><th>long / short</th><th>instruments</th><th>judged</th><th>accepted</th><th>best net APR</th><th>best net</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function pairSection(m: ReportModel): string {
  const p = m.pairLifecycles;
  if (p.pairs.length === 0) {
    const why = p.tablePresent ? 'No pair positions opened in range' : 'No pair positions (this journal has no pair_positions table: recorded before pair tracking)';
    return emptyFigure('pair-pnl', why) + emptyFigure('pair-holding', 'No pairs: no holding times');
  }
  const t = p.totals;
  const kpi = (label: string, value: string) => `<div>${esc(label)}<b>${esc(value)}</b></div>`;
  const kpis =
    `<div class="kpi">${kpi('pairs', `${p.closed} closed, ${p.open} open`)}${kpi('realized (closed)', usd(t.realizedPnl))}${kpi('expected (closed)', usd(t.expectedPnl))}` +
    `${kpi('realized - expected', usd(t.pnlGap))}${kpi('funding (all)', usd(t.funding))}${kpi('fees (all)', usd(t.fees))}${kpi('average holding', duration(p.averageHoldingMs))}</div>`;
  const note =
    `<p class="note">By mode: ${p.byMode.map((b) => `${esc(b.mode)} ${b.closed} closed, ${b.open} open`).join('; ')} · ` +
    `exit reasons: ${p.byExitReason.map((r) => `${esc(r.reason)} ${r.count}`).join(', ') || '-'} · funding is signed from our side (+ received)</p>`;
  return kpis + note + `<div class="pair-charts"><div>${pairPnlChart(m)}</div><div>${pairHoldingChart(m)}</div></div>` + pairTable(m);
}

function pairTable(m: ReportModel): string {
  const pairs = m.pairLifecycles.pairs;
  const rows = pairs
    .slice(0, HTML_PAIR_ROWS)
    .map(
      (p) =>
        `<tr><td>${esc(utcTime(p.openedAt))}</td><td>${esc(p.instrument)}</td><td>${esc(p.longVenue)} / ${esc(p.shortVenue)}</td><td>${esc(p.mode)}</td>` +
        `<td>${esc(duration(p.holdingMs))}</td><td>${esc(spreadPct(p.entrySpread))} → ${esc(spreadPct(p.exitSpread))}</td><td>${esc(usd(p.funding))}</td>` +
        `<td>${esc(usd(p.fees))}</td><td>${esc(usd(p.expectedPnl))}</td><td>${esc(usd(p.realizedPnl))}</td><td>${esc(p.exitReason ?? `(${p.state})`)}</td></tr>`,
    )
    .join('');
  const more = pairs.length > HTML_PAIR_ROWS ? `<p class="note">Showing the ${HTML_PAIR_ROWS} most recent of ${pairs.length} pairs; the figures above count them all.</p>` : '';
  return (
    `<div class="scroll"><table class="nowrap" data-table="pairs"><tr><th>opened</th><th>instrument</th><th>long / short</th><th>mode</th><th>held</th><th>spread entry → exit</th>` +
    `<th>funding</th><th>fees</th><th>expected</th><th>realized</th><th>exit</th></tr>${rows}</table></div>${more}`
  );
}
