/**
 * The SBE decoder on every stored frame (test/fixtures/venues/paradex/sbe/SOURCES.md). Expected values:
 * for the hand-built frames, the values their source project states in each frame's comments and
 * README; for the captured session, the README's counts plus values we hand-decoded from the bytes.
 */
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../../../../engine/market/types.ts';
import { decodeBinary, sbeFrameDecoder } from '../../../../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { BTC, bookFrame, capture, routesFor, sbeTxt } from './sbe-fixtures.ts';

const routes = routesFor(BTC);
const book = (frame: Buffer): BookEvent => {
  const msg = decodeBinary(frame, routes, 42);
  if (msg.kind !== 'book') throw new Error(`expected a book, got ${JSON.stringify(msg)}`);
  return msg.event;
};
// BTC at 1 price decimal and 5 size decimals: 62000.5 -> 620005, 0.25 -> 25000.
const TS_MS = 1_759_500_000_123; // 1759500000123456 µs

describe('SBE BookEvent, hand-built frames (FueledByChai/fueledbychai-rs)', () => {
  it('book-snapshot: SNAPSHOT at 1000, two bids and two asks, venue time from the µs ts', () => {
    expect(book(sbeTxt('book-snapshot.sbe.txt'))).toEqual({
      type: 'snapshot',
      venue: 'paradex',
      symbol: 'BTC-USD-PERP',
      seq: 1000,
      bids: [
        { price: 620005, size: 25000 },
        { price: 620004, size: 100000 },
      ],
      asks: [
        { price: 620010, size: 150000 },
        { price: 620015, size: 200000 },
      ],
      venueTime: TS_MS,
      receivedAt: 42,
    });
  });

  it('book-delta-1001: a DELTA following 1000, size 0 removing bid 62000.4', () => {
    expect(book(sbeTxt('book-delta-1001.sbe.txt'))).toMatchObject({
      type: 'delta',
      seq: 1001,
      prevSeq: 1000,
      bids: [{ price: 620004, size: 0 }],
      asks: [{ price: 620010, size: 125000 }],
    });
  });

  it('book-delta-1002 and 1004: an empty side is an empty list', () => {
    expect(book(sbeTxt('book-delta-1002.sbe.txt'))).toMatchObject({ seq: 1002, prevSeq: 1001, bids: [{ price: 620006, size: 50000 }], asks: [] });
    expect(book(sbeTxt('book-delta-1004.sbe.txt'))).toMatchObject({ seq: 1004, prevSeq: 1003, bids: [], asks: [{ price: 620015, size: 0 }] });
  });

  it('book-longer-entries: 24-byte group entries are stepped by the group blockLength, the 8 unknown bytes skipped', () => {
    expect(book(sbeTxt('book-longer-entries.sbe.txt'))).toMatchObject({
      seq: 1003,
      bids: [
        { price: 620005, size: 25000 },
        { price: 620004, size: 0 },
      ],
      asks: [{ price: 620010, size: 150000 }],
    });
  });

  it('book15-snapshot-2000: 15 levels a side, 62000 down and 62000.5 up by 0.5, sizes 0.1 to 1.5', () => {
    const e = book(sbeTxt('book15-snapshot-2000.sbe.txt'));
    expect(e.type).toBe('snapshot');
    expect(e.bids.map((l) => l.price)).toEqual(Array.from({ length: 15 }, (_, i) => 620000 - 5 * i));
    expect(e.asks.map((l) => l.price)).toEqual(Array.from({ length: 15 }, (_, i) => 620005 + 5 * i));
    expect(e.bids.map((l) => l.size)).toEqual(Array.from({ length: 15 }, (_, i) => 10000 * (i + 1)));
    expect(e.asks.map((l) => l.size)).toEqual(e.bids.map((l) => l.size));
  });

  it('heartbeat: a heartbeat message with its venue time, no book', () => {
    expect(decodeBinary(sbeTxt('heartbeat.sbe.txt'), routes, 0)).toEqual({ kind: 'heartbeat', venueTime: TS_MS });
  });
});

describe('SBE BookEvent, the captured production session of 2026-10-08', () => {
  const frames = capture('btc-order-book-deltas-2026-10-08.head.jsonl');

  it('the ack is a JSON text frame naming the bare deltas channel; the SBE decoder hands it to the JSON decoder', () => {
    const first = frames[0]!;
    expect('text' in first).toBe(true);
    expect(sbeFrameDecoder.decode((first as { text: string }).text, routes, 0)).toEqual({ kind: 'ack', id: 1, channel: 'order_book.BTC-USD-PERP.deltas' });
  });

  it('opens with a whole-book snapshot (115 bids, 60 asks), then deltas at consecutive seqs', () => {
    const events = frames.slice(1).map((f) => book((f as { binary: Buffer }).binary));
    const [snap, ...deltas] = events;
    // README: "a SNAPSHOT of the whole book (115 bids and 60 asks) ... from 7687289234".
    expect(snap).toMatchObject({ type: 'snapshot', seq: 7_687_289_234 });
    expect([snap!.bids.length, snap!.asks.length]).toEqual([115, 60]);
    // Hand-decoded from the first binary frame: ts 1791421535318000 µs, best bid 8347220000000 x 1198000
    // (83472.2 x 0.01198), best ask 8348720000000 x 15000 (83487.2 x 0.00015).
    expect(snap!.venueTime).toBe(1_791_421_535_318);
    expect(snap!.bids[0]).toEqual({ price: 834722, size: 1198 });
    expect(snap!.asks[0]).toEqual({ price: 834872, size: 15 });
    expect(deltas).toHaveLength(50);
    deltas.forEach((d, i) => expect(d).toMatchObject({ type: 'delta', seq: 7_687_289_235 + i, prevSeq: 7_687_289_234 + i }));
    // Empty deltas (both groups empty) advance the seq: the venue shares it with other updates.
    expect(deltas.filter((d) => d.bids.length === 0 && d.asks.length === 0).length).toBeGreaterThan(10);
    // Hand-decoded from the second binary frame (bytes 101..117): one bid, price 8341220000000, size 19000
    // (83412.2 x 0.00019); no asks.
    expect(deltas[0]).toMatchObject({ bids: [{ price: 834122, size: 19 }], asks: [] });
  });

  it('a frame for a market without a route is unrouted, not applied to another book', () => {
    const other = routesFor({ ...BTC, info: { ...BTC.info, symbol: 'ETH-USD-PERP' } });
    expect(decodeBinary(bookFrame({ seq: 1 }), other, 0)).toMatchObject({ kind: 'unrouted' });
  });
});
