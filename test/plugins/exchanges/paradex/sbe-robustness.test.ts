/**
 * The SBE decoder's forward compatibility and its handling of bad frames. Frames are the stored
 * hand-built ones, edited, or hand-encoded from paradex_1_0.xml (sbe-fixtures.ts).
 */
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { decodeBinary } from '../../../../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { int64OrNull, microsToMillis } from '../../../../plugins/exchanges/paradex/sbe/reader.ts';
import { BTC, ETH, Frame, INT64_MIN, bookFrame, fundingFrame, routesFor, sbeTxt } from './sbe-fixtures.ts';

const routes = routesFor(BTC, ETH);
const decode = (frame: Buffer) => decodeBinary(frame, routes, 0);
const fieldOf = (frame: Buffer): string => {
  try {
    decode(frame);
  } catch (err) {
    if (err instanceof WireFormatError) return `${err.field}: ${err.problem}${err.symbol ? ` [${err.symbol}]` : ''}`;
    throw err;
  }
  throw new Error('decoded without error');
};

describe('forward compatibility (schema: appended fields, "unknown templateIds must be skipped")', () => {
  it('a newer version with a longer root block is read by the header blockLength, not the compiled 89', () => {
    const longer = bookFrame({ seq: 5, snapshot: true, bids: [[6_200_000_000_000n, 10_000_000]], asks: [[6_200_050_000_000n, 20_000_000]], version: 3, extraRoot: 8 });
    expect(longer.readUInt16LE(0)).toBe(97);
    expect(decode(longer)).toMatchObject({ kind: 'book', event: { seq: 5, bids: [{ price: 620000, size: 10_000 }], asks: [{ price: 620005, size: 20_000 }] } });
  });

  it('var data a newer version appends after market is ignored', () => {
    const base = bookFrame({ seq: 6, bids: [[6_200_000_000_000n, 0]] });
    const appended = Buffer.concat([base, new Frame().str('28-digit-trade-id-string').build()]);
    expect(decode(appended)).toEqual(decode(base));
  });

  it('unknown and unused templates are skipped with their id, not errors', () => {
    expect(decode(new Frame().header(16, 99, 3).i64(1).i64(2).build())).toEqual({ kind: 'skipped', templateId: 99, version: 3 });
    expect(decode(new Frame().header(0, 2).build())).toEqual({ kind: 'skipped', templateId: 2, version: 1 });
  });

  it('a different schema id (a breaking change) is refused by name', () => {
    expect(fieldOf(new Frame().header(16, 40, 0, 2).i64(1).i64(2).build())).toMatch(/^sbe\.header\.schemaId: is 2/);
  });
});

describe('values', () => {
  it('INT64_MIN is the null sentinel; a required price that is null is a named error for that market', () => {
    const buf = new Frame().i64(INT64_MIN).i64(-1).build();
    expect(int64OrNull(buf, 0, 'x')).toBeNull();
    expect(int64OrNull(buf, 8, 'x')).toBe(-1);
    expect(fieldOf(bookFrame({ seq: 1, bids: [[INT64_MIN, 1]] }))).toBe('sbe.bids[0].price: is null (INT64_MIN) but the schema makes it required [BTC-USD-PERP]');
  });

  it('beyond 2^53 is refused, never rounded', () => {
    expect(fieldOf(bookFrame({ seq: 1, asks: [[2n ** 60n, 1]] }))).toMatch(/^sbe\.asks\[0\]\.price: exceeds 2\^53/);
  });

  it('a price finer than the market tick, a negative size, a zero price: named errors', () => {
    expect(fieldOf(bookFrame({ seq: 1, bids: [[6_200_000_000_001n, 1000]] }))).toBe('sbe.bids[0].price: 62000.00000001 has more than the market\'s 1 decimals [BTC-USD-PERP]');
    expect(fieldOf(bookFrame({ seq: 1, asks: [[6_200_000_000_000n, -1000]] }))).toMatch(/^sbe\.asks\[0\]\.size: must not be negative/);
    expect(fieldOf(bookFrame({ seq: 1, bids: [[0, 1000]] }))).toMatch(/^sbe\.bids\[0\]\.price: must be positive/);
  });

  it('a market with more decimals than the venue 8 keeps the exact value', () => {
    const nine = { ...ETH, info: { ...ETH.info, symbol: 'NINE-USD-PERP', priceDecimals: 9 } };
    expect(decodeBinary(bookFrame({ seq: 1, market: 'NINE-USD-PERP', bids: [[123, 5_000_000]] }), routesFor(nine), 0)).toMatchObject({
      event: { bids: [{ price: 1230, size: 500 }] },
    });
  });

  it('µs timestamps become ms by integer arithmetic', () => {
    expect(microsToMillis(1_791_421_535_318_999)).toBe(1_791_421_535_318);
    expect(microsToMillis(-1)).toBe(-1);
  });
});

describe('FundingDataEvent (template 5)', () => {
  it('Rate8 funding rate as an exact decimal string, period hours, createdAt as venue time', () => {
    expect(decode(fundingFrame({ rate: 1234, hours: 8, createdAtUs: 1_759_500_000_000_777 }))).toEqual({
      kind: 'funding',
      event: { venue: 'paradex', symbol: 'BTC-USD-PERP', rate: '0.00001234', intervalHours: 8, venueTime: 1_759_500_000_000, receivedAt: 0 },
    });
    expect(decode(fundingFrame({ rate: -5000, hours: 1, createdAtUs: 0, version: 0 }))).toMatchObject({ event: { rate: '-0.00005', intervalHours: 1 } });
  });

  it('a zero period falls back to /markets, and is a named error where /markets has none', () => {
    expect(decode(fundingFrame({ rate: 1, hours: 0, createdAtUs: 0 }))).toMatchObject({ event: { intervalHours: 8 } });
    expect(fieldOf(fundingFrame({ rate: 1, hours: 0, createdAtUs: 0, market: 'ETH-USD-PERP' }))).toMatch(/^sbe\.fundingPeriodHours: is 0 here and \/markets has none \[ETH-USD-PERP\]/);
  });
});

describe('truncated and garbage frames', () => {
  const frames = ['book-snapshot.sbe.txt', 'book15-snapshot-2000.sbe.txt', 'book-longer-entries.sbe.txt', 'heartbeat.sbe.txt'].map(sbeTxt);
  frames.push(fundingFrame({ rate: 1, hours: 8, createdAtUs: 0 }));

  it('every truncation of every frame is a WireFormatError naming a field, never a RangeError', () => {
    for (const frame of frames) {
      for (let n = 0; n < frame.length; n++) {
        const cut = frame.subarray(0, n);
        let err: unknown;
        try {
          decode(cut);
        } catch (e) {
          err = e;
        }
        expect(err, `cut at ${n} of ${frame.length}`).toBeInstanceOf(WireFormatError);
        expect((err as WireFormatError).field).toMatch(/^sbe\./);
      }
    }
  });

  it('random bytes decode, are skipped or unrouted, or fail as WireFormatError', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) >>> 8) & 0xff;
    for (let i = 0; i < 2000; i++) {
      const frame = Buffer.from(Array.from({ length: 1 + (next() % 160) }, next));
      // Half the cases keep a valid header for a known template so the body parsers are exercised.
      if (i % 2 === 0 && frame.length >= 8) frame.writeUInt32LE(i % 4 === 0 ? 0x00030059 : 0x0005003a, 0), frame.writeUInt32LE(0x00010001, 4);
      try {
        decode(frame);
      } catch (e) {
        expect(e).toBeInstanceOf(WireFormatError);
      }
    }
  });
});

describe('text frames on an SBE socket', () => {
  it('book data as JSON text is refused (only control frames are text once SBE is negotiated)', async () => {
    const { sbeFrameDecoder } = await import('../../../../plugins/exchanges/paradex/sbe/frame-decoder.ts');
    const { fixtureText } = await import('../../../fixtures/venues/corpus.ts');
    const { PARADEX } = await import('../../../../plugins/exchanges/paradex/codec.ts');
    const market = { info: { venue: PARADEX, symbol: 'BTC-USD-PERP', priceDecimals: 1, sizeDecimals: 3, tickSize: '0.1', sizeIncrement: '0.001' } };
    const routes = new Map([['order_book.BTC-USD-PERP.snapshot@15@50ms', { kind: 'book' as const, market }]]);
    const text = fixtureText('paradex', 'ws/order-book-snapshot-btc-ccxt.json');
    expect(() => sbeFrameDecoder.decode(text, routes, 0)).toThrow(/JSON text, but SBE was negotiated/);
    const ack = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { channel: 'order_book.BTC-USD-PERP.deltas' } });
    expect(sbeFrameDecoder.decode(ack, routes, 0).kind).toBe('ack');
  });
});
