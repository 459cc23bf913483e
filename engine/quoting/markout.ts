/**
 * Markout of maker fills: the maker venue's mid 1 s and 10 s after each fill, read from the
 * books the engine already watches (no extra subscription). A fill's mid is written when it
 * is sampled; a sample the session does not live to take (stop clears the timers), or one
 * taken while the book is not tradable, stays NULL and the report says "n/a", never 0: a stale
 * mid would read as "the price did not move".
 *
 * The engine's Clock only tells the time (engine/core/clock.ts has no timers), so the delays
 * are wall-clock timers, like the desk's own sweep and unwind timers.
 */
import { Decimal } from 'decimal.js';
import type { Clock } from '../core/clock.ts';
import type { BookReader } from '../market/hub.ts';
import { fromUnits } from '../market/units.ts';
import type { VenueId } from '../market/types.ts';

export const MARKOUT_HORIZONS = [
  { label: '1s', ms: 1000 },
  { label: '10s', ms: 10_000 },
] as const;

export type MarkoutHorizon = (typeof MARKOUT_HORIZONS)[number]['label'];

export interface MarkoutSink {
  markout(venue: string, fillId: string, horizon: MarkoutHorizon, mid: Decimal): void;
}

/** Mid of a tradable book (best bid and ask both present), exact; undefined otherwise. */
export function bookMid(books: BookReader, venue: VenueId, symbol: string, now: number): Decimal | undefined {
  const book = books.book(venue, symbol);
  if (!book || !books.isTradable(book, now)) return undefined;
  const bid = book.bids.best();
  const ask = book.asks.best();
  if (bid === undefined || ask === undefined) return undefined;
  const d = book.market.priceDecimals;
  return new Decimal(fromUnits(bid, d)).plus(fromUnits(ask, d)).div(2);
}

export class MarkoutSampler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly books: BookReader,
    private readonly clock: Clock,
    private readonly sink: MarkoutSink,
  ) {}

  /** Sample the mid of (venue, symbol) at each horizon after now for this fill. */
  track(venue: VenueId, symbol: string, fillId: string): void {
    for (const h of MARKOUT_HORIZONS) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        const mid = bookMid(this.books, venue, symbol, this.clock.now());
        if (mid) this.sink.markout(venue, fillId, h.label, mid);
      }, h.ms);
      timer.unref();
      this.timers.add(timer);
    }
  }

  /** Samples not yet taken stay NULL (the session ended first). */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  get pending(): number {
    return this.timers.size;
  }
}
