/**
 * The report's numbers, computed once from the journal extract; the terminal and the HTML
 * render the same model. Money is summed and binned as Decimal; only the chart geometry
 * later turns values into screen numbers.
 */
import { Decimal } from 'decimal.js';
import { bucketEpisodes, findEpisodes } from './episodes.ts';
import { percentile } from './stats.ts';
import type { JournalExtract, JudgedOpportunity, LiveTradeOutcome } from './journal-rows.ts';
import { buildPairLifecycles, type PairLifecycleReport } from './pair-lifecycles.ts';
import { NO_CARRY, type CarryReport } from './carry.ts';
import { buildMakerTaker, type MakerTakerReport } from './maker-taker.ts';

export const HOUR_MS = 3_600_000;

export interface DecisionCounts {
  accept: number;
  reject: number;
  skip: number;
}

export interface PairStats extends DecisionCounts {
  /** "vest → paradex": buy on the first, sell on the second. */
  pair: string;
  buyVenue: string;
  sellVenue: string;
  judged: number;
  instruments: string[];
  sumNetAccepted: Decimal;
  bestNet: Decimal;
}

export interface NetBin {
  from: Decimal;
  to: Decimal;
  count: number;
}

export interface SpreadSeries {
  /** "BTC-USD-PERP vest → paradex" */
  key: string;
  /** Time and executable spread in percent (drawing precision). */
  points: { t: number; pct: number }[];
}

export interface ReportModel {
  from: number | undefined;
  to: number | undefined;
  sessions: JournalExtract['sessions'];
  totals: DecisionCounts & {
    judged: number;
    flaggedMedium: number;
    sumNetAccepted: Decimal;
    bestNet: Decimal | undefined;
    medianNet: Decimal | undefined;
  };
  perHour: ({ hourStart: number } & DecisionCounts)[];
  pairs: PairStats[];
  netHistogram: NetBin[];
  /** Each judged trade's notional and net (the "per size" view), decimated for drawing. */
  netBySize: { notional: number; net: number; decision: string }[];
  spreadSeries: SpreadSeries[];
  /** Distinct thresholds (percent) of the sessions in range. */
  thresholdsPct: string[];
  desyncMix: { Low: number; Medium: number; High: number };
  episodes: {
    gapMs: number;
    count: number;
    medianMs: number | undefined;
    p90Ms: number | undefined;
    maxMs: number | undefined;
    buckets: { label: string; count: number }[];
  };
  live: { tablePresent: boolean; trades: LiveTradeOutcome[] };
  /** Pair positions opened in range (none, with tablePresent false, on a journal from before pairs). */
  pairLifecycles: PairLifecycleReport;
  /** funding-arb's carry judgments (decided by the carry, not the execution simulator). */
  carry: CarryReport;
  /** Maker-taker quotes, fills, hedges and markouts (engine/report/maker-taker.ts). */
  makerTaker: MakerTakerReport;
}

export interface ReportOptions {
  /** Gap that ends an episode, ms. */
  episodeGapMs: number;
  /** Most points a scatter or series keeps (deterministic decimation). */
  maxPoints?: number;
}

export function buildReport(x: JournalExtract, o: ReportOptions): ReportModel {
  const opps = x.opportunities;
  const maxPoints = o.maxPoints ?? 2000;
  const episodes = findEpisodes(opps, o.episodeGapMs);
  const durations = episodes.map((e) => e.end - e.start).sort((a, b) => a - b);
  const sessionIds = new Set(opps.map((r) => r.sessionId));
  return {
    from: opps[0]?.detectedAt,
    to: opps.at(-1)?.detectedAt,
    sessions: x.sessions,
    totals: totals(opps),
    perHour: perHour(opps),
    pairs: pairs(opps),
    netHistogram: netHistogram(opps.map((r) => r.net)),
    netBySize: decimate(opps, maxPoints).map((r) => ({ notional: r.notional.toNumber(), net: r.net.toNumber(), decision: r.decision })),
    spreadSeries: spreadSeries(opps, maxPoints),
    thresholdsPct: [...new Set(x.sessions.filter((s) => sessionIds.has(s.id) && s.thresholdPct !== undefined).map((s) => s.thresholdPct!))],
    desyncMix: {
      Low: opps.filter((r) => r.desyncLevel === 'Low').length,
      Medium: opps.filter((r) => r.desyncLevel === 'Medium').length,
      High: opps.filter((r) => r.desyncLevel === 'High').length,
    },
    episodes: {
      gapMs: o.episodeGapMs,
      count: episodes.length,
      medianMs: percentile(durations, 0.5),
      p90Ms: percentile(durations, 0.9),
      maxMs: durations.at(-1),
      buckets: bucketEpisodes(episodes),
    },
    live: { tablePresent: x.hasLiveTable, trades: x.liveTrades },
    pairLifecycles: buildPairLifecycles(x.pairLifecycles),
    carry: x.carry ?? NO_CARRY,
    makerTaker: buildMakerTaker(x.makerTaker),
  };
}

function count(c: DecisionCounts, d: string): void {
  if (d === 'accept') c.accept++;
  else if (d === 'skip-high-risk') c.skip++;
  else c.reject++;
}

function totals(opps: readonly JudgedOpportunity[]): ReportModel['totals'] {
  const t = { judged: opps.length, accept: 0, reject: 0, skip: 0, flaggedMedium: 0, sumNetAccepted: new Decimal(0), bestNet: undefined as Decimal | undefined };
  for (const r of opps) {
    count(t, r.decision);
    if (r.decision === 'accept') t.sumNetAccepted = t.sumNetAccepted.plus(r.net);
    if (r.desyncLevel === 'Medium') t.flaggedMedium++;
    if (!t.bestNet || r.net.gt(t.bestNet)) t.bestNet = r.net;
  }
  const sorted = opps.map((r) => r.net).sort((a, b) => a.comparedTo(b));
  // Lower median for an even count: a value that occurred, not an average of two.
  const medianNet = sorted.length ? sorted[Math.ceil(sorted.length / 2) - 1] : undefined;
  return { ...t, medianNet };
}

/** Every hour from the first to the last judgment, empty hours included, so gaps show. */
function perHour(opps: readonly JudgedOpportunity[]): ReportModel['perHour'] {
  if (opps.length === 0) return [];
  const first = Math.floor(opps[0]!.detectedAt / HOUR_MS);
  const last = Math.floor(opps.at(-1)!.detectedAt / HOUR_MS);
  const hours = Array.from({ length: last - first + 1 }, (_, i) => ({ hourStart: (first + i) * HOUR_MS, accept: 0, reject: 0, skip: 0 }));
  for (const r of opps) count(hours[Math.floor(r.detectedAt / HOUR_MS) - first]!, r.decision);
  return hours;
}

function pairs(opps: readonly JudgedOpportunity[]): PairStats[] {
  const by = new Map<string, PairStats>();
  for (const r of opps) {
    const pair = `${r.buyVenue} → ${r.sellVenue}`;
    let p = by.get(pair);
    if (!p) {
      p = { pair, buyVenue: r.buyVenue, sellVenue: r.sellVenue, judged: 0, accept: 0, reject: 0, skip: 0, instruments: [], sumNetAccepted: new Decimal(0), bestNet: r.net };
      by.set(pair, p);
    }
    p.judged++;
    count(p, r.decision);
    if (!p.instruments.includes(r.instrument)) p.instruments.push(r.instrument);
    if (r.decision === 'accept') p.sumNetAccepted = p.sumNetAccepted.plus(r.net);
    if (r.net.gt(p.bestNet)) p.bestNet = r.net;
  }
  return [...by.values()].sort((a, b) => b.judged - a.judged || a.pair.localeCompare(b.pair));
}

/** About 20 bins of a 1-2-5 width, edges on multiples of the width, so they read as round money. */
export function netHistogram(values: readonly Decimal[], targetBins = 20): NetBin[] {
  if (values.length === 0) return [];
  const min = Decimal.min(...values);
  const max = Decimal.max(...values);
  const width = niceStep(max.minus(min).div(targetBins));
  const start = min.div(width).floor().mul(width);
  const n = max.minus(start).div(width).floor().toNumber() + 1;
  const bins: NetBin[] = Array.from({ length: n }, (_, i) => ({ from: start.plus(width.mul(i)), to: start.plus(width.mul(i + 1)), count: 0 }));
  for (const v of values) bins[v.minus(start).div(width).floor().toNumber()]!.count++;
  return bins;
}

/** Smallest 1, 2 or 5 times a power of ten that is at least `raw` (0.01 when everything is equal). */
export function niceStep(raw: Decimal): Decimal {
  if (raw.lte(0)) return new Decimal('0.01');
  const exp = Math.floor(Math.log10(raw.toNumber()));
  for (const e of [exp - 1, exp, exp + 1]) {
    for (const m of [1, 2, 5]) {
      const step = new Decimal(m).mul(new Decimal(10).pow(e));
      if (step.gte(raw)) return step;
    }
  }
  return new Decimal(10).pow(exp + 2);
}

function spreadSeries(opps: readonly JudgedOpportunity[], maxPoints: number): SpreadSeries[] {
  const by = new Map<string, JudgedOpportunity[]>();
  for (const r of opps) {
    const key = `${r.instrument} ${r.buyVenue} → ${r.sellVenue}`;
    const list = by.get(key) ?? [];
    list.push(r);
    by.set(key, list);
  }
  const perSeries = Math.max(50, Math.floor(maxPoints / Math.max(1, by.size)));
  return [...by]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, list]) => ({ key, points: decimate(list, perSeries).map((r) => ({ t: r.detectedAt, pct: r.executableSpread.mul(100).toNumber() })) }));
}

/** Every k-th element (first and last kept): deterministic, keeps the shape of a long series. */
export function decimate<T>(list: readonly T[], max: number): T[] {
  if (list.length <= max) return [...list];
  const step = (list.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => list[Math.round(i * step)]!);
}
