/**
 * Fee presets, as fractions of notional (0.0001 = 0.01%).
 *
 * - `seed`: the first design's figures, kept so the seed's runs and output stay comparable.
 * - `paradex-current`: `seed` with Paradex's API ("Pro") tier-0 rates swapped in (kept for configs
 *   that name it).
 * - `current`: every venue's published rates as read on 2026-12-02 (sources on each line), for the
 *   account a new API user has: Paradex Pro tier 0, Vest's flat fee, Lighter Standard.
 * - `current-lighter-premium`: `current` with Lighter's Premium account at 0 LIT staked.
 *
 * What the rates leave out is listed in FEE_PRESET_NOTES and logged when a preset is chosen.
 * Venues change fees: check them, and override in config (`fees.table.overrides`).
 */
export interface FeePair {
  maker: string;
  taker: string;
}

/** Published 2026 rates, one constant per venue and account type, each with its source. */
const PUBLISHED_2026 = {
  /**
   * Paradex Pro (API orders), 14-day volume tier "Pro 0": maker a flat 0.003% "effective July 3"
   * (2026), taker 0.045% (Pro 1-4 down to 0.035% with volume; discounts for $DIME staking, fees paid
   * in $DIME and FastFills, never below 0.0175%). Retail (UI) orders are 0%/0% but are not what an
   * API bot sends. Source: tradeparadex/paradex-docs docs/pages/trading/trading-fees.mdx (commit
   * 47327fa159676b9acfb3cf8f499bbdf8e64dc55b), published at https://docs.paradex.trade/trading/trading-fees.
   */
  paradexPro0: { maker: '0.00003', taker: '0.00045' },
  /**
   * Vest: "There is a 0.01% (1bps) taker / maker fee on every trade", plus a variable risk premium
   * charged when a trade increases system risk (a rebate when it reduces it).
   * Source: https://docs.vest.exchange/overview/traders/fees. Vest is taker-only against its pool
   * (https://docs.vest.exchange/overview/traders/order-types), so the taker rate is the one paid.
   */
  vest: { maker: '0.0001', taker: '0.0001' },
  /**
   * Lighter Standard account (the default): maker 0%, taker 0%, with a 300 ms taker latency and
   * 200 ms maker/cancel latency. Source: https://apidocs.lighter.xyz/docs/account-types.
   */
  lighterStandard: { maker: '0', taker: '0' },
  /**
   * Lighter Premium account (opt-in), 0 LIT staked: maker 0.0040%, taker 0.0280%, 200 ms taker
   * latency (lower with LIT staked, down to 0.0028% / 0.0196% at 500,000 LIT).
   * Source: https://apidocs.lighter.xyz/docs/account-types.
   */
  lighterPremium0: { maker: '0.00004', taker: '0.00028' },
} as const satisfies Record<string, FeePair>;

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
  current: {
    paradex: PUBLISHED_2026.paradexPro0,
    vest: PUBLISHED_2026.vest,
    lighter: PUBLISHED_2026.lighterStandard,
  },
  'current-lighter-premium': {
    paradex: PUBLISHED_2026.paradexPro0,
    vest: PUBLISHED_2026.vest,
    lighter: PUBLISHED_2026.lighterPremium0,
  },
};

/** When the `current*` presets' rates were read from their sources. */
export const CURRENT_FEES_READ_ON = '2026-12-02';

/**
 * The costs a preset charges less than the venue does, in a few words for the judgment line
 * (FeeRates.unmodelled). Vest: "a variable risk premium ... when a trade increases system risk"
 * (docs.vest.exchange/overview/traders/fees), which no flat rate can carry.
 */
export const FEE_PRESET_UNMODELLED: Record<string, Record<string, string>> = {
  current: { vest: 'Vest risk premium' },
  'current-lighter-premium': { vest: 'Vest risk premium' },
};

/** Costs a preset's flat rates do not model, per venue: said out loud rather than silently zero. */
export const FEE_PRESET_NOTES: Record<string, Record<string, string>> = {
  current: {
    vest: 'risk premium (variable, charged when a trade increases system risk) not modelled: only the flat 0.01% is counted',
    paradex: 'Pro tier 0 without volume tiers, $DIME or FastFills discounts (the real fee can be lower, never below 0.0175% taker)',
    lighter: 'Standard account: 0% fees, but a 300 ms taker latency the fee table does not model',
  },
  'current-lighter-premium': {
    vest: 'risk premium (variable, charged when a trade increases system risk) not modelled: only the flat 0.01% is counted',
    paradex: 'Pro tier 0 without volume tiers, $DIME or FastFills discounts (the real fee can be lower, never below 0.0175% taker)',
    lighter: 'Premium account at 0 LIT staked (staking lowers the rates)',
  },
};
