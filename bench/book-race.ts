/**
 * Book maintenance race: our exact-integer OrderBook against ccxt's JS OrderBook (floats) on one
 * identical delta stream, in the same process, alternating runs, best of several.
 *
 * The stream is venue wire strings (price and size as decimal text, some with trailing zeros as
 * Vest sends them, "0" sizes for deletes). Each contestant parses every string itself (ours:
 * toUnits into exact integers; ccxt: parseFloat, as its exchange classes do), applies the delta
 * and reads the best bid and ask after every delta. After each run both books' full final state
 * is compared level by level (ours scaled back to floats), so neither side can skip work.
 *
 * Level choice per change: k = floor(depth * r^3) ticks from the touch, r uniform, so most
 * changes land near the touch as on a real feed but every depth is touched; 20% are deletes,
 * and deleted levels are re-inserted later, so the depth stays near its snapshot's.
 */
import ccxt from 'ccxt';
import { OrderBook } from '../engine/market/book.ts';
import type { BookEvent, LevelChange, MarketInfo } from '../engine/market/types.ts';
import { toUnits } from '../engine/market/units.ts';
import { prng } from './synthetic-books.ts';

export interface RaceStream {
  books: number;
  depth: number;
  deltas: number;
  levelsPerDelta: number;
  markets: MarketInfo[];
  /** Per book: price strings by tick offset from the touch, per side (bid: center-1-k, ask: center+1+k). */
  bidText: string[][];
  askText: string[][];
  /** Per book: integer center in price units. */
  center: number[];
  sizeText: string[];
  /** Per delta: book index. Per level: side (0 bid, 1 ask), k, size index. */
  deltaBook: Int32Array;
  levelSide: Uint8Array;
  levelK: Int32Array;
  levelSize: Int32Array;
  /** Snapshot size index per book, side and k (k < depth). */
  snapSize: Int32Array;
}

const PRICE_DECIMALS = 2;
const SIZE_DECIMALS = 5;

function fmt(units: number, decimals: number, pad: number): string {
  const s = String(units).padStart(decimals + 1, '0');
  let frac = s.slice(s.length - decimals);
  const whole = s.slice(0, s.length - decimals);
  frac = frac.replace(/0+$/, '');
  frac = frac.padEnd(Math.min(decimals + pad, frac.length + pad), '0');
  return frac.length > 0 ? `${whole}.${frac}` : whole;
}

export function raceStream(books: number, depth: number, deltas: number, seed = 7, levelsPerDelta = 3): RaceStream {
  const rnd = prng(seed);
  const markets: MarketInfo[] = [];
  const bidText: string[][] = [];
  const askText: string[][] = [];
  const center: number[] = [];
  for (let b = 0; b < books; b++) {
    markets.push({ venue: 'race', symbol: `M${b}`, priceDecimals: PRICE_DECIMALS, sizeDecimals: SIZE_DECIMALS, tickSize: '0.01', sizeIncrement: '0.00001' });
    const c = Math.round((0.5 + rnd() * 99_999) * 100) + depth + 2;
    center.push(c);
    // Half the books print prices at full precision ("67629.70"), half trimmed ("67629.7").
    const pad = b % 2 === 0 ? 0 : 1;
    const bids: string[] = [];
    const asks: string[] = [];
    for (let k = 0; k < depth; k++) {
      bids.push(fmt(c - 1 - k, PRICE_DECIMALS, pad));
      asks.push(fmt(c + 1 + k, PRICE_DECIMALS, pad));
    }
    bidText.push(bids);
    askText.push(asks);
  }
  // Size strings: index 0..1 are deletes ("0", "0.00000"), the rest sizes with 0-5 decimals,
  // some with trailing zeros (Vest style "0.102000").
  const sizeText: string[] = ['0', '0.00000'];
  for (let i = 0; i < 4094; i++) {
    const units = 1 + Math.floor(rnd() * rnd() * 50_000_000);
    sizeText.push(fmt(units, SIZE_DECIMALS, i % 3 === 0 ? 1 : 0));
  }
  const snapSize = new Int32Array(books * 2 * depth);
  for (let i = 0; i < snapSize.length; i++) snapSize[i] = 2 + Math.floor(rnd() * 4094);
  const n = deltas * levelsPerDelta;
  const deltaBook = new Int32Array(deltas);
  const levelSide = new Uint8Array(n);
  const levelK = new Int32Array(n);
  const levelSize = new Int32Array(n);
  for (let d = 0; d < deltas; d++) {
    deltaBook[d] = Math.floor(rnd() * books);
    for (let l = 0; l < levelsPerDelta; l++) {
      const j = d * levelsPerDelta + l;
      levelSide[j] = rnd() < 0.5 ? 0 : 1;
      const r = rnd();
      levelK[j] = Math.min(depth - 1, Math.floor(depth * r * r * r));
      levelSize[j] = rnd() < 0.2 ? (rnd() < 0.5 ? 0 : 1) : 2 + Math.floor(rnd() * 4094);
    }
  }
  // Through JSON, as wire strings arrive: flat strings, not the concatenations built above.
  const wire = JSON.parse(JSON.stringify({ bidText, askText, sizeText })) as { bidText: string[][]; askText: string[][]; sizeText: string[] };
  return { books, depth, deltas, levelsPerDelta, markets, bidText: wire.bidText, askText: wire.askText, center, sizeText: wire.sizeText, deltaBook, levelSide, levelK, levelSize, snapSize };
}

export interface RaceRun {
  ns: number;
  /** Sum of best bid/ask reads: keeps the reads live and is compared between contestants. */
  checksum: number;
}

interface CcxtSide extends Array<[number, number]> {
  store(price: number, size: number): void;
}

const ccxtExchange = new ccxt.Exchange();

/** ccxt's version string, printed beside its figures. */
export const ccxtVersion: string = ccxt.version;

function ccxtBooks(s: RaceStream): { bids: CcxtSide; asks: CcxtSide }[] {
  const out = [];
  for (let b = 0; b < s.books; b++) {
    // The book ccxt's exchange classes maintain for watchOrderBook (Exchange.orderBook -> ws/OrderBook.js).
    const ob = ccxtExchange.orderBook({ bids: [], asks: [] }) as unknown as { bids: CcxtSide; asks: CcxtSide };
    const { bids, asks } = ob;
    for (let k = 0; k < s.depth; k++) {
      bids.store(parseFloat(s.bidText[b]![k]!), parseFloat(s.sizeText[s.snapSize[(b * 2) * s.depth + k]!]!));
      asks.store(parseFloat(s.askText[b]![k]!), parseFloat(s.sizeText[s.snapSize[(b * 2 + 1) * s.depth + k]!]!));
    }
    out.push({ bids, asks });
  }
  return out;
}

function ourBooks(s: RaceStream): OrderBook[] {
  const out: OrderBook[] = [];
  for (let b = 0; b < s.books; b++) {
    const m = s.markets[b]!;
    const book = new OrderBook(m);
    const bids: LevelChange[] = [];
    const asks: LevelChange[] = [];
    for (let k = 0; k < s.depth; k++) {
      bids.push({ price: toUnits(s.bidText[b]![k]!, m.priceDecimals), size: toUnits(s.sizeText[s.snapSize[b * 2 * s.depth + k]!]!, m.sizeDecimals) });
      asks.push({ price: toUnits(s.askText[b]![k]!, m.priceDecimals), size: toUnits(s.sizeText[s.snapSize[(b * 2 + 1) * s.depth + k]!]!, m.sizeDecimals) });
    }
    book.applySnapshot({ type: 'snapshot', venue: m.venue, symbol: m.symbol, seq: 0, bids, asks, venueTime: 0, receivedAt: 0 });
    out.push(book);
  }
  return out;
}

export function runCcxt(s: RaceStream): { run: RaceRun; books: ReturnType<typeof ccxtBooks> } {
  const books = ccxtBooks(s);
  const { deltaBook, levelSide, levelK, levelSize, bidText, askText, sizeText, levelsPerDelta } = s;
  let checksum = 0;
  const t0 = process.hrtime.bigint();
  for (let d = 0; d < s.deltas; d++) {
    const b = deltaBook[d]!;
    const book = books[b]!;
    for (let l = 0; l < levelsPerDelta; l++) {
      const j = d * levelsPerDelta + l;
      const k = levelK[j]!;
      const size = parseFloat(sizeText[levelSize[j]!]!);
      if (levelSide[j] === 0) book.bids.store(parseFloat(bidText[b]![k]!), size);
      else book.asks.store(parseFloat(askText[b]![k]!), size);
    }
    const bb = book.bids.length > 0 ? book.bids[0]![0] : 0;
    const ba = book.asks.length > 0 ? book.asks[0]![0] : 0;
    checksum += ba - bb;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { run: { ns, checksum }, books };
}

export function runOurs(s: RaceStream): { run: RaceRun; books: OrderBook[] } {
  const books = ourBooks(s);
  const { deltaBook, levelSide, levelK, levelSize, bidText, askText, sizeText, levelsPerDelta, markets } = s;
  // One reused event, as a connector's decode buffer would be: no allocation per delta.
  // byCount[n] lists the first n pooled level objects, so a delta with n bid changes is
  // written into the pool and e.bids = byCount[n] (no array resizing either).
  const bidPool: LevelChange[] = [];
  const askPool: LevelChange[] = [];
  const bidsByCount: LevelChange[][] = [[]];
  const asksByCount: LevelChange[][] = [[]];
  for (let i = 0; i < levelsPerDelta; i++) {
    bidPool.push({ price: 0, size: 0 });
    askPool.push({ price: 0, size: 0 });
    bidsByCount.push(bidPool.slice());
    asksByCount.push(askPool.slice());
  }
  const e: BookEvent = { type: 'delta', venue: 'race', symbol: '', seq: 0, prevSeq: 0, bids: [], asks: [], venueTime: 0, receivedAt: 0 };
  let checksum = 0;
  let scale = 1;
  for (let i = 0; i < PRICE_DECIMALS; i++) scale *= 10;
  const t0 = process.hrtime.bigint();
  for (let d = 0; d < s.deltas; d++) {
    const b = deltaBook[d]!;
    const book = books[b]!;
    const m = markets[b]!;
    const pd = m.priceDecimals;
    const sd = m.sizeDecimals;
    let nb = 0;
    let na = 0;
    for (let l = 0; l < levelsPerDelta; l++) {
      const j = d * levelsPerDelta + l;
      const k = levelK[j]!;
      if (levelSide[j] === 0) {
        const c = bidPool[nb++]!;
        c.price = toUnits(bidText[b]![k]!, pd);
        c.size = toUnits(sizeText[levelSize[j]!]!, sd);
      } else {
        const c = askPool[na++]!;
        c.price = toUnits(askText[b]![k]!, pd);
        c.size = toUnits(sizeText[levelSize[j]!]!, sd);
      }
    }
    e.bids = bidsByCount[nb]!;
    e.asks = asksByCount[na]!;
    book.applyDelta(e);
    const bb = book.bids.best() ?? 0;
    const ba = book.asks.best() ?? 0;
    checksum += (ba - bb) / scale;
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { run: { ns, checksum }, books };
}

/** Both final states equal, level by level (ours scaled back to floats: exact for these values). */
export function compareFinal(s: RaceStream, ours: OrderBook[], theirs: ReturnType<typeof ccxtBooks>): void {
  const ps = 10 ** PRICE_DECIMALS;
  const ss = 10 ** SIZE_DECIMALS;
  for (let b = 0; b < s.books; b++) {
    for (const [name, our, their] of [
      ['bids', ours[b]!.bids, theirs[b]!.bids],
      ['asks', ours[b]!.asks, theirs[b]!.asks],
    ] as const) {
      if (our.depth !== their.length) throw new Error(`book race: book ${b} ${name} depth ${our.depth} (ours) vs ${their.length} (ccxt)`);
      for (let i = 0; i < our.depth; i++) {
        const p = our.priceAt(i) / ps;
        const q = our.sizeAt(i) / ss;
        if (p !== their[i]![0] || q !== their[i]![1]) {
          throw new Error(`book race: book ${b} ${name}[${i}] ours ${p} x ${q}, ccxt ${their[i]![0]} x ${their[i]![1]}`);
        }
      }
    }
  }
}

export interface RaceResult {
  books: number;
  depth: number;
  deltas: number;
  oursPerSec: number;
  ccxtPerSec: number;
  ratio: number;
  oursNsPerDelta: number;
  ccxtNsPerDelta: number;
  meanDepth: number;
}

/** Alternating runs, best of `rounds` each; final states and checksums compared on every run. */
export function race(books: number, depth: number, deltas: number, rounds = 3): RaceResult {
  const s = raceStream(books, depth, deltas);
  let bestOurs = Infinity;
  let bestCcxt = Infinity;
  let meanDepth = 0;
  for (let r = 0; r < rounds; r++) {
    const c = runCcxt(s);
    const o = runOurs(s);
    compareFinal(s, o.books, c.books);
    if (Math.abs(o.run.checksum - c.run.checksum) > 1e-6 * Math.max(1, Math.abs(c.run.checksum))) {
      throw new Error(`book race: best bid/ask reads differ (ours ${o.run.checksum}, ccxt ${c.run.checksum})`);
    }
    bestOurs = Math.min(bestOurs, o.run.ns);
    bestCcxt = Math.min(bestCcxt, c.run.ns);
    meanDepth = o.books.reduce((a, b) => a + b.bids.depth + b.asks.depth, 0) / (2 * books);
  }
  return {
    books, depth, deltas,
    oursPerSec: (deltas * 1e9) / bestOurs,
    ccxtPerSec: (deltas * 1e9) / bestCcxt,
    ratio: bestCcxt / bestOurs,
    oursNsPerDelta: bestOurs / deltas,
    ccxtNsPerDelta: bestCcxt / deltas,
    meanDepth,
  };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const deltas = Number(process.env.BENCH_DELTAS ?? 1_000_000);
  for (const depth of (process.env.BENCH_DEPTHS ?? '50').split(',').map(Number)) {
    const r = race(Number(process.env.BENCH_BOOKS ?? 60), depth, deltas, Number(process.env.BENCH_ROUNDS ?? 3));
    console.log(`depth ${depth} (mean ${r.meanDepth.toFixed(0)}): ours ${(r.oursPerSec / 1e6).toFixed(2)}M/s (${r.oursNsPerDelta.toFixed(0)} ns), ccxt ${(r.ccxtPerSec / 1e6).toFixed(2)}M/s (${r.ccxtNsPerDelta.toFixed(0)} ns), ${r.ratio.toFixed(2)}x`);
  }
}
