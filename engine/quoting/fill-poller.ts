/**
 * How the desk learns a resting quote's fills and status without spending the venue's rate
 * budget: the private order stream first, REST only as the fallback.
 *
 * A quote rests for seconds to minutes; the executor's poll cadence (pollIntervalMs growing to
 * maxPollIntervalMs, 1 s) is for orders that end in milliseconds. Polled at that cadence two
 * resting quotes took a Lighter Standard account's whole budget: Lighter allows 60 requests a
 * rolling minute on a Standard account, and a full REST report is GET /accountOrders (weight 300)
 * plus GET /trades (600) of the Premium 24,000 weighted a minute
 * (https://apidocs.lighter.xyz/docs/rate-limits, figures in plugins/exchanges/lighter/limits.ts).
 * A mid-run reconcile then could not read Lighter and halted the engine.
 *
 * So while a quote rests untouched:
 * - it waits on the gateway's push (waitForUpdate) for up to the venue's status poll interval
 *   (`strategies.maker-taker.statusPollMs`, default 6 s on Lighter: 10 reads a minute per quote);
 *   a push wakes it at once and it reads then (the gateway answers a complete push without REST);
 * - one follow-up read a short moment after each push catches a fill that landed while the
 *   push's own read was in flight (waitForUpdate only sees pushes after it is called);
 * - a timed-out wait is the REST fallback (stream down or silent); it goes through the gateway's
 *   pacing (RequestPacing.ready) and is skipped, not forced, while the limiter does not clear it.
 * A quote being sent or cancelled polls at the executor's cadence: it is about to end, and the
 * engine's stop waits for it.
 */
import type { OrderGateway, RequestPacing } from '../exchange/orders.ts';
import { sleep, type Monotonic } from '../execution/venue-wait.ts';
import type { VenueId } from '../market/types.ts';

/** Lighter Standard: 60 requests a minute for everything (orders, hedges, reconciles); 6 s is 10 a minute per resting quote. */
export const DEFAULT_STATUS_POLL_MS: Readonly<Record<string, number>> = { lighter: 6000, '*': 2000 };

export function statusPollMsFor(table: Readonly<Record<string, number>>, venue: VenueId): number {
  return table[venue] ?? table['*'] ?? DEFAULT_STATUS_POLL_MS[venue] ?? DEFAULT_STATUS_POLL_MS['*']!;
}

export type QuoteNews = 'push' | 'timer';

/** Wait up to `ms` for the venue's push about this order; says which ended the wait. */
export async function awaitQuoteNews(gw: Pick<OrderGateway, 'waitForUpdate'>, clientId: string, ms: number, monotonic: Monotonic): Promise<QuoteNews> {
  if (!gw.waitForUpdate) {
    await sleep(ms);
    return 'timer';
  }
  const t0 = monotonic();
  await gw.waitForUpdate(clientId, ms);
  // A gateway without a live stream just sleeps `ms`: that is a timer, not news.
  return monotonic() - t0 < ms - 1 ? 'push' : 'timer';
}

/**
 * The next wait of a resting quote's watcher: after a push, one short follow-up; else the
 * venue's poll interval (the fallback).
 */
export class RestingQuotePoll {
  private followUp = false;

  constructor(
    private readonly venuePollMs: number,
    private readonly shortMs: number,
  ) {}

  nextWaitMs(): number {
    return this.followUp ? this.shortMs : this.venuePollMs;
  }

  /** What ended the last wait; returns whether a read should go out now. */
  woke(news: QuoteNews): void {
    // A push: read now and once more shortly after; a follow-up that saw nothing new arms no other.
    this.followUp = news === 'push';
  }
}

/** Wait for the limiter to clear a read, at most `capMs`; false: it did not (skip a fallback read). */
export async function pacedWithin(pacing: RequestPacing | undefined, capMs: number): Promise<boolean> {
  if (!pacing) return true;
  let cleared = false;
  await Promise.race([pacing.ready('reconcile').then(() => void (cleared = true)), sleep(capMs)]);
  return cleared;
}
