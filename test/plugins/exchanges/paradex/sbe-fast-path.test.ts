/**
 * The SBE book decoder's fast paths (plain byte reads, exactness by product instead of `%`, markets
 * routed by their bytes, floor division of µs without a modulo) against exact BigInt references on
 * random frames: every level's units, or the refusal of a level the exact arithmetic says cannot be
 * held (off the tick, beyond 2^53, null, non-positive price, negative size), and the timestamp.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { decodeBinary } from '../../../../plugins/exchanges/paradex/sbe/frame-decoder.ts';
import { microsToMillis } from '../../../../plugins/exchanges/paradex/sbe/reader.ts';
import type { ParadexMarket } from '../../../../plugins/exchanges/paradex/codec.ts';
import { BTC, ETH, INT64_MIN, bookFrame, routesFor } from './sbe-fixtures.ts';

const SOL: ParadexMarket = {
  info: { venue: 'paradex', symbol: 'SOL-USD-PERP', priceDecimals: 3, sizeDecimals: 8, tickSize: '0.001', sizeIncrement: '0.00000001' },
};
const MARKETS = [BTC, ETH, SOL];
const routes = routesFor(...MARKETS);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Units of a 1e-8 mantissa at `decimals`, or undefined when the decoder must refuse it: null, a
 * mantissa outside [-2^53, 2^53) (the decoder holds the int64 itself as an exact number first),
 * or finer than the market's decimals.
 */
function exactUnits(m: bigint, decimals: number): bigint | undefined {
  if (m === INT64_MIN || m >= 2n ** 53n || m < -(2n ** 53n)) return undefined;
  const d = 10n ** BigInt(8 - decimals);
  if (m % d !== 0n) return undefined;
  const u = m / d;
  return u > MAX_SAFE || u < -MAX_SAFE ? undefined : u;
}

// Mantissas near the interesting edges: on and off the tick, near 2^52 and 2^53, null, signs.
const mantissa = fc.oneof(
  fc.bigInt({ min: 1n, max: 10n ** 11n }).map((v) => v * 10_000_000n),
  fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
  fc.bigInt({ min: 2n ** 52n - 10n ** 9n, max: 2n ** 53n + 10n ** 9n }),
  fc.bigInt({ min: 2n ** 53n * 1000n - 10n ** 9n, max: 2n ** 53n * 1000n + 10n ** 9n }),
  fc.constantFrom(0n, 1n, -1n, INT64_MIN, 2n ** 63n - 1n),
);
const level = fc.tuple(mantissa, mantissa);

describe('SBE book fast path equals the exact reference', () => {
  it('on random frames: levels, seq and time, or a named refusal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MARKETS),
        fc.array(level, { maxLength: 6 }),
        fc.array(level, { maxLength: 6 }),
        fc.bigInt({ min: -(2n ** 52n), max: 2n ** 53n - 1n }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (m, bids, asks, tsUs, seq) => {
          const frame = bookFrame({ seq, tsUs: Number(tsUs), bids, asks, market: m.info.symbol });
          const expectSide = (side: [bigint, bigint][]) =>
            side.map(([p, s]) => {
              const price = exactUnits(p, m.info.priceDecimals);
              const size = exactUnits(s, m.info.sizeDecimals);
              return price === undefined || size === undefined || price <= 0n || size < 0n ? undefined : { price: Number(price), size: Number(size) };
            });
          const wantBids = expectSide(bids);
          const wantAsks = expectSide(asks);
          const ok = !wantBids.includes(undefined) && !wantAsks.includes(undefined);
          let got;
          try {
            got = decodeBinary(frame, routes, 7);
          } catch (err) {
            expect(err).toBeInstanceOf(WireFormatError);
            expect((err as WireFormatError).symbol).toBe(m.info.symbol);
            expect(ok).toBe(false);
            return;
          }
          expect(ok).toBe(true);
          const floorMs = tsUs >= 0n ? tsUs / 1000n : -((-tsUs + 999n) / 1000n);
          expect(got).toEqual({
            kind: 'book',
            event: { type: 'delta', venue: 'paradex', symbol: m.info.symbol, seq, prevSeq: seq - 1, bids: wantBids, asks: wantAsks, venueTime: Number(floorMs), receivedAt: 7 },
          });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('routes by market bytes exactly: a near-miss symbol is unrouted, named in the channel', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (symbol) => {
        fc.pre(Buffer.byteLength(symbol) < 256);
        const got = decodeBinary(bookFrame({ seq: 1, market: symbol }), routes, 0);
        if (MARKETS.some((m) => m.info.symbol === symbol)) expect(got.kind).toBe('book');
        else expect(got).toEqual({ kind: 'unrouted', channel: `order_book.${symbol} (SBE BookEvent)` });
      }),
      { numRuns: 500 },
    );
    for (const near of ['BTC-USD-PERQ', 'BTC-USD-PER', 'BTC-USD-PERPX', 'btc-USD-PERP']) {
      expect(decodeBinary(bookFrame({ seq: 1, market: near }), routes, 0).kind).toBe('unrouted');
    }
  });

  it('µs to ms is floor division, up to and beyond ±2^53 - 1', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), (us) => {
        const want = us >= 0n ? us / 1000n : -((-us + 999n) / 1000n);
        expect(microsToMillis(Number(us))).toBe(Number(want));
      }),
      { numRuns: 20_000 },
    );
    for (const us of [2n ** 53n - 1n, 2n ** 53n - 1001n, 9_007_199_254_740_999n - 1000n, -(2n ** 53n) + 1n, 999n, -1n, -1000n, -1001n]) {
      const want = us >= 0n ? us / 1000n : -((-us + 999n) / 1000n);
      expect(microsToMillis(Number(us))).toBe(Number(want));
    }
  });
});
