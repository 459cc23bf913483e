/**
 * Default gas per order in USD, by chain. Paradex, Lighter and Vest match orders off-chain and
 * charge no per-order gas today; these defaults are the first design's conservative allowance
 * for settlement and on-chain overhead. Set simulation.gasUsd to your own figures.
 */
export const DEFAULT_GAS_USD: Record<string, string> = {
  paradex: '0.05',
  vest: '0.10',
  lighter: '0.00',
  starknet: '0.05',
};
