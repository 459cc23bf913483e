import { describe, expect, it } from 'vitest';
import { reconnectDelay } from '../../../../plugins/exchanges/shared/backoff.ts';

describe('reconnectDelay', () => {
  const opts = { minMs: 100, maxMs: 1000 };
  it('doubles per attempt and stops at the cap', () => {
    const top = (a: number) => reconnectDelay(a, opts, () => 1);
    expect([0, 1, 2, 3, 4, 10].map(top)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('jitters within [half, full] of the step', () => {
    expect(reconnectDelay(2, opts, () => 0)).toBe(200);
    for (let i = 0; i < 50; i++) {
      const d = reconnectDelay(2, opts);
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});
