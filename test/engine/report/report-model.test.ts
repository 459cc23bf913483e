import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSince, reportCommand } from '../../../engine/cli/report-command.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { buildReport } from '../../../engine/report/model.ts';
import { T0, writeFixtureJournal } from './fixture.ts';

const HOUR = 3_600_000;

describe('report numbers (worked by hand from fixture.ts)', () => {
  const journal = writeFixtureJournal(mkdtempSync(join(tmpdir(), 'arb-report-')));
  const m = buildReport(readJournal(journal, undefined), { episodeGapMs: 10_000 });

  it('totals, median and best', () => {
    const t = m.totals;
    expect([t.judged, t.accept, t.reject, t.skip, t.flaggedMedium]).toEqual([7, 4, 2, 1, 2]);
    // 1.50 + 2.25 + 0.75 + 0.05, exact
    expect(t.sumNetAccepted.toString()).toBe('4.55');
    expect(t.bestNet!.toString()).toBe('5.1');
    // sorted: -1.2 -0.4 0.05 [0.75] 1.5 2.25 5.1
    expect(t.medianNet!.toString()).toBe('0.75');
  });

  it('per hour, empty hours kept', () => {
    expect(m.perHour).toEqual([
      { hourStart: T0, accept: 3, reject: 1, skip: 0 },
      { hourStart: T0 + HOUR, accept: 0, reject: 1, skip: 1 },
      { hourStart: T0 + 2 * HOUR, accept: 1, reject: 0, skip: 0 },
    ]);
  });

  it('per venue pair and direction', () => {
    expect(m.pairs.map((p) => [p.pair, p.judged, p.accept, p.reject, p.skip, p.sumNetAccepted.toString(), p.bestNet.toString()])).toEqual([
      ['vest → paradex', 4, 3, 1, 0, '3.8', '2.25'],
      ['paradex → lighter', 2, 1, 0, 1, '0.75', '5.1'],
      ['lighter → vest', 1, 0, 1, 0, '0', '-1.2'],
    ]);
  });

  it('net histogram: 0.5-wide bins from -1.5 to 5.5', () => {
    const h = m.netHistogram;
    expect(h).toHaveLength(14);
    expect(h[0]!.from.toString()).toBe('-1.5');
    expect(h.at(-1)!.to.toString()).toBe('5.5');
    const nonEmpty = h.filter((b) => b.count > 0).map((b) => `${b.from}:${b.count}`);
    expect(nonEmpty).toEqual(['-1.5:1', '-0.5:1', '0:1', '0.5:1', '1.5:1', '2:1', '5:1']);
  });

  it('desync mix, threshold and spread series', () => {
    expect(m.desyncMix).toEqual({ Low: 4, Medium: 2, High: 1 });
    expect(m.thresholdsPct).toEqual(['0.15']);
    expect(m.spreadSeries.map((s) => [s.key, s.points.length])).toEqual([
      ['BTC-USD-PERP lighter → vest', 1],
      ['BTC-USD-PERP vest → paradex', 4],
      ['ETH-USD-PERP paradex → lighter', 2],
    ]);
    // row 0: 0.002 → 0.2 %
    expect(m.spreadSeries[1]!.points[0]).toEqual({ t: T0, pct: 0.2 });
  });

  it('episodes: same instrument and direction, gaps under 10 s', () => {
    const e = m.episodes;
    // BTC v→p: [0, 3 s], [20 s], [2 h]; ETH p→l: [5 s], [1 h]; BTC l→v: [1 h]
    expect(e.count).toBe(6);
    expect([e.medianMs, e.p90Ms, e.maxMs]).toEqual([0, 3000, 3000]);
    expect(e.buckets.filter((b) => b.count > 0)).toEqual([
      { label: 'single look', count: 5 },
      { label: '1-5 s', count: 1 },
    ]);
  });

  it('--since filters by detection time; durations and dates parse', async () => {
    expect(parseSince('2h', T0 + 3 * HOUR)).toBe(T0 + HOUR);
    expect(parseSince('2025-01-06T10:00:00Z', 0)).toBe(T0 + HOUR);
    expect(() => parseSince('yesterday', 0)).toThrow(/--since "yesterday": expected a duration like 30m/);
    const lines: string[] = [];
    await reportCommand({ journal, since: '2h', quiet: true }, (l) => lines.push(l), T0 + 3 * HOUR);
    expect(lines.join('\n')).toContain('judged 3: profitable 1 (33.3%), unprofitable 1, skipped high desync 1');
    expect(lines.join('\n')).toContain('live trades: none');
  });
});
