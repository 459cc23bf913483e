/**
 * Funding-carry judgments in the report (table funding_carry, migration 4): how often each
 * long/short venue pair was judged and accepted, and the best net APR seen. funding-arb's entry
 * is decided by the carry, not the execution simulator, so its judgments never reach the
 * opportunities table; without this section a carry-only journal reported "judged 0".
 */
import type Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';

export interface CarryPairStats {
  /** "vest / lighter": long on the first, short on the second. */
  pair: string;
  instruments: string[];
  judged: number;
  accepted: number;
  bestNetApr: Decimal;
  bestNet: Decimal;
}

export interface CarryReport {
  /** False on a journal from before migration 4 (no funding_carry table). */
  tablePresent: boolean;
  judged: number;
  accepted: number;
  pairs: CarryPairStats[];
}

export const NO_CARRY: CarryReport = { tablePresent: false, judged: 0, accepted: 0, pairs: [] };

/** Carry judgments at or after `since` (ms). */
export function readCarry(db: Database.Database, since: number): CarryReport {
  const present = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'funding_carry'").get() as { n: number }).n > 0;
  if (!present) return NO_CARRY;
  const rows = db
    .prepare('SELECT instrument, long_venue, short_venue, net, net_apr, decision FROM funding_carry WHERE judged_at >= ? ORDER BY judged_at, intent_id')
    .iterate(since) as IterableIterator<{ instrument: string; long_venue: string; short_venue: string; net: string; net_apr: string; decision: string }>;
  const by = new Map<string, CarryPairStats>();
  const report: CarryReport = { tablePresent: true, judged: 0, accepted: 0, pairs: [] };
  for (const r of rows) {
    const key = `${r.long_venue} / ${r.short_venue}`;
    const net = new Decimal(r.net);
    const apr = new Decimal(r.net_apr);
    let p = by.get(key);
    if (!p) by.set(key, (p = { pair: key, instruments: [], judged: 0, accepted: 0, bestNetApr: apr, bestNet: net }));
    p.judged++;
    report.judged++;
    if (r.decision === 'accept') {
      p.accepted++;
      report.accepted++;
    }
    if (!p.instruments.includes(r.instrument)) p.instruments.push(r.instrument);
    if (apr.gt(p.bestNetApr)) p.bestNetApr = apr;
    if (net.gt(p.bestNet)) p.bestNet = net;
  }
  report.pairs = [...by.values()].sort((a, b) => b.judged - a.judged || a.pair.localeCompare(b.pair));
  return report;
}
