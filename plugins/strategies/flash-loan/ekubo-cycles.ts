/**
 * Ekubo-only cycles for the strategy (lender kind 'ekubo'): for each ordered pair of configured
 * Ekubo pools, sell the token on one and buy it back on the other, both inside Ekubo's lock, sized
 * through the router's quotes. Each direction is probed with a small amount first: profit is
 * concave in size, so a direction that loses at the probe loses at every size and is skipped
 * without a search.
 */
import type { CycleRoute } from './calldata.ts';
import { ekuboPoolKey, sellLeg, type SwapQuoter } from './ekubo-quote.ts';
import { bestQuotedBorrow, type QuotedCycle } from './ekubo-sizing.ts';

export interface EkuboPoolConfig {
  name: string;
  /** Ekubo's 0.128 fee (1% = 2^128 / 100), as an integer string. */
  fee: string;
  tickSpacing: number;
  extension: string;
}

export interface EkuboCandidate {
  quote: QuotedCycle;
  sell: number;
  buy: number;
  route: CycleRoute;
  /** Mid per token at the probe size on each pool (display and journal only). */
  sellRate: { mid: bigint; token: bigint };
  buyRate: { mid: bigint; token: bigint };
}

export interface EkuboCycleInput {
  token: string;
  midToken: string;
  pools: readonly EkuboPoolConfig[];
  quoter: SwapQuoter;
  maxBorrow: bigint;
  gasCost: bigint;
}

export async function bestEkuboCycle(input: EkuboCycleInput): Promise<EkuboCandidate | undefined> {
  const { token, midToken, quoter } = input;
  const probe = input.maxBorrow / 1000n > 0n ? input.maxBorrow / 1000n : 1n;
  const keys = input.pools.map((p) => ekuboPoolKey(token, midToken, BigInt(p.fee), BigInt(p.tickSpacing), p.extension));
  let best: EkuboCandidate | undefined;
  for (let sell = 0; sell < keys.length; sell++) {
    for (let buy = 0; buy < keys.length; buy++) {
      if (sell === buy) continue;
      const legA = sellLeg(keys[sell]!, token);
      const legB = sellLeg(keys[buy]!, midToken);
      const cycle = async (amount: bigint) => {
        const mid = await quoter.quote(legA, token, amount);
        return mid > 0n ? quoter.quote(legB, midToken, mid) : 0n;
      };
      const probeMid = await quoter.quote(legA, token, probe);
      if (probeMid <= 0n) continue;
      const probeBack = await quoter.quote(legB, midToken, probeMid);
      if (probeBack <= probe) continue;
      const quote = await bestQuotedBorrow({ cycle, maxBorrow: input.maxBorrow, gasCost: input.gasCost });
      if (!quote || (best && quote.netProfit <= best.quote.netProfit)) continue;
      best = {
        quote,
        sell,
        buy,
        route: { legA, legB, midToken },
        sellRate: { mid: probeMid, token: probe },
        buyRate: { mid: probeMid, token: probeBack },
      };
    }
  }
  return best;
}
