/**
 * The current funding rate and interval per (venue, market), as the venues publish them
 * through the hub's FundingEvents. The interval always comes from the event (Paradex's
 * funding_period_hours, Lighter's and Vest's documented hour), never from a constant here.
 */
import { Decimal } from 'decimal.js';
import type { FundingEvent, VenueId } from '../market/types.ts';

export const HOURS_PER_YEAR = 24 * 365;

export interface FundingRate {
  venue: VenueId;
  symbol: string;
  /** Rate for one interval: positive means longs pay shorts. */
  rate: Decimal;
  intervalHours: number;
  venueTime: number;
  receivedAt: number;
}

export type FundingRateListener = (rate: FundingRate) => void;

export class FundingTracker {
  private readonly rates = new Map<string, FundingRate>();
  private readonly listeners: FundingRateListener[] = [];
  /** Events dropped because their rate or interval could not be used. */
  rejected = 0;

  /** Feed from MarketDataHub.onFundingUpdate. */
  readonly onFunding = (e: FundingEvent): void => {
    let rate: Decimal;
    try {
      rate = new Decimal(e.rate);
    } catch {
      this.rejected++;
      return;
    }
    if (!rate.isFinite() || !Number.isFinite(e.intervalHours) || e.intervalHours <= 0) {
      this.rejected++;
      return;
    }
    const r: FundingRate = { venue: e.venue, symbol: e.symbol, rate, intervalHours: e.intervalHours, venueTime: e.venueTime, receivedAt: e.receivedAt };
    this.rates.set(key(e.venue, e.symbol), r);
    for (const l of this.listeners) l(r);
  };

  onRate(listener: FundingRateListener): void {
    this.listeners.push(listener);
  }

  current(venue: VenueId, symbol: string): FundingRate | undefined {
    return this.rates.get(key(venue, symbol));
  }

  /** Rate per hour, so venues with different intervals compare. */
  hourly(venue: VenueId, symbol: string): Decimal | undefined {
    const r = this.current(venue, symbol);
    return r ? r.rate.div(r.intervalHours) : undefined;
  }

  /**
   * Annualized carry of long `longLeg` / short `shortLeg`, per unit of notional: the short
   * receives its venue's rate, the long pays its venue's. Undefined until both are known.
   */
  carryApr(longLeg: { venue: VenueId; symbol: string }, shortLeg: { venue: VenueId; symbol: string }): Decimal | undefined {
    const l = this.hourly(longLeg.venue, longLeg.symbol);
    const s = this.hourly(shortLeg.venue, shortLeg.symbol);
    if (l === undefined || s === undefined) return undefined;
    return s.minus(l).mul(HOURS_PER_YEAR);
  }
}

function key(venue: string, symbol: string): string {
  return venue + '\u0000' + symbol;
}
