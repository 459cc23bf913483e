/**
 * Funding payments on a pair's legs, at each venue's schedule.
 *
 * Convention (all three venues document the same sign): a positive rate means longs pay
 * shorts. payment = size x mark x rate per interval; we book it from our side, so a long leg
 * gets -payment and a short leg +payment.
 *   - Lighter: paid at each hour mark (docs.lighter.xyz/trading/funding: "Funding payments
 *     occur at each hour mark"; "When the funding rate is positive, users with long positions
 *     pay a funding fee to users with short positions"). Style 'discrete'.
 *   - Vest: hourly rate (`oneHrFundingRate`, `/v2/funding/history` is hourly); docs.vest.exchange
 *     /overview/traders/funding: "longs pay shorts when the market is long-heavy". Settlement on
 *     the hour is our assumption (the docs do not say when). Style 'discrete'.
 *   - Paradex: continuous funding (docs.paradex.trade/risk/funding-mechanism: "There are no fixed
 *     hourly or 8-hour funding events. Open positions accrue funding in real time"); the
 *     published rate is per funding_period_hours (8 h). Style 'continuous': pro rata to elapsed
 *     time. Paradex charges on the spot oracle price, we use the book mid as the mark: the
 *     difference is rate x basis, far below a cent on our sizes.
 * The rate applied is the latest the venue published when the payment falls due.
 * Discrete boundaries are multiples of the interval since the epoch; where a venue publishes its
 * next settlement time (Lighter), scheduleMatchesBoundaries checks that rule against it.
 */
import { Decimal } from 'decimal.js';
import type { VenueId } from '../market/types.ts';
import type { FundingRate } from './funding-tracker.ts';
import type { LegSide } from './pair-position.ts';

export type FundingStyle = 'discrete' | 'continuous';

const HOUR_MS = 3_600_000;

export interface FundingPayment {
  pairId: string;
  leg: LegSide;
  venue: VenueId;
  symbol: string;
  rate: Decimal;
  intervalHours: number;
  mark: Decimal;
  size: Decimal;
  /** Signed from our side: + received, - paid. */
  amount: Decimal;
  /** The time span the payment covers (discrete: one interval ending at its boundary). */
  from: number;
  to: number;
}

export interface LegAccrualInput {
  pairId: string;
  leg: LegSide;
  venue: VenueId;
  symbol: string;
  size: Decimal;
  mark: Decimal;
  rate: FundingRate;
  style: FundingStyle;
  /** Accrued up to here already. */
  from: number;
  now: number;
}

export interface LegAccrual {
  payments: FundingPayment[];
  /** How far the leg is now accrued: `now` when continuous, the last boundary paid when discrete. */
  accruedTo: number;
}

export function accrueLeg(a: LegAccrualInput): LegAccrual {
  if (a.now <= a.from) return { payments: [], accruedTo: a.from };
  const intervalMs = a.rate.intervalHours * HOUR_MS;
  const direction = a.leg === 'long' ? -1 : 1;
  const perInterval = a.size.mul(a.mark).mul(a.rate.rate).mul(direction);
  const base = { pairId: a.pairId, leg: a.leg, venue: a.venue, symbol: a.symbol, rate: a.rate.rate, intervalHours: a.rate.intervalHours, mark: a.mark, size: a.size };
  if (a.style === 'continuous') {
    const fraction = new Decimal(a.now - a.from).div(intervalMs);
    return { payments: [{ ...base, amount: perInterval.mul(fraction), from: a.from, to: a.now }], accruedTo: a.now };
  }
  // Discrete: one payment per schedule boundary (multiples of the interval since the epoch, i.e.
  // UTC hour marks for hourly venues) in (from, now]. A leg opened mid-interval pays the whole
  // boundary, as venues snapshot positions at the boundary.
  const payments: FundingPayment[] = [];
  let boundary = (Math.floor(a.from / intervalMs) + 1) * intervalMs;
  let accruedTo = a.from;
  for (; boundary <= a.now; boundary += intervalMs) {
    payments.push({ ...base, amount: perInterval, from: boundary - intervalMs, to: boundary });
    accruedTo = boundary;
  }
  // Nothing due yet: keep `from`, so the next boundary is still found.
  return { payments, accruedTo };
}

/**
 * Venues stamp a settlement a few ms after its mark (ccxt's captured Lighter market_stats has
 * funding_timestamp 1763532000004, 4 ms past 06:00 UTC), so "on the boundary" allows this much.
 */
export const SETTLEMENT_STAMP_TOLERANCE_MS = 1_000;

/**
 * Whether the venue's own next settlement time agrees with accrueLeg's discrete rule (settle on
 * multiples of the interval since the epoch). Undefined when the rate carries no
 * nextFundingAt: nothing to check. A caller may log a false; accrueLeg does not consult this,
 * so its payments are unchanged either way.
 */
export function scheduleMatchesBoundaries(rate: Pick<FundingRate, 'intervalHours' | 'nextFundingAt'>, toleranceMs = SETTLEMENT_STAMP_TOLERANCE_MS): boolean | undefined {
  if (rate.nextFundingAt === undefined) return undefined;
  const intervalMs = rate.intervalHours * HOUR_MS;
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) return undefined; // no ms grid to check against
  const offset = ((rate.nextFundingAt % intervalMs) + intervalMs) % intervalMs;
  return Math.min(offset, intervalMs - offset) <= toleranceMs;
}
