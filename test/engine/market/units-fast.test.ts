/**
 * The fast toUnits (one pass over the characters, no BigInt/Decimal) against decimal.js as the
 * exact reference, on random strings: valid decimals of every length and scale (trailing zeros,
 * leading zeros, signs, values around 2^53) and malformed text. Equal value or both refused.
 */
import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toUnits, toUnitsChecked, UnitsError } from '../../../engine/market/units.ts';

// decimal.js rounds to 20 significant digits by default; the strings here have up to 46.
const Exact = Decimal.clone({ precision: 100 });

function reference(text: string, decimals: number): number | 'refused' {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return 'refused';
  const scaled = new Exact(text).times(new Exact(10).pow(decimals));
  if (!scaled.isInteger() || scaled.abs().gt(Number.MAX_SAFE_INTEGER)) return 'refused';
  return scaled.toNumber();
}

function fast(text: string, decimals: number): number | 'refused' {
  try {
    return toUnits(text, decimals);
  } catch (err) {
    expect(err).toBeInstanceOf(UnitsError);
    return 'refused';
  }
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const decimalText = fc
  .tuple(fc.boolean(), digits(1, 18), fc.option(digits(1, 22), { nil: undefined }), digits(0, 6))
  .map(([neg, whole, frac, zeros]) => (neg ? '-' : '') + whole + (frac === undefined ? '' : '.' + frac + zeros.replace(/\d/g, '0')));
const anyText = fc.string({ unit: fc.constantFrom(...'0123456789.-e+ x'), maxLength: 24 });
const decimals = fc.integer({ min: 0, max: 18 });

describe('toUnits fast path equals decimal.js', () => {
  it('on random decimal strings at every scale', () => {
    fc.assert(fc.property(decimalText, decimals, (text, d) => {
      expect(fast(text, d)).toBe(reference(text, d));
    }), { numRuns: 20_000 });
  });
  it('on random text, refusing whatever is not a plain decimal', () => {
    fc.assert(fc.property(anyText, decimals, (text, d) => {
      expect(fast(text, d)).toBe(reference(text, d));
    }), { numRuns: 20_000 });
  });
  it('around 2^53: the largest safe value is taken, the next refused', () => {
    expect(toUnits('9007199254740991', 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toUnits('90071992.54740991', 8)).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toUnits('9007199254740992', 0)).toThrow(/too large/);
    expect(() => toUnits('90071992.54740992', 8)).toThrow(/too large/);
    expect(() => toUnits('9007199254740993', 0)).toThrow(/too large/);
  });
  it('gives the reference path\'s error messages', () => {
    for (const [text, d] of [['1.0001', 3], ['1e5', 2], ['', 2], ['1.', 2], ['.5', 2], ['-', 0], ['12a', 0], ['100000000000', 8]] as const) {
      expect(() => toUnits(text, d)).toThrow(new RegExp(escape(catchMessage(() => toUnitsChecked(text, d)))));
    }
  });
});

function catchMessage(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the reference to refuse');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
