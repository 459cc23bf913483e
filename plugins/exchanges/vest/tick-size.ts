/**
 * The price grid Vest accepts orders on, read from one `/exchangeInfo` symbol entry.
 *
 * Vest writes prices with `priceDecimals` decimals, but its grid is published beside it: a real
 * exchangeInfo entry captured by a community client (2026-10-07) reads, for NDX-USD-PERP,
 * `priceDecimals: 2, tickSizes: ["0.25","2.5","25"], defaultTickSize: "0.25", minTickSize: "0.25"`,
 * and a depth frame captured the same day has every price on the 0.25 grid
 * (autopilotaitech/BookDepthIQ-Vest tests/market.test.ts and tests/fixtures/depth-nq.json, commit
 * a600a319742837c62318952c7fd9a18444d757a8; field list in src/vest/types.ts). 10^-priceDecimals
 * (0.01) is finer than that grid, and an order between two grid steps is refused.
 *
 * Which field is the order grid: `minTickSize`, the finest step the venue takes (that client's
 * `tickSizeOf`, src/vest/symbols.ts, reads minTickSize first). `tickSizes` are the book-grouping
 * choices, the finest of which equals minTickSize in the capture; `defaultTickSize` is the
 * default grouping, which may be coarser. So: minTickSize, else the finest of tickSizes, else
 * defaultTickSize. Vest's own docs (docs.vest.exchange "Vest API", GET /exchangeInfo) show none of
 * the three, so an older server may send only priceDecimals: `MissingTickPolicy` decides.
 */
import { Decimal } from 'decimal.js';
import { decimalsOf } from '../../../engine/market/units.ts';
import { stepOf } from '../shared/markets.ts';
import type { JsonObject, WireReader } from '../shared/wire.ts';

/** What to do when a symbol publishes no tick field: refuse it, or use 10^-priceDecimals. */
export type MissingTickPolicy = 'refuse' | 'priceDecimals';
export const MISSING_TICK_POLICIES = ['refuse', 'priceDecimals'] as const satisfies readonly MissingTickPolicy[];

export interface VestTick {
  /** The order grid, exact decimal text without trailing zeros ("0.25"). */
  tickSize: string;
  /** Which field gave it; `priceDecimals` only under the fallback policy. */
  source: 'minTickSize' | 'tickSizes' | 'defaultTickSize' | 'priceDecimals';
}

export function decodeVestTick(
  wire: WireReader,
  s: JsonObject,
  path: string,
  priceDecimals: number,
  missing: MissingTickPolicy,
): VestTick {
  const read = (value: unknown, at: string): Decimal => {
    const text = wire.decimal(value, at);
    const tick = new Decimal(text);
    if (tick.lte(0)) wire.fail(at, `must be a positive tick, got ${text}`);
    // A tick finer than the price decimals could not be written in an order's limitPrice.
    if (decimalsOf(text) > priceDecimals) wire.fail(at, `${text} has more decimals than priceDecimals ${priceDecimals}`);
    return tick;
  };
  const min = s['minTickSize'] === undefined || s['minTickSize'] === null ? undefined : read(s['minTickSize'], `${path}.minTickSize`);
  const listed = s['tickSizes'] === undefined || s['tickSizes'] === null ? undefined : wire.array(s['tickSizes'], `${path}.tickSizes`);
  if (listed !== undefined && listed.length === 0) wire.fail(`${path}.tickSizes`, 'must list at least one tick');
  const sizes = listed?.map((t, i) => read(t, `${path}.tickSizes[${i}]`));
  const finest = sizes?.reduce((a, b) => (b.lt(a) ? b : a));
  if (min && finest && finest.lt(min)) {
    // The venue contradicts itself; guessing a grid would get orders refused.
    wire.fail(`${path}.tickSizes`, `lists ${finest.toFixed()}, finer than minTickSize ${min.toFixed()}`);
  }
  if (min) return { tickSize: min.toFixed(), source: 'minTickSize' };
  if (finest) return { tickSize: finest.toFixed(), source: 'tickSizes' };
  const fallback = s['defaultTickSize'];
  if (fallback !== undefined && fallback !== null) return { tickSize: read(fallback, `${path}.defaultTickSize`).toFixed(), source: 'defaultTickSize' };
  if (missing === 'priceDecimals') return { tickSize: stepOf(priceDecimals), source: 'priceDecimals' };
  return wire.fail(
    `${path}.minTickSize`,
    'is missing (and so are tickSizes and defaultTickSize): the order grid is unknown; ' +
      'set venues.vest.missingTickSize: priceDecimals to trade on 10^-priceDecimals at your own risk',
  );
}
