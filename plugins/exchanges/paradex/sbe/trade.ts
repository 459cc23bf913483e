/**
 * TradeEvent (templateId 1, channel `trades.{market}`) -> a public trade in the book's integer units.
 * paradex_1_0.xml: side is the aggressor's (Side: 1 BUY, 2 SELL, 254 NON_REPRESENTABLE), createdAt is
 * the matching engine's time and ts the feed's publish time (µs each), tradeType a FillType. tradeId is
 * an int64 kept as a decimal string (an identifier, never arithmetic, and not bounded by 2^53).
 */
import { PARADEX, type ParadexMarket } from '../codec.ts';
import type { SbeHeader } from './header.ts';
import { int64, int64BigOrNull, microsToMillis, sbeFail, u8 } from './reader.ts';
import { MESSAGE_HEADER_BYTES, TRADE } from './schema.ts';
import { mantissaToUnits, unitScale } from './units.ts';

export type AggressorSide = 'buy' | 'sell' | 'non_representable';
export type TradeType = 'fill' | 'liquidation' | 'unwind_transfer' | 'settle_market' | 'rpi' | 'block_trade' | 'non_representable';

const SIDES: Readonly<Record<number, AggressorSide>> = { 1: 'buy', 2: 'sell', 254: 'non_representable' };
const TRADE_TYPES: Readonly<Record<number, TradeType>> = {
  1: 'fill',
  2: 'liquidation',
  3: 'unwind_transfer',
  4: 'settle_market',
  5: 'rpi',
  6: 'block_trade',
  254: 'non_representable',
};

export interface PublicTrade {
  venue: typeof PARADEX;
  symbol: string;
  seq: number;
  tradeId: string;
  side: AggressorSide;
  /** Book integer units at the market's decimals. */
  price: number;
  size: number;
  tradeType: TradeType;
  /** Matching engine time (createdAt) in ms. */
  venueTime: number;
  /** Feed publish time (ts) in ms. */
  publishedAt: number;
  receivedAt: number;
}

export function decodeTrade(buf: Buffer, header: SbeHeader, market: ParadexMarket, receivedAt: number): PublicTrade {
  if (header.blockLength < TRADE.requiredBlock) sbeFail('header.blockLength', `is ${header.blockLength}; a TradeEvent needs ${TRADE.requiredBlock}`);
  const root = MESSAGE_HEADER_BYTES;
  const { priceDecimals, sizeDecimals, symbol } = market.info;
  const tradeId = int64BigOrNull(buf, root + TRADE.tradeId, 'tradeId');
  if (tradeId === null) sbeFail('tradeId', 'is null (INT64_MIN) but the schema makes it required');
  const sideCode = u8(buf, root + TRADE.side, 'side');
  const side = SIDES[sideCode] ?? sbeFail('side', `is ${sideCode}; Side is 1 BUY, 2 SELL or 254 NON_REPRESENTABLE`);
  const typeCode = u8(buf, root + TRADE.tradeType, 'tradeType');
  const tradeType = TRADE_TYPES[typeCode] ?? sbeFail('tradeType', `is ${typeCode}, not a FillType value`);
  const price = int64(buf, root + TRADE.price, 'price');
  const size = int64(buf, root + TRADE.size, 'size');
  if (price <= 0) sbeFail('price', 'must be positive');
  if (size <= 0) sbeFail('size', 'must be positive');
  return {
    venue: PARADEX,
    symbol,
    seq: int64(buf, root + TRADE.seq, 'seq'),
    tradeId: tradeId.toString(),
    side,
    price: mantissaToUnits(price, unitScale(priceDecimals), priceDecimals, 'price'),
    size: mantissaToUnits(size, unitScale(sizeDecimals), sizeDecimals, 'size'),
    tradeType,
    venueTime: microsToMillis(int64(buf, root + TRADE.createdAt, 'createdAt')),
    publishedAt: microsToMillis(int64(buf, root + TRADE.ts, 'ts')),
    receivedAt,
  };
}
