/** A small journal whose report numbers are worked out by hand in report-model.test.ts. */
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { Journal } from '../../../engine/journal/journal.ts';
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
    costs: { trading: D('0.5'), gas: D('0.5'), slippage: D('0'), total: D('1') },
    net: D(net),
    profitable: D(net).gt(0),
    desync: { level, maxAgeMs: 10, gapMs: 5 },
    decision,
    flagged: level === 'Medium',
    judgedAt: at,
  };
}

export function writeFixtureJournal(dir: string): string {
  const path = join(dir, 'fixture.sqlite');
  const j = new Journal({ path, flushIntervalMs: 60_000 });
  j.startSession('s-fixture', 'dry-run', JSON.stringify({ strategies: { 'cross-exchange': { thresholdPct: '0.15' } } }), T0 - 1000);
  ROWS.forEach((r, i) => j.recordOpportunity(judgment(i, r)));
  j.close(T0 + 3 * HOUR);
  return path;
}
