/**
 * The loopback pool node behind `strategies.flash-loan.simulator`: get_reserves answered as a
 * JediSwap v1 pair answers it (u256 low/high felts, pool's reserve order, timestamp), priced off
 * the reference with a seeded dislocation, and nothing else answered. Read here with plain
 * JSON-RPC requests, not through the strategy's reader.
 */
import { hash } from 'starknet';
import { afterAll, describe, expect, it } from 'vitest';
import { startPoolNode, type PoolNode } from '../../simulators/starknet/pool-node.ts';

const GET_RESERVES = hash.getSelectorFromName('get_reserves');
let clock = 1_000_000;
let node: PoolNode;
const nodes: PoolNode[] = [];
afterAll(async () => {
  for (const n of nodes) await n.stop();
});

async function rpc(url: string, method: string, params: object): Promise<{ result?: string[]; error?: { code: number; message: string } }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method, params }) });
  return (await res.json()) as { result?: string[]; error?: { code: number; message: string } };
}

const call = (address: string) => rpc(node.url, 'starknet_call', { request: { contract_address: address, entry_point_selector: GET_RESERVES, calldata: [] }, block_id: 'latest' });
const u256 = (lo: string, hi: string) => BigInt(lo) + (BigInt(hi) << 128n);

describe('loopback Starknet pool node', () => {
  it('answers get_reserves at the reference price, in each pool\'s reserve order, with a seeded dislocation', async () => {
    node = await startPoolNode({
      pools: [{ address: '0x21', reserveOrder: 'token-mid' }, { address: '0x22', reserveOrder: 'mid-token' }],
      tokenDecimals: 18,
      midDecimals: 6,
      referencePrice: () => '3500.25',
      dislocationPct: 2,
      everyMs: 1000,
      seed: 3,
      now: () => clock,
    });
    nodes.push(node);
    // The calm half of a window: both pools at the reference, 100 ETH against 350,025 USDC.
    clock += 600;
    const a = (await call('0x21')).result!;
    const b = (await call('0x22')).result!;
    expect(a).toHaveLength(5);
    expect([u256(a[0]!, a[1]!), u256(a[2]!, a[3]!)]).toEqual([100n * 10n ** 18n, 350_025_000_000n]);
    expect([u256(b[0]!, b[1]!), u256(b[2]!, b[3]!)]).toEqual([350_025_000_000n, 100n * 10n ** 18n]); // mid-token order
    // Over many windows, each first half moves exactly one pool by exactly +-2%, the other not at all.
    const seen = new Set<number>();
    for (let k = 2; k < 40; k++) {
      const at = 1_000_000 + k * 1000 + 100;
      const offsets = [node.offsetBps(0, at), node.offsetBps(1, at)];
      expect(offsets.filter((o) => o !== 0)).toHaveLength(1);
      for (const o of offsets) if (o !== 0) seen.add(o);
      expect([node.offsetBps(0, at + 500), node.offsetBps(1, at + 500)]).toEqual([0, 0]);
    }
    expect([...seen].sort()).toEqual([-200, 200]);
    // The wire follows the schedule: a dislocated pool's mid reserve is the reference +-2%.
    clock = 1_000_000 + 5 * 1000 + 100;
    const off = node.offsetBps(0, clock);
    const r = (await call('0x21')).result!;
    expect(u256(r[2]!, r[3]!)).toBe((350_025_000_000n * BigInt(10_000 + off)) / 10_000n);
  });

  it('answers nothing else: an unknown pool is CONTRACT_NOT_FOUND, other methods are refused', async () => {
    expect((await call('0x99')).error?.code).toBe(20);
    const sent = await rpc(node.url, 'starknet_addInvokeTransaction', { invoke_transaction: {} });
    expect(sent.error?.code).toBe(-32601);
    expect(node.calls['starknet_addInvokeTransaction']).toBe(1);
  });

  it('is deterministic for a seed', async () => {
    const other = await startPoolNode({ pools: [{ address: '0x1', reserveOrder: 'token-mid' }, { address: '0x2', reserveOrder: 'token-mid' }], tokenDecimals: 18, midDecimals: 6, referencePrice: () => '1', seed: 3, everyMs: 1000, now: () => 1_000_000 });
    nodes.push(other);
    const schedule = (n: PoolNode) => Array.from({ length: 30 }, (_, k) => [n.offsetBps(0, 1_000_000 + k * 1000), n.offsetBps(1, 1_000_000 + k * 1000)]);
    expect(schedule(other).map((x) => x.map(Math.sign))).toEqual(schedule(node).map((x) => x.map(Math.sign)));
  });
});
