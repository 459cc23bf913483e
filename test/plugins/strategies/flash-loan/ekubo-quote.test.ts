/**
 * Ekubo quoting against a loopback Starknet JSON-RPC node that answers `quote_swap` the way
 * Ekubo's router does (a Delta: input positive, output negative), with the mock core's math
 * (contracts/src/mocks/ekubo_core.cairo swap_out: fee rounded up, x*y=k, output floored).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from '../../../../plugins/strategies/flash-loan/calldata.ts';
import {
  decodeDelta,
  ekuboPoolKey,
  encodeQuoteSwap,
  outputOf,
  QUOTE_SWAP_SELECTOR,
  RpcEkuboQuoter,
  sellLeg,
} from '../../../../plugins/strategies/flash-loan/ekubo-quote.ts';
import { bestQuotedBorrow } from '../../../../plugins/strategies/flash-loan/ekubo-sizing.ts';

const TKN = 0x222n;
const MID = 0x333n;
const FEE_30BPS = 1020847100762815390390123822295304634n; // floor(0.003 * 2^128)
const FEE_5BPS = 170141183460469231731687303715884105n;
const U128 = 2n ** 128n;

/** Ekubo's compute_fee (src/math/fee.cairo): amount * fee / 2^128, rounded up. */
const computeFee = (a: bigint, fee: bigint) => (a * fee + U128 - 1n) / U128;
const swapOut = (a: bigint, rIn: bigint, rOut: bigint, fee: bigint) => {
  const after = a - computeFee(a, fee);
  return (after * rOut) / (rIn + after);
};

/** pool fee -> [reserve TKN, reserve MID]. */
const pools = new Map<bigint, [bigint, bigint]>([
  [FEE_30BPS, [1_000_000n, 2_200_000n]],
  [FEE_5BPS, [1_000_000n, 2_000_000n]],
]);
const seenBlockIds: unknown[] = [];
let lie = false;
let server: Server;
let rpcUrl = '';

const hex = (v: bigint) => '0x' + v.toString(16);
const i129 = (v: bigint) => [hex(v < 0n ? -v : v), v < 0n ? '0x1' : '0x0'];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const msg = JSON.parse(body);
      const reply = (payload: object) => res.end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, ...payload }));
      res.setHeader('content-type', 'application/json');
      const call = msg.params?.request;
      if (msg.method !== 'starknet_call' || BigInt(call.entry_point_selector) !== BigInt(QUOTE_SWAP_SELECTOR)) {
        return reply({ error: { code: 21, message: 'Invalid message selector' } });
      }
      seenBlockIds.push(msg.params.block_id);
      // RouteNode: token0, token1, fee, tick_spacing, extension, limit(lo, hi), skip_ahead; TokenAmount: token, mag, sign.
      const f = (call.calldata as string[]).map((x) => BigInt(x));
      const [token0, , fee] = f;
      const [tokenIn, mag] = [f[8]!, f[9]!];
      const [rT, rM] = pools.get(fee!)!;
      const sellingTkn = tokenIn === TKN;
      const out = sellingTkn ? swapOut(mag, rT, rM, fee!) : swapOut(mag, rM, rT, fee!);
      const inIs0 = tokenIn === token0;
      const received = lie ? out : -out;
      reply({ result: inIs0 ? [...i129(mag), ...i129(received)] : [...i129(received), ...i129(mag)] });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  rpcUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('Ekubo quote_swap encoding', () => {
  it('orders the pool key by address and picks the limit on the side the price moves', () => {
    const key = ekuboPoolKey(MID, TKN, FEE_30BPS, 60n);
    expect([key.token0, key.token1]).toEqual([TKN, MID]);
    expect(sellLeg(key, TKN).sqrtRatioLimit).toBe(MIN_SQRT_RATIO); // selling token0 lowers the price
    expect(sellLeg(key, MID).sqrtRatioLimit).toBe(MAX_SQRT_RATIO);
    expect(() => sellLeg(key, 0x999n)).toThrow(/tokenIn/);
  });
  it('lays out RouteNode then TokenAmount (exact input: sign false)', () => {
    const leg = sellLeg(ekuboPoolKey(TKN, MID, FEE_30BPS, 60n), TKN);
    expect(encodeQuoteSwap(leg, TKN, 10_000n)).toEqual([TKN, MID, FEE_30BPS, 60n, 0n, MIN_SQRT_RATIO, 0n, 0n, TKN, 10_000n, 0n]);
    expect(() => encodeQuoteSwap(leg, TKN, 0n)).toThrow(/amountIn/);
    expect(() => encodeQuoteSwap(leg, TKN, U128)).toThrow(/amountIn/);
  });
  it('reads the output off the Delta and refuses an impossible one', () => {
    const leg = sellLeg(ekuboPoolKey(TKN, MID, FEE_30BPS, 60n), TKN);
    expect(outputOf(decodeDelta(['0x2710', '0x0', '0x54d5', '0x1']), leg, TKN, 10_000n)).toBe(21_717n);
    // A positive "received" would be the swapper owing more: not a quote the contract could use.
    expect(() => outputOf(decodeDelta(['0x2710', '0x0', '0x54d5', '0x0']), leg, TKN, 10_000n)).toThrow(/impossible delta/);
    expect(() => outputOf(decodeDelta(['0x2711', '0x0', '0x54d5', '0x1']), leg, TKN, 10_000n)).toThrow(/impossible delta/);
    expect(() => decodeDelta(['0x1', '0x2', '0x0', '0x0'])).toThrow(/sign/);
    expect(() => decodeDelta(['0x1'])).toThrow(/4/);
  });
});

describe('RpcEkuboQuoter over a loopback node', () => {
  it('quotes both legs at pre_confirmed and matches the mock core\'s hand-computed cycle', async () => {
    const quoter = new RpcEkuboQuoter(rpcUrl, '0x5e');
    const legA = sellLeg(ekuboPoolKey(TKN, MID, FEE_30BPS, 60n), TKN);
    const legB = sellLeg(ekuboPoolKey(TKN, MID, FEE_5BPS, 10n), MID);
    const mid = await quoter.quote(legA, TKN, 10_000n);
    const back = await quoter.quote(legB, MID, mid);
    // contracts/src/tests/setup.cairo: EKUBO_MID_OUT 21_717, EKUBO_TOKEN_BACK 10_736.
    expect([mid, back]).toEqual([21_717n, 10_736n]);
    expect(seenBlockIds.at(-1)).toBe('pre_confirmed');
  });
  it('fails on a node answering an impossible delta instead of sizing on it', async () => {
    lie = true;
    try {
      const leg = sellLeg(ekuboPoolKey(TKN, MID, FEE_30BPS, 60n), TKN);
      await expect(new RpcEkuboQuoter(rpcUrl, '0x5e').quote(leg, TKN, 10_000n)).rejects.toThrow(/impossible delta/);
    } finally {
      lie = false;
    }
  });
  it('sizes the cycle through quotes to the brute-force optimum within the resolution', async () => {
    const quoter = new RpcEkuboQuoter(rpcUrl, '0x5e');
    const legA = sellLeg(ekuboPoolKey(TKN, MID, FEE_30BPS, 60n), TKN);
    const legB = sellLeg(ekuboPoolKey(TKN, MID, FEE_5BPS, 10n), MID);
    const cycle = async (x: bigint) => quoter.quote(legB, MID, await quoter.quote(legA, TKN, x));
    const best = await bestQuotedBorrow({ cycle, maxBorrow: 200_000n, gasCost: 50n });
    let brute = 0n;
    for (let x = 1n; x <= 200_000n; x += 1n) {
      const p = swapOut(swapOut(x, 1_000_000n, 2_200_000n, FEE_30BPS), 2_000_000n, 1_000_000n, FEE_5BPS) - x;
      if (p > brute) brute = p;
    }
    expect(best).toBeDefined();
    expect(best!.onChainProfit).toBeLessThanOrEqual(brute);
    expect(best!.onChainProfit).toBeGreaterThanOrEqual((brute * 999n) / 1000n);
    expect(best!.netProfit).toBe(best!.onChainProfit - 50n);
  });
  it('returns nothing when no amount clears the gas', async () => {
    const cycle = async (x: bigint) => x - 1n; // every size loses 1
    expect(await bestQuotedBorrow({ cycle, maxBorrow: 1000n, gasCost: 0n })).toBeUndefined();
  });
});
