import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../engine/report/html.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { buildReport, type ReportModel } from '../../../engine/report/model.ts';
import { renderTerminal } from '../../../engine/report/terminal.ts';
import { PAIRS, T0, writeFixtureJournal } from './fixture.ts';

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'arb-report-pairs-'));
const journal = writeFixtureJournal(dir);
const report = (path: string, since?: number) => buildReport(readJournal(path, since), { episodeGapMs: 10_000 });

/** A copy of the fixture journal with `sql` applied: what an older engine would have left. */
function olderJournal(name: string, sql: string): string {
  const path = join(dir, `${name}.sqlite`);
  copyFileSync(journal, path);
  const db = new Database(path);
  db.exec(sql);
  db.close();
  return path;
}

function pairSection(m: ReportModel): string[] {
  const lines = renderTerminal(m).split('\n');
  return lines.slice(lines.indexOf('── Pair positions ──'));
}

describe('pair lifecycles in the report (worked by hand from PAIRS in fixture.ts)', () => {
  const m = report(journal);
  const p = m.pairLifecycles;

  it('totals: realized and expected over closed pairs, funding and fees over all', () => {
    expect([p.tablePresent, p.pairs.length, p.closed, p.open]).toEqual([true, 4, 3, 1]);
    // realized 8.74 - 9.65 + 0.8125; expected 15.49 + 6.2 + 4.1
    expect(p.totals.realizedPnl.toString()).toBe('-0.0975');
    expect(p.totals.expectedPnl.toString()).toBe('25.79');
    expect(p.totals.pnlGap.toString()).toBe('-25.8875');
    // funding -0.25 + 0 + 3.6125 + 0.05; fees (4.51 + 4.5) + (0.9 + 0.95) + (1.2 + 1.25) + 1.1
    expect(p.totals.funding.toString()).toBe('3.4125');
    expect(p.totals.fees.toString()).toBe('14.41');
    expect(p.byMode).toEqual([
      { mode: 'live', open: 0, closed: 1 },
      { mode: 'simulated', open: 1, closed: 2 },
    ]);
    expect(p.byExitReason).toEqual([
      { reason: 'converged', count: 1 },
      { reason: 'funding', count: 1 },
      { reason: 'stop', count: 1 },
    ]);
    // (90 min + 12 min + 8 h) / 3
    expect(p.averageHoldingMs).toBe((5_400_000 + 720_000 + 28_800_000) / 3);
    expect(p.holdingBuckets.filter((b) => b.count > 0)).toEqual([
      { label: '10-60 min', count: 1 },
      { label: '1-8 h', count: 1 },
      { label: '8-24 h', count: 1 },
    ]);
  });

  it('per pair, most recently opened first', () => {
    expect(p.pairs.map((r) => r.id)).toEqual(['pD-sim-open', 'pC-live-funding', 'pB-sim-stop', 'pA-sim-converged']);
    const [open, live] = p.pairs;
    expect(live).toMatchObject({ instrument: 'ETH-USD-PERP', mode: 'live', state: 'closed', longVenue: 'lighter', shortVenue: 'paradex', holdingMs: 8 * HOUR, exitReason: 'funding' });
    expect([live!.entrySpread, live!.exitSpread, live!.funding, live!.fees, live!.expectedPnl, live!.realizedPnl, live!.pnlGap].map(String)).toEqual([
      '0.0005', '0.0007', '3.6125', '2.45', '4.1', '0.8125', '-3.2875',
    ]);
    expect(open).toMatchObject({ state: 'open', holdingMs: undefined, exitSpread: undefined, exitReason: undefined, realizedPnl: undefined, pnlGap: undefined, closedAt: undefined });
    expect([open!.funding, open!.fees, open!.expectedPnl].map(String)).toEqual(['0.05', '1.1', '2.5']);
  });

  it('the terminal section', () => {
    expect(pairSection(m)).toEqual([
      '── Pair positions ──',
      '  4 opened in range: 3 closed, 1 open (live: 1 closed, 0 open; simulated: 2 closed, 1 open)',
      '  closed pairs: realized -$0.10 vs expected $25.79 (gap -$25.89); average holding 3.2 h',
      '  all pairs, open ones included: funding $3.41 (+ received), fees $14.41',
      '  exit reasons: converged 1, funding 1, stop 1',
      '  instrument     long / short         mode           held  spread entry → exit   funding     fees  expected  realized  exit',
      '  BTC-USD-PERP   lighter / vest       simulated         -  0.250% → -             $0.05    $1.10     $2.50         -  (open)',
      '  ETH-USD-PERP   lighter / paradex    live          8.0 h  0.050% → 0.070%        $3.61    $2.45     $4.10     $0.81  funding',
      '  ETH-USD-PERP   paradex / lighter    simulated  12.0 min  0.300% → 1.120%        $0.00    $1.85     $6.20    -$9.65  stop',
      '  BTC-USD-PERP   vest / paradex       simulated  90.0 min  0.400% → 0.040%       -$0.25    $9.01    $15.49     $8.74  converged',
    ]);
  });

  it('--since keeps the pairs opened in the window', () => {
    const w = report(journal, T0 + HOUR).pairLifecycles;
    expect(w.pairs.map((r) => r.id)).toEqual(['pD-sim-open', 'pC-live-funding']);
    expect([w.closed, w.open, w.totals.realizedPnl, w.totals.expectedPnl, w.totals.funding, w.totals.fees].map(String)).toEqual(['1', '1', '0.8125', '4.1', '3.6625', '3.55']);
    expect(w.byExitReason).toEqual([{ reason: 'funding', count: 1 }]);
  });

  it('the HTML card: KPIs, the table, a point per closed pair and a bar per holding class', () => {
    const html = renderHtml(m, { journal: 'fixture', generatedAt: T0 });
    expect(html).toContain('<h2>Pair positions: holding time, spread, funding, realized vs expected</h2>');
    expect(html).toMatch(/<figure class="arb-chart" data-chart="pair-pnl" data-points="3"/);
    expect(html).toMatch(/<figure class="arb-chart" data-chart="pair-holding" data-points="3"/);
    const table = /<table class="nowrap" data-table="pairs">(.*?)<\/table>/.exec(html)![1]!;
    expect(table.match(/<tr>/g)).toHaveLength(1 + PAIRS.length);
    expect(table).toContain('<td>lighter / paradex</td><td>live</td><td>8.0 h</td><td>0.050% → 0.070%</td><td>$3.61</td><td>$2.45</td><td>$4.10</td><td>$0.81</td><td>funding</td>');
    expect(html).toContain('realized - expected<b>-$25.89</b>');
  });

  it('the HTML escapes what the journal holds; both tables cap with a note', () => {
    const many = report(journal);
    const template = many.pairLifecycles.pairs[0]!;
    many.pairLifecycles.pairs = Array.from({ length: 205 }, (_, i) => ({ ...template, id: `p${i}`, instrument: `<b>X${i}</b>` }));
    const html = renderHtml(many, { journal: 'fixture', generatedAt: T0 });
    expect(html).not.toContain('<b>X0</b>');
    expect(html).toContain('<td>&lt;b&gt;X0&lt;/b&gt;</td>');
    expect(html).not.toContain('X200');
    expect(html).toContain('Showing the 200 most recent of 205 pairs');
    const terminal = pairSection(many);
    expect(terminal.filter((l) => l.includes('X'))).toHaveLength(10);
    expect(terminal.at(-1)).toBe('  … 195 older pair(s): see the HTML report (--out)');
  });

  it('a journal from before pair tracking (no pair_positions table) still reports', () => {
    const old = report(olderJournal('no-pairs-table', 'DROP TABLE pair_events; DROP TABLE pair_positions;'));
    expect(old.totals.judged).toBe(7);
    expect(old.pairLifecycles).toMatchObject({ tablePresent: false, pairs: [], open: 0, closed: 0, averageHoldingMs: undefined });
    expect(pairSection(old)).toEqual(['── Pair positions ──', '  none (this journal has no pair_positions table: recorded before pair tracking)']);
    const html = renderHtml(old, { journal: 'old', generatedAt: T0 });
    expect(html).toMatch(/<figure class="arb-chart" data-chart="pair-pnl" data-points="0"><p class="chart-empty">No pair positions \(this journal has no pair_positions table/);
  });

  it('a journal from before partial exits (no migration-6 columns) reads the same', () => {
    const old = report(olderJournal('no-partial-exits', 'ALTER TABLE pair_positions DROP COLUMN exited_size; ALTER TABLE pair_positions DROP COLUMN exit_long_proceeds; ALTER TABLE pair_positions DROP COLUMN exit_short_cost;'));
    expect(old.pairLifecycles).toEqual(p);
  });

  it('a journal with the table but no pairs says none opened', () => {
    const none = report(writeFixtureJournal(mkdtempSync(join(tmpdir(), 'arb-report-nopairs-')), false));
    expect(none.pairLifecycles.tablePresent).toBe(true);
    expect(pairSection(none)).toEqual(['── Pair positions ──', '  none opened in range']);
    expect(none.pairLifecycles.totals.realizedPnl).toEqual(new Decimal(0));
  });
});
