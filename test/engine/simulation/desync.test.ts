import { describe, expect, it } from 'vitest';
import { assessDesync, classifyDesync } from '../../../engine/simulation/desync.ts';

describe('desync risk thresholds (Low <1s & <500ms; High >5s or >2000ms)', () => {
  it.each([
    [0, 0, 'Low'],
    [999, 499, 'Low'],
    [1000, 0, 'Medium'], // exactly 1 s of age is no longer Low
    [0, 500, 'Medium'], // exactly 500 ms of gap is no longer Low
    [5000, 0, 'Medium'], // exactly 5 s is still Medium
    [0, 2000, 'Medium'],
    [5001, 0, 'High'],
    [0, 2001, 'High'],
    [100, 3000, 'High'],
  ] as const)('age %i ms, gap %i ms -> %s', (age, gap, level) => {
    expect(classifyDesync(age, gap)).toBe(level);
  });

  it('takes the older book and the venue-time gap', () => {
    const a = assessDesync(10_000, { receivedAt: 9_800, venueTime: 50_000 }, { receivedAt: 8_500, venueTime: 50_700 });
    expect(a).toEqual({ level: 'Medium', maxAgeMs: 1500, gapMs: 700 });
  });

  it('honours configured thresholds', () => {
    expect(classifyDesync(300, 0, { lowAgeMs: 200, highAgeMs: 400, lowGapMs: 10, highGapMs: 20 })).toBe('Medium');
    expect(classifyDesync(401, 0, { lowAgeMs: 200, highAgeMs: 400, lowGapMs: 10, highGapMs: 20 })).toBe('High');
  });
});
