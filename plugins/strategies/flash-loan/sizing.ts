/**
 * Borrow sizing for a two-pool flash-loan cycle: sell the borrowed token on pool A for the mid
 * token, buy it back on pool B, repay the lender. All amounts are integer token units (bigint);
 * nothing passes through a float.
 *
 * Pool output follows Uniswap v2's getAmountOut with the fee in basis points and floor division,
 * exactly as contracts/src/mocks/pool.cairo and JediSwap v1 / 10KSwap compute it, so the profit
 * predicted here is the profit the contract sees for the same reserves.
 */

export const BPS = 10_000n;
/** zkLend's flash-loan fee scale (ray). */
export const RAY = 10n ** 27n;

export class SizingError extends Error {
  constructor(readonly field: string, message: string) {
    super(`flash-loan sizing: ${field}: ${message}`);
    this.name = 'SizingError';
  }
}

/** One pool as seen in the direction we trade it. */
export interface PoolSide {
  reserveIn: bigint;
  reserveOut: bigint;
  /** Pool fee in basis points (30 = 0.3%). */
  feeBps: bigint;
}

/** Lender fee: zkLend-style rate in 1e27 scale, charged on the borrowed amount, rounded up. */
export interface LenderFee {
  rateRay: bigint;
}

export const NO_LENDER_FEE: LenderFee = { rateRay: 0n };

export interface CycleQuote {
  amount: bigint;
  midOut: bigint;
  tokenBack: bigint;
  lenderFee: bigint;
  /** tokenBack - amount - lenderFee: what the contract's balance grows by (its `profit`). */
  onChainProfit: bigint;
  /** onChainProfit - gasCost: what the owner keeps after paying for the transaction. */
  netProfit: bigint;
}

export interface SizingInput {
  poolA: PoolSide;
  poolB: PoolSide;
  lenderFee: LenderFee;
  /** Transaction cost expressed in the borrowed token's units. */
  gasCost: bigint;
  /** Most the lender can lend (its free liquidity); the search never exceeds it. */
  maxBorrow: bigint;
}

function checkPool(name: string, pool: PoolSide): void {
  if (pool.reserveIn <= 0n) throw new SizingError(`${name}.reserveIn`, 'must be > 0');
  if (pool.reserveOut <= 0n) throw new SizingError(`${name}.reserveOut`, 'must be > 0');
  if (pool.feeBps < 0n || pool.feeBps >= BPS) throw new SizingError(`${name}.feeBps`, 'must be in [0, 10000)');
}

/** Uniswap v2 getAmountOut, floor. */
export function amountOut(amountIn: bigint, pool: PoolSide): bigint {
  if (amountIn < 0n) throw new SizingError('amountIn', 'must be >= 0');
  const inAfterFee = amountIn * (BPS - pool.feeBps);
  return (inAfterFee * pool.reserveOut) / (pool.reserveIn * BPS + inAfterFee);
}

/** Lender fee on `amount`, rounded up (the receiver must never under-repay). */
export function lenderFeeOn(amount: bigint, fee: LenderFee): bigint {
  const product = amount * fee.rateRay;
  return (product + RAY - 1n) / RAY;
}

/** Exact outcome of borrowing `amount` through the cycle. */
export function quoteCycle(amount: bigint, input: Omit<SizingInput, 'maxBorrow'>): CycleQuote {
  const midOut = amountOut(amount, input.poolA);
  const tokenBack = amountOut(midOut, input.poolB);
  const lenderFee = lenderFeeOn(amount, input.lenderFee);
  const onChainProfit = tokenBack - amount - lenderFee;
  return { amount, midOut, tokenBack, lenderFee, onChainProfit, netProfit: onChainProfit - input.gasCost };
}

/** floor(sqrt(n)) for n >= 0 (Newton). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new SizingError('isqrt', 'negative input');
  if (n < 2n) return n;
  let x = BigInt(1) << BigInt((n.toString(2).length + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * The two swaps compose into out(x) = a·x / (b + c·x) with
 *   a = gA·gB·A.out·B.out,  b = A.in·B.in·BPS²,  c = gA·(B.in·BPS + gB·A.out),  g = BPS - fee.
 * Profit x ↦ out(x) - x·(1+φ) peaks where a·b/(b + c·x)² = 1+φ, i.e.
 *   x* = (sqrt(a·b/(1+φ)) - b) / c.
 * Floor rounding makes the integer profit slightly jagged, so the exact quote is checked on a
 * small window around x*.
 */
export function continuousOptimum(input: SizingInput): bigint {
  const { poolA: A, poolB: B } = input;
  const gA = BPS - A.feeBps;
  const gB = BPS - B.feeBps;
  const a = gA * gB * A.reserveOut * B.reserveOut;
  const b = A.reserveIn * B.reserveIn * BPS * BPS;
  const c = gA * (B.reserveIn * BPS + gB * A.reserveOut);
  // 1+φ = (RAY + rate) / RAY, so a·b/(1+φ) = a·b·RAY / (RAY + rate).
  const root = isqrt((a * b * RAY) / (RAY + input.lenderFee.rateRay));
  if (root <= b) return 0n; // marginal price after fees does not beat 1+φ: no trade
  return (root - b) / c;
}

const WINDOW = 3n;

/**
 * Best amount to borrow and its quote, or `undefined` when no amount clears the gas cost.
 */
export function bestBorrow(input: SizingInput): CycleQuote | undefined {
  checkPool('poolA', input.poolA);
  checkPool('poolB', input.poolB);
  if (input.maxBorrow < 0n) throw new SizingError('maxBorrow', 'must be >= 0');
  if (input.gasCost < 0n) throw new SizingError('gasCost', 'must be >= 0');
  if (input.lenderFee.rateRay < 0n) throw new SizingError('lenderFee.rateRay', 'must be >= 0');

  const center = continuousOptimum(input);
  if (center === 0n) return undefined;
  let best: CycleQuote | undefined;
  const from = center > WINDOW ? center - WINDOW : 1n;
  for (let x = from; x <= center + WINDOW; x++) {
    const amount = x > input.maxBorrow ? input.maxBorrow : x;
    if (amount <= 0n) continue;
    const quote = quoteCycle(amount, input);
    if (best === undefined || quote.netProfit > best.netProfit) best = quote;
  }
  return best !== undefined && best.netProfit > 0n ? best : undefined;
}
