/**
 * Exact money for the matching engine. Book prices and sizes stay integer units (the grid of
 * the venue's market); anything multiplied (notional, fees, PnL, collateral) is a Decimal with
 * enough precision that no product of two grid values ever rounds.
 */
import { Decimal } from 'decimal.js';

/** 60 significant digits: a 1e16 price unit times a 1e16 size unit still fits with room. */
export const Money = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

export const ZERO = new Money(0);

/** Integer units at `decimals` -> exact decimal ("6500010", 1 -> 650001). */
export function unitsToMoney(units: number, decimals: number): Money {
  return new Money(units).div(new Money(10).pow(decimals));
}

/** A decimal string or Decimal on the grid -> integer units, or undefined when off-grid. */
export function moneyToUnits(value: string | Money, decimals: number): number | undefined {
  let d: Money;
  try {
    d = new Money(value);
  } catch {
    return undefined;
  }
  const scaled = d.mul(new Money(10).pow(decimals));
  if (!scaled.isInteger() || !scaled.abs().lte(Number.MAX_SAFE_INTEGER)) return undefined;
  return scaled.toNumber();
}

/** A fixed-point string: at most `decimals` places, trailing zeros trimmed (never a float on the way). */
export function trimmed(value: Money, decimals = 18): string {
  return value.toDecimalPlaces(decimals, Decimal.ROUND_HALF_EVEN).toFixed();
}

/** Fixed-point string padded to `decimals` places. */
export function padded(value: Money, decimals: number): string {
  return value.toFixed(decimals, Decimal.ROUND_HALF_EVEN);
}
