/**
 * Price8/Qty8 mantissas (value x 10^8, the schema's constant exponent -8) to the book's integer units
 * at the market's decimals (from /markets' tick and size increment). Integer arithmetic only.
 */
import { fromUnits } from '../../../../engine/market/units.ts';
import { DECIMALS_8 } from './schema.ts';
import { sbeFail } from './reader.ts';

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

/** How to turn a 1e-8 mantissa into units at `decimals`: divide (fewer decimals) or multiply (more). */
export interface UnitScale {
  divide: number;
  multiply: number;
}

const SCALES: UnitScale[] = Array.from({ length: 17 }, (_, d) =>
  d <= DECIMALS_8 ? { divide: POW10[DECIMALS_8 - d]!, multiply: 1 } : { divide: 1, multiply: 10 ** (d - DECIMALS_8) },
);

export function unitScale(decimals: number): UnitScale {
  const scale = SCALES[decimals];
  if (scale === undefined) throw new Error(`paradex: market decimals ${decimals} out of range 0..16`);
  return scale;
}

export function mantissaToUnits(mantissa: number, scale: UnitScale, decimals: number, field: string): number {
  if (scale.divide !== 1) {
    // The venue stores 8 decimals; a value finer than the market's tick would be silently rounded.
    if (mantissa % scale.divide !== 0) sbeFail(field, `${fromUnits(mantissa, DECIMALS_8)} has more than the market's ${decimals} decimals`);
    return mantissa / scale.divide;
  }
  const units = mantissa * scale.multiply;
  if (!Number.isSafeInteger(units)) sbeFail(field, `${fromUnits(mantissa, DECIMALS_8)} is too large at ${decimals} decimals`);
  return units;
}
