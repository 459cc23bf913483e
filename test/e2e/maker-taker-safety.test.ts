/**
 * Maker-taker safety on the simulators, with its own rig (the scripted sequence of
 * maker-taker.test.ts is timing-sensitive): resting quotes counted in the risk gate as if filled,
 * the desync cancel, the resting quote's status reads held to the private stream and the
 * venue's poll interval, and the desk's metrics on the metrics endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { EngineMetrics } from '../../engine/metrics/engine-metrics.ts';
import { makerTakerFamilies } from '../../engine/metrics/maker-taker-metrics.ts';
import { startMetricsServer } from '../../engine/metrics/server.ts';
import { attachQuoting } from '../../engine/quoting/attach.ts';
import { startLiveRig, until, type LiveRig } from './harness.ts';

let rig: LiveRig;
let stepper: NodeJS.Timeout;
const lines: string[] = [];

beforeAll(async () => {
  rig = await startLiveRig({
    envPrefix: 'E2E_MAKER_TAKER_SAFETY',
    plugins: ['fee-model:table', 'strategy:maker-taker'],
    strategies: {
      'maker-taker': {
        makerVenue: 'lighter',
        takerVenue: 'paradex',
        instruments: ['ETH-USD-PERP'],
        sides: 'both',
        quoteSize: '0.05',
        minEdgeBps: 5,
        repriceBps: 50,
        minQuoteLifeMs: 300,
        maxRestingQuotes: 2,
        hedgeBandBps: 30,
        maxUnhedgedMs: 1500,
        // Two resting quotes of ~175 USD (0.05 ETH at ~3500) pass the 1000 USD unhedged limit.
        maxUnhedgedUsd: '1000',
        statusPollMs: { lighter: 6000 },
      },
    },
    extraConfig: { fees: { table: { preset: 'current' } } },
    // One quote (lighter ~175 USD, its paradex hedge ~175 USD) fits 300 USD a venue; a second would not.
    risk: { maxNotionalPerVenueUsd: '300' },
  });
  rig.engine.announcements.on((l) => lines.push(l));
  stepper = setInterval(() => rig.sims.step(), 50);
}, 30_000);

afterAll(async () => {
  clearInterval(stepper);
  await rig?.close();
});

describe('maker-taker safety on the simulators', () => {
  it('resting quotes count in the gate: with one quote resting, the other side is refused by the venue notional limit, never sent', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1 && desk.stats.placed >= 1, 5000, 'one resting quote');
    await until(() => lines.some((l) => /quote not placed ETH-USD-PERP lighter (buy|sell) 0\.05 @ [\d.]+: risk gate: venue-notional: (lighter|paradex) open notional would be [\d.]+, limit 300 USD/.test(l)), 5000, 'the second side refused');
    // Over 2 s the desk never has both sides resting.
    let most = 0;
    const t0 = Date.now();
    while (Date.now() - t0 < 2000) {
      most = Math.max(most, desk.restingCount);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(most).toBe(1);
    await quoting.stop('test done');
  }, 20_000);

  it('a resting quote reads its status on pushes and at the venue interval only: at most 3 reads in 5 s of rest (the executor cadence read it every second)', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1 && desk.stats.placed >= 1, 5000, 'one resting quote');
    await new Promise((r) => setTimeout(r, 500));
    const reads = desk.meters.statusReads;
    const placed = desk.stats.placed;
    await new Promise((r) => setTimeout(r, 5000));
    // Nothing replaced meanwhile (repriceBps 50): the figure is one quote's rest.
    expect(desk.stats.placed).toBe(placed);
    expect(desk.meters.statusReads - reads).toBeLessThanOrEqual(3);
    await quoting.stop('test done');
  }, 20_000);

  it('desync risk High (Lighter silent 3.5 s while Paradex moves: their books drift past 2000 ms apart) cancels the quote, journaled with its reason, and no quote goes out until it clears', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    await until(() => desk.restingCount === 1, 5000, 'a resting quote');
    const placedBefore = desk.stats.placed;
    rig.sims.faults.stall('lighter', 3500);
    // The decision is journaled when the cancel goes out (Lighter's REST is stalled too, so its ack may wait for the stall's end).
    await until(() => rig.rows("SELECT reason FROM quote_events WHERE kind = 'cancel' AND reason LIKE 'desync risk High: lighter/paradex books % ms apart%'").length >= 1, 4000, 'the desync cancel journaled');
    expect(desk.meters.cancelled.get('desync')).toBe(1);
    // No quote went out while the books were desynced.
    expect(desk.stats.placed).toBe(placedBefore);
    // The console line a trader reads names the desync reason (acknowledged once Lighter answers again).
    await until(() => lines.some((l) => /^\[LIVE\] quote cancelled ETH-USD-PERP lighter (buy|sell) @ [\d.]+ \(desync risk High: lighter\/paradex books \d+ ms apart/.test(l)), 8000, 'the desync cancel line');
    await until(() => desk.stats.placed > placedBefore, 8000, 'quoting again after the stall');
    await quoting.stop('test done');
  }, 25_000);

  it('the desk metrics are served on the metrics endpoint', async () => {
    const quoting = attachQuoting(rig.engine);
    const desk = quoting.desks[0]!;
    // attachMetrics' wiring (its market-data tap must precede start(), so the endpoint is built as it builds it).
    const metrics = new EngineMetrics(rig.engine, systemClock);
    metrics.extra.push(() => makerTakerFamilies(quoting.desks));
    const server = await startMetricsServer('127.0.0.1', 0, () => metrics.render());
    try {
      await until(() => desk.meters.placed >= 1, 5000, 'a quote placed');
      await quoting.stop('test done');
      const text = await (await fetch(server.url)).text();
      const value = (name: string) => Number(text.split('\n').find((l) => l.startsWith(name + ' ') || l.startsWith(name + '{'))?.split(' ').pop());
      expect(value('arb_mt_quotes_placed_total')).toBe(desk.meters.placed);
      // quoting.stop("test done"): a stop reason of the caller's own is "other".
    expect(text).toMatch(/^arb_mt_quotes_cancelled_total\{reason="other"\} [1-9]/m);
      expect(value('arb_mt_resting_quotes')).toBe(0);
      expect(value('arb_mt_unhedged_usd')).toBe(0);
      expect(text).toContain('# TYPE arb_mt_hedge_latency_seconds histogram');
    } finally {
      await server.close();
    }
  }, 20_000);
});
