/**
 * Borrow sizing for a cycle whose legs are quoted, not computed: Ekubo pools are concentrated
 * liquidity (piecewise across ticks, no reserves), so the output for an amount comes from the
 * venue's own quote entry point (ekubo-quote.ts). Integer token units only (bigint).
 *
 * Profit p(x) = back(x) - x - gas is concave for any pair of pools whose marginal price only
 * worsens with size (both constant-product and concentrated liquidity do), so an integer ternary
 * search finds its maximum in O(log maxBorrow) quote pairs; the search stops once the bracket is
 * narrower than `resolution` and returns the best amount it quoted (never an extrapolation).
 */
import { SizingError } from './sizing.ts';

export interface QuotedCycle {
  amount: bigint;
  tokenBack: bigint;
  /** tokenBack - amount: what the contract's balance grows by (Ekubo and Vesu lend for free). */
  onChainProfit: bigint;
  netProfit: bigint;
}

export interface QuotedSizingInput {
  /** Token back from the whole cycle for `amount` borrowed (leg A then leg B). */
  cycle: (amount: bigint) => Promise<bigint>;
  maxBorrow: bigint;
  gasCost: bigint;
  /** Stop when the bracket is this narrow (token units); default maxBorrow / 1000, at least 1. */
  resolution?: bigint;
  /** Upper bound on cycle quotes (each is two starknet_calls); default 40. */
  maxQuotes?: number;
}

export async function bestQuotedBorrow(input: QuotedSizingInput): Promise<QuotedCycle | undefined> {
  if (input.maxBorrow < 0n) throw new SizingError('maxBorrow', 'must be >= 0');
  if (input.gasCost < 0n) throw new SizingError('gasCost', 'must be >= 0');
  if (input.maxBorrow === 0n) return undefined;
  const resolution = input.resolution ?? (input.maxBorrow / 1000n > 0n ? input.maxBorrow / 1000n : 1n);
  let budget = input.maxQuotes ?? 40;
  const seen = new Map<bigint, QuotedCycle>();
  const at = async (amount: bigint): Promise<QuotedCycle> => {
    const hit = seen.get(amount);
    if (hit) return hit;
    budget--;
    const tokenBack = await input.cycle(amount);
    const q = { amount, tokenBack, onChainProfit: tokenBack - amount, netProfit: tokenBack - amount - input.gasCost };
    seen.set(amount, q);
    return q;
  };
  let lo = 1n;
  let hi = input.maxBorrow;
  while (hi - lo > resolution && budget >= 2) {
    const third = (hi - lo) / 3n;
    const m1 = lo + third;
    const m2 = hi - third;
    const [a, b] = await Promise.all([at(m1), at(m2)]);
    if (a.onChainProfit < b.onChainProfit) lo = m1 + 1n;
    else hi = m2 - 1n;
  }
  if (budget > 0) await at(lo);
  if (budget > 0 && hi !== lo) await at(hi);
  let best: QuotedCycle | undefined;
  for (const q of seen.values()) if (!best || q.netProfit > best.netProfit) best = q;
  return best && best.netProfit > 0n ? best : undefined;
}
