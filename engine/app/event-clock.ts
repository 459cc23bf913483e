/**
 * A dry-run's clock holds still while one market-data event is delivered: every service that
 * handles the event (the recorder stamping it, the hub, the strategies, the simulator, the
 * pair lifecycle, the journal) reads the same instant. A replay sets its clock to that recorded
 * instant before delivering the event, so the run and its replay stamp every row, and every id
 * built from the time (`xex-<now>-n`, `fund-<now>-n`, `pair-<intent>`), alike. On the wall
 * clock alone, the milliseconds the run spent judging would leak into its ids and timestamps.
 *
 * The hold ends in a microtask, i.e. right after the synchronous delivery returns; between
 * events the clock is the base clock.
 */
import type { Clock } from '../core/clock.ts';
import type { MarketDataTap } from '../core/engine.ts';

export class EventClock implements Clock {
  private held: number | undefined;
  private releasing = false;

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.held ?? this.base.now();
  }

  /** Take the base clock's time and hold it until the current delivery has returned. */
  hold(): void {
    this.held = this.base.now();
    if (this.releasing) return;
    this.releasing = true;
    queueMicrotask(() => {
      this.held = undefined;
      this.releasing = false;
    });
  }

  /** The tap that holds the clock: it must be the engine's first, so the recorder reads the held time. */
  tap(): MarketDataTap {
    const hold = () => this.hold();
    return { onMarkets: () => {}, onBook: hold, onStatus: hold, onFunding: hold };
  }
}
