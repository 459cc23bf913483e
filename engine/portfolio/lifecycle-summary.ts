/**
 * What the report shows about pairs: per pair its holding time, entry and exit spread,
 * funding, fees, realized against expected PnL; and totals. Sums are exact (decimal.js over
 * the journal's decimal strings, never SQL arithmetic on TEXT).
 */
import { Decimal } from 'decimal.js';
import type Database from 'better-sqlite3';

export interface PairLifecycleRow {
  id: string;
  strategy: string;
  instrument: string;
  mode: string;
  state: string;
  longVenue: string;
  shortVenue: string;
  size: string;
  openedAt: number;
  closedAt: number | null;
  /** Closed pairs only. */
  holdingMs: number | null;
  entrySpread: string;
  exitSpread: string | null;
  exitReason: string | null;
  fees: string;
  funding: string;
  expectedPnl: string;
  realizedPnl: string | null;
  /** realized - expected, closed pairs only. */
  pnlGap: string | null;
}

export interface PairLifecycleSummary {
  pairs: PairLifecycleRow[];
  /** Not yet closed (open or closing). */
  open: number;
  closed: number;
  /** The same counts per mode ('simulated' | 'live'). */
  byMode: Record<string, { open: number; closed: number }>;
  totals: { realizedPnl: string; expectedPnl: string; funding: string; fees: string };
  byExitReason: Record<string, number>;
  averageHoldingMs: number | null;
}

/** Which pairs to summarize; every pair when empty. */
export interface PairScope {
  /** Only pairs opened in this session. */
  sessionId?: string;
  /** Only pairs opened at or after this time (ms): the report's --since window. */
  openedSince?: number;
}

/** @param scope a session id (only pairs opened in it) or a PairScope; all pairs when omitted. */
export function pairLifecycleSummary(db: Database.Database, scope: string | PairScope = {}): PairLifecycleSummary {
  const { sessionId, openedSince } = typeof scope === 'string' ? { sessionId: scope, openedSince: undefined } : scope;
  const where: string[] = [];
  const params: Array<string | number> = [];
  if (sessionId !== undefined) {
    where.push('session_id = ?');
    params.push(sessionId);
  }
  if (openedSince !== undefined) {
    where.push('opened_at >= ?');
    params.push(openedSince);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')} ` : '';
  const rows = db.prepare(`SELECT * FROM pair_positions ${filter}ORDER BY opened_at, id`).all(...params) as Array<Record<string, string | number | null>>;
  let realized = new Decimal(0);
  let expected = new Decimal(0);
  let funding = new Decimal(0);
  let fees = new Decimal(0);
  let holdSum = 0;
  let closed = 0;
  const byExitReason: Record<string, number> = {};
  const byMode: Record<string, { open: number; closed: number }> = {};
  const pairs = rows.map((r): PairLifecycleRow => {
    const s = (k: string) => r[k] as string;
    const pairFees = new Decimal(s('entry_fees')).plus(s('exit_fees'));
    const isClosed = r['state'] === 'closed' && r['realized_pnl'] !== null;
    funding = funding.plus(s('funding'));
    fees = fees.plus(pairFees);
    let holdingMs: number | null = null;
    let gap: string | null = null;
    const mode = (byMode[s('mode')] ??= { open: 0, closed: 0 });
    if (isClosed) {
      closed++;
      mode.closed++;
      holdingMs = (r['closed_at'] as number) - (r['opened_at'] as number);
      holdSum += holdingMs;
      realized = realized.plus(s('realized_pnl'));
      expected = expected.plus(s('expected_pnl'));
      gap = new Decimal(s('realized_pnl')).minus(s('expected_pnl')).toString();
      const reason = String(r['exit_reason']);
      byExitReason[reason] = (byExitReason[reason] ?? 0) + 1;
    } else {
      mode.open++;
    }
    return {
      id: s('id'),
      strategy: s('strategy'),
      instrument: s('instrument'),
      mode: s('mode'),
      state: s('state'),
      longVenue: s('long_venue'),
      shortVenue: s('short_venue'),
      size: s('size'),
      openedAt: r['opened_at'] as number,
      closedAt: (r['closed_at'] as number | null) ?? null,
      holdingMs,
      entrySpread: s('entry_spread'),
      exitSpread: (r['exit_spread'] as string | null) ?? null,
      exitReason: (r['exit_reason'] as string | null) ?? null,
      fees: pairFees.toString(),
      funding: s('funding'),
      expectedPnl: s('expected_pnl'),
      realizedPnl: (r['realized_pnl'] as string | null) ?? null,
      pnlGap: gap,
    };
  });
  return {
    pairs,
    open: pairs.length - closed,
    closed,
    byMode,
    totals: { realizedPnl: realized.toString(), expectedPnl: expected.toString(), funding: funding.toString(), fees: fees.toString() },
    byExitReason,
    averageHoldingMs: closed > 0 ? Math.round(holdSum / closed) : null,
  };
}
