import { mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../../engine/core/clock.ts';
import { attachMetrics } from '../../../engine/metrics/attach.ts';
import { exposition } from '../../../engine/metrics/prometheus.ts';
import { opportunityRows, scriptedRun, testConfig, testMarket } from '../replay/scripted-run.ts';

function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((ok, fail) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => ok({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
    }).on('error', fail);
  });
}

interface Parsed {
  types: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

/** A strict-enough parser of the text format: every line is a comment or `name{labels} value`. */
function parse(text: string): Parsed {
  const types = new Map<string, string>();
  const samples: Parsed['samples'] = [];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      types.set(name!, type!);
      continue;
    }
    if (line.startsWith('# HELP ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: m[1]!, labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return { types, samples };
}

const sum = (p: Parsed, name: string, where: Record<string, string> = {}) =>
  p.samples.filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

describe('metrics endpoint', () => {
  it('serves Prometheus text over loopback that matches what the engine saw', async () => {
    const market = testMarket({ events: 1500 });
    const journal = join(mkdtempSync(join(tmpdir(), 'arb-metrics-')), 'j.sqlite');
    let attached: Awaited<ReturnType<typeof attachMetrics>> | undefined;
    let clockRef: ManualClock | undefined;
    const engine = await scriptedRun(
      market,
      testConfig(market, journal),
      async (e, clock) => {
        clockRef = clock;
        attached = await attachMetrics(e, { port: 0, host: '127.0.0.1' }, clock);
      },
      { stop: false },
    );
    try {
      const { url } = attached!.server;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      clockRef!.advance(1500);
      const res = await scrape(url);
      expect(res.status).toBe(200);
      expect(res.type).toContain('text/plain; version=0.0.4');
      const p = parse(res.body);

      const events = [...market.events()];
      const books = events.filter((e) => e.kind === 'book');
      expect(sum(p, 'arb_book_updates_total')).toBe(books.length);
      expect(sum(p, 'arb_book_updates_total', { venue: 'vest', type: 'delta' })).toBe(0); // vest publishes snapshots only
      expect(sum(p, 'arb_book_updates_total', { venue: 'paradex' })).toBe(books.filter((e) => e.event.venue === 'paradex').length);
      expect(sum(p, 'arb_feed_status_total')).toBe(events.filter((e) => e.kind === 'status').length);

      // Book age: the last update of a book, against the clock 1.5 s after the last event.
      const now = clockRef!.now();
      const lastBtcVest = books.filter((e) => e.event.venue === 'vest' && e.event.symbol === 'BTC-PERP').at(-1)!;
      expect(sum(p, 'arb_book_age_seconds', { venue: 'vest', market: 'BTC-PERP' })).toBeCloseTo((now - lastBtcVest.event.receivedAt) / 1000, 6);
      expect(p.types.get('arb_book_update_rate')).toBe('gauge');

      await engine.stop();
      const judged = opportunityRows(journal);
      expect(judged.length).toBeGreaterThan(10);
      expect(sum(p, 'arb_opportunities_total')).toBe(judged.length);
      expect(sum(p, 'arb_opportunities_total', { decision: 'accept' })).toBe(judged.filter((r) => r.decision === 'accept').length);
      expect(sum(p, 'arb_rejects_total', { reason: 'skip-high-risk' })).toBe(judged.filter((r) => r.decision === 'skip-high-risk').length);
      expect(sum(p, 'arb_book_gaps_total')).toBe(engine.hub.counters.gaps);
      expect(engine.hub.counters.gaps).toBeGreaterThan(0);

      // Judge latency histogram: one observation per judgment, cumulative buckets ending at +Inf.
      expect(p.types.get('arb_judge_latency_seconds')).toBe('histogram');
      const buckets = p.samples.filter((s) => s.name === 'arb_judge_latency_seconds_bucket');
      const counts = buckets.map((b) => b.value);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(buckets.at(-1)!.labels.le).toBe('+Inf');
      expect(sum(p, 'arb_judge_latency_seconds_count')).toBe(judged.length);
      expect(buckets.at(-1)!.value).toBe(judged.length);

      expect((await scrape(url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await attached?.server.close();
    }
  });

  it('escapes label values as the text format requires', () => {
    const text = exposition([{ name: 'x_total', help: 'h', type: 'counter', samples: [{ labels: { market: 'a"b\\c\nd' }, value: 1 }] }]);
    expect(text).toContain('x_total{market="a\\"b\\\\c\\nd"} 1');
    expect(parse(text).samples[0]!.labels.market).toBe('a"b\\c\nd');
  });
});
