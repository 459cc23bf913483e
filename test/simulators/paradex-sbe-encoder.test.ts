/**
 * The simulator's Paradex SBE encoder against real frames: each captured production frame is
 * read with the test's own reader (sbe-reader.ts), its values re-encoded by the simulator, and
 * the bytes compared whole. Any layout slip (field order, a missing or extra byte, endianness,
 * the null sentinel, the group header, the string prefix) changes the bytes.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bookDeltaFrame, mantissa, micros } from '../../simulators/paradex/sbe/frames.ts';
import { encodeBboEvent, encodeBookEvent, encodeFundingDataEvent, encodeHeartbeatEvent } from '../../simulators/paradex/sbe/messages.ts';
import { venueInstrument } from '../../simulators/instruments.ts';
import { resolveInstruments } from '../../simulators/instruments.ts';
import { readBboEvent, readBookEvent, readCapture, readFundingDataEvent, readHeader, readHeartbeatEvent, readHexFrame } from './sbe-reader.ts';

const H1_SBE = 'test/fixtures/venues/paradex/sbe';
const BOOK_CAPTURE = `${H1_SBE}/btc-order-book-deltas-2026-10-08.head.jsonl`;
const BBO_CAPTURE = 'test/simulators/fixtures/paradex-sbe/btc-bbo-2026-10-08.head.jsonl';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('paradex SBE encoder vs captured production frames', () => {
  it('re-encodes every captured order_book.BTC-USD-PERP.deltas BookEvent byte for byte', () => {
    const frames = readCapture(BOOK_CAPTURE);
    const books = frames.filter((f) => f.binary).map((f) => f.binary as Uint8Array);
    expect(books.length).toBeGreaterThan(10);
    const first = readBookEvent(books[0] as Uint8Array);
    // The session opens with a snapshot of the whole book (115 bids, 60 asks), then deltas at seq + 1 each.
    expect(first.pkgType).toBe(0);
    expect([first.bids.length, first.asks.length]).toEqual([115, 60]);
    books.forEach((bytes, k) => {
      const e = readBookEvent(bytes);
      expect(e.header).toEqual({ blockLength: 89, templateId: 3, schemaId: 1, version: 1 });
      expect(e.end).toBe(bytes.length);
      expect(e.touch.every((t) => t === null)).toBe(true); // non-interactive feed: all null
      expect(e.seq).toBe(first.seq + BigInt(k));
      const again = encodeBookEvent({ ts: e.ts, seq: e.seq, pkgType: e.pkgType === 0 ? 'snapshot' : 'delta', bids: e.bids, asks: e.asks, market: e.market }, e.header.version);
      expect(hex(again)).toBe(hex(bytes));
    });
  });

  it('re-encodes every captured bbo.BTC-USD-PERP BboEvent byte for byte', () => {
    const bbos = readCapture(BBO_CAPTURE).filter((f) => f.binary).map((f) => f.binary as Uint8Array);
    expect(bbos).toHaveLength(5);
    for (const bytes of bbos) {
      const e = readBboEvent(bytes);
      expect(e.header).toEqual({ blockLength: 48, templateId: 2, schemaId: 1, version: 1 });
      expect(e.end).toBe(bytes.length);
      const again = encodeBboEvent({ ts: e.ts, seq: e.seq, bidPrice: e.bidPrice, bidSize: e.bidSize, askPrice: e.askPrice, askSize: e.askSize, market: e.market }, 1);
      expect(hex(again)).toBe(hex(bytes));
    }
  });

  it('acknowledges subscriptions as JSON text on the SBE socket (the capture opens with one)', () => {
    const [ack] = readCapture(BOOK_CAPTURE);
    expect(JSON.parse(ack?.text ?? 'null')).toMatchObject({ jsonrpc: '2.0', id: 1, result: { channel: 'order_book.BTC-USD-PERP.deltas' } });
  });
});

describe('paradex SBE encoder vs frames hand-built from the schema by a third party', () => {
  // FueledByChai/fueledbychai-rs fixtures/paradex/md/*.sbe.txt (hand-built, commented hex), as stored by H1.
  const file = (name: string) => `${H1_SBE}/${name}`;

  it.runIf(existsSync(file('heartbeat.sbe.txt')))('HeartbeatEvent: 16-byte block, ts and seq', () => {
    const bytes = readHexFrame(file('heartbeat.sbe.txt'));
    const e = readHeartbeatEvent(bytes);
    expect(hex(encodeHeartbeatEvent({ ts: e.ts, seq: e.seq }, e.header.version))).toBe(hex(bytes));
  });

  for (const name of ['book-snapshot.sbe.txt', 'book-delta-1001.sbe.txt', 'book-delta-1002.sbe.txt']) {
    it.runIf(existsSync(file(name)))(`BookEvent ${name}`, () => {
      const bytes = readHexFrame(file(name));
      const e = readBookEvent(bytes);
      const again = encodeBookEvent({ ts: e.ts, seq: e.seq, pkgType: e.pkgType === 0 ? 'snapshot' : 'delta', bids: e.bids, asks: e.asks, market: e.market }, e.header.version);
      expect(hex(again)).toBe(hex(bytes));
    });
  }
});

describe('paradex SBE encoder: layouts no capture covers', () => {
  const event = {
    ts: 1_791_421_923_325_000n,
    seq: 42n,
    fundingRate: 1_250n,
    fundingIndex: 0n,
    createdAt: 1_791_421_923_325_000n,
    fundingPremium: -300n,
    fundingRate8h: 1_250n,
    fundingPeriodHours: 8,
    impactPremiumRate: null,
    market: 'ETH-USD-PERP',
  };

  it('FundingDataEvent: 66-byte block at version 1 with impactPremiumRate null, 58 at version 0 without it', () => {
    const v1 = encodeFundingDataEvent(event, 1);
    expect(readHeader(v1)).toEqual({ blockLength: 66, templateId: 5, schemaId: 1, version: 1 });
    expect(v1.length).toBe(8 + 66 + 1 + 12);
    expect(readFundingDataEvent(v1)).toMatchObject({ ...event, end: v1.length });
    // fundingPeriodHours is an int16 at block offset 56; impactPremiumRate the INT64_MIN after it.
    expect(hex(v1.subarray(8 + 56, 8 + 66))).toBe('0800' + '0000000000000080');
    const v0 = encodeFundingDataEvent(event, 0);
    expect(readHeader(v0)).toEqual({ blockLength: 58, templateId: 5, schemaId: 1, version: 0 });
    expect(readFundingDataEvent(v0)).toMatchObject({ fundingRate: 1_250n, fundingPremium: -300n, impactPremiumRate: undefined, market: 'ETH-USD-PERP', end: v0.length });
  });

  it('BboEvent: an empty side is INT64_MIN price and size', () => {
    const bytes = encodeBboEvent({ ts: 1n, seq: 2n, bidPrice: 100n, bidSize: 5n, askPrice: null, askSize: null, market: 'BTC-USD-PERP' }, 1);
    expect(readBboEvent(bytes)).toMatchObject({ askPrice: null, askSize: null, bidPrice: 100n });
  });

  it('book units scale exactly to exponent -8 and ms to µs; a removed level goes out at size 0', () => {
    const [seed] = resolveInstruments(['BTC']);
    const btc = venueInstrument('paradex', seed!, 0);
    expect(mantissa(842_227, 1)).toBe(8_422_270_000_000n); // 84222.7 at 1 decimal
    expect(mantissa(15, 5)).toBe(15_000n); // 0.00015
    expect(micros(1_791_421_923_325)).toBe(1_791_421_923_325_000n);
    const frame = bookDeltaFrame(
      btc,
      [
        { side: 'bid', kind: 'delete', price: 10 ** btc.priceDecimals, size: 0 },
        { side: 'ask', kind: 'update', price: 2 * 10 ** btc.priceDecimals, size: 3 },
      ],
      7,
      1000,
      1,
    );
    const e = readBookEvent(frame);
    expect(e).toMatchObject({ seq: 7n, pkgType: 1, ts: 1_000_000n, market: 'BTC-USD-PERP', end: frame.length });
    expect(e.bids).toEqual([{ price: 100_000_000n, size: 0n }]);
    expect(e.asks).toEqual([{ price: 200_000_000n, size: mantissa(3, btc.sizeDecimals) }]);
    expect(() => mantissa(1.5, 2)).toThrow(/integer/);
    expect(() => mantissa(1, 9)).toThrow(/exponent/);
  });
});
