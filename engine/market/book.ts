/**
 * One L2 order book for one (venue, market), in integer units (exact: every price and size is
 * an integer below 2^53, held in a Float64Array without rounding).
 *
 * Each side is a sorted typed array stored worst-first, best level last: venue deltas land near
 * the touch, so an insert or delete there moves a handful of entries instead of the whole side
 * (at depth 1000 that is the difference between O(1) and O(depth) per change). The search
 * gallops from the touch for the same reason. No allocation per change: the arrays double when
 * full and never shrink. Readers index best-first through priceAt/sizeAt.
 */
import type { BookEvent, LevelChange, MarketInfo } from './types.ts';

const INITIAL_CAPACITY = 64;
/** Below this many entries a move is a plain loop: cheaper than the copyWithin call. */
const LOOP_MOVE = 24;

export class BookSide {
  /**
   * Levels interleaved as [key, size] pairs, keys ascending: bids hold price, asks -price, so
   * the best level is always the last pair. One array: a change touches one backing store and
   * a move is one copy.
   */
  private lv = new Float64Array(INITIAL_CAPACITY * 2);
  private n = 0;
  private readonly sign: 1 | -1;
  /** Best-first copies for callers that want arrays; rebuilt only when read after a change. */
  private view: { version: number; prices: number[]; sizes: number[] } | undefined;
  private version = 0;

  constructor(descending: boolean) {
    this.sign = descending ? 1 : -1;
  }

  /** Set the size at a price; 0 removes the level. */
  set(price: number, size: number): void {
    const key = this.sign * price;
    const lv = this.lv;
    const n = this.n;
    this.version++;
    // Lower bound (first key >= key), galloping down from the best level.
    let hi = n;
    if (n > 0 && lv[2 * n - 2]! >= key) {
      hi = n - 1;
      let lo = -1;
      let step = 1;
      for (;;) {
        const probe = hi - step;
        if (probe < 0) break;
        if (lv[2 * probe]! < key) {
          lo = probe;
          break;
        }
        hi = probe;
        step <<= 1;
      }
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1;
        if (lv[2 * mid]! < key) lo = mid;
        else hi = mid;
      }
      if (lv[2 * hi] === key) {
        if (size === 0) this.removeAt(hi);
        else lv[2 * hi + 1] = size;
        return;
      }
    }
    if (size !== 0) this.insertAt(hi, key, size);
  }

  private insertAt(i: number, key: number, size: number): void {
    if (2 * this.n === this.lv.length) this.grow();
    const lv = this.lv;
    const n = this.n;
    if (n - i < LOOP_MOVE) {
      for (let j = 2 * n + 1; j > 2 * i + 1; j--) lv[j] = lv[j - 2]!;
    } else {
      lv.copyWithin(2 * i + 2, 2 * i, 2 * n);
    }
    lv[2 * i] = key;
    lv[2 * i + 1] = size;
    this.n = n + 1;
  }

  private removeAt(i: number): void {
    const lv = this.lv;
    const n = this.n - 1;
    if (n - i < LOOP_MOVE) {
      for (let j = 2 * i; j < 2 * n; j++) lv[j] = lv[j + 2]!;
    } else {
      lv.copyWithin(2 * i, 2 * i + 2, 2 * n + 2);
    }
    this.n = n;
  }

  private grow(): void {
    const lv = new Float64Array(this.lv.length * 2);
    lv.set(this.lv);
    this.lv = lv;
  }

  /**
   * Replace the side with a snapshot's levels. A snapshot listed best-first with strictly
   * worsening prices (what venues send) is loaded from its worst level up, each an append;
   * any other order is applied change by change, with the same result as set() in order.
   */
  load(changes: LevelChange[]): void {
    this.clear();
    let sorted = true;
    for (let i = 1; i < changes.length; i++) {
      if (this.sign * changes[i]!.price >= this.sign * changes[i - 1]!.price) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      for (let i = changes.length - 1; i >= 0; i--) {
        const c = changes[i]!;
        if (c.size !== 0) this.insertAt(this.n, this.sign * c.price, c.size);
      }
    } else {
      for (let i = 0; i < changes.length; i++) this.set(changes[i]!.price, changes[i]!.size);
    }
  }

  clear(): void {
    this.n = 0;
    this.version++;
  }

  get depth(): number {
    return this.n;
  }

  /** Best price, or undefined when the side is empty. */
  best(): number | undefined {
    return this.n > 0 ? this.sign * this.lv[2 * this.n - 2]! : undefined;
  }

  /** Size at the best price (0 when empty). */
  bestSize(): number {
    return this.n > 0 ? this.lv[2 * this.n - 1]! : 0;
  }

  /** Price of the i-th level from the touch (0 = best); i < depth. */
  priceAt(i: number): number {
    return this.sign * this.lv[2 * (this.n - 1 - i)]!;
  }

  /** Size of the i-th level from the touch (0 = best); i < depth. */
  sizeAt(i: number): number {
    return this.lv[2 * (this.n - 1 - i) + 1]!;
  }

  /** Prices best-first, as an array (a copy made when first read after a change: not for the hot path). */
  get prices(): readonly number[] {
    return this.arrays().prices;
  }

  /** Sizes best-first, aligned with prices. */
  get sizes(): readonly number[] {
    return this.arrays().sizes;
  }

  private arrays(): { prices: number[]; sizes: number[] } {
    if (this.view?.version === this.version) return this.view;
    const prices: number[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < this.n; i++) {
      prices.push(this.priceAt(i));
      sizes.push(this.sizeAt(i));
    }
    this.view = { version: this.version, prices, sizes };
    return this.view;
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
    this.bids.load(e.bids);
    this.asks.load(e.asks);
    this.stamp(e);
  }

  applyDelta(e: BookEvent): void {
    const bids = e.bids;
    const asks = e.asks;
    for (let i = 0; i < bids.length; i++) this.bids.set(bids[i]!.price, bids[i]!.size);
    for (let i = 0; i < asks.length; i++) this.asks.set(asks[i]!.price, asks[i]!.size);
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
