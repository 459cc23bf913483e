/**
 * One venue's market for one instrument: its grid, its book, and the stream of level
 * changes the venue's feed publishes. Every mutation (the synthetic depth moving with the
 * venue's mid today, fills from a matching engine later) goes through `apply`, which tells
 * every listener, so sequence numbers and pushes stay with the venue servers.
 */
import { L2Book, type BookLevel, type BookLevels, type LevelChange } from './book.ts';
import { FAIR_DECIMALS } from './market-model.ts';
import type { VenueInstrument } from './instruments.ts';
import { Prng } from './prng.ts';

export type ChangeListener = (changes: readonly LevelChange[]) => void;

/** Half spread around the venue mid, ppm of price (at least one tick). */
const HALF_SPREAD_PPM = 60;
/** Spacing of levels behind the touch, ppm of price (at least one tick). */
const LEVEL_SPACING_PPM = 40;
/** Chance per step that a resting level's size changes. */
const RESIZE_PROBABILITY = 0.25;

export class VenueMarket {
  readonly book = new L2Book();
  private readonly listeners = new Set<ChangeListener>();
  private readonly rng: Prng;
  private readonly fairPerTick: number;

  constructor(
    readonly instrument: VenueInstrument,
    seed: number,
  ) {
    this.rng = Prng.derive(seed, `${instrument.venue}/${instrument.base}/depth`);
    this.fairPerTick = instrument.tickUnits * 10 ** (FAIR_DECIMALS - instrument.priceDecimals);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Mutate the book and publish the changes (no-op for an empty list). */
  apply(changes: readonly LevelChange[]): void {
    if (changes.length === 0) return;
    this.book.applyChanges(changes);
    for (const listener of this.listeners) listener(changes);
  }

  /** Move the synthetic depth to quote around `midFairUnits` (1e-8 USD). */
  requote(midFairUnits: number): void {
    this.apply(this.book.diff(this.targetBook(midFairUnits)));
  }

  /**
   * The book a market maker would show around the mid: the touch on the tick nearest the
   * spread, deeper levels on a fixed grid (so they persist while the mid drifts, and
   * deltas stay small), sizes thinning away from the touch.
   */
  private targetBook(midFairUnits: number): BookLevels {
    const i = this.instrument;
    const midTicks = midFairUnits / this.fairPerTick; // float only to pick a grid index
    const halfSpreadTicks = Math.max(1, Math.round((midTicks * HALF_SPREAD_PPM) / 1e6));
    const spacingTicks = Math.max(1, Math.round((midTicks * LEVEL_SPACING_PPM) / 1e6));
    const bestBid = Math.max(1, Math.floor(midTicks - halfSpreadTicks));
    const bestAsk = Math.max(bestBid + 1, Math.ceil(midTicks + halfSpreadTicks));
    const bids: BookLevel[] = [];
    const asks: BookLevel[] = [];
    for (let k = 0; k < i.levels; k++) {
      const bidTicks = k === 0 ? bestBid : (Math.ceil(bestBid / spacingTicks) - k) * spacingTicks;
      const askTicks = k === 0 ? bestAsk : (Math.floor(bestAsk / spacingTicks) + k) * spacingTicks;
      if (bidTicks > 0 && bidTicks < bestBid + (k === 0 ? 1 : 0)) bids.push(this.level('bid', bidTicks * i.tickUnits, k));
      if (askTicks > bestAsk - (k === 0 ? 1 : 0)) asks.push(this.level('ask', askTicks * i.tickUnits, k));
    }
    return { bids, asks };
  }

  private level(side: 'bid' | 'ask', price: number, depthIndex: number): BookLevel {
    const resting = this.book.sizeAt(side, price);
    // Draw both numbers always, so the stream does not depend on what rested.
    const resize = this.rng.chance(RESIZE_PROBABILITY);
    const fresh = this.freshSize(depthIndex);
    return { price, size: resting > 0 && !resize ? resting : fresh };
  }

  private freshSize(depthIndex: number): number {
    const i = this.instrument;
    const percent = this.rng.int(50, 150);
    const thinning = i.levels - depthIndex;
    const raw = Math.floor((i.touchSizeUnits * thinning * percent) / (i.levels * 100));
    return Math.max(i.stepUnits, raw - (raw % i.stepUnits));
  }
}
