import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { startVenueSimulators } from '../../simulators/index.ts';
import { getJson, WireClient } from './wire-client.ts';

const VEST_HEADERS = { xrestservermm: 'restserver0' };

async function mids(sims: Awaited<ReturnType<typeof startVenueSimulators>>) {
  const p = (await getJson(`${sims.paradex.restUrl}/orderbook/BTC-USD-PERP?depth=1`)).body;
  const v = (await getJson(`${sims.vest.restUrl}/depth?symbol=BTC-PERP&limit=1`, VEST_HEADERS)).body;
  const l = (await getJson(`${sims.lighter.restUrl}/api/v1/orderBookOrders?market_id=1&limit=1`)).body;
  const mid = (bid: string, ask: string) => new Decimal(bid).plus(ask).div(2);
  return {
    paradex: mid(p.bids[0][0], p.asks[0][0]),
    vest: mid(v.bids[0][0], v.asks[0][0]),
    lighter: mid(l.bids[0].price, l.asks[0].price),
  };
}

describe('venue simulators together', () => {
  it('a forced dislocation shows up on the wire as a cross-venue price gap of that size', async () => {
    const sims = await startVenueSimulators({ seed: 21, updateIntervalMs: 0, venueNoisePpm: 0, dislocationProbability: 0 });
    try {
      sims.step();
      const before = await mids(sims);
      // Without a dislocation the venues quote the same fair price (within a tick of grid rounding).
      expect(before.vest.div(before.paradex).minus(1).abs().toNumber()).toBeLessThan(5e-6);

      sims.model.dislocate('vest', 'BTC', '0.004', 60_000);
      sims.step();
      const after = await mids(sims);
      const gap = after.vest.div(after.paradex).minus(1);
      expect(gap.minus('0.004').abs().toNumber()).toBeLessThan(5e-6);
      expect(after.lighter.div(after.paradex).minus(1).abs().toNumber()).toBeLessThan(5e-6);

      sims.model.clearDislocation('vest', 'BTC');
      sims.step();
      const healed = await mids(sims);
      expect(healed.vest.div(healed.paradex).minus(1).abs().toNumber()).toBeLessThan(5e-6);
    } finally {
      await sims.stop();
    }
  });

  it('produces identical wire output for a fixed seed and different output for another', async () => {
    const run = async (seed: number) => {
      const sims = await startVenueSimulators({ seed, updateIntervalMs: 0 });
      try {
        const c = await WireClient.open(sims.lighter.wsUrl);
        await c.next();
        c.send({ type: 'subscribe', channel: 'order_book/0' });
        const frames: unknown[] = [];
        const strip = (m: any) => ({ ...m, timestamp: 0, last_updated_at: 0, order_book: { ...m.order_book, last_updated_at: 0 } });
        frames.push(strip(await c.next()));
        for (let i = 0; i < 20; i++) {
          sims.step();
          frames.push(strip(await c.next()));
        }
        c.close();
        const paradex = (await getJson(`${sims.paradex.restUrl}/orderbook/SOL-USD-PERP?depth=15`)).body;
        return { frames, paradexBids: paradex.bids, paradexAsks: paradex.asks, seq: paradex.seq_no, fair: sims.model.fairPrice('SOL') };
      } finally {
        await sims.stop();
      }
    };
    const a = await run(99);
    expect(await run(99)).toEqual(a);
    const b = await run(100);
    expect(b.paradexBids).not.toEqual(a.paradexBids);
    expect(b.fair).not.toBe(a.fair);
  });

  it('moves on its own timer and adds per-venue latency before pushes', async () => {
    const sims = await startVenueSimulators({ seed: 2, updateIntervalMs: 20, latencyMs: { vest: 150 }, paradexPublicEncoding: 'json' }); // reads Paradex pushes as JSON text
    try {
      const vest = await WireClient.open(sims.vest.wsUrl);
      const paradex = await WireClient.open(sims.paradex.wsUrl);
      const t0 = Date.now();
      vest.send({ method: 'SUBSCRIBE', params: ['ETH-PERP@depth'], id: 1 });
      await vest.next();
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      paradex.send({ jsonrpc: '2.0', method: 'subscribe', params: { channel: 'order_book.ETH-USD-PERP.deltas' }, id: 1 });
      await paradex.next();
      const snap = (await paradex.next()).params.data;
      const delta = (await paradex.next(1000)).params.data;
      expect(delta.seq_no).toBe(snap.seq_no + 1);
      vest.close();
      paradex.close();
    } finally {
      await sims.stop();
    }
  });
});
