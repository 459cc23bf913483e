/**
 * Decimal strings for the wire, straight from integer units (never through a float).
 * Venues differ in style: Paradex trims trailing zeros ("67629.7"), Lighter and Vest pad to
 * the market's decimals ("2979.64", "0.0000", "431.0000").
 */
import { fromUnits } from '../engine/market/units.ts';

export function trimmedDecimal(units: number, decimals: number): string {
  return fromUnits(units, decimals);
}

export function fixedDecimal(units: number, decimals: number): string {
  const neg = units < 0;
  const digits = BigInt(Math.abs(units)).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return (neg ? '-' : '') + whole + (decimals > 0 ? '.' + frac : '');
}
