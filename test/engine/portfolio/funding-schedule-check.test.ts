import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { accrueLeg, scheduleMatchesBoundaries, SETTLEMENT_STAMP_TOLERANCE_MS } from '../../../engine/portfolio/funding-accrual.ts';
import type { FundingRate } from '../../../engine/portfolio/funding-tracker.ts';

const HOUR = 3_600_000;

function rate(intervalHours: number, nextFundingAt?: number): FundingRate {
  const r: FundingRate = { venue: 'lighter', symbol: '1', rate: new Decimal('0.001'), intervalHours, venueTime: 0, receivedAt: 0 };
  if (nextFundingAt !== undefined) r.nextFundingAt = nextFundingAt;
  return r;
}

describe('scheduleMatchesBoundaries', () => {
  it('is undefined when the venue gave no next settlement time: nothing to check', () => {
    expect(scheduleMatchesBoundaries(rate(1))).toBeUndefined();
  });

  it('accepts a next settlement on a multiple of the interval since the epoch', () => {
    expect(scheduleMatchesBoundaries(rate(1, Date.UTC(2026, 2, 30, 16)))).toBe(true);
    expect(scheduleMatchesBoundaries(rate(8, Date.UTC(2026, 2, 30, 16)))).toBe(true); // 16:00 is an 8 h mark
  });

  it('allows the few ms a venue stamps a settlement after its mark, either side', () => {
    // ccxt's captured Lighter frame: 1763532000004 = 06:00:00.004 UTC; next = 07:00:00.004.
    expect(scheduleMatchesBoundaries(rate(1, 1763535600004))).toBe(true);
    expect(scheduleMatchesBoundaries(rate(1, Date.UTC(2026, 2, 30, 16) - 3))).toBe(true);
    expect(scheduleMatchesBoundaries(rate(1, Date.UTC(2026, 2, 30, 16) + SETTLEMENT_STAMP_TOLERANCE_MS))).toBe(true);
    expect(scheduleMatchesBoundaries(rate(1, Date.UTC(2026, 2, 30, 16) + SETTLEMENT_STAMP_TOLERANCE_MS + 1))).toBe(false);
    expect(scheduleMatchesBoundaries(rate(1, 1763535600004), 0)).toBe(false);
  });

  it('flags a schedule off the epoch grid', () => {
    expect(scheduleMatchesBoundaries(rate(1, Date.UTC(2026, 2, 30, 16, 30)))).toBe(false);
    // 12:00 is an hour mark but not an 8 h mark since the epoch (00, 08, 16 UTC).
    expect(scheduleMatchesBoundaries(rate(8, Date.UTC(2026, 2, 30, 12)))).toBe(false);
  });

  it('does not change what accrueLeg pays: boundaries stay epoch multiples whatever nextFundingAt says', () => {
    const base = { pairId: 'p', venue: 'lighter', symbol: '1', size: new Decimal('2'), mark: new Decimal('100'), leg: 'long' as const, style: 'discrete' as const, from: 10 * HOUR + 5, now: 12 * HOUR };
    const plain = accrueLeg({ ...base, rate: rate(1) });
    const offGrid = accrueLeg({ ...base, rate: rate(1, 12 * HOUR + 30 * 60_000) });
    expect(offGrid).toEqual(plain);
    expect(plain.payments.map((p) => p.to)).toEqual([11 * HOUR, 12 * HOUR]);
  });
});
