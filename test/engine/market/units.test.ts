import { describe, expect, it } from 'vitest';
import { decimalsOf, fromUnits, toUnits, UnitsError } from '../../../engine/market/units.ts';

describe('exact decimal <-> integer units', () => {
  it('scales without floating-point error', () => {
    // 0.1 + 0.2 style values that floats get wrong
    expect(toUnits('0.3', 8)).toBe(30_000_000);
    expect(toUnits('67629.7', 1)).toBe(676297);
    expect(toUnits('1.005', 3)).toBe(1005);
    expect(toUnits('0.102000', 3)).toBe(102); // Vest sends trailing zeros
    expect(toUnits('-2.5', 2)).toBe(-250);
  });
  it('refuses more decimals than the scale holds instead of rounding', () => {
    expect(() => toUnits('1.0001', 3)).toThrow(UnitsError);
    expect(() => toUnits('1e5', 2)).toThrow(/not a decimal/);
    expect(() => toUnits('', 2)).toThrow(/not a decimal/);
  });
  it('refuses values past 2^53', () => {
    expect(() => toUnits('100000000000', 8)).toThrow(/too large/);
  });
  it('round-trips', () => {
    for (const s of ['0', '0.1', '123.456', '99999.99', '-0.01']) expect(fromUnits(toUnits(s, 3), 3)).toBe(s.replace(/^-0$/, '0'));
    expect(fromUnits(5n, 2)).toBe('0.05');
  });
  it('reads decimals from a tick size', () => {
    expect(decimalsOf('0.00001')).toBe(5);
    expect(decimalsOf('0.10')).toBe(1);
    expect(decimalsOf('1')).toBe(0);
  });
});
