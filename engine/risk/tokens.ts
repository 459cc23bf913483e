/**
 * Container tokens of the risk services. The engine binds the on-chain gate when it starts in
 * live mode, so a strategy plugin that makes on-chain calls finds it through its plugin context's
 * container (absent means no gate: such a strategy must not call).
 */
export const RISK_TOKENS = {
  OnChainGate: Symbol.for('perp-arb.risk.OnChainGate'),
} as const;
