/**
 * The maker-taker section of the report, from the quote desk's rows (migration 8: quote_events,
 * maker_fills, maker_hedges): quotes placed, fill rate, hedge latency, hedge slippage against the
 * price each quote was priced on, markout (adverse selection), net per fill, and the same fills
 * priced as taker-taker. Read, built (pure, Decimal throughout) and rendered here; the report
 * model, terminal and HTML each call in with one line.
 *
 * Signs, so every figure reads the same way: slippage is a cost (+ = the hedge filled worse than
 * the quote's hedge price); markout and net are for us (+ = good). A markout the session did not
 * live to sample is n/a, never 0.
 */
import type Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { escapeHtml as esc } from '../charts/escape.ts';
import { percentile } from './stats.ts';
import { pctOf, usd } from './format.ts';

export interface QuoteEventRow {
  tradeId: string;
  kind: 'place' | 'replace' | 'cancel' | 'refused' | 'ended-by-venue';
  reason: string | null;
  at: number;
}

export interface MakerFillRow {
  tradeId: string;
  side: 'buy' | 'sell';
  size: Decimal;
  price: Decimal;
  fee: Decimal;
  midAtFill: Decimal | undefined;
  mid1s: Decimal | undefined;
  mid10s: Decimal | undefined;
  /** Taker-taker at the moment the fill was learned: the maker book crossed, the hedge book crossed, both taker fee rates. */
  ttMakerPrice: Decimal | undefined;
  ttTakerPrice: Decimal | undefined;
  ttMakerFeeRate: Decimal | undefined;
  ttTakerFeeRate: Decimal | undefined;
  seenAt: number;
}

export interface MakerHedgeRow {
  tradeId: string;
  outcome: string;
  /** The maker side the hedged lot held. */
  side: 'buy' | 'sell';
  expectedHedgePrice: Decimal;
  closeSize: Decimal;
  closeNotional: Decimal;
  net: Decimal | undefined;
  latencyMs: number | undefined;
}

export interface MakerTakerRows {
  events: QuoteEventRow[];
  fills: MakerFillRow[];
  hedges: MakerHedgeRow[];
}

export interface Markout {
  /** Fills with both mids. */
  sampled: number;
  /** Fills without one (the session ended first, or the book was not tradable): n/a. */
  missing: number;
  /** Σ signed mid move × size; undefined when none sampled. */
  usd: Decimal | undefined;
  /** usd over Σ mid at fill × size, in bps. */
  bps: Decimal | undefined;
}

export interface MakerTakerReport {
  /** False on a journal from before migration 8. */
  tablePresent: boolean;
  /** Quotes sent that the venue did not refuse at the send. */
  quotesPlaced: number;
  /** Refused at the send, rejected later, or cancelled by the venue itself (post-only). */
  endedByVenue: number;
  replaced: number;
  cancelled: number;
  /** Cancel reasons (replaces included, as "reprice"), their text up to the first detail. */
  cancelReasons: { reason: string; count: number }[];
  quotesFilled: number;
  /** quotesFilled / quotesPlaced; undefined when none placed. */
  fillRate: Decimal | undefined;
  fills: number;
  hedged: number;
  /** Hedge rows that closed on the maker venue or ended unresolved. */
  notHedged: number;
  latency: { count: number; p50Ms: number | undefined; p90Ms: number | undefined; missing: number };
  slippage: { hedges: number; usd: Decimal; bps: Decimal | undefined };
  markout1s: Markout;
  markout10s: Markout;
  net: { total: Decimal; perFill: Decimal | undefined };
  takerTaker: { priced: number; missing: number; total: Decimal; perFill: Decimal | undefined };
}

export const NO_MAKER_TAKER: MakerTakerReport = buildMakerTaker(undefined);

/** The desk's rows at or after `since` (ms); undefined on a journal from before migration 8. */
export function readMakerTaker(db: Database.Database, since: number): MakerTakerRows | undefined {
  const present = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'maker_hedges'").get() as { n: number }).n > 0;
  if (!present) return undefined;
  const opt = (v: unknown) => (v === null || v === undefined ? undefined : new Decimal(String(v)));
  type Row = Record<string, string | number | null>;
  const events = (db.prepare('SELECT trade_id, kind, reason, at FROM quote_events WHERE at >= ? ORDER BY at, seq').all(since) as Row[]).map((r) => ({
    tradeId: String(r.trade_id),
    kind: String(r.kind) as QuoteEventRow['kind'],
    reason: r.reason === null ? null : String(r.reason),
    at: Number(r.at),
  }));
  const fills = (db.prepare('SELECT * FROM maker_fills WHERE seen_at >= ? ORDER BY seen_at, venue, fill_id').all(since) as Row[]).map((r) => ({
    tradeId: String(r.trade_id),
    side: String(r.side) as 'buy' | 'sell',
    size: new Decimal(String(r.size)),
    price: new Decimal(String(r.price)),
    fee: new Decimal(String(r.fee)),
    midAtFill: opt(r.mid_at_fill),
    mid1s: opt(r.mid_1s),
    mid10s: opt(r.mid_10s),
    ttMakerPrice: opt(r.tt_maker_price),
    ttTakerPrice: opt(r.tt_taker_price),
    ttMakerFeeRate: opt(r.tt_maker_fee_rate),
    ttTakerFeeRate: opt(r.tt_taker_fee_rate),
    seenAt: Number(r.seen_at),
  }));
  const hedges = (db.prepare('SELECT * FROM maker_hedges WHERE at >= ? ORDER BY at, seq').all(since) as Row[]).map((r) => ({
    tradeId: String(r.trade_id),
    outcome: String(r.outcome),
    side: String(r.side) as 'buy' | 'sell',
    expectedHedgePrice: new Decimal(String(r.expected_hedge_price)),
    closeSize: new Decimal(String(r.close_size)),
    closeNotional: new Decimal(String(r.close_notional)),
    net: opt(r.net),
    latencyMs: r.latency_ms === null ? undefined : Number(r.latency_ms),
  }));
  return { events, fills, hedges };
}

export function buildMakerTaker(rows: MakerTakerRows | undefined): MakerTakerReport {
  const x = rows ?? { events: [], fills: [], hedges: [] };
  const ids = (kind: QuoteEventRow['kind']) => new Set(x.events.filter((e) => e.kind === kind).map((e) => e.tradeId));
  const sent = ids('place');
  const refusedAtSend = ids('refused');
  const placed = [...sent].filter((id) => !refusedAtSend.has(id));
  const filledQuotes = new Set(x.fills.map((f) => f.tradeId));
  const quotesFilled = placed.filter((id) => filledQuotes.has(id)).length;

  const reasons = new Map<string, number>();
  for (const e of x.events) {
    if (e.kind !== 'cancel' && e.kind !== 'replace') continue;
    const r = e.kind === 'replace' ? 'reprice' : reasonHead(e.reason);
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }

  const hedged = x.hedges.filter((h) => h.outcome === 'hedged');
  const latencies = hedged.flatMap((h) => (h.latencyMs === undefined ? [] : [h.latencyMs])).sort((a, b) => a - b);

  let slipUsd = new Decimal(0);
  let slipBase = new Decimal(0);
  let slipHedges = 0;
  for (const h of hedged) {
    if (h.closeSize.lte(0)) continue;
    const actual = h.closeNotional.div(h.closeSize);
    // A maker buy is hedged by a sell: filling below the expected price is the cost; a maker sell's hedge buys.
    const perUnit = h.side === 'buy' ? h.expectedHedgePrice.minus(actual) : actual.minus(h.expectedHedgePrice);
    slipUsd = slipUsd.plus(perUnit.mul(h.closeSize));
    slipBase = slipBase.plus(h.expectedHedgePrice.mul(h.closeSize));
    slipHedges++;
  }

  const netTotal = x.hedges.reduce((s, h) => (h.net ? s.plus(h.net) : s), new Decimal(0));
  let ttTotal = new Decimal(0);
  let ttPriced = 0;
  for (const f of x.fills) {
    const tt = takerTakerNet(f);
    if (!tt) continue;
    ttTotal = ttTotal.plus(tt);
    ttPriced++;
  }

  return {
    tablePresent: rows !== undefined,
    quotesPlaced: placed.length,
    endedByVenue: new Set([...refusedAtSend, ...ids('ended-by-venue')]).size,
    replaced: ids('replace').size,
    cancelled: ids('cancel').size,
    cancelReasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    quotesFilled,
    fillRate: placed.length ? new Decimal(quotesFilled).div(placed.length) : undefined,
    fills: x.fills.length,
    hedged: hedged.length,
    notHedged: x.hedges.length - hedged.length,
    latency: { count: latencies.length, p50Ms: percentile(latencies, 0.5), p90Ms: percentile(latencies, 0.9), missing: hedged.length - latencies.length },
    slippage: { hedges: slipHedges, usd: slipUsd, bps: slipBase.gt(0) ? slipUsd.div(slipBase).mul(10_000) : undefined },
    markout1s: markout(x.fills, (f) => f.mid1s),
    markout10s: markout(x.fills, (f) => f.mid10s),
    net: { total: netTotal, perFill: x.fills.length ? netTotal.div(x.fills.length) : undefined },
    takerTaker: { priced: ttPriced, missing: x.fills.length - ttPriced, total: ttTotal, perFill: ttPriced ? ttTotal.div(ttPriced) : undefined },
  };
}

/**
 * The fill's size crossing both books when it was learned, taker fees on both legs (gas left out,
 * as in the maker-taker net): a maker buy becomes a buy at the maker venue's ask walk and a sell
 * at the hedge venue's bid walk; a maker sell the reverse. Undefined when either book was not tradable.
 */
export function takerTakerNet(f: MakerFillRow): Decimal | undefined {
  if (!f.ttMakerPrice || !f.ttTakerPrice || !f.ttMakerFeeRate || !f.ttTakerFeeRate) return undefined;
  const onMaker = f.ttMakerPrice.mul(f.size);
  const onTaker = f.ttTakerPrice.mul(f.size);
  const fees = onMaker.mul(f.ttMakerFeeRate).plus(onTaker.mul(f.ttTakerFeeRate));
  return (f.side === 'buy' ? onTaker.minus(onMaker) : onMaker.minus(onTaker)).minus(fees);
}

function markout(fills: readonly MakerFillRow[], at: (f: MakerFillRow) => Decimal | undefined): Markout {
  let sum = new Decimal(0);
  let base = new Decimal(0);
  let sampled = 0;
  for (const f of fills) {
    const later = at(f);
    if (!later || !f.midAtFill) continue;
    // A buy gains when the mid rises after it; a sell when it falls.
    const move = f.side === 'buy' ? later.minus(f.midAtFill) : f.midAtFill.minus(later);
    sum = sum.plus(move.mul(f.size));
    base = base.plus(f.midAtFill.mul(f.size));
    sampled++;
  }
  return { sampled, missing: fills.length - sampled, usd: sampled ? sum : undefined, bps: sampled && base.gt(0) ? sum.div(base).mul(10_000) : undefined };
}

/** "paradex ETH-USD-PERP book stale (gap)" → "paradex ETH-USD-PERP book stale"; "kill switch: …" → "kill switch". */
function reasonHead(reason: string | null): string {
  if (!reason) return '-';
  return reason.split(/:| \(/)[0]!.trim() || reason;
}

const bps = (d: Decimal | undefined) => (d === undefined ? 'n/a' : `${d.isNegative() ? '' : '+'}${d.toDecimalPlaces(2).toFixed(2)} bps`);
const signedUsd = (d: Decimal | undefined) => (d === undefined ? 'n/a' : `${d.isNegative() ? '' : '+'}${usd(d)}`);
const ms = (v: number | undefined) => (v === undefined ? 'n/a' : `${v} ms`);

function markoutText(m: Markout): string {
  if (m.sampled === 0) return `n/a (${m.missing} fill(s) not sampled)`;
  return `${signedUsd(m.usd)} (${bps(m.bps)}, ${m.sampled} fill(s)${m.missing ? `; ${m.missing} n/a` : ''})`;
}

/** Label and value pairs: the same figures in the terminal and the HTML table. */
export function makerTakerFigures(r: MakerTakerReport): [string, string][] {
  const reasons = r.cancelReasons.map((c) => `${c.reason} ${c.count}`).join(', ') || '-';
  return [
    ['quotes placed', `${r.quotesPlaced}${r.endedByVenue ? ` (${r.endedByVenue} refused or cancelled by the venue)` : ''}; replaced ${r.replaced}, cancelled ${r.cancelled}`],
    ['cancel reasons', reasons],
    ['fill rate', `${r.quotesFilled} of ${r.quotesPlaced} quotes filled (${pctOf(r.quotesFilled, r.quotesPlaced)}); ${r.fills} maker fill(s), ${r.hedged} hedge(s), ${r.notHedged} not hedged (unwound or unresolved)`],
    ['hedge latency (fill learned → hedge ack)', `p50 ${ms(r.latency.p50Ms)}, p90 ${ms(r.latency.p90Ms)} over ${r.latency.count} hedge(s)${r.latency.missing ? `; ${r.latency.missing} without an ack time` : ''}`],
    ['hedge slippage vs the quote’s hedge price (+ = worse)', r.slippage.hedges ? `${signedUsd(r.slippage.usd)} (${bps(r.slippage.bps)}) over ${r.slippage.hedges} hedge(s)` : 'n/a'],
    ['markout 1 s (maker mid move, + = good for us)', markoutText(r.markout1s)],
    ['markout 10 s', markoutText(r.markout10s)],
    ['net per maker fill (both sides, fees)', r.net.perFill === undefined ? 'n/a' : `${signedUsd(r.net.perFill)} (total ${signedUsd(r.net.total)} over ${r.fills} fill(s))`],
    [
      'same fills as taker-taker (both books crossed at the fill, taker fees)',
      r.takerTaker.perFill === undefined ? 'n/a' : `${signedUsd(r.takerTaker.perFill)} per fill (total ${signedUsd(r.takerTaker.total)} over ${r.takerTaker.priced} fill(s)${r.takerTaker.missing ? `; ${r.takerTaker.missing} n/a` : ''})`,
    ],
  ];
}

/** Terminal lines; none when the range holds no maker-taker quote. */
export function makerTakerLines(r: MakerTakerReport): string[] {
  if (r.quotesPlaced === 0 && r.fills === 0 && r.endedByVenue === 0) return [];
  return ['── Maker-taker ──', ...makerTakerFigures(r).map(([label, value]) => `  ${label}: ${value}`)];
}

/** The HTML section's body (a table), or none when the range holds no maker-taker quote. */
export function makerTakerHtml(r: MakerTakerReport): string[] {
  if (r.quotesPlaced === 0 && r.fills === 0 && r.endedByVenue === 0) return [];
  const rows = makerTakerFigures(r)
    .map(([label, value]) => `<tr><td>${esc(label)}</td><td>${esc(value)}</td></tr>`)
    .join('');
  return [`<table class="maker-taker"><tr><th>figure</th><th>value</th></tr>${rows}</table>`];
}
