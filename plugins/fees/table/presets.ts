/**
 * Fee presets, as fractions of notional. `seed` is the first design's figures; `paradex-current`
 * swaps in Paradex's published API ("Pro") tier-0 rates noted in shared/venue-facts.md
 * (maker 0.003%, taker 0.045%). Venues change fees: check them, and override in config.
 */
export interface FeePair {
  maker: string;
  taker: string;
}

export const FEE_PRESETS: Record<string, Record<string, FeePair>> = {
  seed: {
    paradex: { maker: '0.0002', taker: '0.0005' },
    vest: { maker: '0.0001', taker: '0.0004' },
    lighter: { maker: '0', taker: '0.0003' },
  },
  'paradex-current': {
    paradex: { maker: '0.00003', taker: '0.00045' },
    vest: { maker: '0.0001', taker: '0.0004' },
    lighter: { maker: '0', taker: '0.0003' },
  },
};
