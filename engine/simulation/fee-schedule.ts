/**
 * Looks up fee rates across the loaded fee-model plugins; the first model that covers a venue
 * wins, and a venue no model covers pays its spec's default fees (VenueSpec.fees).
 */
import { Decimal } from 'decimal.js';
import { venueSpec } from '../core/venue-spec.ts';
import type { VenueId } from '../market/types.ts';
import type { FeeModel, FeeRates } from './fees.ts';

export class MissingFeeModelError extends Error {
  constructor(venue: VenueId) {
    super(`no fee model covers venue "${venue}": add "fee-model:table" to plugins or set fees.table.overrides.${venue}`);
    this.name = 'MissingFeeModelError';
  }
}

export class FeeSchedule {
  constructor(private readonly models: FeeModel[]) {}

  rates(venue: VenueId, symbol: string): FeeRates {
    for (const m of this.models) {
      const r = m.rates(venue, symbol);
      if (r) return r;
    }
    const fees = venueSpec(venue)?.fees;
    if (fees) return { maker: new Decimal(fees.maker), taker: new Decimal(fees.taker) };
    throw new MissingFeeModelError(venue);
  }
}
