import { describe, expect, it } from 'vitest';
import { hash } from 'starknet';
import { readRealizedProfit, readSimulation } from '../../../../plugins/strategies/flash-loan/cycle-sender.ts';
import { profitGuard } from '../../../../plugins/strategies/flash-loan/profit-guard.ts';

const base = {
  minProfitShare: '0.5',
  strkUsd: '0.5',
  tokenUsd: '2000', // ETH
  tokenDecimals: 18,
  marginUsd: '0.02',
};

describe('profitGuard: min_profit covers the simulated fee', () => {
  it('raises min_profit above half the quote when the fee is larger than that half', () => {
    // Quote: 0.0001 ETH = $0.20. Fee 0.4 STRK = $0.20, + $0.02 margin = $0.22 = 0.00011 ETH.
    const g = profitGuard({ ...base, quotedProfit: 10n ** 14n, feeFri: 4n * 10n ** 17n });
    expect(g.floor).toBe(11n * 10n ** 13n);
    // Half the quote (0.00005 ETH) would let the cycle succeed and lose the fee: the floor wins.
    expect(g.minProfit).toBe(g.floor);
    expect(g.expectedNet < 0n).toBe(true); // and the caller is told not to send
  });
  it('keeps the share when it is above the fee floor', () => {
    const g = profitGuard({ ...base, quotedProfit: 10n ** 16n, feeFri: 4n * 10n ** 17n }); // $20 quote
    expect(g.minProfit).toBe(5n * 10n ** 15n);
    expect(g.expectedNet).toBe(10n ** 16n - 11n * 10n ** 13n);
  });
  it('rounds the floor up and refuses nonsense inputs by name', () => {
    const g = profitGuard({ ...base, tokenDecimals: 6, tokenUsd: '3', quotedProfit: 0n, feeFri: 1n, marginUsd: '0' });
    expect(g.floor).toBe(1n); // a dust fee still costs one unit
    expect(() => profitGuard({ ...base, tokenUsd: '0', quotedProfit: 1n, feeFri: 0n })).toThrow(/tokenUsd/);
    expect(() => profitGuard({ ...base, minProfitShare: '1.5', quotedProfit: 1n, feeFri: 0n })).toThrow(/minProfitShare/);
  });
});

describe('readSimulation: what the simulated start_cycle says', () => {
  it('reads the profit off start_cycle\'s result inside __execute__', () => {
    const s = readSimulation({
      overall_fee: 123n,
      unit: 'FRI',
      transaction_trace: { type: 'INVOKE', execute_invocation: { result: ['0x1', '0x2', '0x2c5', '0x0'], calls: [{ result: ['0x2c5', '0x1'] }] } },
    });
    expect(s).toEqual({ ok: true, fee: 123n, feeUnit: 'FRI', profit: 0x2c5n + (1n << 128n) });
  });
  it('reports a reverted simulation with its reason instead of a profit', () => {
    const s = readSimulation({ overall_fee: '0x10', unit: 'FRI', transaction_trace: { execute_invocation: { revert_reason: "Error in the called contract: 'PROFIT_BELOW_MIN'" } } });
    expect(s.ok).toBe(false);
    expect(s.revertReason).toMatch(/PROFIT_BELOW_MIN/);
    expect(s.fee).toBe(16n);
  });
});

describe('readRealizedProfit: CycleExecuted from the receipt', () => {
  const executed = hash.getSelectorFromName('CycleExecuted');
  it('reads the profit (data[2..4]) of the contract\'s own CycleExecuted event', () => {
    const events = [
      { from_address: '0x99', keys: [executed, '0x1', '0x2'], data: ['0x10', '0x0', '0x999', '0x0'] }, // another contract
      { from_address: '0x0c0ffee', keys: [hash.getSelectorFromName('CycleStarted'), '0x1', '0x2'], data: ['0x10', '0x0'] },
      { from_address: '0xc0ffee', keys: [executed, '0x1', '0x2'], data: ['0x2710', '0x0', '0x2c4', '0x1'] },
    ];
    expect(readRealizedProfit(events, '0xc0ffee')).toBe(0x2c4n + (1n << 128n));
    expect(readRealizedProfit(events.slice(0, 2), '0xc0ffee')).toBeUndefined();
  });
});
