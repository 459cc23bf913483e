/**
 * Bench: Paradex public-feed frame decoding, SBE (a stored 15-level BookEvent,
 * test/fixtures/venues/paradex/sbe/book15-snapshot-2000.sbe.txt) beside the JSON decoder on the same
 * book as a JSON-RPC push. Each decode yields one BookEvent in integer units, as the connector uses it.
 */
import { readFileSync } from 'node:fs';
import { ManualClock } from '../engine/core/clock.ts';
import { silentLogger } from '../engine/core/logger.ts';
import { MarketDataHub } from '../engine/market/hub.ts';
import { encodeBookEvent } from '../simulators/paradex/sbe/messages.ts';
import { raceStream } from './book-race.ts';
import { jsonFrameDecoder, type ParadexMarket, type ParadexRoute } from '../plugins/exchanges/paradex/codec.ts';
import { sbeFrameDecoder } from '../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { toUnits } from '../engine/market/units.ts';

export interface DecodeRate {
  framesPerSec: number;
  nsPerFrame: number;
  levelsPerFrame: number;
  bytesPerFrame: number;
}

const FIXTURE = new URL('../test/fixtures/venues/paradex/sbe/book15-snapshot-2000.sbe.txt', import.meta.url);

function fixtureFrame(): Buffer {
  const text = readFileSync(FIXTURE, 'utf8');
  return Buffer.from(text.replace(/#.*$/gm, '').replace(/\s+/g, ''), 'hex');
}

const BTC: ParadexMarket = {
  info: { venue: 'paradex', symbol: 'BTC-USD-PERP', priceDecimals: 1, sizeDecimals: 5, tickSize: '0.1', sizeIncrement: '0.00001', minSize: '0.00001' },
};

function jsonFrame(): string {
  const inserts = [];
  for (let i = 0; i < 15; i++) inserts.push({ side: 'BUY', price: (62000 - 0.5 * i).toFixed(1), size: (0.1 * (i + 1)).toFixed(1) });
  for (let i = 0; i < 15; i++) inserts.push({ side: 'SELL', price: (62000.5 + 0.5 * i).toFixed(1), size: (0.1 * (i + 1)).toFixed(1) });
  const data = { seq_no: 2000, market: 'BTC-USD-PERP', last_updated_at: 1_759_500_000_123, update_type: 's', inserts, updates: [], deletes: [] };
  return JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel: 'order_book.BTC-USD-PERP.deltas@15@50ms', data } });
}

function rate(frames: number, run: () => number, bytes: number): DecodeRate {
  const start = process.hrtime.bigint();
  let levels = 0;
  for (let i = 0; i < frames; i++) levels += run();
  const ns = Number(process.hrtime.bigint() - start);
  return { framesPerSec: (frames * 1e9) / ns, nsPerFrame: ns / frames, levelsPerFrame: levels / frames, bytesPerFrame: bytes };
}

export function benchSbeDecode(frames = 500_000): { sbe: DecodeRate; json: DecodeRate } {
  const sbe = fixtureFrame();
  const json = jsonFrame();
  const sbeRoutes = new Map<string, ParadexRoute>([['order_book.BTC-USD-PERP.deltas', { kind: 'book', market: BTC }]]);
  const jsonRoutes = new Map<string, ParadexRoute>([['order_book.BTC-USD-PERP.deltas@15@50ms', { kind: 'book', market: BTC }]]);
  const levelsOf = (m: ReturnType<typeof sbeFrameDecoder.decode>): number => {
    if (m.kind !== 'book') throw new Error(`bench frame did not decode to a book: ${m.kind}`);
    return m.event.bids.length + m.event.asks.length;
  };
  const runSbe = () => levelsOf(sbeFrameDecoder.decode(sbe, sbeRoutes, 0));
  const runJson = () => levelsOf(jsonFrameDecoder.decode(json, jsonRoutes, 0));
  rate(Math.min(frames, 50_000), runSbe, sbe.length); // warm-up
  rate(Math.min(frames, 20_000), runJson, json.length);
  // Best of 5 runs: the figure is the decoder's, not a neighbour process's.
  const best = (runs: DecodeRate[]) => runs.reduce((a, b) => (b.nsPerFrame < a.nsPerFrame ? b : a));
  const sbeRuns: DecodeRate[] = [];
  const jsonRuns: DecodeRate[] = [];
  for (let i = 0; i < 5; i++) {
    sbeRuns.push(rate(Math.ceil(frames / 5), runSbe, sbe.length));
    jsonRuns.push(rate(Math.max(1, Math.ceil(frames / 25)), runJson, Buffer.byteLength(json)));
  }
  return { sbe: best(sbeRuns), json: best(jsonRuns) };
}

export interface AppliedRate {
  frames: number;
  levelsPerFrame: number;
  updatesPerSec: number;
  nsPerUpdate: number;
}

/**
 * Binary frames to applied book updates: the book race's delta stream (60 markets, 3 levels per
 * delta) encoded as SBE BookEvent frames by the simulator's encoder, each decoded by the
 * connector's decoder and applied by the hub (continuity check, book update, crossed check).
 * Best of `rounds`; every round starts from the snapshots.
 */
export function benchSbeApplied(deltas = 1_000_000, rounds = 3): AppliedRate {
  const s = raceStream(60, 50, deltas, 11);
  const mantissa = (units: number, decimals: number) => BigInt(units) * 10n ** BigInt(8 - decimals);
  const markets = s.markets.map((m) => ({ ...m, venue: 'paradex', symbol: `M${m.symbol.slice(1)}-USD-PERP` }));
  const routes = new Map<string, ParadexRoute>(markets.map((m) => [`order_book.${m.symbol}.deltas`, { kind: 'book', market: { info: m } }]));
  const snapshots: Buffer[] = [];
  const price = (b: number, side: number, k: number) => (side === 0 ? s.center[b]! - 1 - k : s.center[b]! + 1 + k);
  const sizeUnits = (i: number) => toUnits(s.sizeText[i]!, 5);
  for (let b = 0; b < s.books; b++) {
    const side = (sd: number) => Array.from({ length: s.depth }, (_, k) => ({ price: mantissa(price(b, sd, k), 2), size: mantissa(sizeUnits(s.snapSize[(b * 2 + sd) * s.depth + k]!), 5) }));
    snapshots.push(Buffer.from(encodeBookEvent({ ts: 1_000_000n, seq: 1n, pkgType: 'snapshot', bids: side(0), asks: side(1), market: markets[b]!.symbol }, 1)));
  }
  const seq = new Array<number>(s.books).fill(1);
  const frames: Buffer[] = [];
  let levels = 0;
  for (let d = 0; d < deltas; d++) {
    const b = s.deltaBook[d]!;
    const bids: { price: bigint; size: bigint }[] = [];
    const asks: { price: bigint; size: bigint }[] = [];
    for (let l = 0; l < s.levelsPerDelta; l++) {
      const j = d * s.levelsPerDelta + l;
      const e = { price: mantissa(price(b, s.levelSide[j]!, s.levelK[j]!), 2), size: mantissa(sizeUnits(s.levelSize[j]!), 5) };
      (s.levelSide[j] === 0 ? bids : asks).push(e);
      levels++;
    }
    seq[b]!++;
    frames.push(Buffer.from(encodeBookEvent({ ts: BigInt(1_000_000 + d * 1000), seq: BigInt(seq[b]!), pkgType: 'delta', bids, asks, market: markets[b]!.symbol }, 1)));
  }
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const hub = new MarketDataHub(new ManualClock(0), silentLogger, { maxBookAgeMs: 5000 });
    hub.addVenue('paradex', markets, () => {});
    for (const f of snapshots) {
      const m = sbeFrameDecoder.decode(f, routes, 0);
      if (m.kind !== 'book') throw new Error('bench snapshot did not decode to a book');
      hub.onBook(m.event);
    }
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < frames.length; i++) {
      const m = sbeFrameDecoder.decode(frames[i]!, routes, i);
      if (m.kind === 'book') hub.onBook(m.event);
    }
    best = Math.min(best, Number(process.hrtime.bigint() - t0));
    if (hub.counters.deltas !== deltas || hub.counters.gaps !== 0) throw new Error(`bench: ${hub.counters.deltas} of ${deltas} SBE deltas applied, ${hub.counters.gaps} gaps`);
  }
  return { frames: deltas, levelsPerFrame: levels / deltas, updatesPerSec: (deltas * 1e9) / best, nsPerUpdate: best / deltas };
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const a = benchSbeApplied(Number(process.env.BENCH_DELTAS ?? 500_000));
  console.log(`SBE delta frames -> applied: ${(a.updatesPerSec / 1e6).toFixed(2)}M updates/s, ${a.nsPerUpdate.toFixed(0)} ns, ${a.levelsPerFrame} levels/frame`);
  const d = benchSbeDecode(200_000);
  console.log(`15-level frame decode ${d.sbe.nsPerFrame.toFixed(0)} ns`);
}
