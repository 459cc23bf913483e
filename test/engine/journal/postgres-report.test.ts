/**
 * `arb report --journal postgres://...`: the report's fixture journal written to PostgreSQL
 * reads back exactly as from SQLite (same extract, same hand-worked totals), and two engines
 * writing into one database give one report covering both, each session named by its engine.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../../engine/cli/report-command.ts';
import { Journal } from '../../../engine/journal/journal.ts';
import { TradeJournal } from '../../../engine/journal/trade-journal.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { buildReport } from '../../../engine/report/model.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';
import { postgresForTests } from '../../helpers/postgres-server.ts';
import { writeFixtureJournal } from '../report/fixture.ts';

const D = (v: string) => new Decimal(v);
const pgTest = await postgresForTests('postgres-report.test.ts');
afterAll(() => pgTest.server?.stop());

function judgment(id: string, buy: string, sell: string, net: string, at: number): Judgment {
  const leg = (venue: string, side: 'buy' | 'sell') => ({ venue, symbol: venue, side, topPrice: D('100'), expectedPrice: D('100'), worstPrice: D('100'), bookReceivedAt: at, bookVenueTime: at });
  const accept = D(net).gt(0);
  return {
    intent: { id, strategy: 'cross-exchange', instrument: 'BTC-USD-PERP', size: D('1'), buy: leg(buy, 'buy'), sell: leg(sell, 'sell'), spread: D('0.002'), executableSpread: D('0.002'), detectedAt: at },
    notional: D('100'),
    gross: D(net).plus(1),
    costs: { trading: D('1'), gas: D('0'), slippage: D('0'), close: D('0'), total: D('1') },
    net: D(net),
    profitable: accept,
    desync: { level: 'Low', maxAgeMs: 10, gapMs: 5 },
    decision: accept ? 'accept' : 'reject-unprofitable',
    flagged: false,
    judgedAt: at,
  };
}

describe.skipIf(!pgTest.server)('report on a PostgreSQL journal', () => {
  it('reads the report fixture exactly as SQLite does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-pgr-'));
    const fromSqlite = readJournal(writeFixtureJournal(dir), undefined);
    const fromPostgres = readJournal(writeFixtureJournal(dir, true, await pgTest.freshUrl()), undefined);
    expect(fromPostgres).toEqual(fromSqlite);
    // The hand-worked totals of report-model.test.ts, now from PostgreSQL.
    const t = buildReport(fromPostgres, { episodeGapMs: 10_000 }).totals;
    expect([t.judged, t.accept, t.reject, t.skip, t.flaggedMedium]).toEqual([7, 4, 2, 1, 2]);
    expect(t.sumNetAccepted.toString()).toBe('4.55');
    expect(fromPostgres.pairLifecycles?.pairs.length).toBeGreaterThan(0);
  });

  it('two engines in one database: one report covering both, each session named by its engine', async () => {
    const url = await pgTest.freshUrl();
    const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
    const eu = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId: 'eu-1' });
    const us = new Journal({ url, path: 'unused.sqlite', flushIntervalMs: 60_000, engineId: 'us-1' });
    eu.startSession('s-eu', 'live', JSON.stringify({ strategies: { 'cross-exchange': { thresholdPct: '0.1' } } }), T0);
    us.startSession('s-us', 'live', JSON.stringify({ strategies: { 'cross-exchange': { thresholdPct: '0.2' } } }), T0 + 1000);
    eu.recordOpportunity(judgment('eu-o1', 'vest', 'paradex', '1.25', T0 + 10));
    eu.recordOpportunity(judgment('eu-o2', 'vest', 'paradex', '0.5', T0 + 20));
    us.recordOpportunity(judgment('us-o1', 'lighter', 'vest', '2', T0 + 30));
    us.recordOpportunity(judgment('us-o2', 'lighter', 'vest', '-0.75', T0 + 40));
    const trade = (j: Journal, id: string, realized: string, at: number) => {
      const t = new TradeJournal(j.db);
      t.openTrade({ id, intentId: `${id}-i`, sessionId: j.sessionId, instrument: 'BTC-USD-PERP', buy: { venue: 'vest', symbol: 'BTC-PERP' }, sell: { venue: 'paradex', symbol: 'BTC-USD-PERP' }, size: D('1'), firstLeg: 'buy', expectedNet: D('1'), detectedAt: at, judgedAt: at, startedAt: at });
      t.endTrade(id, { state: 'completed', residual: D('0'), realizedPnl: D(realized), endedAt: at + 5, totalMs: 40 });
    };
    trade(eu, 'eu-t1', '0.9', T0 + 11);
    trade(us, 'us-t1', '1.7', T0 + 31);
    eu.close(T0 + 60_000);
    us.close(T0 + 61_000);

    const lines: string[] = [];
    const out = join(mkdtempSync(join(tmpdir(), 'arb-pgr-')), 'r.html');
    await reportCommand({ journal: url, quiet: true, out }, (l) => lines.push(l), T0 + 120_000);
    const text = lines.join('\n');
    // 1.25 + 0.5 + 2 accepted; -0.75 rejected; both engines' sessions and trades.
    expect(text).toContain('(2 session(s) in journal)');
    expect(text).toContain('judged 4: profitable 3 (75.0%), unprofitable 1');
    expect(text).toContain('net over profitable: $3.75');
    expect(text).toContain('engines: eu-1 (1 session), us-1 (1 session)');
    expect(text).toContain('live trades: 2');
    expect(text).toContain('thresholds: 0.1%, 0.2%');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('s-eu (engine eu-1, live');
    expect(html).toContain('s-us (engine us-1, live');
    expect(html + text).not.toContain(pgTest.server!.password);

    const x = readJournal(url, undefined);
    expect(x.sessions.map((s) => [s.id, s.engineId])).toEqual([['s-eu', 'eu-1'], ['s-us', 'us-1']]);
    expect(x.liveTrades.map((t) => [t.id, t.realizedNet?.toString()])).toEqual([['eu-t1', '0.9'], ['us-t1', '1.7']]);
  });
});
