/**
 * docs/grafana-dashboard.json against what the engine really serves: a dry-run engine on the
 * loopback simulators with metrics and recording on, scraped over HTTP. Every query names only
 * metrics in that scrape, every metric in it is charted, and the JSON is an importable Grafana
 * dashboard (datasource by __inputs, unique panel ids, panels on the 24-column grid).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { parseConfig } from '../../engine/core/config.ts';
import { createEngine } from '../../engine/core/engine.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import { attachMetrics } from '../../engine/metrics/attach.ts';
import { attachRecorder } from '../../engine/recording/attach.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';

interface Target { expr: string }
interface Panel { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { type: string; uid: string }; targets?: Target[] }
const dashboard = JSON.parse(readFileSync('docs/grafana-dashboard.json', 'utf8')) as {
  __inputs: Array<{ name: string; type: string; pluginId: string }>;
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; query: { query: string } }> };
};

let sims: VenueSimulators;
let exported: Set<string>;
let families: string[];

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 4, updateIntervalMs: 50, instruments: ['BTC'] });
  const dir = mkdtempSync(join(tmpdir(), 'arb-grafana-'));
  const config = parseConfig({
    plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table', 'strategy:cross-exchange'],
    instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } },
    venues: { paradex: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl }, vest: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl } },
    strategies: { 'cross-exchange': { thresholdPct: 0.01, notionalUsd: 1000 } },
    journal: { path: join(dir, 'journal.sqlite') },
    recording: { enabled: true },
    metrics: { port: 0 },
  });
  const engine = await createEngine({ config, baseDir: '.', logger: silentLogger, clock: systemClock, live: false });
  const recorder = attachRecorder(engine, config, systemClock, silentLogger);
  const { server } = await attachMetrics(engine, config.metrics!, systemClock, recorder);
  await engine.start();
  let text = '';
  try {
    const deadline = Date.now() + 5000;
    // Until the latency histogram has observations and both venues stream.
    while (Date.now() < deadline && !/arb_judge_latency_seconds_count [1-9]/.test(text)) {
      await new Promise((r) => setTimeout(r, 100));
      text = await (await fetch(`${server.url}`)).text();
    }
  } finally {
    await engine.stop();
    await recorder.stop();
    await server.close();
  }
  families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]!);
  exported = new Set(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_sum`, `${m[1]}_count`] : [m[1]!])),
  );
}, 30_000);

afterAll(async () => {
  await sims?.stop();
});

const queries = (): string[] => [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
  ...dashboard.templating.list.map((v) => v.query.query),
];
const metricsIn = (expr: string): string[] => [...expr.matchAll(/\barb_[a-z_]+\b/g)].map((m) => m[0]);

describe('docs/grafana-dashboard.json', () => {
  it('the scrape is the engine\'s own: the families engine-metrics.ts renders, recording included', () => {
    expect(families).toContain('arb_book_age_seconds');
    expect(families).toContain('arb_judge_latency_seconds');
    expect(families).toContain('arb_recording_bytes_total');
    expect(families.length).toBeGreaterThanOrEqual(17);
  });

  it('every query names at least one metric, and only metrics the engine exports', () => {
    const q = queries();
    expect(q.length).toBeGreaterThan(15);
    for (const expr of q) {
      const names = metricsIn(expr);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const n of names) expect(exported.has(n), `${n} in "${expr}" is not served by the engine`).toBe(true);
    }
  });

  it('every metric the engine exports is charted', () => {
    const charted = new Set(queries().flatMap(metricsIn).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    expect(families.filter((f) => !charted.has(f))).toEqual([]);
  });

  it('is an importable Grafana dashboard', () => {
    expect(dashboard.title).toBe('perp-arb-engine');
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' })]);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(['row', 'timeseries', 'stat']).toContain(p.type);
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource, p.title).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    // No two panels overlap on the grid.
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`), `${p.title} overlaps another panel at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});
