/**
 * One L2 order book for one (venue, market), in integer units. Sides are kept as parallel
 * sorted arrays: venues publish 15-50 levels, where binary search plus splice beats a tree.
 */
import type { BookEvent, LevelChange, MarketInfo } from './types.ts';

export class BookSide {
  readonly prices: number[] = [];
  readonly sizes: number[] = [];
  constructor(private readonly descending: boolean) {}

  /** Index of price, or -(insertion point)-1 when absent. */
  private find(price: number): number {
    const p = this.prices;
    let lo = 0;
    let hi = p.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = p[mid]!;
      if (v === price) return mid;
      const before = this.descending ? v > price : v < price;
      if (before) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  set(price: number, size: number): void {
    const i = this.find(price);
    if (i >= 0) {
      if (size === 0) {
        this.prices.splice(i, 1);
        this.sizes.splice(i, 1);
      } else this.sizes[i] = size;
    } else if (size !== 0) {
      const at = -i - 1;
      this.prices.splice(at, 0, price);
      this.sizes.splice(at, 0, size);
    }
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.length = 0;
  }

  get depth(): number {
    return this.prices.length;
  }

  /** Best price, or undefined when the side is empty. */
  best(): number | undefined {
    return this.prices[0];
  }
}

export class OrderBook {
  readonly bids = new BookSide(true);
  readonly asks = new BookSide(false);
  /** Last applied sequence number; undefined until a sequenced event arrives. */
  seq: number | undefined;
  venueTime = 0;
  receivedAt = 0;
  /** A stale book is never traded on: no snapshot yet, a gap, a disconnect, or a crossed book. */
  stale = true;
  staleReason: string | undefined = 'no snapshot yet';
  updates = 0;

  constructor(readonly market: MarketInfo) {}

  applySnapshot(e: BookEvent): void {
    this.bids.clear();
    this.asks.clear();
    applyLevels(this.bids, e.bids);
    applyLevels(this.asks, e.asks);
    this.stamp(e);
  }

  applyDelta(e: BookEvent): void {
    applyLevels(this.bids, e.bids);
    applyLevels(this.asks, e.asks);
    this.stamp(e);
  }

  isCrossed(): boolean {
    const b = this.bids.best();
    const a = this.asks.best();
    return b !== undefined && a !== undefined && b >= a;
  }

  markStale(reason: string): void {
    this.stale = true;
    this.staleReason = reason;
  }

  private stamp(e: BookEvent): void {
    this.seq = e.seq;
    this.venueTime = e.venueTime;
    this.receivedAt = e.receivedAt;
    this.updates++;
  }
}

function applyLevels(side: BookSide, changes: LevelChange[]): void {
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i]!;
    side.set(c.price, c.size);
  }
}
