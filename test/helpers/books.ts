/** Test helpers that build books from readable decimal strings. */
import { toUnits } from '../../engine/market/units.ts';
import type { BookEvent, MarketInfo } from '../../engine/market/types.ts';

export function market(venue: string, symbol: string, priceDecimals = 2, sizeDecimals = 3, sizeIncrement = '0.001'): MarketInfo {
  return { venue, symbol, priceDecimals, sizeDecimals, tickSize: (10 ** -priceDecimals).toFixed(priceDecimals), sizeIncrement };
}

export function levels(m: MarketInfo, pairs: [string, string][]) {
  return pairs.map(([p, s]) => ({ price: toUnits(p, m.priceDecimals), size: toUnits(s, m.sizeDecimals) }));
}

export function snapshot(
  m: MarketInfo,
  bids: [string, string][],
  asks: [string, string][],
  at: { seq?: number; venueTime?: number; receivedAt?: number } = {},
): BookEvent {
  return {
    type: 'snapshot',
    venue: m.venue,
    symbol: m.symbol,
    seq: at.seq,
    bids: levels(m, bids),
    asks: levels(m, asks),
    venueTime: at.venueTime ?? 0,
    receivedAt: at.receivedAt ?? 0,
  };
}

export function delta(
  m: MarketInfo,
  seq: number,
  prevSeq: number,
  bids: [string, string][],
  asks: [string, string][],
  at: { venueTime?: number; receivedAt?: number } = {},
): BookEvent {
  return { ...snapshot(m, bids, asks, at), type: 'delta', seq, prevSeq };
}
