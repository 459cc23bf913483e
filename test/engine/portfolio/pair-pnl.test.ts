import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { evaluateExit, type ExitPolicy } from '../../../engine/portfolio/exit-policy.ts';
import { accrueLeg } from '../../../engine/portfolio/funding-accrual.ts';
import { FundingTracker } from '../../../engine/portfolio/funding-tracker.ts';
import { pricePnl, realizedPnl, spreadOf } from '../../../engine/portfolio/pair-position.ts';

const d = (v: string | number) => new Decimal(v);
const HOUR = 3_600_000;

describe('realized PnL of a pair (hand-computed)', () => {
  it('sums both legs, subtracts all fees, adds funding, exactly', () => {
    // 0.37 ETH long Lighter at 3000.10, short Paradex at 3009.40; close long at 3004.55, short at 3005.05.
    // long (3004.55 - 3000.10) x 0.37 = 1.6465; short (3009.40 - 3005.05) x 0.37 = 1.6095
    // fees 1.33 entry + 1.21 exit; funding -0.07 + 0.19 = 0.12
    // realized = 1.6465 + 1.6095 - 1.33 - 1.21 + 0.12 = 0.836
    const pair = {
      size: d('0.37'),
      long: { venue: 'lighter', symbol: '0', entryPrice: d('3000.10'), fundingAccruedTo: 0 },
      short: { venue: 'paradex', symbol: 'ETH-USD-PERP', entryPrice: d('3009.40'), fundingAccruedTo: 0 },
      entryFees: d('1.33'),
      funding: d('0.12'),
    };
    const legs = pricePnl(pair, d('3004.55'), d('3005.05'));
    expect(legs.long.toString()).toBe('1.6465');
    expect(legs.short.toString()).toBe('1.6095');
    expect(realizedPnl(pair, d('3004.55'), d('3005.05'), d('1.21')).toString()).toBe('0.836');
    // 0.1 + 0.2 in floats is not 0.3; here every step is exact
    expect(realizedPnl({ ...pair, entryFees: d('0.1'), funding: d(0) }, d('3000.10'), d('3009.40'), d('0.2')).toString()).toBe('-0.3');
  });
});

describe('exit policy', () => {
  const pair = { entrySpread: d('0.004'), openedAt: 0 };
  const policy: ExitPolicy = { exitSpread: d('0.0005'), stopWidening: d('0.01'), maxHoldMs: HOUR, minCarryApr: d('-0.5') };
  const quote = (long: string, short: string) => ({ longExit: d(long), shortExit: d(short) });

  it('converges, stops, times out and exits on adverse funding, most urgent first', () => {
    expect(evaluateExit(pair, policy, 1000, quote('50000', '50100'), d(0))).toBeUndefined();
    expect(evaluateExit(pair, policy, 1000, quote('50000', '50020'), d(0))?.reason).toBe('converged');
    expect(evaluateExit(pair, policy, 1000, quote('50000', '50700'), d(0))?.reason).toBe('stop');
    expect(evaluateExit(pair, policy, HOUR, quote('50000', '50100'), d(0))?.reason).toBe('max-hold');
    expect(evaluateExit(pair, policy, 1000, quote('50000', '50100'), d('-0.6'))?.reason).toBe('funding');
    // stop beats funding beats time beats target
    expect(evaluateExit(pair, policy, HOUR, quote('50000', '50700'), d('-0.6'))?.reason).toBe('stop');
    expect(evaluateExit(pair, policy, HOUR, quote('50000', '50020'), d('-0.6'))?.reason).toBe('funding');
  });

  it('still signals time and funding with no book to price the close', () => {
    expect(evaluateExit(pair, policy, HOUR, undefined, undefined)?.reason).toBe('max-hold');
    expect(evaluateExit(pair, {}, HOUR * 1000, quote('1', '1'), d(-100))).toBeUndefined();
  });

  it('spread is (short - long) / long', () => {
    expect(spreadOf(d('50000'), d('50200')).toString()).toBe('0.004');
  });
});

describe('funding accrual', () => {
  const rate = (r: string, hours: number) => ({ venue: 'x', symbol: 'y', rate: d(r), intervalHours: hours, venueTime: 0, receivedAt: 0 });
  const base = { pairId: 'p', venue: 'x', symbol: 'y', size: d('2'), mark: d('100') };

  it('discrete: one payment per boundary crossed, long pays a positive rate, short receives', () => {
    const from = 10 * HOUR + 1; // just after 10h
    const long = accrueLeg({ ...base, leg: 'long', rate: rate('0.001', 1), style: 'discrete', from, now: 13 * HOUR });
    expect(long.payments.map((p) => p.to)).toEqual([11 * HOUR, 12 * HOUR, 13 * HOUR]);
    expect(long.payments.map((p) => p.amount.toString())).toEqual(['-0.2', '-0.2', '-0.2']);
    expect(long.accruedTo).toBe(13 * HOUR);
    const short = accrueLeg({ ...base, leg: 'short', rate: rate('-0.001', 1), style: 'discrete', from, now: 11 * HOUR + 5 });
    expect(short.payments.map((p) => p.amount.toString())).toEqual(['-0.2']); // negative rate: shorts pay
    const none = accrueLeg({ ...base, leg: 'long', rate: rate('0.001', 1), style: 'discrete', from, now: 11 * HOUR - 1 });
    expect(none).toEqual({ payments: [], accruedTo: from });
  });

  it('discrete boundaries follow the interval the venue publishes (8 h)', () => {
    const r = accrueLeg({ ...base, leg: 'short', rate: rate('0.0008', 8), style: 'discrete', from: 1 * HOUR, now: 17 * HOUR });
    expect(r.payments.map((p) => p.to)).toEqual([8 * HOUR, 16 * HOUR]);
    expect(r.payments[0]!.amount.toString()).toBe('0.16');
  });

  it('continuous: pro rata to elapsed time over the interval', () => {
    const r = accrueLeg({ ...base, leg: 'short', rate: rate('0.0008', 8), style: 'continuous', from: 0, now: 2 * HOUR });
    expect(r.payments[0]!.amount.toString()).toBe('0.04'); // 2 x 100 x 0.0008 x 2/8
    expect(r.accruedTo).toBe(2 * HOUR);
  });

  it('tracker: hourly rates and annualized carry across intervals, bad events dropped', () => {
    const t = new FundingTracker();
    t.onFunding({ venue: 'paradex', symbol: 'P', rate: '0.0008', intervalHours: 8, venueTime: 0, receivedAt: 0 });
    t.onFunding({ venue: 'vest', symbol: 'V', rate: '0.00005', intervalHours: 1, venueTime: 0, receivedAt: 0 });
    t.onFunding({ venue: 'vest', symbol: 'V', rate: 'NaN', intervalHours: 1, venueTime: 0, receivedAt: 0 });
    t.onFunding({ venue: 'vest', symbol: 'V', rate: '0.1', intervalHours: 0, venueTime: 0, receivedAt: 0 });
    expect(t.rejected).toBe(2);
    expect(t.hourly('paradex', 'P')!.toString()).toBe('0.0001');
    // short Paradex receives 0.0001/h, long Vest pays 0.00005/h: 0.00005 x 8760 = 0.438
    expect(t.carryApr({ venue: 'vest', symbol: 'V' }, { venue: 'paradex', symbol: 'P' })!.toString()).toBe('0.438');
    expect(t.carryApr({ venue: 'vest', symbol: 'V' }, { venue: 'lighter', symbol: '1' })).toBeUndefined();
  });
});
