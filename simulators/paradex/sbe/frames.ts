/**
 * The simulator's integer state as Paradex SBE frames: the binary twin of ../wire.ts. Book
 * units (at the market's price/size decimals) become int64 mantissas at exponent -8 by an
 * exact integer scale; milliseconds become the schema's microseconds.
 */
import type { BookLevel, LevelChange } from '../../book.ts';
import { FUNDING_DECIMALS, fundingRateUnits } from '../../funding.ts';
import type { VenueInstrument } from '../../instruments.ts';
import type { VenueMarket } from '../../venue-market.ts';
import { encodeBboEvent, encodeBookEvent, encodeFundingDataEvent, encodeHeartbeatEvent, type SbeBookEntry } from './messages.ts';
import { DECIMAL_EXPONENT } from './schema.ts';

/** Units at `decimals` places as a mantissa at the schema's exponent -8 (exact: decimals <= 8). */
export function mantissa(units: number, decimals: number): bigint {
  const shift = -DECIMAL_EXPONENT - decimals;
  if (!Number.isSafeInteger(units)) throw new RangeError(`paradex sbe: ${units} is not an integer unit count`);
  if (shift < 0) throw new RangeError(`paradex sbe: ${decimals} decimals do not fit exponent ${DECIMAL_EXPONENT}`);
  return BigInt(units) * 10n ** BigInt(shift);
}

/** Milliseconds since the epoch as the schema's Timestamp (µs). */
export const micros = (ms: number): bigint => BigInt(Math.trunc(ms)) * 1000n;

const entry = (i: VenueInstrument, price: number, size: number): SbeBookEntry => ({
  price: mantissa(price, i.priceDecimals),
  size: mantissa(size, i.sizeDecimals),
});

/**
 * The snapshot a deltas subscriber gets first: the whole book (the captured
 * `order_book.BTC-USD-PERP.deltas` session opens with 115 bids and 60 asks, FueledByChai
 * fixtures/paradex/md/README.md), best first on each side.
 */
export function bookSnapshotFrame(market: VenueMarket, seq: number, nowMs: number, version: number): Uint8Array {
  const i = market.instrument;
  const { bids, asks } = market.book.snapshot();
  const levels = (side: readonly BookLevel[]) => side.map((l) => entry(i, l.price, l.size));
  return encodeBookEvent({ ts: micros(nowMs), seq: BigInt(seq), pkgType: 'snapshot', bids: levels(bids), asks: levels(asks), market: i.symbol }, version);
}

/** One published book change: changed and new levels at their size, removed levels at size 0. */
export function bookDeltaFrame(i: VenueInstrument, changes: readonly LevelChange[], seq: number, nowMs: number, version: number): Uint8Array {
  const side = (s: 'bid' | 'ask') => changes.filter((c) => c.side === s).map((c) => entry(i, c.price, c.kind === 'delete' ? 0 : c.size));
  return encodeBookEvent({ ts: micros(nowMs), seq: BigInt(seq), pkgType: 'delta', bids: side('bid'), asks: side('ask'), market: i.symbol }, version);
}

/** BboEvent with the book's seq (the JSON bbo carries the book's seq_no too). */
export function bboFrame(market: VenueMarket, seq: number, nowMs: number, version: number): Uint8Array {
  const i = market.instrument;
  const bid = market.book.best('bid');
  const ask = market.book.best('ask');
  return encodeBboEvent(
    {
      ts: micros(nowMs),
      seq: BigInt(seq),
      bidPrice: bid ? mantissa(bid.price, i.priceDecimals) : null,
      bidSize: bid ? mantissa(bid.size, i.sizeDecimals) : null,
      askPrice: ask ? mantissa(ask.price, i.priceDecimals) : null,
      askSize: ask ? mantissa(ask.size, i.sizeDecimals) : null,
      market: i.symbol,
    },
    version,
  );
}

/**
 * FundingDataEvent with the same values as ../wire.ts `funding` (rates in 1e-8 units, so Rate8
 * is exact). The simulator keeps no funding index, so fundingIndex is 0, as the JSON payload
 * carries none; impactPremiumRate is null (JSON omits it).
 */
export function fundingFrame(i: VenueInstrument, premiumPpm: number, periodHours: number, seq: number, nowMs: number, version: number): Uint8Array {
  const at = micros(nowMs);
  return encodeFundingDataEvent(
    {
      ts: at,
      seq: BigInt(seq),
      fundingRate: mantissa(fundingRateUnits(premiumPpm, periodHours), FUNDING_DECIMALS),
      fundingIndex: 0n,
      createdAt: at,
      fundingPremium: mantissa(premiumPpm * 100, FUNDING_DECIMALS),
      fundingRate8h: mantissa(fundingRateUnits(premiumPpm, 8), FUNDING_DECIMALS),
      fundingPeriodHours: periodHours,
      impactPremiumRate: null,
      market: i.symbol,
    },
    version,
  );
}

export function heartbeatFrame(seq: number, nowMs: number, version: number): Uint8Array {
  return encodeHeartbeatEvent({ ts: micros(nowMs), seq: BigInt(seq) }, version);
}
