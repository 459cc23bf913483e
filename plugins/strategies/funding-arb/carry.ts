/**
 * The carry of a delta-neutral funding pair, pure: long where funding is cheap, short where
 * it is rich. Over a horizon H (hours), per the venues' current rates:
 *
 *   carry/h   = notional x (short rate / short interval - long rate / long interval)
 *   costs     = taker fees on entry and exit notional, both legs
 *             + round-trip crossing: (long ask - short bid) at entry + (short ask - long bid) at exit,
 *               i.e. both books' bid-ask spreads for the size, whatever the price gap between venues
 *   net       = carry/h x H - costs;   net APR = net / notional x (8760 / H)
 *
 * Rates are assumed to persist over H; the exit policy closes the pair when they stop paying.
 */
import { Decimal } from 'decimal.js';
import { HOURS_PER_YEAR, type FundingRate } from '../../../engine/portfolio/funding-tracker.ts';
import type { CarryJudgment } from '../../../engine/portfolio/carry-journal.ts';

/** Volume-weighted prices for the pair's size on both sides of both books. */
export interface PairQuotes {
  longAsk: Decimal;
  longBid: Decimal;
  shortBid: Decimal;
  shortAsk: Decimal;
}

export interface CarryInput {
  intentId: string;
  instrument: string;
  size: Decimal;
  quotes: PairQuotes;
  long: FundingRate;
  short: FundingRate;
  longTaker: Decimal;
  shortTaker: Decimal;
  horizonHours: number;
  minNetApr: Decimal;
  now: number;
}

export function hourlyCarry(long: FundingRate, short: FundingRate): Decimal {
  return short.rate.div(short.intervalHours).minus(long.rate.div(long.intervalHours));
}

export function judgeCarry(c: CarryInput): CarryJudgment {
  const { quotes: q, size } = c;
  const notional = q.longAsk.mul(size);
  const perHour = hourlyCarry(c.long, c.short);
  const expectedCarry = notional.mul(perHour).mul(c.horizonHours);
  const fees = q.longAsk.plus(q.longBid).mul(size).mul(c.longTaker).plus(q.shortBid.plus(q.shortAsk).mul(size).mul(c.shortTaker));
  const spreadCost = q.longAsk.minus(q.shortBid).plus(q.shortAsk.minus(q.longBid)).mul(size);
  const net = expectedCarry.minus(fees).minus(spreadCost);
  const netApr = net.div(notional).mul(HOURS_PER_YEAR).div(c.horizonHours);
  return {
    intentId: c.intentId,
    instrument: c.instrument,
    long: { venue: c.long.venue, rate: c.long.rate, intervalHours: c.long.intervalHours },
    short: { venue: c.short.venue, rate: c.short.rate, intervalHours: c.short.intervalHours },
    notional,
    carryApr: perHour.mul(HOURS_PER_YEAR),
    horizonHours: c.horizonHours,
    expectedCarry,
    fees,
    spreadCost,
    net,
    netApr,
    decision: netApr.gte(c.minNetApr) ? 'accept' : 'reject',
    judgedAt: c.now,
  };
}
