/**
 * The SBE decoders for the public templates the connector does not route (yet): BboEvent, TradeEvent,
 * MarketSummaryEvent, FundingRateComparisonEvent. Expected values: for FueledByChai/fueledbychai-rs's
 * hand-built frames, the values their comments state; for the captured BBO session (Paradex production,
 * 2026-10-08, stored by H2 under test/simulators/fixtures/paradex-sbe/), values hand-decoded from the
 * bytes (listed below); FundingRateComparisonEvent has no published frame, so it is built by hand from
 * paradex_1_0.xml's layout (named so in each test). Provenance: test/fixtures/venues/paradex/sbe/SOURCES.md.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { decodeBbo } from '../../../../plugins/exchanges/paradex/sbe/bbo.ts';
import { decodeBinary } from '../../../../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { decodeFundingRateComparison } from '../../../../plugins/exchanges/paradex/sbe/funding-rate-comparison.ts';
import { readHeader, type SbeHeader } from '../../../../plugins/exchanges/paradex/sbe/header.ts';
import { decodeMarketSummary } from '../../../../plugins/exchanges/paradex/sbe/market-summary.ts';
import { decodePublicFrame } from '../../../../plugins/exchanges/paradex/sbe/public-frame.ts';
import { rootMarket } from '../../../../plugins/exchanges/paradex/sbe/root-market.ts';
import { decodeTrade } from '../../../../plugins/exchanges/paradex/sbe/trade.ts';
import { encodeBboEvent } from '../../../../simulators/paradex/sbe/messages.ts';
import { BTC, ETH, Frame, INT64_MIN, routesFor, sbeTxt } from './sbe-fixtures.ts';

const TS_MS = 1_759_500_000_123; // 1759500000123456 µs, the hand-built frames' ts

const bbo = (frame: Buffer, market = BTC) => decodeBbo(frame, readHeader(frame), market, 42);
const trade = (frame: Buffer) => decodeTrade(frame, readHeader(frame), BTC, 42);
const summary = (frame: Buffer) => {
  const header = readHeader(frame);
  return decodeMarketSummary(frame, header, rootMarket(frame, header), 42);
};

/** Every cut of a frame, decoded with the full frame's header: only named WireFormatErrors, never a RangeError. */
function everyTruncationIsNamed(frame: Buffer, decode: (buf: Buffer, header: SbeHeader) => unknown): void {
  const header = readHeader(frame);
  for (let cut = 0; cut < frame.length; cut++) {
    const part = frame.subarray(0, cut);
    let error: unknown;
    try {
      decode(part, header);
      rootMarket(part, header);
    } catch (err) {
      error = err;
    }
    expect(error, `cut at ${cut}`).toBeInstanceOf(WireFormatError);
    expect((error as WireFormatError).field, `cut at ${cut}`).toMatch(/^sbe\.\w+/);
  }
}

describe('BboEvent', () => {
  it('bbo.sbe.txt: bid 62000.5 x 0.25, ask 62001 x 1.5 in book units (BTC: 1 price, 5 size decimals)', () => {
    const frame = sbeTxt('bbo.sbe.txt');
    expect(rootMarket(frame, readHeader(frame))).toBe('BTC-USD-PERP');
    expect(bbo(frame)).toEqual({
      venue: 'paradex',
      symbol: 'BTC-USD-PERP',
      seq: 1001,
      bid: { price: 620005, size: 25000 },
      ask: { price: 620010, size: 150000 },
      venueTime: TS_MS,
      receivedAt: 42,
    });
  });

  it('bbo-ask-empty.sbe.txt: null ask price and size are an empty side (null), not a zero price', () => {
    expect(bbo(sbeTxt('bbo-ask-empty.sbe.txt'))).toMatchObject({ bid: { price: 620005, size: 25000 }, ask: null });
  });

  it('bbo-longer-block.sbe.txt: a 56-byte block is read by its blockLength (market after the 8 unknown bytes)', () => {
    const frame = sbeTxt('bbo-longer-block.sbe.txt');
    expect(rootMarket(frame, readHeader(frame))).toBe('BTC-USD-PERP');
    expect(bbo(frame)).toEqual(bbo(sbeTxt('bbo.sbe.txt')));
  });

  it('the captured production session (btc-bbo-2026-10-08, first 5 frames) decodes to the hand-decoded quotes', () => {
    const lines = readFileSync(new URL('../../../simulators/fixtures/paradex-sbe/btc-bbo-2026-10-08.head.jsonl', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { opcode: string; b64?: string });
    const frames = lines.filter((l) => l.opcode === 'binary').map((l) => Buffer.from(l.b64!, 'base64'));
    // Hand-decoded (int64 LE at 8+16.. of each 69-byte frame): bid 8342270000000 x 15000 = 83422.7 x 0.00015,
    // ask 8345290000000 x 31000 = 83452.9 x 0.00031; frames 2 and 4 bid 83435.5 / 83422.8 x 0.01199; seq 7687292574 was not sent.
    expect(frames.map((f) => bbo(f))).toMatchObject([
      { seq: 7687292570, bid: { price: 834227, size: 15 }, ask: { price: 834529, size: 31 }, venueTime: 1_791_421_923_325 },
      { seq: 7687292571, bid: { price: 834355, size: 1199 }, ask: { price: 834529, size: 31 }, venueTime: 1_791_421_923_325 },
      { seq: 7687292572, bid: { price: 834227, size: 15 }, ask: { price: 834529, size: 31 }, venueTime: 1_791_421_923_400 },
      { seq: 7687292573, bid: { price: 834228, size: 1199 }, ask: { price: 834529, size: 31 }, venueTime: 1_791_421_923_400 },
      { seq: 7687292575, bid: { price: 834227, size: 15 }, ask: { price: 834529, size: 31 }, venueTime: 1_791_421_923_444 },
    ]);
    for (const f of frames) expect(rootMarket(f, readHeader(f))).toBe('BTC-USD-PERP');
  });

  it("agrees with the simulator's independent encoder, null sides included, at version 0 and 1", () => {
    for (const version of [0, 1]) {
      const frame = Buffer.from(
        encodeBboEvent({ ts: 1_759_500_000_500_000n, seq: 9n, bidPrice: 250_012_000_000n, bidSize: 12_340_000n, askPrice: null, askSize: null, market: 'ETH-USD-PERP' }, version),
      );
      expect(rootMarket(frame, readHeader(frame))).toBe('ETH-USD-PERP');
      expect(bbo(frame, ETH)).toEqual({ venue: 'paradex', symbol: 'ETH-USD-PERP', seq: 9, bid: { price: 250012, size: 1234 }, ask: null, venueTime: 1_759_500_000_500, receivedAt: 42 });
    }
  });

  it('refuses by name: a price with a null size, a sub-tick price, a short block, every truncation', () => {
    const sizeless = Buffer.from(sbeTxt('bbo.sbe.txt'));
    sizeless.writeBigInt64LE(INT64_MIN, 8 + 24);
    expect(() => bbo(sizeless)).toThrow(/sbe\.bidSize is null but bidPrice is set/);
    const subTick = Buffer.from(sbeTxt('bbo.sbe.txt'));
    subTick.writeBigInt64LE(6_200_050_000_001n, 8 + 16);
    expect(() => bbo(subTick)).toThrow(/sbe\.bidPrice .* more than the market's 1 decimals/);
    const short = Buffer.from(sbeTxt('bbo.sbe.txt'));
    short.writeUInt16LE(40, 0);
    expect(() => bbo(short)).toThrow(/sbe\.header\.blockLength is 40; a BboEvent needs 48/);
    everyTruncationIsNamed(sbeTxt('bbo.sbe.txt'), (b, h) => decodeBbo(b, h, BTC, 0));
  });
});

describe('TradeEvent (hand-built frames: no captured trade is published)', () => {
  const expected = {
    venue: 'paradex',
    symbol: 'BTC-USD-PERP',
    seq: 1002,
    tradeId: '4242',
    side: 'sell',
    price: 620000,
    size: 12500,
    tradeType: 'fill',
    venueTime: 1_759_500_000_120, // createdAt 1759500000120001 µs, the matching engine's time
    publishedAt: TS_MS,
    receivedAt: 42,
  };

  it('trade.sbe.txt: SELL 0.125 at 62000, FILL, engine time from createdAt, publish time from ts', () => {
    const frame = sbeTxt('trade.sbe.txt');
    expect(rootMarket(frame, readHeader(frame))).toBe('BTC-USD-PERP');
    expect(trade(frame)).toEqual(expected);
  });

  it('trade-longer-block.sbe.txt: a 58-byte block and appended var data after market are skipped', () => {
    const frame = sbeTxt('trade-longer-block.sbe.txt');
    expect(rootMarket(frame, readHeader(frame))).toBe('BTC-USD-PERP');
    expect(trade(frame)).toEqual(expected);
  });

  it('tradeId beyond 2^53 stays exact (a string from the int64, not a Number)', () => {
    const frame = Buffer.from(sbeTxt('trade.sbe.txt'));
    frame.writeBigInt64LE(9_007_199_254_740_993n, 8 + 16);
    expect(trade(frame).tradeId).toBe('9007199254740993');
  });

  it('refuses by name: an unknown side or trade type, a zero size, a short block, every truncation', () => {
    const side = Buffer.from(sbeTxt('trade.sbe.txt'));
    side[8 + 24] = 3;
    expect(() => trade(side)).toThrow(/sbe\.side is 3/);
    const type = Buffer.from(sbeTxt('trade.sbe.txt'));
    type[8 + 49] = 9;
    expect(() => trade(type)).toThrow(/sbe\.tradeType is 9/);
    const zero = Buffer.from(sbeTxt('trade.sbe.txt'));
    zero.writeBigInt64LE(0n, 8 + 33);
    expect(() => trade(zero)).toThrow(/sbe\.size must be positive/);
    const short = Buffer.from(sbeTxt('trade.sbe.txt'));
    short.writeUInt16LE(49, 0);
    expect(() => trade(short)).toThrow(/sbe\.header\.blockLength is 49; a TradeEvent needs 50/);
    everyTruncationIsNamed(sbeTxt('trade.sbe.txt'), (b, h) => decodeTrade(b, h, BTC, 0));
  });
});

describe('MarketSummaryEvent (hand-built frames, the same values at version 0 and 1)', () => {
  const common = {
    symbol: 'BTC-USD-PERP',
    seq: 1005,
    venueTime: 1_759_500_000_200,
    receivedAt: 42,
    markPrice: '62000.12345678',
    indexPrice: '61995.5',
    lastPrice: '62000.5',
    volumeUsd24h: '123456789.5',
    openInterest: '1234.567',
    fundingRate8dp: '0.00001234',
    bid: '62000',
    ask: '62000.5',
    bidSize: '0.25',
    askSize: '1.5',
    totalVolume: '9876543210',
    priceChangeRate24h: '0.0125',
    externalFairPrice: null,
  };
  const noOptions = {
    markIv: null,
    bidIv: null,
    askIv: null,
    lastIv: null,
    delta: null,
    gamma: null,
    vega: null,
    theta: null,
    rho: null,
    volga: null,
    vanna: null,
    futureFundingRate: null,
    forwardRate: null,
    riskFreeRate: null,
  };

  it('markets-summary-v0.sbe.txt (216-byte block): exact strings, funding at 8 dp, no precise rate', () => {
    expect(summary(sbeTxt('markets-summary-v0.sbe.txt'))).toEqual({ ...common, fundingRate: '0.00001234', fundingRatePrecise: null, options: noOptions });
  });

  it('markets-summary-v1.sbe.txt (240-byte block): fundingRatePrecise 0.000012345678 preferred over the 8 dp cut', () => {
    expect(summary(sbeTxt('markets-summary-v1.sbe.txt'))).toEqual({ ...common, fundingRate: '0.000012345678', fundingRatePrecise: '0.000012345678', options: noOptions });
  });

  it('falls back to the 8 dp fundingRate when fundingRatePrecise is null; negative values stay exact', () => {
    const frame = Buffer.from(sbeTxt('markets-summary-v1.sbe.txt'));
    frame.writeBigInt64LE(INT64_MIN, 8 + 232);
    frame.writeBigInt64LE(-1_250_000n, 8 + 88);
    expect(summary(frame)).toMatchObject({ fundingRate: '0.00001234', fundingRatePrecise: null, priceChangeRate24h: '-0.0125' });
  });

  it('refuses by name: a null required field, a short block, every truncation', () => {
    const nullMark = Buffer.from(sbeTxt('markets-summary-v0.sbe.txt'));
    nullMark.writeBigInt64LE(INT64_MIN, 8 + 16);
    expect(() => summary(nullMark)).toThrow(/sbe\.markPrice is null/);
    const short = Buffer.from(sbeTxt('markets-summary-v0.sbe.txt'));
    short.writeUInt16LE(208, 0);
    expect(() => decodeMarketSummary(short, readHeader(short), 'BTC-USD-PERP', 0)).toThrow(/sbe\.header\.blockLength is 208; a MarketSummaryEvent needs 216/);
    everyTruncationIsNamed(sbeTxt('markets-summary-v1.sbe.txt'), (b, h) => decodeMarketSummary(b, h, 'BTC-USD-PERP', 0));
  });
});

describe('FundingRateComparisonEvent (built by hand from paradex_1_0.xml: no published frame)', () => {
  // ts, lastUpdatedAt, hourlyFundingRate Rate12, assetKind u8, source u8 = 26 bytes, then market.
  const comparison = (o: { rate?: bigint; assetKind?: number; source?: number; extra?: number } = {}) => {
    const f = new Frame()
      .header(26 + (o.extra ?? 0), 6, 1)
      .i64(1_759_500_000_300_000)
      .i64(1_759_496_400_000_000)
      .i64(o.rate ?? 123_456n)
      .u8(o.assetKind ?? 1)
      .u8(o.source ?? 7);
    for (let i = 0; i < (o.extra ?? 0); i++) f.u8(0xee);
    return f.str('BTC-USD-PERP').build();
  };
  const decode = (frame: Buffer) => {
    const header = readHeader(frame);
    return decodeFundingRateComparison(frame, header, rootMarket(frame, header), 42);
  };

  it('a Hyperliquid perpetual at 0.000000123456 an hour: the 12 dp string, times in ms', () => {
    expect(decode(comparison())).toEqual({
      symbol: 'BTC-USD-PERP',
      hourlyFundingRate: '0.000000123456',
      assetKind: 'perpetual_future',
      source: 'hyperliquid',
      venueTime: 1_759_496_400_000,
      publishedAt: 1_759_500_000_300,
      receivedAt: 42,
    });
  });

  it('an unknown source or asset kind is UNSPECIFIED, as the schema requires; a longer block is skipped', () => {
    expect(decode(comparison({ source: 200, assetKind: 9, extra: 8 }))).toMatchObject({ source: 'unspecified', assetKind: 'unspecified', symbol: 'BTC-USD-PERP' });
    expect(decode(comparison({ rate: -5n })).hourlyFundingRate).toBe('-0.000000000005');
  });

  it('every truncation is a named WireFormatError', () => {
    everyTruncationIsNamed(comparison(), (b, h) => decodeFundingRateComparison(b, h, 'BTC-USD-PERP', 0));
  });
});

describe('the connector still skips these templates (it subscribes none of their channels)', () => {
  it('decodeBinary reports BBO, trade and summary frames as skipped, never as an error', () => {
    for (const [name, templateId] of [['bbo.sbe.txt', 2], ['trade.sbe.txt', 1], ['markets-summary-v1.sbe.txt', 4]] as const) {
      expect(decodeBinary(sbeTxt(name), routesFor(BTC), 0)).toMatchObject({ kind: 'skipped', templateId });
    }
  });
});

describe('decodePublicFrame: one entry point for these templates', () => {
  const marketFor = (symbol: string) => (symbol === 'BTC-USD-PERP' ? BTC : undefined);

  it('dispatches by template id and picks the market by the frame\'s own market string', () => {
    expect(decodePublicFrame(sbeTxt('bbo.sbe.txt'), marketFor, 1)).toMatchObject({ kind: 'bbo', bbo: { symbol: 'BTC-USD-PERP', bid: { price: 620005 } } });
    expect(decodePublicFrame(sbeTxt('trade-longer-block.sbe.txt'), marketFor, 1)).toMatchObject({ kind: 'trade', trade: { side: 'sell', size: 12500 } });
    expect(decodePublicFrame(sbeTxt('markets-summary-v1.sbe.txt'), marketFor, 1)).toMatchObject({ kind: 'marketSummary', summary: { fundingRate: '0.000012345678' } });
    expect(decodePublicFrame(sbeTxt('heartbeat.sbe.txt'), marketFor, 1)).toEqual({ kind: 'other', templateId: 40 });
    expect(decodePublicFrame(sbeTxt('book-snapshot.sbe.txt'), marketFor, 1)).toEqual({ kind: 'other', templateId: 3 });
    expect(decodePublicFrame(sbeTxt('bbo.sbe.txt'), () => undefined, 1)).toEqual({ kind: 'unknownMarket', templateId: 2, market: 'BTC-USD-PERP' });
  });

  it('an error after the market is read names the market (so a consumer can tell whose quote broke)', () => {
    const bad = Buffer.from(sbeTxt('trade.sbe.txt'));
    bad[8 + 24] = 7;
    let error: unknown;
    try {
      decodePublicFrame(bad, marketFor, 1);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(WireFormatError);
    expect(error).toMatchObject({ field: 'sbe.side', symbol: 'BTC-USD-PERP' });
  });
});
