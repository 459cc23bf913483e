/**
 * The current funding rate and interval per (venue, market), and what the venue says about its
 * next settlement (rate, time) where it says anything, as the venues publish them through the
 * hub's FundingEvents. The interval always comes from the event (Paradex's
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
  /** The venue's figure for its next settlement's rate, when it publishes one (FundingEvent.nextRate). */
  nextRate?: Decimal;
  /** Ms since epoch of the venue's next settlement, when its data pins it (FundingEvent.nextFundingAt). */
  nextFundingAt?: number;
}

/** What the venue said about its next settlement, as last published. */
export interface NextFunding {
  rate?: Decimal;
  at?: number;
}

export type FundingRateListener = (rate: FundingRate) => void;

export class FundingTracker {
  private readonly rates = new Map<string, FundingRate>();
  private readonly listeners: FundingRateListener[] = [];
  /** Events dropped because their rate or interval could not be used. */
  rejected = 0;
  /** Events kept without their next-settlement fields, which could not be used. */
  nextRejected = 0;

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
    // The next-settlement fields are optional extras: a bad one must not cost the current rate.
    const next = nextOf(e);
    if (next === undefined) this.nextRejected++;
    else Object.assign(r, next);
    this.rates.set(key(e.venue, e.symbol), r);
    for (const l of this.listeners) l(r);
  };

  onRate(listener: FundingRateListener): void {
    this.listeners.push(listener);
  }

  current(venue: VenueId, symbol: string): FundingRate | undefined {
    return this.rates.get(key(venue, symbol));
  }

  /**
   * The next settlement as the venue last described it: its rate and/or time. Undefined when
   * the market is unknown or its venue publishes neither (Paradex accrues continuously, Vest
   * documents neither). `at` can lie in the past if the venue has gone quiet since.
   */
  next(venue: VenueId, symbol: string): NextFunding | undefined {
    const r = this.current(venue, symbol);
    if (!r || (r.nextRate === undefined && r.nextFundingAt === undefined)) return undefined;
    const out: NextFunding = {};
    if (r.nextRate !== undefined) out.rate = r.nextRate;
    if (r.nextFundingAt !== undefined) out.at = r.nextFundingAt;
    return out;
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

/** The event's next-settlement fields, parsed; undefined if either is present but unusable. */
function nextOf(e: FundingEvent): { nextRate?: Decimal; nextFundingAt?: number } | undefined {
  const out: { nextRate?: Decimal; nextFundingAt?: number } = {};
  if (e.nextRate !== undefined) {
    let rate: Decimal;
    try {
      rate = new Decimal(e.nextRate);
    } catch {
      return undefined;
    }
    if (!rate.isFinite()) return undefined;
    out.nextRate = rate;
  }
  if (e.nextFundingAt !== undefined) {
    if (!Number.isSafeInteger(e.nextFundingAt) || e.nextFundingAt <= 0) return undefined;
    out.nextFundingAt = e.nextFundingAt;
  }
  return out;
}

function key(venue: string, symbol: string): string {
  return venue + '\u0000' + symbol;
}
