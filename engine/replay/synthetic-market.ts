/**
 * A seeded, scripted market: the normalized events three kinds of venue feed would produce
 * (sequenced deltas like Paradex and Lighter, unsequenced snapshots like Vest), with venue
 * dislocations that open spreads, sequence gaps followed by a resync snapshot, disconnects,
 * funding and lagging venue clocks. Tests drive a "live" run with it; the replay bench records
 * a million of its events. Same seed, same events.
 */
import type { BookEvent, FeedStatusEvent, FundingEvent, LevelChange, MarketInfo } from '../market/types.ts';

export type ScriptedEvent =
  | { kind: 'book'; event: BookEvent }
  | { kind: 'status'; event: FeedStatusEvent }
  | { kind: 'funding'; event: FundingEvent };

export interface SyntheticMarketOptions {
  /** Venue names; the second one (if any) publishes snapshots only, the others sequenced deltas. */
  venues: string[];
  /** Instrument base names, e.g. ["BTC", "ETH"]. */
  bases: string[];
  events: number;
  seed: number;
  startAt: number;
  /** Mean time between events, ms. */
  meanGapMs: number;
  /** Chance per event that a venue's quote dislocates from the others. */
  dislocation?: number;
  /** Chance per delta of a sequence gap (a resync snapshot follows). */
  gapChance?: number;
}

export interface SyntheticMarket {
  markets: Record<string, MarketInfo[]>;
  /** The config's `instruments` table: instrument -> { venue: symbol }. */
  instruments: Record<string, Record<string, string>>;
  events(): Generator<ScriptedEvent>;
}

const LEVELS = 5;

export function syntheticMarket(o: SyntheticMarketOptions): SyntheticMarket {
  const markets: Record<string, MarketInfo[]> = {};
  const instruments: Record<string, Record<string, string>> = {};
  for (const base of o.bases) instruments[`${base}-USD-PERP`] = {};
  o.venues.forEach((venue, v) => {
    markets[venue] = o.bases.map((base, i) => {
      const symbol = symbolFor(v, base, i);
      instruments[`${base}-USD-PERP`]![venue] = symbol;
      // The first venue quotes in 0.1 steps, the others in 0.01: the strategy must rescale.
      const priceDecimals = v === 0 ? 1 : 2;
      return { venue, symbol, priceDecimals, sizeDecimals: 4, tickSize: v === 0 ? '0.1' : '0.01', sizeIncrement: '0.0001' };
    });
  });
  return { markets, instruments, events: () => generate(o, markets) };
}

function symbolFor(v: number, base: string, i: number): string {
  if (v === 0) return `${base}-USD-PERP`;
  if (v === 1) return `${base}-PERP`;
  return String(i);
}

interface QuoteState {
  market: MarketInfo;
  sequenced: boolean;
  seq: number;
  /** Price level -> size as last published, to publish deltas. */
  last: Map<number, number>;
  needsSnapshot: boolean;
  /** Dislocation of this venue's quote from the common mid, in 1e-4 (bps). */
  biasBps: number;
}

function* generate(o: SyntheticMarketOptions, markets: Record<string, MarketInfo[]>): Generator<ScriptedEvent> {
  const rnd = mulberry32(o.seed);
  const dislocation = o.dislocation ?? 0.02;
  const gapChance = o.gapChance ?? 0.002;
  // Mid prices in cents; bases past the first trade lower so instruments differ.
  const mids = o.bases.map((_, i) => Math.round(60_000_00 / (1 + i * 7)));
  const states = o.venues.map((venue, v) =>
    markets[venue]!.map((market) => ({ market, sequenced: v !== 1, seq: 0, last: new Map(), needsSnapshot: true, biasBps: 0 }) as QuoteState),
  );
  let t = o.startAt;
  for (let n = 0; n < o.events; n++) {
    t += Math.floor(rnd() * 2 * o.meanGapMs);
    const v = Math.floor(rnd() * o.venues.length);
    const i = Math.floor(rnd() * o.bases.length);
    const venue = o.venues[v]!;
    const roll = rnd();
    if (roll < 0.0005) {
      // A disconnect: every book of the venue needs a fresh snapshot after it.
      for (const s of states[v]!) s.needsSnapshot = true;
      yield { kind: 'status', event: { venue, state: 'disconnected', symbols: [], reason: 'scripted disconnect' } };
      continue;
    }
    if (roll < 0.002) {
      const rate = (Math.floor(rnd() * 200) - 100) / 1_000_000;
      yield { kind: 'funding', event: { venue, symbol: states[v]![i]!.market.symbol, rate: rate.toFixed(6), intervalHours: 1, venueTime: t - 20, receivedAt: t } };
      continue;
    }
    mids[i] = Math.max(100_00, mids[i]! + Math.round((rnd() - 0.5) * mids[i]! * 0.0002));
    const s = states[v]![i]!;
    if (rnd() < dislocation) s.biasBps = Math.round((rnd() < 0.5 ? -1 : 1) * (10 + rnd() * 30));
    else s.biasBps = Math.trunc(s.biasBps * 0.9);
    // Venue clock lag: mostly tens of ms, sometimes seconds (desync risk Medium or High).
    const lagRoll = rnd();
    const lag = lagRoll < 0.01 ? 2500 : lagRoll < 0.04 ? 700 : 10 + Math.floor(rnd() * 60);
    const levels = quote(s.market, mids[i]!, s.biasBps, rnd);
    yield { kind: 'book', event: bookEvent(s, levels, t - lag, t, rnd() < gapChance) };
  }
}

function quote(m: MarketInfo, midCents: number, biasBps: number, rnd: () => number): { bids: LevelChange[]; asks: LevelChange[] } {
  const scale = m.priceDecimals === 1 ? 10 : 1;
  const mid = Math.round((midCents * (10_000 + biasBps)) / 10_000 / scale);
  const half = Math.max(1, Math.round(mid * 0.00005));
  const bids: LevelChange[] = [];
  const asks: LevelChange[] = [];
  for (let k = 0; k < LEVELS; k++) {
    bids.push({ price: mid - half - k * half, size: 1000 + Math.floor(rnd() * 20_000) });
    asks.push({ price: mid + half + k * half, size: 1000 + Math.floor(rnd() * 20_000) });
  }
  return { bids, asks };
}

function bookEvent(s: QuoteState, next: { bids: LevelChange[]; asks: LevelChange[] }, venueTime: number, receivedAt: number, gap: boolean): BookEvent {
  const { venue, symbol } = s.market;
  const nextMap = new Map<number, number>();
  for (const l of next.bids) nextMap.set(l.price, l.size);
  for (const l of next.asks) nextMap.set(-l.price, l.size); // asks keyed negative: one map, no clash
  if (!s.sequenced || s.needsSnapshot) {
    s.needsSnapshot = false;
    s.last = nextMap;
    const e: BookEvent = { type: 'snapshot', venue, symbol, bids: next.bids, asks: next.asks, venueTime, receivedAt };
    if (s.sequenced) e.seq = ++s.seq;
    return e;
  }
  const bids: LevelChange[] = [];
  const asks: LevelChange[] = [];
  for (const k of s.last.keys()) if (!nextMap.has(k)) (k > 0 ? bids : asks).push({ price: Math.abs(k), size: 0 });
  for (const [k, size] of nextMap) if (s.last.get(k) !== size) (k > 0 ? bids : asks).push({ price: Math.abs(k), size });
  s.last = nextMap;
  // A gap: one message was lost on the way, so this delta follows a sequence number the hub never saw.
  const prevSeq = gap ? s.seq + 1 : s.seq;
  s.seq = prevSeq + 1;
  if (gap) s.needsSnapshot = true;
  return { type: 'delta', venue, symbol, seq: s.seq, prevSeq, bids, asks, venueTime, receivedAt };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
