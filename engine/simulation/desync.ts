/**
 * Desync risk: how likely the two books no longer describe the same moment.
 * Defaults are the first design's thresholds: Low when both books are younger than 1 s and
 * their data is less than 500 ms apart; High beyond 5 s or 2000 ms (skipped); Medium between.
 * Edges: exactly 1000 ms of age is already Medium; exactly 5000 ms is still Medium.
 */
export type DesyncLevel = 'Low' | 'Medium' | 'High';

export interface DesyncThresholds {
  lowAgeMs: number;
  highAgeMs: number;
  lowGapMs: number;
  highGapMs: number;
}

export const DEFAULT_DESYNC: DesyncThresholds = { lowAgeMs: 1000, highAgeMs: 5000, lowGapMs: 500, highGapMs: 2000 };

export interface DesyncAssessment {
  level: DesyncLevel;
  /** Age of the older of the two books at judgment time. */
  maxAgeMs: number;
  /** Distance between the two books' venue timestamps. */
  gapMs: number;
}

export function classifyDesync(maxAgeMs: number, gapMs: number, t: DesyncThresholds = DEFAULT_DESYNC): DesyncLevel {
  if (maxAgeMs > t.highAgeMs || gapMs > t.highGapMs) return 'High';
  if (maxAgeMs < t.lowAgeMs && gapMs < t.lowGapMs) return 'Low';
  return 'Medium';
}

export function assessDesync(
  now: number,
  a: { receivedAt: number; venueTime: number },
  b: { receivedAt: number; venueTime: number },
  t: DesyncThresholds = DEFAULT_DESYNC,
): DesyncAssessment {
  const maxAgeMs = Math.max(now - a.receivedAt, now - b.receivedAt, 0);
  const gapMs = Math.abs(a.venueTime - b.venueTime);
  return { level: classifyDesync(maxAgeMs, gapMs, t), maxAgeMs, gapMs };
}
