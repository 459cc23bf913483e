import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import type { FundingEvent } from '../../../engine/market/types.ts';
import { FundingTracker, type FundingRate } from '../../../engine/portfolio/funding-tracker.ts';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 30, 15, 17);

function event(fields: Partial<FundingEvent> = {}): FundingEvent {
  return { venue: 'lighter', symbol: '1', rate: '0.000012', intervalHours: 1, venueTime: T, receivedAt: T + 5, ...fields };
}

describe('FundingTracker next settlement', () => {
  it('keeps the venue figure for the next settlement exactly, beside the current rate', () => {
    const tracker = new FundingTracker();
    const seen: FundingRate[] = [];
    tracker.onRate((r) => seen.push(r));
    tracker.onFunding(event({ rate: '0.000012', nextRate: '0.0000123456789012345678', nextFundingAt: Date.UTC(2026, 2, 30, 16) }));

    const next = tracker.next('lighter', '1');
    expect(next?.rate).toBeInstanceOf(Decimal);
    expect(next?.rate?.toString()).toBe('0.0000123456789012345678');
    expect(next?.at).toBe(Date.UTC(2026, 2, 30, 16));
    // The current rate is unchanged by the extra fields, and listeners see them.
    expect(tracker.current('lighter', '1')?.rate.toString()).toBe('0.000012');
    expect(seen[0]?.nextFundingAt).toBe(Date.UTC(2026, 2, 30, 16));
    expect(seen[0]?.nextRate?.toString()).toBe('0.0000123456789012345678');
  });

  it('answers undefined for an unknown market or a venue that says nothing about its next settlement', () => {
    const tracker = new FundingTracker();
    expect(tracker.next('lighter', '1')).toBeUndefined();
    tracker.onFunding(event({ venue: 'paradex', symbol: 'BTC-USD-PERP', intervalHours: 8 }));
    expect(tracker.current('paradex', 'BTC-USD-PERP')).toBeDefined();
    expect(tracker.next('paradex', 'BTC-USD-PERP')).toBeUndefined();
  });

  it('reports only what the venue said: a time without a rate, a rate without a time', () => {
    const tracker = new FundingTracker();
    tracker.onFunding(event({ symbol: 'a', nextFundingAt: T + HOUR }));
    tracker.onFunding(event({ symbol: 'b', nextRate: '-0.0001' }));
    expect(tracker.next('lighter', 'a')).toEqual({ at: T + HOUR });
    expect(tracker.next('lighter', 'b')).toEqual({ rate: new Decimal('-0.0001') });
  });

  it('follows the latest event: a newer one without next fields clears them', () => {
    const tracker = new FundingTracker();
    tracker.onFunding(event({ nextRate: '0.00002', nextFundingAt: T + HOUR }));
    tracker.onFunding(event({ rate: '0.00003', venueTime: T + 1 }));
    expect(tracker.next('lighter', '1')).toBeUndefined();
  });

  it('keeps the current rate when the next fields are unusable, and counts them', () => {
    const tracker = new FundingTracker();
    tracker.onFunding(event({ nextRate: 'soon', nextFundingAt: T + HOUR }));
    tracker.onFunding(event({ symbol: '2', nextFundingAt: 1.5 }));
    tracker.onFunding(event({ symbol: '3', nextRate: 'Infinity' }));
    expect(tracker.nextRejected).toBe(3);
    expect(tracker.rejected).toBe(0);
    for (const symbol of ['1', '2', '3']) {
      expect(tracker.current('lighter', symbol)?.rate.toString()).toBe('0.000012');
      expect(tracker.next('lighter', symbol)).toBeUndefined();
    }
  });
});
