/**
 * The contract's `min_profit` argument, counted so a cycle that clears it cannot lose money after
 * the transaction fee. `start_cycle` reverts unless the borrowed token's balance grows by at least
 * min_profit, so min_profit must cover the fee the transaction will pay (from a simulation of this
 * exact call), plus a configured margin; the quoted share keeps the rest of the edge from being
 * handed to anyone who moves the pools first. Integer token units (bigint) and decimal.js only.
 */
import { Decimal } from 'decimal.js';

export interface GuardInput {
  /** What the quotes say the contract gains (token units). */
  quotedProfit: bigint;
  /** Share of the quoted profit the contract must at least gain, in [0, 1]. */
  minProfitShare: string;
  /** Fee the simulation of this start_cycle reports, in fri (1e-18 STRK; Starknet v3 transactions pay in STRK). */
  feeFri: bigint;
  /** STRK price in USD. */
  strkUsd: string;
  /** The borrowed token's price in USD (the reference book). */
  tokenUsd: string;
  tokenDecimals: number;
  /** Extra the cycle must clear beyond the fee, USD. */
  marginUsd: string;
}

export interface Guard {
  minProfit: bigint;
  /** The simulated fee plus margin in token units (rounded up). */
  floor: bigint;
  /** quotedProfit - floor: what the owner keeps at the quote; <= 0 means do not send. */
  expectedNet: bigint;
}

export function profitGuard(g: GuardInput): Guard {
  const tokenUsd = new Decimal(g.tokenUsd);
  if (!tokenUsd.gt(0)) throw new Error('profit guard: tokenUsd must be > 0');
  const share = new Decimal(g.minProfitShare);
  if (share.lt(0) || share.gt(1)) throw new Error('profit guard: minProfitShare must be in [0, 1]');
  const feeUsd = new Decimal(g.feeFri.toString()).div('1e18').mul(g.strkUsd);
  const floorUsd = feeUsd.plus(g.marginUsd);
  const floor = BigInt(floorUsd.div(tokenUsd).mul(new Decimal(10).pow(g.tokenDecimals)).ceil().toFixed(0));
  const byShare = BigInt(new Decimal(g.quotedProfit.toString()).mul(share).floor().toFixed(0));
  const minProfit = byShare > floor ? byShare : floor;
  return { minProfit: minProfit > 0n ? minProfit : 1n, floor, expectedNet: g.quotedProfit - floor };
}
