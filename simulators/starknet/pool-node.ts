/**
 * A loopback Starknet JSON-RPC node serving constant-product pools, for the flash-loan
 * strategy's dry-run demo (`strategies.flash-loan.simulator`). It answers what the strategy
 * reads and nothing else: `starknet_call` of `get_reserves` on each pool address, as JediSwap v1
 * pairs answer it (reserve0: u256, reserve1: u256, block_timestamp: u64; two felts per u256,
 * low then high; JediSwap core Pair.cairo), in the pool's own reserve order. Any other method is
 * refused with JSON-RPC error -32601: nothing is ever sent through this node.
 *
 * Prices follow a reference price given by the caller (the engine's Paradex book in the demo):
 * each pool holds `depthTokens` of the token against that much value in the mid token, and
 * now and then one pool is pushed off the reference by a seeded dislocation, which a cycle
 * between the two pools can take. Written from the RPC spec, not from the strategy's reader.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hash } from 'starknet';
import { Prng } from '../prng.ts';

export interface SimulatedPool {
  /** The address get_reserves is called on (the pair, or the router when it is the pool). */
  address: string;
  reserveOrder: 'token-mid' | 'mid-token';
}

export interface PoolNodeOptions {
  pools: readonly SimulatedPool[];
  tokenDecimals: number;
  midDecimals: number;
  /** Mid-token price of one token, as a decimal string, or undefined while unknown. */
  referencePrice(): string | undefined;
  /** Token reserve of every pool, whole tokens. Default 100. */
  depthTokens?: number;
  /** Size of a dislocation, percent of the price. Default 1.5 (above two 0.3% pool fees). */
  dislocationPct?: number;
  /** A dislocation starts every this many ms and lasts half of it. Default 8000. */
  everyMs?: number;
  seed?: number;
  now?: () => number;
}

export interface PoolNode {
  url: string;
  /** Calls answered per method (get_reserves reads, refusals). */
  readonly calls: Record<string, number>;
  /** Each pool's offset from the reference at `at`, in basis points (for tests). */
  offsetBps(pool: number, at?: number): number;
  stop(): Promise<void>;
}

const GET_RESERVES = BigInt(hash.getSelectorFromName('get_reserves'));
const TWO_128 = 1n << 128n;

/** Exact decimal string times 10^decimals, truncated, as a bigint (no floats on the way). */
function scaled(value: string, decimals: number): bigint {
  const [whole, frac = ''] = value.split('.');
  return BigInt(whole! + frac.padEnd(decimals, '0').slice(0, decimals));
}

function u256(v: bigint): [string, string] {
  return ['0x' + (v % TWO_128).toString(16), '0x' + (v / TWO_128).toString(16)];
}

export async function startPoolNode(o: PoolNodeOptions): Promise<PoolNode> {
  const now = o.now ?? Date.now;
  const everyMs = o.everyMs ?? 8000;
  const disloBps = Math.round((o.dislocationPct ?? 1.5) * 100);
  const depth = BigInt(o.depthTokens ?? 100);
  const seed = o.seed ?? 1;
  const started = now();
  const calls: Record<string, number> = {};
  const byAddress = new Map(o.pools.map((p, i) => [BigInt(p.address), i]));

  /** Window k: which pool is off and by how much (sign), from the seed alone. */
  const windowOf = (k: number) => {
    const r = Prng.derive(seed, `pool-window-${k}`);
    return { pool: r.int(0, o.pools.length - 1), sign: r.chance(0.5) ? 1 : -1 };
  };
  const offsetBps = (pool: number, at = now()): number => {
    const t = at - started;
    const k = Math.floor(t / everyMs);
    if (t - k * everyMs >= everyMs / 2) return 0; // the second half of each window is calm
    const w = windowOf(k);
    return w.pool === pool ? w.sign * disloBps : 0;
  };

  const reserves = (pool: number): string[] | undefined => {
    const ref = o.referencePrice();
    if (ref === undefined) return undefined;
    const token = depth * 10n ** BigInt(o.tokenDecimals);
    // mid = depth x price x (1 + offset), in mid units: exact integer arithmetic.
    const mid = (depth * scaled(ref, o.midDecimals) * BigInt(10_000 + offsetBps(pool))) / 10_000n;
    const [r0, r1] = o.pools[pool]!.reserveOrder === 'token-mid' ? [token, mid] : [mid, token];
    return [...u256(r0), ...u256(r1), '0x' + Math.floor(now() / 1000).toString(16)];
  };

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      let msg: { id?: unknown; method?: string; params?: { request?: { contract_address?: string; entry_point_selector?: string } } };
      try {
        msg = JSON.parse(body);
      } catch {
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }));
        return;
      }
      const reply = (payload: object) => res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id ?? null, ...payload }));
      const call = msg.params?.request;
      if (msg.method === 'starknet_call' && call?.contract_address && call.entry_point_selector && BigInt(call.entry_point_selector) === GET_RESERVES) {
        const pool = byAddress.get(BigInt(call.contract_address));
        // Starknet JSON-RPC spec: CONTRACT_NOT_FOUND is error 20.
        if (pool === undefined) return reply({ error: { code: 20, message: 'Contract not found' } });
        const felts = reserves(pool);
        if (!felts) return reply({ error: { code: 40, message: 'Contract error: no reference price yet' } });
        calls['get_reserves'] = (calls['get_reserves'] ?? 0) + 1;
        return reply({ result: felts });
      }
      calls[msg.method ?? '?'] = (calls[msg.method ?? '?'] ?? 0) + 1;
      reply({ error: { code: -32601, message: `Method not found: this loopback pool node only answers get_reserves (${msg.method})` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    offsetBps,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
