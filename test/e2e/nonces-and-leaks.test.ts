/**
 * Lighter nonces under concurrency through the real gateway (one sequencer per API key; the
 * simulator accepts only the exactly-next nonce), and the key-leak check itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { capturedLogLines, generatedSecrets, linesWithSecrets, startLiveRig, type LiveRig } from './harness.ts';

let rig: LiveRig;

beforeAll(async () => {
  rig = await startLiveRig({ envPrefix: 'E2E_NONCE' });
}, 30_000);

afterAll(async () => {
  await rig?.close();
  expect(capturedLogLines.length).toBeGreaterThan(0);
  expect(linesWithSecrets()).toEqual([]);
});

async function nextNonce(accountIndex: number, apiKeyIndex: number): Promise<number> {
  const res = await fetch(`${rig.sims.lighter.restUrl}/api/v1/nextNonce?account_index=${accountIndex}&api_key_index=${apiKeyIndex}`);
  return ((await res.json()) as { nonce: number }).nonce;
}

describe('Lighter nonces and key hygiene', () => {
  it('many concurrent orders through the Lighter gateway: all accepted, each nonce used exactly once', async () => {
    const gw = rig.engine.connectors.find((c) => c.venue === 'lighter')!.orders!;
    const { accountIndex, apiKeyIndex } = (rig.config.venues['lighter'] as { credentials: { accountIndex: number; apiKeyIndex: number } }).credentials;
    const account = String(accountIndex);
    const start = await nextNonce(accountIndex, apiKeyIndex);
    const ordersBefore = rig.sims.trading.lighter.engine.orders(account).length;
    const fair = new Decimal(rig.sims.model.fairPrice('BTC'));
    const N = 24;
    const requests = Array.from({ length: N }, (_, i) => ({
      venue: 'lighter',
      symbol: '1',
      side: (i % 2 === 0 ? 'buy' : 'sell') as 'buy' | 'sell',
      type: 'limit' as const,
      size: new Decimal('0.001'),
      price: (i % 2 === 0 ? fair.mul('1.01') : fair.mul('0.99')).toDecimalPlaces(1),
      timeInForce: 'IOC' as const,
      clientId: `e2e-nonce-${i}`,
    }));
    // Sign and send all at once: leases are handed out in order, requests may reach the venue out of order.
    const results = await Promise.allSettled(requests.map(async (r) => gw.send(await gw.sign(r))));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    // Every accepted tx consumed exactly one nonce and a refused one none: N orders, N nonces, no reuse.
    expect((await nextNonce(accountIndex, apiKeyIndex)) - start).toBe(N);
    const placed = rig.sims.trading.lighter.engine.orders(account).slice(ordersBefore);
    expect(placed).toHaveLength(N);
    expect(new Set(placed.map((o) => o.clientId)).size).toBe(N);
    // Every order filled at the venue; the gateway's view is checked on a sample, since a full report
    // costs 900 of Lighter's 24,000 weighted requests a minute even on Premium (accountOrders 300 +
    // trades 600, plugins/exchanges/lighter/limits.ts): 24 of them would wait out most of a minute.
    expect(placed.map((o) => o.status)).toEqual(placed.map(() => 'filled'));
    for (const r of [requests[0]!, requests[N - 1]!]) expect((await gw.report({ symbol: '1', clientId: r.clientId })).state.status).toBe('filled');
    expect(rig.position('lighter').toString()).toBe('0');
  });

  it('the leak check finds a key in a log line (so an empty result means something)', () => {
    const secret = generatedSecrets[0]!;
    expect(linesWithSecrets(['{"msg":"oops","key":"' + secret.replace(/^0x/, '') + '"}'])).toHaveLength(1);
    expect(linesWithSecrets(['{"msg":"fine"}'])).toHaveLength(0);
  });
});
