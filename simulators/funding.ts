/**
 * Synthetic funding: a small positive baseline plus the venue's premium over fair, scaled to
 * the venue's funding period. Integer units of 1e-8 so the wire strings are exact.
 */
export const FUNDING_DECIMALS = 8;

/** Baseline rate per 8 hours: 0.00001 (0.1 bp), in 1e-8 units. */
const BASELINE_8H = 1000;

/** Funding rate for one period of `periodHours`, from the venue's premium over fair (ppm). */
export function fundingRateUnits(premiumPpm: number, periodHours: number): number {
  // premium ppm -> 1e-8 units is x100; a full premium is paid over 8 hours.
  const per8h = BASELINE_8H + premiumPpm * 100;
  return Math.trunc((per8h * periodHours) / 8);
}
