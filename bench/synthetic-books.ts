/**
 * Deterministic synthetic book streams for benches: V venues x M markets, each a snapshot
 * then deltas touching 1-3 levels near the touch, with a shared fair price, per-venue noise
 * and occasional dislocations so the strategy has real work to do.
 */
import type { BookEvent, LevelChange, MarketInfo } from '../engine/market/types.ts';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticStream {
  markets: MarketInfo[];
  instruments: Record<string, Record<string, string>>;
  events: BookEvent[];
}

const DEPTH = 20;

export function syntheticStream(venues: number, marketsPerVenue: number, deltas: number, seed = 1): SyntheticStream {
  const rnd = prng(seed);
  const markets: MarketInfo[] = [];
  const instruments: Record<string, Record<string, string>> = {};
  const mid: number[] = []; // fair mid per instrument, in ticks (2 decimals)
  for (let m = 0; m < marketsPerVenue; m++) {
    mid.push(Math.round((100 + rnd() * 50_000) * 100));
    instruments[`I${m}`] = {};
  }
  for (let v = 0; v < venues; v++) {
    for (let m = 0; m < marketsPerVenue; m++) {
      const venue = `venue${v}`;
      const symbol = `S${m}`;
      markets.push({ venue, symbol, priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' });
      instruments[`I${m}`]![venue] = symbol;
    }
  }
  const events: BookEvent[] = [];
  const seq = new Array<number>(markets.length).fill(1);
  const offset = new Array<number>(markets.length).fill(0);
  let t = 1_700_000_000_000;
  const fullBook = (i: number, s: number): BookEvent => {
    const mk = markets[i]!;
    const center = mid[i % marketsPerVenue]! + offset[i]!;
    const bids: LevelChange[] = [];
    const asks: LevelChange[] = [];
    for (let d = 0; d < DEPTH; d++) {
      bids.push({ price: center - 1 - d * 5, size: 100 + Math.floor(rnd() * 5000) });
      asks.push({ price: center + 1 + d * 5, size: 100 + Math.floor(rnd() * 5000) });
    }
    return { type: 'snapshot', venue: mk.venue, symbol: mk.symbol, seq: s, bids, asks, venueTime: t, receivedAt: t };
  };
  for (let i = 0; i < markets.length; i++) events.push(fullBook(i, 1));
  for (let n = 0; n < deltas; n++) {
    t += 1;
    const i = Math.floor(rnd() * markets.length);
    const mk = markets[i]!;
    const prev = seq[i]!;
    seq[i] = prev + 1;
    // 1 in 1000 updates moves one venue's whole book by ~0.3% (or back): a fresh snapshot,
    // as a venue's snapshot feed would send, so candidates reach the simulator.
    if (rnd() < 0.001) {
      const center = mid[i % marketsPerVenue]!;
      offset[i] = offset[i] === 0 ? Math.round(center * 0.003) * (rnd() < 0.5 ? -1 : 1) : 0;
      events.push(fullBook(i, prev + 1));
      continue;
    }
    const center = mid[i % marketsPerVenue]! + offset[i]!;
    const touched = 1 + Math.floor(rnd() * 3);
    const bids: LevelChange[] = [];
    const asks: LevelChange[] = [];
    for (let k = 0; k < touched; k++) {
      const d = Math.floor(rnd() * 5) * 5;
      const size = rnd() < 0.1 ? 0 : 100 + Math.floor(rnd() * 5000);
      if (rnd() < 0.5) bids.push({ price: center - 1 - d, size });
      else asks.push({ price: center + 1 + d, size });
    }
    events.push({ type: 'delta', venue: mk.venue, symbol: mk.symbol, seq: prev + 1, prevSeq: prev, bids, asks, venueTime: t, receivedAt: t });
  }
  return { markets, instruments, events };
}
