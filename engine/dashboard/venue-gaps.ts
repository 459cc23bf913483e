/**
 * Sequence gaps per venue. The hub counts gaps for all venues together (hub.counters.gaps);
 * the page shows them per venue, so this tap applies the hub's own continuity rule
 * (engine/market/hub.ts onBook) to the events it sees just before the hub: a delta whose
 * prevSeq is not the book's last seq is a gap, and deltas until the next snapshot are dropped.
 */
import type { MarketDataTap } from '../core/engine.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent } from '../market/types.ts';

export class VenueGaps implements MarketDataTap {
  private readonly books = new Map<string, { seq: number | undefined; waiting: boolean }>();
  private readonly gaps = new Map<string, number>();

  onMarkets(): void {}
  onFunding(_e: FundingEvent): void {}

  onBook(e: BookEvent): void {
    const key = `${e.venue}\u0000${e.symbol}`;
    let b = this.books.get(key);
    if (!b) this.books.set(key, (b = { seq: undefined, waiting: true }));
    if (e.type === 'snapshot') {
      b.seq = e.seq;
      b.waiting = false;
      return;
    }
    if (b.waiting) return;
    if (e.prevSeq !== undefined && b.seq !== undefined && b.seq !== e.prevSeq) {
      this.gaps.set(e.venue, (this.gaps.get(e.venue) ?? 0) + 1);
      b.waiting = true;
      return;
    }
    b.seq = e.seq; // as OrderBook.stamp does: a delta without seq leaves the book without one
  }

  onStatus(e: FeedStatusEvent): void {
    if (e.state === 'live') return;
    for (const [key, b] of this.books) {
      const [venue, symbol] = key.split('\u0000');
      if (venue === e.venue && (e.symbols.length === 0 || e.symbols.includes(symbol!))) b.waiting = true;
    }
  }

  of(venue: string): number {
    return this.gaps.get(venue) ?? 0;
  }
}
