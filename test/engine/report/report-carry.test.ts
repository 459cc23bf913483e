/**
 * funding-arb's carry judgments in the report. They are decided by the carry, not the execution
 * simulator, so they never reach the opportunities table: a carry-only journal reported
 * "judged 0" and nothing else (issue 16). Figures worked by hand from CARRY below.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../engine/journal/journal.ts';
import { CarryJournal, type CarryJudgment } from '../../../engine/portfolio/carry-journal.ts';
import { renderHtml } from '../../../engine/report/html.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { buildReport } from '../../../engine/report/model.ts';
import { renderTerminal } from '../../../engine/report/terminal.ts';
import { T0 } from './fixture.ts';

const D = (v: string) => new Decimal(v);
// [long, short, instrument, net, netApr, decision, at]
const CARRY: Array<[string, string, string, string, string, 'accept' | 'reject', number]> = [
  ['vest', 'lighter', 'BTC-USD-PERP', '0.72', '0.0875', 'reject', T0],
  ['vest', 'lighter', 'BTC-USD-PERP', '1.10', '0.1340', 'accept', T0 + 1000],
  ['vest', 'lighter', 'ETH-USD-PERP', '0.40', '0.0490', 'reject', T0 + 2000],
  ['paradex', 'vest', 'BTC-USD-PERP', '-0.35', '-0.0428', 'reject', T0 + 3000],
];

function carryJournal(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'arb-report-carry-')), 'carry.sqlite');
  const j = new Journal({ path, flushIntervalMs: 60_000 });
  j.startSession('s-carry', 'dry-run', '{}', T0 - 1000);
  const cj = new CarryJournal(j.db, () => j.sessionId);
  CARRY.forEach(([long, short, instrument, net, netApr, decision, at], i) => {
    const c: CarryJudgment = {
      intentId: `fund-${i}`, instrument, long: { venue: long, rate: D('0.0001'), intervalHours: 1 }, short: { venue: short, rate: D('0.0002'), intervalHours: 1 },
      notional: D('1000'), carryApr: D('0.1'), horizonHours: 72, expectedCarry: D('2'), fees: D('1'), spreadCost: D('0.3'), net: D(net), netApr: D(netApr), decision, judgedAt: at,
    };
    cj.record(c);
  });
  j.close(T0 + 10_000);
  return path;
}

describe('funding carry in the report', () => {
  const path = carryJournal();
  const m = buildReport(readJournal(path, undefined), { episodeGapMs: 10_000 });

  it('counts carry judgments per long/short venue pair with the best net APR and net', () => {
    expect([m.carry.tablePresent, m.carry.judged, m.carry.accepted]).toEqual([true, 4, 1]);
    expect(m.carry.pairs.map((p) => [p.pair, p.instruments.join(','), p.judged, p.accepted, p.bestNetApr.toString(), p.bestNet.toString()])).toEqual([
      ['vest / lighter', 'BTC-USD-PERP,ETH-USD-PERP', 3, 1, '0.134', '1.1'],
      ['paradex / vest', 'BTC-USD-PERP', 1, 0, '-0.0428', '-0.35'],
    ]);
    expect(m.totals.judged).toBe(0); // the simulator judged nothing: the carry section is the only trace
  });

  it('the terminal and the HTML show the section; --since narrows it', () => {
    const text = renderTerminal(m);
    expect(text).toContain('── Funding carry (funding-arb) ──\n  judged 4: accepted 1 (25.0%), rejected 3');
    expect(text).toMatch(/vest \/ lighter +3 +1 +13\.40% +\$1\.10/);
    expect(renderHtml(m, { journal: path, generatedAt: T0 })).toContain('Funding carry (funding-arb)');
    const later = buildReport(readJournal(path, T0 + 2500), { episodeGapMs: 10_000 });
    expect([later.carry.judged, later.carry.pairs.map((p) => p.pair)]).toEqual([1, ['paradex / vest']]);
  });

  it('a journal without carry judgments shows no carry section', () => {
    const empty = buildReport({ opportunities: [], sessions: [], liveTrades: [], hasLiveTable: false, pairLifecycles: undefined }, { episodeGapMs: 10_000 });
    expect(renderTerminal(empty)).not.toContain('Funding carry');
  });
});
