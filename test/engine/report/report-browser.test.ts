import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../../engine/cli/report-command.ts';
import { renderHtml } from '../../../engine/report/html.ts';
import { readJournal } from '../../../engine/report/journal-rows.ts';
import { utcTime } from '../../../engine/report/format.ts';
import { buildReport } from '../../../engine/report/model.ts';
import { T0, writeFixtureJournal } from './fixture.ts';
import { findChromium, HeadlessChromium } from './headless-chromium.ts';

const CHARTS = ['opportunities-per-hour', 'venue-pairs', 'net-histogram', 'net-by-size', 'spread-timeseries', 'desync-mix', 'episode-durations', 'live-pnl', 'live-time', 'pair-pnl', 'pair-holding'];

/**
 * Runs in the page: per chart, how many values it declares (data-points, from the spec), how
 * many the chart script drew (data-rendered), and how many saturated pixels its canvas holds
 * (series colors are saturated; grid, axes and guide lines are grey), so "drawn" means painted.
 */
const INSPECT = `JSON.stringify([...document.querySelectorAll('figure[data-chart]')].map((fig) => {
  const plot = fig.querySelector('.arb-chart-plot');
  const canvas = fig.querySelector('canvas');
  let painted = 0;
  if (canvas) {
    const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) painted++;
  }
  const box = fig.getBoundingClientRect();
  return {
    chart: fig.dataset.chart,
    declared: Number(fig.dataset.points),
    rendered: plot ? Number(plot.dataset.rendered) : 0,
    empty: fig.querySelector('.chart-empty')?.textContent ?? null,
    painted,
    visible: box.width > 100 && box.height > 40,
  };
})) + '|' + performance.getEntriesByType('resource').length`;

interface Inspected {
  chart: string;
  declared: number;
  rendered: number;
  empty: string | null;
  painted: number;
  visible: boolean;
}

/** Hover the first bar or point of a chart through uPlot's cursor and read the line under it. */
const hoverFirst = (chart: string) => `(() => {
  const plot = document.querySelector('figure[data-chart="${chart}"] .arb-chart-plot');
  const u = plot.uplot;
  u.setCursor({ left: u.valToPos(u.data[0][0], 'x'), top: 10 });
  return plot.querySelector('.arb-chart-hover').textContent;
})()`;

/** Drag across the middle half of the spread chart as a user would; return the x range before and after. */
const DRAG_ZOOM = `new Promise((done) => {
  const plot = document.querySelector('figure[data-chart="spread-timeseries"] .arb-chart-plot');
  const u = plot.uplot;
  const before = [u.scales.x.min, u.scales.x.max];
  const r = u.over.getBoundingClientRect();
  const at = (f) => ({ clientX: r.left + r.width * f, clientY: r.top + r.height / 2, bubbles: true, button: 0, buttons: 1, movementX: 4 }); // uPlot ignores a drag move of 0 px
  u.over.dispatchEvent(new MouseEvent('mousedown', at(0.25)));
  u.over.dispatchEvent(new MouseEvent('mousemove', at(0.5)));
  u.over.dispatchEvent(new MouseEvent('mousemove', at(0.75)));
  document.dispatchEvent(new MouseEvent('mouseup', at(0.75)));
  // uPlot commits a new scale in a microtask: read it after.
  setTimeout(() => done(JSON.stringify({ before, after: [u.scales.x.min, u.scales.x.max] })), 0);
})`;

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
    // Self-contained: scripts and styles inline, nothing referenced outside the file.
    expect(html).not.toMatch(/<script[^>]+src=|<link|<img|href=/i);

    const [json, fetched] = (await browser.evaluateInFile<string>(out, INSPECT)).split('|');
    expect(Number(fetched)).toBe(0); // the page loaded no resource at all
    const charts = JSON.parse(json!) as Inspected[];
    expect(charts.map((c) => c.chart)).toEqual(CHARTS);
    for (const c of charts) {
      expect(c.visible, c.chart).toBe(true);
      if (c.empty !== null) continue;
      expect(c.rendered, c.chart).toBe(c.declared);
      expect(c.declared, c.chart).toBeGreaterThan(0);
      expect(c.painted, c.chart).toBeGreaterThan(20);
    }
    const byName = Object.fromEntries(charts.map((c) => [c.chart, c]));
    expect(byName['opportunities-per-hour']!.declared).toBe(5); // 3 hours, one bar per decision present: 2 + 2 + 1
    expect(byName['net-by-size']!.declared).toBe(7);
    expect(byName['live-pnl']!.empty).toMatch(/^No live trades/);
    // fixture PAIRS: three closed (one point each), held 12 min, 90 min and 8 h (three classes)
    expect(byName['pair-pnl']!.declared).toBe(3);
    expect(byName['pair-holding']!.declared).toBe(3);
  });

  it('shows the values under the cursor and zooms a time chart by dragging', async () => {
    const journal = writeFixtureJournal(mkdtempSync(join(tmpdir(), 'arb-report-hover-')));
    const model = buildReport(readJournal(journal, undefined), { episodeGapMs: 10_000 });
    const out = join(dir, 'hover.html');
    writeFileSync(out, renderHtml(model, { journal: 'fixture', generatedAt: T0 }));
    const page = await browser.openPage(pathToFileURL(out).href);
    for (let i = 0; i < 200 && (await page.evaluate<boolean>(`document.readyState === 'complete' && !!window.ArbCharts`).catch(() => false)) !== true; i++) await new Promise((r) => setTimeout(r, 25));
    const h0 = model.perHour[0]!;
    expect(await page.evaluate<string>(hoverFirst('opportunities-per-hour'))).toBe(
      `${utcTime(h0.hourStart)}: ${h0.accept} profitable, ${h0.reject} unprofitable, ${h0.skip} skipped`,
    );
    const firstPair = model.pairLifecycles.pairs.filter((p) => p.realizedPnl !== undefined).sort((a, b) => a.expectedPnl.cmp(b.expectedPnl))[0]!;
    expect(await page.evaluate<string>(hoverFirst('pair-pnl'))).toContain(`${firstPair.id} ${firstPair.instrument}`);
    const zoom = JSON.parse(await page.evaluate<string>(DRAG_ZOOM)) as { before: [number, number]; after: [number, number] };
    const [b0, b1] = zoom.before;
    const [a0, a1] = zoom.after;
    // The drag covered the middle half of the plot: the new range is about half the old, inside it.
    expect(a0).toBeGreaterThan(b0);
    expect(a1).toBeLessThan(b1);
    expect((a1 - a0) / (b1 - b0)).toBeCloseTo(0.5, 1);
    await page.close();
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
    const charts = JSON.parse((await browser.evaluateInFile<string>(out, INSPECT)).split('|')[0]!) as Inspected[];
    const pnl = charts.find((c) => c.chart === 'live-pnl')!;
    const time = charts.find((c) => c.chart === 'live-time')!;
    expect([pnl.empty, pnl.rendered, pnl.painted > 20]).toEqual([null, 2, true]);
    // t1: estimate and real side by side; t2: real only (no estimate recorded)
    expect([time.empty, time.rendered, time.painted > 20]).toEqual([null, 3, true]);
  });
});
