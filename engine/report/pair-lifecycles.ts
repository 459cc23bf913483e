/**
 * The report's view of pair positions: what each pair held, for how long, what it was
 * expected to make and what it made. Money comes from the journal's decimal strings
 * (pairLifecycleSummary sums them exactly) and stays Decimal here.
 */
import { Decimal } from 'decimal.js';
import type { PairLifecycleSummary } from '../portfolio/lifecycle-summary.ts';

export interface PairOutcome {
  id: string;
  strategy: string;
  instrument: string;
  mode: string;
  /** open | closing | closed */
  state: string;
  longVenue: string;
  shortVenue: string;
  size: Decimal;
  openedAt: number;
  closedAt: number | undefined;
  /** Closed pairs only. */
  holdingMs: number | undefined;
  /** Fractions: (short - long) / long. */
  entrySpread: Decimal;
  exitSpread: Decimal | undefined;
  exitReason: string | undefined;
  /** Entry and exit fees paid. */
  fees: Decimal;
  /** Signed from our side: + received. */
  funding: Decimal;
  expectedPnl: Decimal;
  realizedPnl: Decimal | undefined;
  /** realized - expected, closed pairs only. */
  pnlGap: Decimal | undefined;
}

export interface PairLifecycleReport {
  /** False when the journal has no pair_positions table (before pair tracking shipped). */
  tablePresent: boolean;
  /** Pairs opened in range, most recently opened first. */
  pairs: PairOutcome[];
  /** Not yet closed (open or closing). */
  open: number;
  closed: number;
  byMode: { mode: string; open: number; closed: number }[];
  totals: {
    /** Over closed pairs: an open pair has no realized PnL to compare yet. */
    realizedPnl: Decimal;
    expectedPnl: Decimal;
    pnlGap: Decimal;
    /** Over every pair, open ones included (funding accrued, entry fees paid so far). */
    funding: Decimal;
    fees: Decimal;
  };
  /** Most frequent first. */
  byExitReason: { reason: string; count: number }[];
  averageHoldingMs: number | undefined;
  holdingBuckets: { label: string; count: number }[];
}

/** Holding-time classes: a spread pair lives minutes, a funding pair hours to days. */
export const HOLDING_BUCKETS: { label: string; belowMs: number }[] = [
  { label: '< 1 min', belowMs: 60_000 },
  { label: '1-10 min', belowMs: 600_000 },
  { label: '10-60 min', belowMs: 3_600_000 },
  { label: '1-8 h', belowMs: 28_800_000 },
  { label: '8-24 h', belowMs: 86_400_000 },
  { label: '≥ 1 d', belowMs: Infinity },
];

export function buildPairLifecycles(summary: PairLifecycleSummary | undefined): PairLifecycleReport {
  const s = summary ?? { pairs: [], open: 0, closed: 0, byMode: {}, totals: { realizedPnl: '0', expectedPnl: '0', funding: '0', fees: '0' }, byExitReason: {}, averageHoldingMs: null };
  const pairs = s.pairs.map(
    (r): PairOutcome => ({
      id: r.id,
      strategy: r.strategy,
      instrument: r.instrument,
      mode: r.mode,
      state: r.state,
      longVenue: r.longVenue,
      shortVenue: r.shortVenue,
      size: new Decimal(r.size),
      openedAt: r.openedAt,
      closedAt: r.closedAt ?? undefined,
      holdingMs: r.holdingMs ?? undefined,
      entrySpread: new Decimal(r.entrySpread),
      exitSpread: optional(r.exitSpread),
      exitReason: r.exitReason ?? undefined,
      fees: new Decimal(r.fees),
      funding: new Decimal(r.funding),
      expectedPnl: new Decimal(r.expectedPnl),
      realizedPnl: optional(r.realizedPnl),
      pnlGap: optional(r.pnlGap),
    }),
  );
  const holdingBuckets = HOLDING_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  for (const p of pairs) {
    if (p.holdingMs !== undefined) holdingBuckets[HOLDING_BUCKETS.findIndex((b) => p.holdingMs! < b.belowMs)]!.count++;
  }
  const realized = new Decimal(s.totals.realizedPnl);
  const expected = new Decimal(s.totals.expectedPnl);
  return {
    tablePresent: summary !== undefined,
    pairs: pairs.sort((a, b) => b.openedAt - a.openedAt || b.id.localeCompare(a.id)),
    open: s.open,
    closed: s.closed,
    byMode: Object.entries(s.byMode)
      .map(([mode, c]) => ({ mode, ...c }))
      .sort((a, b) => a.mode.localeCompare(b.mode)),
    totals: { realizedPnl: realized, expectedPnl: expected, pnlGap: realized.minus(expected), funding: new Decimal(s.totals.funding), fees: new Decimal(s.totals.fees) },
    byExitReason: Object.entries(s.byExitReason)
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    averageHoldingMs: s.averageHoldingMs ?? undefined,
    holdingBuckets,
  };
}

function optional(v: string | null): Decimal | undefined {
  return v === null ? undefined : new Decimal(v);
}
