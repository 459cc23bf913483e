/**
 * The resting quote's status reads: a push wakes the read at once, a silent venue is polled at
 * its own interval, and the limiter's pacing gates fallback reads.
 */
import { describe, expect, it } from 'vitest';
import { awaitQuoteNews, pacedWithin, RestingQuotePoll, statusPollMsFor } from '../../../engine/quoting/fill-poller.ts';
import { monotonicNow } from '../../../engine/execution/venue-wait.ts';

describe('fill poller', () => {
  it('per-venue interval: configured venue, then "*", then the defaults (lighter 6000, others 2000)', () => {
    expect(statusPollMsFor({ lighter: 9000 }, 'lighter')).toBe(9000);
    expect(statusPollMsFor({ '*': 3000 }, 'paradex')).toBe(3000);
    expect(statusPollMsFor({}, 'lighter')).toBe(6000);
    expect(statusPollMsFor({}, 'paradex')).toBe(2000);
  });

  it('a push ends the wait early and is told apart from a timeout', async () => {
    let wake: (() => void) | undefined;
    const gw = { waitForUpdate: (_id: string, ms: number) => new Promise<void>((r) => { wake = r; setTimeout(r, ms); }) };
    const t0 = monotonicNow();
    const pending = awaitQuoteNews(gw, 'c1', 2000, monotonicNow);
    setTimeout(() => wake!(), 20);
    expect(await pending).toBe('push');
    expect(monotonicNow() - t0).toBeLessThan(1000);
    expect(await awaitQuoteNews(gw, 'c1', 30, monotonicNow)).toBe('timer');
    expect(await awaitQuoteNews({}, 'c1', 10, monotonicNow)).toBe('timer');
  });

  it('waits: venue interval; after a push one short follow-up; then the venue interval again', () => {
    const p = new RestingQuotePoll(6000, 1000);
    expect(p.nextWaitMs()).toBe(6000);
    p.woke('push');
    expect(p.nextWaitMs()).toBe(1000);
    p.woke('timer');
    expect(p.nextWaitMs()).toBe(6000);
    p.woke('timer');
    expect(p.nextWaitMs()).toBe(6000);
  });

  it('pacing: a limiter that clears says so; one that holds past the cap says not (the fallback read is skipped)', async () => {
    expect(await pacedWithin(undefined, 10)).toBe(true);
    expect(await pacedWithin({ ready: () => Promise.resolve() }, 10)).toBe(true);
    expect(await pacedWithin({ ready: () => new Promise(() => undefined) }, 20)).toBe(false);
  });
});
