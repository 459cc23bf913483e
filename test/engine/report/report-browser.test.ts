import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../../engine/cli/report-command.ts';
import { renderHtml } from '../../../engine/report/html.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { buildReport } from '../../../engine/report/model.ts';
import { T0, writeFixtureJournal } from './fixture.ts';
import { findChromium, HeadlessChromium } from './headless-chromium.ts';

const CHARTS = ['opportunities-per-hour', 'venue-pairs', 'net-histogram', 'net-by-size', 'spread-timeseries', 'desync-mix', 'episode-durations', 'live-pnl', 'live-time', 'pair-pnl', 'pair-holding'];

/** Runs in the page: per chart, how many marks it declares, holds, and actually laid out on screen. */
const INSPECT = `JSON.stringify([...document.querySelectorAll('svg[data-chart]')].map((svg) => {
  const marks = [...svg.querySelectorAll('[data-mark]')];
  const box = svg.getBoundingClientRect();
  return {
    chart: svg.dataset.chart,
    declared: Number(svg.dataset.marks),
    found: marks.length,
    drawn: marks.filter((m) => { const r = m.getBoundingClientRect(); return r.width > 0 || r.height > 0; }).length,
    kinds: [...new Set(marks.map((m) => m.dataset.mark))].sort(),
    visible: box.width > 100 && box.height > 50,
  };
}))`;

interface Inspected {
  chart: string;
  declared: number;
  found: number;
  drawn: number;
  kinds: string[];
  visible: boolean;
}

const chromiumPath = findChromium();
if (!chromiumPath) console.log('SKIP report-browser: chromium is not installed (apt-get install -y chromium, or set CHROMIUM_PATH)');

describe.skipIf(!chromiumPath)('HTML report in headless Chromium', () => {
  let browser: HeadlessChromium;
  const dir = mkdtempSync(join(tmpdir(), 'arb-report-html-'));
  beforeAll(async () => {
    browser = await HeadlessChromium.launch(chromiumPath!);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('draws every chart from a journal, offline, with "no live trades" in the live section', async () => {
    const out = join(dir, 'report.html');
    await reportCommand({ journal: writeFixtureJournal(dir), out, quiet: true }, () => {}, T0 + 4 * 3_600_000);
    const html = readFileSync(out, 'utf8');
    // Self-contained: no script, no stylesheet or image fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);

    const charts = JSON.parse(await browser.evaluateInFile<string>(out, INSPECT)) as Inspected[];
    expect(charts.map((c) => c.chart)).toEqual(CHARTS);
    for (const c of charts) {
      expect(c.visible, c.chart).toBe(true);
      expect(c.found, c.chart).toBe(c.declared);
      expect(c.drawn, c.chart).toBe(c.found);
      expect(c.drawn, c.chart).toBeGreaterThan(0);
    }
    const byName = Object.fromEntries(charts.map((c) => [c.chart, c]));
    expect(byName['opportunities-per-hour']!.declared).toBe(5); // 3 hours, one bar per decision present: 2 + 2 + 1
    expect(byName['net-by-size']!.declared).toBe(7);
    expect(byName['spread-timeseries']!.kinds).toEqual(['line', 'point', 'threshold']); // a one-judgment series is a dot
    expect(byName['live-pnl']!.kinds).toEqual(['empty']);
    // fixture PAIRS: three closed (one point each), held 12 min, 90 min and 8 h (three classes)
    expect([byName['pair-pnl']!.kinds, byName['pair-pnl']!.drawn]).toEqual([['point'], 3]);
    expect([byName['pair-holding']!.kinds, byName['pair-holding']!.drawn]).toEqual([['bar'], 3]);
  });

  it('draws live trades as estimate against outcome when the journal has them', async () => {
    const extract = readJournal(writeFixtureJournal(mkdtempSync(join(tmpdir(), 'arb-report-live-'))), undefined);
    extract.hasLiveTable = true;
    extract.liveTrades = [
      { id: 't1', instrument: 'BTC-USD-PERP', state: 'completed', estimatedNet: new Decimal('1.5'), realizedNet: new Decimal('1.1'), estimatedMs: 300, actualMs: 420, startedAt: T0 },
      { id: 't2', instrument: 'ETH-USD-PERP', state: 'unwound', estimatedNet: new Decimal('0.8'), realizedNet: new Decimal('-0.3'), estimatedMs: undefined, actualMs: 910, startedAt: T0 + 1000 },
    ];
    const out = join(dir, 'live.html');
    writeFileSync(out, renderHtml(buildReport(extract, { episodeGapMs: 10_000 }), { journal: 'fixture', generatedAt: T0 }));
    const charts = JSON.parse(await browser.evaluateInFile<string>(out, INSPECT)) as Inspected[];
    const pnl = charts.find((c) => c.chart === 'live-pnl')!;
    const time = charts.find((c) => c.chart === 'live-time')!;
    expect([pnl.kinds, pnl.drawn]).toEqual([['point'], 2]);
    // t1: estimate and real side by side; t2: real only (no estimate recorded)
    expect([time.kinds, time.drawn]).toEqual([['bar'], 3]);
  });
});
