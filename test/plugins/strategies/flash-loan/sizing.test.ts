import { describe, expect, it } from 'vitest';
import {
  amountOut,
  bestBorrow,
  isqrt,
  lenderFeeOn,
  NO_LENDER_FEE,
  quoteCycle,
  SizingError,
  type SizingInput,
} from '../../../../plugins/strategies/flash-loan/sizing.ts';

// The market of contracts/src/tests/setup.cairo: TKN/MID at 2.2 on pool A, 2.0 on pool B, 30 bps.
const market = (overrides: Partial<SizingInput> = {}): SizingInput => ({
  poolA: { reserveIn: 1_000_000n, reserveOut: 2_200_000n, feeBps: 30n },
  poolB: { reserveIn: 2_000_000n, reserveOut: 1_000_000n, feeBps: 30n },
  lenderFee: { rateRay: 900_000_000_000_000_000_000_000n }, // 0.09%
  gasCost: 0n,
  maxBorrow: 1_000_000n,
  ...overrides,
});

describe('amountOut', () => {
  it('matches the hand-computed legs the Cairo tests assert', () => {
    // 10_000*9970*2_200_000 / (1_000_000*10_000 + 10_000*9970) = 21_717.47 -> 21_717
    expect(amountOut(10_000n, market().poolA)).toBe(21_717n);
    // 21_717*9970*1_000_000 / (2_000_000*10_000 + 21_717*9970) = 10_709.97 -> 10_709
    expect(amountOut(21_717n, market().poolB)).toBe(10_709n);
  });
});

describe('lenderFeeOn', () => {
  it('rounds up so the contract never under-repays', () => {
    const fee = { rateRay: 900_000_000_000_000_000_000_000n };
    expect(lenderFeeOn(10_000n, fee)).toBe(9n);
    expect(lenderFeeOn(1n, fee)).toBe(1n);
    expect(lenderFeeOn(0n, fee)).toBe(0n);
    expect(lenderFeeOn(10n ** 18n, fee)).toBe(9n * 10n ** 14n);
  });
});

describe('quoteCycle', () => {
  it('gives the on-chain profit of the Cairo zkLend test (10_709 - 10_000 - 9)', () => {
    const q = quoteCycle(10_000n, market());
    expect(q).toMatchObject({ midOut: 21_717n, tokenBack: 10_709n, lenderFee: 9n, onChainProfit: 700n });
  });
  it('subtracts gas from the net profit only', () => {
    const q = quoteCycle(10_000n, market({ gasCost: 150n }));
    expect(q.onChainProfit).toBe(700n);
    expect(q.netProfit).toBe(550n);
  });
});

describe('bestBorrow', () => {
  // Brute force over 1..100_000 (done by hand-run script, values recorded here):
  // zkLend fee 9 bps: best profit 977 at 21_012; Vesu (no fee): best profit 997 at 21_408.
  it('finds the brute-force optimum with a zkLend fee', () => {
    const q = bestBorrow(market());
    expect(q?.netProfit).toBe(977n);
    expect(q && quoteCycle(q.amount, market()).netProfit).toBe(977n);
  });
  it('finds the brute-force optimum without a lender fee', () => {
    const q = bestBorrow(market({ lenderFee: NO_LENDER_FEE }));
    expect(q?.netProfit).toBe(997n);
  });
  it('caps the borrow at the lender liquidity', () => {
    const q = bestBorrow(market({ maxBorrow: 5_000n }));
    expect(q?.amount).toBe(5_000n);
    expect(q?.netProfit).toBe(quoteCycle(5_000n, market()).netProfit);
  });
  it('returns undefined when the gas cost eats the whole spread', () => {
    expect(bestBorrow(market({ gasCost: 977n }))).toBeUndefined();
    expect(bestBorrow(market({ gasCost: 976n }))?.netProfit).toBe(1n);
  });
  it('returns undefined when both pools price alike (fees make every size lose)', () => {
    const flat = market({ poolA: { reserveIn: 1_000_000n, reserveOut: 2_000_000n, feeBps: 30n } });
    expect(bestBorrow(flat)).toBeUndefined();
  });
  it('handles 18-decimal reserves exactly and beats a ternary search (229070957482988273)', () => {
    const E = 10n ** 18n;
    const input: SizingInput = {
      poolA: { reserveIn: 1000n * E, reserveOut: 2100n * E, feeBps: 30n },
      poolB: { reserveIn: 2000n * E, reserveOut: 1000n * E, feeBps: 30n },
      lenderFee: NO_LENDER_FEE,
      gasCost: 0n,
      maxBorrow: 10_000n * E,
    };
    const q = bestBorrow(input);
    if (!q) throw new Error('expected a profitable size');
    expect(q.netProfit >= 229_070_957_482_988_273n).toBe(true);
    for (let d = -200n; d <= 200n; d++) {
      expect(quoteCycle(q.amount + d, input).netProfit <= q.netProfit).toBe(true);
    }
  });
  it('names the bad field', () => {
    const bad = market({ poolB: { reserveIn: 0n, reserveOut: 1n, feeBps: 30n } });
    expect(() => bestBorrow(bad)).toThrow(SizingError);
    expect(() => bestBorrow(bad)).toThrow(/poolB\.reserveIn/);
  });
});

describe('isqrt', () => {
  it('is the exact floor square root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 40n, 10n ** 40n - 1n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
  });
});
