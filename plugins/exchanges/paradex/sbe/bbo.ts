/**
 * BboEvent (templateId 2, channel `bbo.{market}`) -> the market's best bid and offer in the book's
 * integer units (market decimals from /markets), straight from the buffer. paradex_1_0.xml: bidPrice
 * Price8NULL "null if no bids", bidSize Qty8NULL "null when bidPrice is null" (asks the same), so an
 * empty side is null; a price with a null size is a malformed frame, refused by name.
 */
import { PARADEX, type ParadexMarket } from '../codec.ts';
import type { SbeHeader } from './header.ts';
import { int64, int64OrNull, microsToMillis, sbeFail } from './reader.ts';
import { BBO, MESSAGE_HEADER_BYTES } from './schema.ts';
import { mantissaToUnits, unitScale } from './units.ts';

/** One side's best level, in the book's integer units. */
export interface BestLevel {
  price: number;
  size: number;
}

export interface BestBidOffer {
  venue: typeof PARADEX;
  symbol: string;
  seq: number;
  /** null: no bids. */
  bid: BestLevel | null;
  /** null: no asks. */
  ask: BestLevel | null;
  /** Feed publish time (ts, µs) in ms. */
  venueTime: number;
  receivedAt: number;
}

export function decodeBbo(buf: Buffer, header: SbeHeader, market: ParadexMarket, receivedAt: number): BestBidOffer {
  if (header.blockLength < BBO.requiredBlock) sbeFail('header.blockLength', `is ${header.blockLength}; a BboEvent needs ${BBO.requiredBlock}`);
  const root = MESSAGE_HEADER_BYTES;
  const { priceDecimals, sizeDecimals, symbol } = market.info;
  const side = (priceAt: number, sizeAt: number, name: 'bid' | 'ask'): BestLevel | null => {
    const price = int64OrNull(buf, root + priceAt, `${name}Price`);
    const size = int64OrNull(buf, root + sizeAt, `${name}Size`);
    if (price === null) return null;
    if (size === null) sbeFail(`${name}Size`, `is null but ${name}Price is set`);
    if (price <= 0) sbeFail(`${name}Price`, 'must be positive');
    if (size < 0) sbeFail(`${name}Size`, 'must not be negative');
    return {
      price: mantissaToUnits(price, unitScale(priceDecimals), priceDecimals, `${name}Price`),
      size: mantissaToUnits(size, unitScale(sizeDecimals), sizeDecimals, `${name}Size`),
    };
  };
  return {
    venue: PARADEX,
    symbol,
    seq: int64(buf, root + BBO.seq, 'seq'),
    bid: side(BBO.bidPrice, BBO.bidSize, 'bid'),
    ask: side(BBO.askPrice, BBO.askSize, 'ask'),
    venueTime: microsToMillis(int64(buf, root + BBO.ts, 'ts')),
    receivedAt,
  };
}
