/** The desk's metrics as the endpoint serves them (exposition text), from the desk's own meters. */
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { makerTakerFamilies } from '../../../engine/metrics/maker-taker-metrics.ts';
import { exposition } from '../../../engine/metrics/prometheus.ts';
import { cancelCategory, QuoteDeskMeters } from '../../../engine/quoting/quote-desk-meters.ts';

describe('maker-taker metrics', () => {
  it('counters by reason and outcome, the hedge latency histogram in seconds, unhedged USD', () => {
    const m = new QuoteDeskMeters();
    m.placed = 3;
    m.replaced = 1;
    m.cancel('reprice: hedge paradex walk 3000 → 3001', 'replace');
    m.cancel('paradex ETH-USD-PERP book stale (gap)', 'cancel');
    m.cancel('desync risk High: lighter/paradex books 2500 ms apart, older one 10 ms old (limits 2000 ms / 5000 ms)', 'cancel');
    m.cancel('kill switch: file data/KILL', 'cancel');
    m.fill('lighter');
    m.fill('lighter');
    m.hedge('hedged', 38);
    m.hedge('hedged', 177);
    m.hedge('unwound', 900);
    const text = exposition(makerTakerFamilies([{ meters: m, exposure: { unhedgedUsd: () => new Decimal('89.97') }, restingCount: 1, pausedReason: undefined }]));
    const line = (prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));
    expect(line('arb_mt_quotes_placed_total ')).toBe('arb_mt_quotes_placed_total 3');
    expect(line('arb_mt_quotes_cancelled_total{reason="reprice"}')).toBe('arb_mt_quotes_cancelled_total{reason="reprice"} 1');
    expect(line('arb_mt_quotes_cancelled_total{reason="stale-book"}')).toBe('arb_mt_quotes_cancelled_total{reason="stale-book"} 1');
    expect(line('arb_mt_quotes_cancelled_total{reason="desync"}')).toBe('arb_mt_quotes_cancelled_total{reason="desync"} 1');
    expect(line('arb_mt_quotes_cancelled_total{reason="kill-switch"}')).toBe('arb_mt_quotes_cancelled_total{reason="kill-switch"} 1');
    expect(line('arb_mt_maker_fills_total{venue="lighter"}')).toBe('arb_mt_maker_fills_total{venue="lighter"} 2');
    expect(line('arb_mt_hedges_total{outcome="hedged"}')).toBe('arb_mt_hedges_total{outcome="hedged"} 2');
    expect(line('arb_mt_hedges_total{outcome="unwound"}')).toBe('arb_mt_hedges_total{outcome="unwound"} 1');
    // 38 ms ≤ 0.05 s; 177 ms ≤ 0.25 s; the unwind is not a hedge latency.
    expect(line('arb_mt_hedge_latency_seconds_bucket{le="0.05"}')).toBe('arb_mt_hedge_latency_seconds_bucket{le="0.05"} 1');
    expect(line('arb_mt_hedge_latency_seconds_bucket{le="0.25"}')).toBe('arb_mt_hedge_latency_seconds_bucket{le="0.25"} 2');
    expect(line('arb_mt_hedge_latency_seconds_count')).toBe('arb_mt_hedge_latency_seconds_count 2');
    expect(line('arb_mt_hedge_latency_seconds_sum')).toBe('arb_mt_hedge_latency_seconds_sum 0.215');
    expect(line('arb_mt_unhedged_usd')).toBe('arb_mt_unhedged_usd 89.97');
    expect(line('arb_mt_resting_quotes')).toBe('arb_mt_resting_quotes 1');
    expect(text).toContain('# TYPE arb_mt_hedge_latency_seconds histogram');
  });

  it('no desk: no families', () => {
    expect(makerTakerFamilies([])).toEqual([]);
  });

  it('cancel reasons map to few labels', () => {
    expect(cancelCategory('withdrawn by the strategy', 'cancel')).toBe('withdrawn');
    expect(cancelCategory('hedges lag: 600.00 USD of maker fills unhedged, over maxUnhedgedUsd 500', 'cancel')).toBe('hedges-lag');
    expect(cancelCategory('paused: 3 hedge attempts failed', 'cancel')).toBe('paused');
    expect(cancelCategory('stopping', 'cancel')).toBe('stopping');
    expect(cancelCategory('engine stopping', 'cancel')).toBe('stopping');
  });
});
