/**
 * The self-contained HTML report: inline CSS and inline SVG, no script, no external fetch, so
 * it opens offline and can be mailed as one file.
 */
import { duration, pctOf, spreadPct, usd, utcHour, utcTime } from './format.ts';
import type { ReportModel } from './model.ts';
import { barChart, emptyChart, esc, hBarChart, scatterChart, timeSeriesChart } from './svg.ts';

const DECISIONS = [
  { label: 'profitable', color: '#16a34a' },
  { label: 'unprofitable', color: '#f59e0b' },
  { label: 'skipped (high desync)', color: '#dc2626' },
];

export function renderHtml(m: ReportModel, meta: { journal: string; generatedAt: number }): string {
  const t = m.totals;
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
</style></head><body>
<header><h1>Arbitrage opportunities: ${t.judged} judged, ${t.accept} profitable, net ${esc(usd(t.sumNetAccepted))}</h1>
<p>${esc(utcTime(m.from))} → ${esc(utcTime(m.to))} · journal ${esc(meta.journal)} · generated ${esc(utcTime(meta.generatedAt))}</p></header>
<main>
${sections.join('\n')}
</main></body></html>
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
    `<p class="note">Sessions: ${m.sessions.map((s) => `${esc(s.id)} (${esc(s.mode)}, threshold ${esc(s.thresholdPct ?? '-')}%)`).join('; ') || '-'}</p>`
  );
}

function perHourChart(m: ReportModel): string {
  return barChart(
    'opportunities-per-hour',
    'Opportunities per hour',
    m.perHour.map((h) => ({ label: utcHour(h.hourStart), tooltip: utcTime(h.hourStart), values: [h.accept, h.reject, h.skip] })),
    DECISIONS,
  );
}

function pairsChart(m: ReportModel): string {
  return hBarChart(
    'venue-pairs',
    'Judged and profitable per venue pair',
    m.pairs.map((p) => ({ label: p.pair, total: p.judged, part: p.accept, note: `${p.accept}/${p.judged} · ${usd(p.sumNetAccepted)}` })),
  );
}

function pairsTable(m: ReportModel): string {
  const rows = m.pairs
    .map((p) => `<tr><td>${esc(p.pair)}</td><td>${p.judged}</td><td>${p.accept}</td><td>${p.reject}</td><td>${p.skip}</td><td>${esc(usd(p.sumNetAccepted))}</td><td>${esc(usd(p.bestNet))}</td><td>${esc(p.instruments.join(', '))}</td></tr>`)
    .join('');
  return `<table><tr><th>buy → sell</th><th>judged</th><th>profitable</th><th>unprofitable</th><th>skipped</th><th>net (profitable)</th><th>best</th><th>instruments</th></tr>${rows}</table>`;
}

function netHistogramChart(m: ReportModel): string {
  return barChart(
    'net-histogram',
    'Net profit per trade (USD)',
    m.netHistogram.map((b) => ({ label: b.from.toString(), tooltip: `${usd(b.from)} to ${usd(b.to)}`, values: [b.count] })),
    [{ label: 'trades', color: '#2563eb' }],
  );
}

function netBySizeChart(m: ReportModel): string {
  const groups = { accept: 0, 'reject-unprofitable': 1, 'skip-high-risk': 2 } as Record<string, number>;
  return scatterChart(
    'net-by-size',
    'Net profit by notional',
    m.netBySize.map((p) => ({ x: p.notional, y: p.net, group: groups[p.decision] ?? 1, tooltip: `notional $${p.notional.toFixed(2)} → net $${p.net.toFixed(2)}` })),
    DECISIONS,
    { x: (v) => `$${v}`, y: (v) => `$${v}`, zeroLine: true },
  );
}

function spreadChart(m: ReportModel): string {
  return timeSeriesChart(
    'spread-timeseries',
    'Executable spread (%)',
    m.spreadSeries.map((s) => ({ key: s.key, points: s.points.map((p) => ({ t: p.t, v: p.pct })) })),
    m.thresholdsPct.map((p) => ({ label: `threshold ${p}%`, v: Number(p) })),
    { t: (ms) => new Date(ms).toISOString().slice(11, 19), v: (v) => `${v}%` },
  );
}

function desyncChart(m: ReportModel): string {
  const d = m.desyncMix;
  const total = d.Low + d.Medium + d.High;
  return barChart(
    'desync-mix',
    'Desync risk',
    [
      { label: `Low ${pctOf(d.Low, total)}`, values: [d.Low, 0, 0] },
      { label: `Medium ${pctOf(d.Medium, total)}`, values: [0, d.Medium, 0] },
      { label: `High ${pctOf(d.High, total)}`, values: [0, 0, d.High] },
    ],
    [
      { label: 'Low', color: '#16a34a' },
      { label: 'Medium', color: '#f59e0b' },
      { label: 'High', color: '#dc2626' },
    ],
  );
}

function episodesChart(m: ReportModel): string {
  return barChart('episode-durations', 'Episode duration', m.episodes.buckets.map((b) => ({ label: b.label, values: [b.count] })), [{ label: 'episodes', color: '#7c3aed' }]);
}

function episodesLine(m: ReportModel): string {
  const e = m.episodes;
  return `<p class="note">${e.count} episodes · median ${esc(duration(e.medianMs))} · p90 ${esc(duration(e.p90Ms))} · longest ${esc(duration(e.maxMs))}</p>`;
}

function liveSection(m: ReportModel): string {
  const trades = m.live.trades;
  if (trades.length === 0) {
    const why = m.live.tablePresent ? 'No live trades in range' : 'No live trades (this journal has no live-trades table: dry-run only)';
    return emptyChart('live-pnl', why) + emptyChart('live-time', 'No live trades: no execution times to compare');
  }
  const groups = [{ label: 'trade', color: '#2563eb' }];
  const pnl = trades.filter((t) => t.realizedNet !== undefined);
  const timed = trades.filter((t) => t.actualMs !== undefined);
  const pnlChart = pnl.length
    ? scatterChart(
        'live-pnl',
        'Estimated vs realized net (USD)',
        pnl.map((t) => ({ x: t.estimatedNet.toNumber(), y: t.realizedNet!.toNumber(), group: 0, tooltip: `${t.id} ${t.instrument}: est ${usd(t.estimatedNet)} → real ${usd(t.realizedNet)} (${t.state})` })),
        groups,
        { x: (v) => `est $${v}`, y: (v) => `$${v}`, diagonal: true },
      )
    : emptyChart('live-pnl', 'Live trades have no realized PnL yet');
  const timeChart = timed.length
    ? barChart(
        'live-time',
        'Execution time per trade (ms): estimate and real',
        timed.map((t) => ({ label: t.id.slice(-6), tooltip: `${t.id}: est ${t.estimatedMs ?? '-'} ms, real ${t.actualMs} ms`, values: [t.estimatedMs ?? 0, t.actualMs!] })),
        [
          { label: 'estimated', color: '#9ca3af' },
          { label: 'real', color: '#2563eb' },
        ],
        { grouped: true },
      )
    : emptyChart('live-time', 'Live trades have no execution times yet');
  const totalEst = trades.reduce((s, t) => s.plus(t.estimatedNet), trades[0]!.estimatedNet.mul(0));
  const totalReal = pnl.reduce((s, t) => s.plus(t.realizedNet!), trades[0]!.estimatedNet.mul(0));
  return pnlChart + timeChart + `<p class="note">${trades.length} live trades · estimated net ${esc(usd(totalEst))} · realized ${esc(usd(totalReal))} over ${pnl.length} settled</p>`;
}

/** Pairs listed in the HTML table, most recent first; a journal of months holds thousands. */
export const HTML_PAIR_ROWS = 200;

const PAIR_MODES = [
  { label: 'simulated', color: '#2563eb' },
  { label: 'live', color: '#d97706' },
];

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
    return emptyChart('pair-pnl', why) + emptyChart('pair-holding', 'No pairs: no holding times');
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

function pairPnlChart(m: ReportModel): string {
  const closed = m.pairLifecycles.pairs.filter((p) => p.realizedPnl !== undefined);
  if (closed.length === 0) return emptyChart('pair-pnl', 'No closed pairs yet: no realized PnL to compare');
  return scatterChart(
    'pair-pnl',
    'Expected vs realized PnL per closed pair (USD)',
    closed.map((p) => ({
      x: p.expectedPnl.toNumber(),
      y: p.realizedPnl!.toNumber(),
      group: p.mode === 'live' ? 1 : 0,
      tooltip: `${p.id} ${p.instrument} long ${p.longVenue} / short ${p.shortVenue} (${p.mode}): expected ${usd(p.expectedPnl)} → realized ${usd(p.realizedPnl)}, held ${duration(p.holdingMs)}, ${p.exitReason ?? '-'}`,
    })),
    PAIR_MODES,
    { x: (v) => `exp $${v}`, y: (v) => `$${v}`, diagonal: true },
  );
}

function pairHoldingChart(m: ReportModel): string {
  const p = m.pairLifecycles;
  if (p.closed === 0) return emptyChart('pair-holding', 'No closed pairs yet: no holding times');
  return barChart('pair-holding', 'Holding time of closed pairs', p.holdingBuckets.map((b) => ({ label: b.label, values: [b.count] })), [{ label: 'pairs', color: '#0891b2' }]);
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
