/** Fee rates per venue and liquidity role, provided by fee-model plugins. */
import type { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';

export interface FeeRates {
  /** Fraction of notional: 0.0002 = 0.02%. Negative for a rebate. */
  maker: Decimal;
  taker: Decimal;
  /**
   * A cost the venue charges that these rates leave out, in a few words ("Vest risk premium"):
   * shown on every judgment that trades the venue, so a trader knows the net is an upper bound.
   */
  unmodelled?: string;
}

export interface FeeModel {
  readonly name: string;
  /** Rates for a venue and symbol, or undefined when this model does not cover the venue. */
  rates(venue: VenueId, symbol: string): FeeRates | undefined;
}
