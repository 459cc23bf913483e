/**
 * The trader's console in live mode: one line per finished trade (what each order did, what it
 * made, detection -> ack per leg) and a live section in the session summary. Money is rounded to
 * cents for display only; the journal keeps it exact.
 *
 * What a trade made depends on what it left behind, and the console says which:
 * - a trade that opened a pair (completed, or hedged to balance) holds a long and a short: its
 *   fills' cash flow is the entry edge, locked in but not realized; the round trip is realized when
 *   the pair closes (its ⇄ line), and the judgment's expected round-trip net is printed beside it;
 * - a pair's close trade: its cash flow belongs to the pair (booked on the pair's ⇄ line);
 * - a trade that ended flat (unwound, stopped out, nothing filled): its cash flow is realized.
 * The summary's one realized total is closed pairs plus flat trades; open pairs are counted apart.
 */
import { Decimal } from 'decimal.js';
import type { TradeResult } from '../execution/trade-result.ts';
import type { TradePlan } from '../execution/trade-executor.ts';
import { pairIdOfClose } from '../portfolio/live-pairs.ts';
import { tradeKind } from '../portfolio/trade-kind.ts';

export { tradeKind, type TradeKind } from '../portfolio/trade-kind.ts';
import type { PairLifecycleSummary } from '../portfolio/lifecycle-summary.ts';
import { usd } from './console-reporter.ts';

export interface LiveTally {
  trades: number;
  byState: Record<string, number>;
  /** Trades that opened a pair (completed or hedged entries). */
  pairsOpened: number;
  /** Close trades of pairs. */
  pairCloses: number;
  /** Trades that ended flat: their cash flow is realized. */
  flatTrades: number;
  flatRealized: Decimal;
  /** Detection -> venue ack, ms, per leg role (leg1, leg2). */
  ackMs: Record<'leg1' | 'leg2', number[]>;
}

export function emptyLiveTally(): LiveTally {
  return { trades: 0, byState: {}, pairsOpened: 0, pairCloses: 0, flatTrades: 0, flatRealized: new Decimal(0), ackMs: { leg1: [], leg2: [] } };
}

const MARK: Record<string, string> = { completed: '✅', hedged: '🩹', unwound: '↩️', 'stopped-out': '🛑', 'no-fill': '∅', 'failed-unresolved': '❓' };

/** Role of an order from its client id suffix (client-ids.ts: -a1 leg1, -b1 leg2, -h hedge, -u unwind, -s stop-loss). */
function roleOf(clientId: string): string {
  const code = /-([abhus])\d+$/.exec(clientId)?.[1];
  return code === 'a' ? 'leg1' : code === 'b' ? 'leg2' : code === 'h' ? 'hedge' : code === 'u' ? 'unwind' : code === 's' ? 'stop-loss' : 'order';
}

export function tallyTrade(t: LiveTally, r: TradeResult): void {
  t.trades++;
  t.byState[r.state] = (t.byState[r.state] ?? 0) + 1;
  const kind = tradeKind(r);
  if (kind === 'pair-open') t.pairsOpened++;
  else if (kind === 'pair-close') t.pairCloses++;
  else if (kind === 'flat') {
    t.flatTrades++;
    if (r.realizedPnl) t.flatRealized = t.flatRealized.plus(r.realizedPnl);
  }
  for (const o of r.orders) {
    const role = roleOf(o.request.clientId);
    if ((role === 'leg1' || role === 'leg2') && o.times.ackedAt !== undefined && r.latency) t.ackMs[role].push(o.times.ackedAt - r.latency.detectedAt);
  }
}

function outcomeText(r: TradeResult, plan: TradePlan | undefined): string {
  const cash = r.realizedPnl ? usd(r.realizedPnl) : undefined;
  switch (tradeKind(r)) {
    case 'pair-open':
      return `entry ${cash ?? '-'} locked in, realized when the pair closes${plan ? ` (expected round trip ${usd(plan.net)})` : ''}`;
    case 'pair-close':
      return `close of pair ${pairIdOfClose(r.intentId)}: cash ${cash ?? '-'} (the pair's realized PnL is on its ⇄ line)`;
    case 'flat':
      return `realized ${cash ?? '$0.00'} (flat)`;
    case 'unresolved':
      return 'open (unresolved: the instrument is quarantined until reconciled)';
  }
}

export function formatTrade(r: TradeResult, plan?: TradePlan): string {
  const legs = r.orders.map((o) => {
    const q = o.request;
    const what = o.outcome === 'confirmed' ? `${o.filled.toString()} @ ${o.averagePrice ? o.averagePrice.toDecimalPlaces(4).toString() : '-'}` : o.outcome;
    return `${roleOf(q.clientId)} ${q.side} ${q.venue} ${q.size.toString()}: ${what}`;
  });
  const acks = r.orders
    .filter((o) => o.times.ackedAt !== undefined && r.latency && ['leg1', 'leg2'].includes(roleOf(o.request.clientId)))
    .map((o) => `${roleOf(o.request.clientId)} ${o.times.ackedAt! - r.latency!.detectedAt} ms`);
  return (
    `[LIVE] ${MARK[r.state] ?? '•'} ${r.state} ${r.instrument} | ${outcomeText(r, plan)}${r.residual.gt(0) ? ` | residual ${r.residual.toString()}` : ''}` +
    `${acks.length ? ` | detect→ack ${acks.join(', ')}` : ''}\n  └─ ${legs.join(' | ')}${r.note ? ` (${r.note})` : ''}`
  );
}

function stats(ms: number[]): string {
  if (ms.length === 0) return '-';
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${s[s.length - 1]} ms (n=${s.length})`;
}

/**
 * The live section of the session summary. `pairs` is this session's pair summary: its closed
 * pairs' realized PnL joins the flat trades' in the one realized total.
 */
export function formatLiveSummary(t: LiveTally, pairs: PairLifecycleSummary, opts: { simulators?: boolean } = {}): string {
  const states = Object.entries(t.byState).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  const pairRealized = new Decimal(pairs.totals.realizedPnl);
  const lines = [
    `  live trades: ${t.trades} (${states}): ${t.pairsOpened} opened a pair, ${t.pairCloses} closed one, ${t.flatTrades} ended flat`,
    `  realized: ${usd(pairRealized.plus(t.flatRealized))} = closed pairs ${usd(pairRealized)} + trades that ended flat ${usd(t.flatRealized)} (fees and funding included)`,
  ];
  if (pairs.open > 0) {
    lines.push(
      opts.simulators
        ? `  open pairs: ${pairs.open} not realized; they end with the simulators (each simulated live run has fresh accounts and its own journal)`
        : `  open pairs: ${pairs.open} not realized and STILL OPEN at the venues: stopping does not close them; the journal keeps them and the next \`arb run\` on this journal resumes their exit policy (or close them on the venues yourself)`,
    );
  }
  lines.push(`  detection → ack, leg 1: ${stats(t.ackMs.leg1)}`, `  detection → ack, leg 2: ${stats(t.ackMs.leg2)}`);
  return lines.join('\n');
}
