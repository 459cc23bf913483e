/** A small journal whose report numbers are worked out by hand in report-model.test.ts. */
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { Journal } from '../../../engine/journal/journal.ts';
import type { ExitReason } from '../../../engine/portfolio/exit-policy.ts';
import { PairJournal } from '../../../engine/portfolio/pair-journal.ts';
import type { PairMode, PairPosition } from '../../../engine/portfolio/pair-position.ts';
import type { Decision, Judgment } from '../../../engine/simulation/execution-simulator.ts';

export const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const HOUR = 3_600_000;

type Row = [instrument: string, buy: string, sell: string, net: string, decision: Decision, desync: 'Low' | 'Medium' | 'High', at: number];

export const ROWS: Row[] = [
  ['BTC-USD-PERP', 'vest', 'paradex', '1.50', 'accept', 'Low', T0],
  ['BTC-USD-PERP', 'vest', 'paradex', '2.25', 'accept', 'Low', T0 + 3000],
  ['BTC-USD-PERP', 'vest', 'paradex', '-0.40', 'reject-unprofitable', 'Low', T0 + 20_000],
  ['ETH-USD-PERP', 'paradex', 'lighter', '0.75', 'accept', 'Medium', T0 + 5000],
  ['ETH-USD-PERP', 'paradex', 'lighter', '5.10', 'skip-high-risk', 'High', T0 + HOUR + 100],
  ['BTC-USD-PERP', 'lighter', 'vest', '-1.20', 'reject-unprofitable', 'Medium', T0 + HOUR + 200],
  ['BTC-USD-PERP', 'vest', 'paradex', '0.05', 'accept', 'Low', T0 + 2 * HOUR],
];

function judgment(i: number, [instrument, buy, sell, net, decision, level, at]: Row): Judgment {
  const D = (v: string) => new Decimal(v);
  const leg = (venue: string, side: 'buy' | 'sell') => ({
    venue, symbol: venue, side, topPrice: D('100'), expectedPrice: D('100'), worstPrice: D('100'), bookReceivedAt: at, bookVenueTime: at,
  });
  return {
    intent: {
      id: `o${i}`, strategy: 'cross-exchange', instrument, size: D('10'), buy: leg(buy, 'buy'), sell: leg(sell, 'sell'),
      spread: D('0.0021'), executableSpread: D('0.002').plus(new Decimal(i).div(10_000)), detectedAt: at,
    },
    notional: new Decimal(1000 + i * 100),
    gross: D(net).plus(1),
    costs: { trading: D('0.5'), gas: D('0.5'), slippage: D('0'), close: D('0'), total: D('1') },
    net: D(net),
    profitable: D(net).gt(0),
    desync: { level, maxAgeMs: 10, gapMs: 5 },
    decision,
    flagged: level === 'Medium',
    judgedAt: at,
  };
}

type PairFixture = {
  id: string;
  strategy: string;
  instrument: string;
  mode: PairMode;
  long: string;
  short: string;
  entrySpread: string;
  entryFees: string;
  expected: string;
  openedAt: number;
  /** Figures as the pair stands at the end of the journal. */
  funding: string;
  close?: { reason: ExitReason; exitSpread: string; exitFees: string; realized: string; at: number };
};

/**
 * Written through PairJournal, as the engine writes them. Opened in time order:
 * A and B before T0 + 1 h (outside `--since 2h` at T0 + 3 h), C and D after.
 */
export const PAIRS: PairFixture[] = [
  {
    id: 'pA-sim-converged', strategy: 'cross-exchange', instrument: 'BTC-USD-PERP', mode: 'simulated', long: 'vest', short: 'paradex',
    entrySpread: '0.004', entryFees: '4.51', expected: '15.49', openedAt: T0 + 5000, funding: '-0.25',
    close: { reason: 'converged', exitSpread: '0.0004', exitFees: '4.5', realized: '8.74', at: T0 + 5000 + 90 * 60_000 },
  },
  {
    id: 'pB-sim-stop', strategy: 'cross-exchange', instrument: 'ETH-USD-PERP', mode: 'simulated', long: 'paradex', short: 'lighter',
    entrySpread: '0.003', entryFees: '0.9', expected: '6.2', openedAt: T0 + 30 * 60_000, funding: '0',
    close: { reason: 'stop', exitSpread: '0.0112', exitFees: '0.95', realized: '-9.65', at: T0 + 42 * 60_000 },
  },
  {
    id: 'pC-live-funding', strategy: 'funding-arb', instrument: 'ETH-USD-PERP', mode: 'live', long: 'lighter', short: 'paradex',
    entrySpread: '0.0005', entryFees: '1.2', expected: '4.1', openedAt: T0 + HOUR + 300, funding: '3.6125',
    close: { reason: 'funding', exitSpread: '0.0007', exitFees: '1.25', realized: '0.8125', at: T0 + 9 * HOUR + 300 },
  },
  {
    id: 'pD-sim-open', strategy: 'cross-exchange', instrument: 'BTC-USD-PERP', mode: 'simulated', long: 'lighter', short: 'vest',
    entrySpread: '0.0025', entryFees: '1.1', expected: '2.5', openedAt: T0 + 2 * HOUR - 60_000, funding: '0.05',
  },
];

function writePair(pj: PairJournal, f: PairFixture): void {
  const D = (v: string) => new Decimal(v);
  const leg = (venue: string) => ({ venue, symbol: venue, entryPrice: D('100'), fundingAccruedTo: f.openedAt });
  const pair: PairPosition = {
    id: f.id, strategy: f.strategy, instrument: f.instrument, mode: f.mode, size: D('10'), long: leg(f.long), short: leg(f.short),
    entrySpread: D(f.entrySpread), entryFees: D(f.entryFees), exitFees: D('0'), funding: D('0'), expectedPnl: D(f.expected),
    policy: {}, openedAt: f.openedAt, state: 'open',
  };
  pj.opened(pair, f.openedAt, {});
  pair.funding = D(f.funding);
  if (!f.close) {
    pj.changed(pair, 'funding', f.openedAt + 1000, {});
    return;
  }
  const c = f.close;
  pj.changed({ ...pair, state: 'closing' }, 'closing', c.at - 1000, {});
  const exit = { reason: c.reason, detail: '', spread: D(c.exitSpread), at: c.at, realizedPnl: D(c.realized) };
  pj.changed({ ...pair, state: 'closed', exitFees: D(c.exitFees), exit }, 'closed', c.at, {});
}

/**
 * @param pairs false: a journal with opportunities only (no pair was ever opened).
 * @param path where to write it: a SQLite file by default, or a postgres:// URL (the PostgreSQL report test).
 */
export function writeFixtureJournal(dir: string, pairs = true, path = join(dir, 'fixture.sqlite')): string {
  const j = new Journal({ path, flushIntervalMs: 60_000 });
  j.startSession('s-fixture', 'dry-run', JSON.stringify({ strategies: { 'cross-exchange': { thresholdPct: '0.15' } } }), T0 - 1000);
  ROWS.forEach((r, i) => j.recordOpportunity(judgment(i, r)));
  if (pairs) {
    const pj = new PairJournal(j.db, () => j.sessionId);
    PAIRS.forEach((f) => writePair(pj, f));
  }
  j.close(T0 + 3 * HOUR);
  return path;
}
