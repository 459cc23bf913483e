import { describe, expect, it } from 'vitest';
import { EventClock } from '../../../engine/app/event-clock.ts';
import { ManualClock } from '../../../engine/core/clock.ts';

describe('EventClock', () => {
  it('holds the time a delivery started until it returns, then follows the base clock again', async () => {
    const base = new ManualClock(1000);
    const clock = new EventClock(base);
    const tap = clock.tap();
    expect(clock.now()).toBe(1000);
    tap.onBook({} as never);
    base.advance(7); // judging took 7 ms of wall time
    expect(clock.now()).toBe(1000);
    // A second event in the same synchronous batch is stamped afresh.
    tap.onFunding!({} as never);
    expect(clock.now()).toBe(1007);
    base.advance(3);
    await Promise.resolve();
    expect(clock.now()).toBe(1010);
    // And it holds again on the next delivery.
    tap.onStatus({} as never);
    base.advance(1);
    expect(clock.now()).toBe(1010);
    await Promise.resolve();
    expect(clock.now()).toBe(1011);
  });
});
