/**
 * Bench: Paradex public-feed frame decoding, SBE (a stored 15-level BookEvent,
 * test/fixtures/venues/paradex/sbe/book15-snapshot-2000.sbe.txt) beside the JSON decoder on the same
 * book as a JSON-RPC push. Each decode yields one BookEvent in integer units, as the connector uses it.
 */
import { readFileSync } from 'node:fs';
import { jsonFrameDecoder, type ParadexMarket, type ParadexRoute } from '../../plugins/exchanges/paradex/codec.ts';
import { sbeFrameDecoder } from '../../plugins/exchanges/paradex/sbe/frame-decoder.ts';

export interface DecodeRate {
  framesPerSec: number;
  nsPerFrame: number;
  levelsPerFrame: number;
  bytesPerFrame: number;
}

const FIXTURE = new URL('../../test/fixtures/venues/paradex/sbe/book15-snapshot-2000.sbe.txt', import.meta.url);

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
