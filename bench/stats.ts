/** Percentile of timing samples (bench output only; never used for money). */
export function percentile(samples: Float64Array | number[], q: number): number {
  const sorted = Float64Array.from(samples).sort();
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
