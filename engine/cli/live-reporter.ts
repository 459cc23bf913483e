/**
 * The trader's console in live mode: one line per finished trade (what each order did, the
 * realized PnL, detection -> ack per leg) and a live section in the session summary. Money is
 * rounded to cents for display only; the journal keeps it exact.
 */
import { Decimal } from 'decimal.js';
import type { TradeResult } from '../execution/trade-result.ts';
import { usd } from './console-reporter.ts';

export interface LiveTally {
  trades: number;
  byState: Record<string, number>;
  realized: Decimal;
  /** Detection -> venue ack, ms, per leg role (leg1, leg2). */
  ackMs: Record<'leg1' | 'leg2', number[]>;
}

export function emptyLiveTally(): LiveTally {
  return { trades: 0, byState: {}, realized: new Decimal(0), ackMs: { leg1: [], leg2: [] } };
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
  if (r.realizedPnl) t.realized = t.realized.plus(r.realizedPnl);
  for (const o of r.orders) {
    const role = roleOf(o.request.clientId);
    if ((role === 'leg1' || role === 'leg2') && o.times.ackedAt !== undefined && r.latency) t.ackMs[role].push(o.times.ackedAt - r.latency.detectedAt);
  }
}

export function formatTrade(r: TradeResult): string {
  const legs = r.orders.map((o) => {
    const q = o.request;
    const what = o.outcome === 'confirmed' ? `${o.filled.toString()} @ ${o.averagePrice ? o.averagePrice.toDecimalPlaces(4).toString() : '-'}` : o.outcome;
    return `${roleOf(q.clientId)} ${q.side} ${q.venue} ${q.size.toString()}: ${what}`;
  });
  const acks = r.orders
    .filter((o) => o.times.ackedAt !== undefined && r.latency && ['leg1', 'leg2'].includes(roleOf(o.request.clientId)))
    .map((o) => `${roleOf(o.request.clientId)} ${o.times.ackedAt! - r.latency!.detectedAt} ms`);
  const pnl = r.realizedPnl ? usd(r.realizedPnl) : 'open (unresolved)';
  return (
    `[LIVE] ${MARK[r.state] ?? '•'} ${r.state} ${r.instrument} | PnL ${pnl}${r.residual.gt(0) ? ` | residual ${r.residual.toString()}` : ''}` +
    `${acks.length ? ` | detect→ack ${acks.join(', ')}` : ''}\n  └─ ${legs.join(' | ')}${r.note ? ` (${r.note})` : ''}`
  );
}

function stats(ms: number[]): string {
  if (ms.length === 0) return '-';
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${s[s.length - 1]} ms (n=${s.length})`;
}

export function formatLiveSummary(t: LiveTally): string {
  const states = Object.entries(t.byState).map(([s, n]) => `${s} ${n}`).join(', ') || 'none';
  return [
    `  live trades: ${t.trades} (${states})`,
    `  realized PnL (flat trades, fees included): ${usd(t.realized)}`,
    `  detection → ack, leg 1: ${stats(t.ackMs.leg1)}`,
    `  detection → ack, leg 2: ${stats(t.ackMs.leg2)}`,
  ].join('\n');
}
