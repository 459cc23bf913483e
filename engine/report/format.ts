/** Display formatting shared by the terminal and HTML reports (rounding for display only). */
import type { Decimal } from 'decimal.js';

export function usd(d: Decimal | undefined): string {
  if (!d) return '-';
  const c = d.toDecimalPlaces(2);
  return (c.isNegative() && !c.isZero() ? '-$' : '$') + c.abs().toFixed(2);
}

export function utcTime(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

export function duration(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function pctOf(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((part * 100) / whole).toFixed(1)}%`;
}

/** A spread fraction as percent: 0.004 → "0.400%" (a thousandth of a percent is 0.1 bp). */
export function spreadPct(fraction: Decimal | undefined): string {
  return fraction === undefined ? '-' : `${fraction.mul(100).toDecimalPlaces(3).toFixed(3)}%`;
}
