/**
 * The report's charts as specs for the shared chart script (engine/charts): what each chart
 * shows, its hover lines and colors. A chart with nothing to draw says why in its place.
 */
import { chartFigure, emptyFigure, type BarSpec } from '../charts/chart-spec.ts';
import { duration, pctOf, usd, utcHour, utcTime } from './format.ts';
import type { ReportModel } from './model.ts';

const DECISIONS = [
  { label: 'profitable', color: '#16a34a' },
  { label: 'unprofitable', color: '#f59e0b' },
  { label: 'skipped (high desync)', color: '#dc2626' },
];
const PAIR_MODES = [
  { label: 'simulated', color: '#2563eb' },
  { label: 'live', color: '#d97706' },
];
const USD = { prefix: '$' };

function bars(spec: BarSpec): string {
  return spec.categories.length === 0 ? emptyFigure(spec.name, `${spec.title}: nothing in range`) : chartFigure(spec);
}

export function perHourChart(m: ReportModel): string {
  return bars({
    kind: 'bars', name: 'opportunities-per-hour', xLabel: 'hour', title: 'Opportunities per hour (UTC)', layout: 'stacked',
    categories: m.perHour.map((h) => utcHour(h.hourStart)),
    hovers: m.perHour.map((h) => `${utcTime(h.hourStart)}: ${h.accept} profitable, ${h.reject} unprofitable, ${h.skip} skipped`),
    series: DECISIONS.map((d, k) => ({ ...d, values: m.perHour.map((h) => [h.accept, h.reject, h.skip][k]!) })),
  });
}

export function pairsChart(m: ReportModel): string {
  return bars({
    kind: 'bars', name: 'venue-pairs', xLabel: 'buy → sell', title: 'Judged and profitable per venue pair', layout: 'grouped',
    categories: m.pairs.map((p) => p.pair),
    hovers: m.pairs.map((p) => `${p.pair}: ${p.accept}/${p.judged} profitable · net ${usd(p.sumNetAccepted)}`),
    series: [
      { label: 'judged', color: '#9ca3af', values: m.pairs.map((p) => p.judged) },
      { label: 'profitable', color: '#16a34a', values: m.pairs.map((p) => p.accept) },
    ],
  });
}

export function netHistogramChart(m: ReportModel): string {
  return bars({
    kind: 'bars', name: 'net-histogram', xLabel: 'net from', title: 'Net profit per trade (USD)', layout: 'stacked',
    categories: m.netHistogram.map((b) => b.from.toString()),
    hovers: m.netHistogram.map((b) => `${usd(b.from)} to ${usd(b.to)}: ${b.count} trades`),
    series: [{ label: 'trades', color: '#2563eb', values: m.netHistogram.map((b) => b.count) }],
  });
}

export function netBySizeChart(m: ReportModel): string {
  const groups: Record<string, number> = { accept: 0, 'reject-unprofitable': 1, 'skip-high-risk': 2 };
  if (m.netBySize.length === 0) return emptyFigure('net-by-size', 'Net profit by notional: nothing in range');
  return chartFigure({
    kind: 'scatter', name: 'net-by-size', title: 'Net profit by notional', groups: DECISIONS, guide: 'zero', xUnit: USD, yUnit: USD, xLabel: 'notional',
    points: m.netBySize.map((p) => ({ x: p.notional, y: p.net, group: groups[p.decision] ?? 1, hover: `notional $${p.notional.toFixed(2)} → net $${p.net.toFixed(2)} (${p.decision})` })),
  });
}

export function spreadChart(m: ReportModel): string {
  if (m.spreadSeries.length === 0) return emptyFigure('spread-timeseries', 'Executable spread: nothing in range');
  return chartFigure({
    kind: 'time', name: 'spread-timeseries', title: 'Executable spread (%)', unit: { suffix: '%' },
    series: m.spreadSeries.map((s) => ({ label: s.key, points: s.points.map((p) => [p.t, p.pct] as [number, number]) })),
    thresholds: m.thresholdsPct.map((p) => ({ label: `threshold ${p}%`, v: Number(p) })),
  });
}

export function desyncChart(m: ReportModel): string {
  const d = m.desyncMix;
  const total = d.Low + d.Medium + d.High;
  const levels = [
    { label: 'Low', color: '#16a34a', n: d.Low },
    { label: 'Medium', color: '#f59e0b', n: d.Medium },
    { label: 'High', color: '#dc2626', n: d.High },
  ];
  return bars({
    kind: 'bars', name: 'desync-mix', xLabel: 'level', title: 'Desync risk', layout: 'stacked',
    categories: levels.map((l) => `${l.label} ${pctOf(l.n, total)}`),
    hovers: levels.map((l) => `${l.label}: ${l.n} of ${total} judgments`),
    series: levels.map((l, k) => ({ label: l.label, color: l.color, values: levels.map((_, i) => (i === k ? l.n : 0)) })),
  });
}

export function episodesChart(m: ReportModel): string {
  return bars({
    kind: 'bars', name: 'episode-durations', xLabel: 'duration', title: 'Episode duration', layout: 'stacked',
    categories: m.episodes.buckets.map((b) => b.label),
    series: [{ label: 'episodes', color: '#7c3aed', values: m.episodes.buckets.map((b) => b.count) }],
  });
}

export function livePnlChart(m: ReportModel): string {
  const pnl = m.live.trades.filter((t) => t.realizedNet !== undefined);
  if (pnl.length === 0) return emptyFigure('live-pnl', m.live.trades.length ? 'Live trades have no realized PnL yet' : liveEmptyReason(m));
  return chartFigure({
    kind: 'scatter', name: 'live-pnl', title: 'Estimated vs realized net (USD)', groups: [{ label: 'trade', color: '#2563eb' }], guide: 'diagonal', xUnit: USD, yUnit: USD, xLabel: 'estimated',
    points: pnl.map((t) => ({ x: t.estimatedNet.toNumber(), y: t.realizedNet!.toNumber(), group: 0, hover: `${t.id} ${t.instrument}: est ${usd(t.estimatedNet)} → real ${usd(t.realizedNet)} (${t.state})` })),
  });
}

export function liveTimeChart(m: ReportModel): string {
  const timed = m.live.trades.filter((t) => t.actualMs !== undefined);
  if (timed.length === 0) return emptyFigure('live-time', m.live.trades.length ? 'Live trades have no execution times yet' : 'No live trades: no execution times to compare');
  return bars({
    kind: 'bars', name: 'live-time', xLabel: 'trade', title: 'Execution time per trade (ms): estimate and real', layout: 'grouped', unit: { suffix: ' ms' },
    categories: timed.map((t) => t.id.slice(-6)),
    hovers: timed.map((t) => `${t.id}: est ${t.estimatedMs ?? '-'} ms, real ${t.actualMs} ms`),
    series: [
      { label: 'estimated', color: '#9ca3af', values: timed.map((t) => t.estimatedMs ?? null) },
      { label: 'real', color: '#2563eb', values: timed.map((t) => t.actualMs!) },
    ],
  });
}

function liveEmptyReason(m: ReportModel): string {
  return m.live.tablePresent ? 'No live trades in range' : 'No live trades (this journal has no live-trades table: dry-run only)';
}

export function pairPnlChart(m: ReportModel): string {
  const closed = m.pairLifecycles.pairs.filter((p) => p.realizedPnl !== undefined);
  if (closed.length === 0) return emptyFigure('pair-pnl', 'No closed pairs yet: no realized PnL to compare');
  return chartFigure({
    kind: 'scatter', name: 'pair-pnl', title: 'Expected vs realized PnL per closed pair (USD)', groups: PAIR_MODES, guide: 'diagonal', xUnit: USD, yUnit: USD, xLabel: 'expected',
    points: closed.map((p) => ({
      x: p.expectedPnl.toNumber(),
      y: p.realizedPnl!.toNumber(),
      group: p.mode === 'live' ? 1 : 0,
      hover: `${p.id} ${p.instrument} long ${p.longVenue} / short ${p.shortVenue} (${p.mode}): expected ${usd(p.expectedPnl)} → realized ${usd(p.realizedPnl)}, held ${duration(p.holdingMs)}, ${p.exitReason ?? '-'}`,
    })),
  });
}

export function pairHoldingChart(m: ReportModel): string {
  const p = m.pairLifecycles;
  if (p.closed === 0) return emptyFigure('pair-holding', 'No closed pairs yet: no holding times');
  return bars({
    kind: 'bars', name: 'pair-holding', xLabel: 'held', title: 'Holding time of closed pairs', layout: 'stacked',
    categories: p.holdingBuckets.map((b) => b.label),
    series: [{ label: 'pairs', color: '#0891b2', values: p.holdingBuckets.map((b) => b.count) }],
  });
}
