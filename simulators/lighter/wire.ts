/**
 * Lighter wire payloads. Prices and sizes are strings padded to the market's decimals
 * ("2979.64", "0.0000"); nonces, offsets and timestamps are numbers. A few statistics the
 * venue sends as JSON numbers (last_trade_price, volumes, the REST funding rate) are numbers
 * here too, made from exact decimal strings.
 */
import type { BookLevel, LevelChange } from '../book.ts';
import { FUNDING_DECIMALS, fundingRateUnits } from '../funding.ts';
import type { VenueInstrument } from '../instruments.ts';
import type { VenueMarket } from '../venue-market.ts';
import { fixedDecimal, trimmedDecimal } from '../wire-decimal.ts';

/** Lighter funds hourly. */
export const FUNDING_PERIOD_HOURS = 1;

export const price = (i: VenueInstrument, units: number): string => fixedDecimal(units, i.priceDecimals);
export const size = (i: VenueInstrument, units: number): string => fixedDecimal(units, i.sizeDecimals);

/** Sequence state of one market's order_book channel. */
export interface BookCursor {
  offset: number;
  nonce: number;
  beginNonce: number;
}

function levels(i: VenueInstrument, list: readonly BookLevel[]) {
  return list.map((l) => ({ price: price(i, l.price), size: size(i, l.size) }));
}

function bookMessage(type: string, i: VenueInstrument, bids: readonly BookLevel[], asks: readonly BookLevel[], cursor: BookCursor, nowMs: number) {
  const lastUpdatedAt = nowMs * 1000; // microseconds, as the venue writes it
  return {
    channel: `order_book:${i.marketId}`,
    offset: cursor.offset,
    order_book: {
      code: 0,
      asks: levels(i, asks),
      bids: levels(i, bids),
      offset: cursor.offset,
      nonce: cursor.nonce,
      begin_nonce: cursor.beginNonce,
      last_updated_at: lastUpdatedAt,
    },
    last_updated_at: lastUpdatedAt,
    timestamp: nowMs,
    type,
  };
}

export function subscribedOrderBook(market: VenueMarket, cursor: BookCursor, nowMs: number) {
  const { bids, asks } = market.book.snapshot();
  return bookMessage('subscribed/order_book', market.instrument, bids, asks, cursor, nowMs);
}

/** Changed levels only; a removed level goes out with size "0.0000". */
export function orderBookUpdate(i: VenueInstrument, changes: readonly LevelChange[], cursor: BookCursor, nowMs: number) {
  const side = (s: 'bid' | 'ask') => changes.filter((c) => c.side === s).map((c) => ({ price: c.price, size: c.size }));
  return bookMessage('update/order_book', i, side('bid'), side('ask'), cursor, nowMs);
}

/** A venue mid (1e-8 USD) on the market's tick grid. */
export function onGrid(i: VenueInstrument, fairUnits: number): string {
  const perTick = i.tickUnits * 10 ** (8 - i.priceDecimals);
  return price(i, Math.round(fairUnits / perTick) * i.tickUnits);
}

export interface StatsInput {
  readonly market: VenueMarket;
  readonly fairUnits: number;
  readonly midUnits: number;
  readonly premiumPpm: number;
  readonly nowMs: number;
}

export function marketStats(s: StatsInput) {
  const i = s.market.instrument;
  // Lighter's market_stats quotes funding in percent (ccxt's capture shows current_funding_rate
  // "0.0012" beside the documented 0.05% clamp written "0.0500"): the same units read as percent
  // are the fraction times 100, i.e. two fewer decimals.
  const rate = trimmedDecimal(fundingRateUnits(s.premiumPpm, FUNDING_PERIOD_HOURS), FUNDING_DECIMALS - 2);
  const hour = 3_600_000;
  // current_funding_rate is the live estimate for the hour in progress, funding_rate the last
  // settled rate; the premium moves slowly here, so both carry the same figure. funding_timestamp
  // is the last settlement (the hour mark at or before now), as Nautilus Trader's Lighter adapter
  // reads it, in ms as in the WebSocket reference's example (1722337200000).
  const lastSettlement = Math.floor(s.nowMs / hour) * hour;
  const mark = onGrid(i, s.midUnits);
  return {
    symbol: i.base,
    market_id: i.marketId,
    index_price: onGrid(i, s.fairUnits),
    mark_price: mark,
    mid_price: mark,
    open_interest: size(i, i.touchSizeUnits * 200),
    open_interest_limit: size(i, i.touchSizeUnits * 10_000),
    funding_clamp_small: '0.0500',
    funding_clamp_big: '4.0000',
    last_trade_price: mark,
    current_funding_rate: rate,
    funding_rate: rate,
    funding_timestamp: lastSettlement,
    daily_base_token_volume: 0,
    daily_quote_token_volume: 0,
    daily_price_low: Number(mark),
    daily_price_high: Number(mark),
    daily_price_change: 0,
  };
}

export function orderBookInfo(i: VenueInstrument) {
  return {
    symbol: i.base,
    market_id: i.marketId,
    market_type: 'perp',
    base_asset_id: 0,
    quote_asset_id: 0,
    status: 'active',
    taker_fee: '0.0000',
    is_taker_fee_enabled: true,
    maker_fee: '0.0000',
    is_maker_fee_enabled: true,
    liquidation_fee: '1.0000',
    min_base_amount: size(i, i.stepUnits * 10),
    min_quote_amount: '10.000000',
    order_quote_limit: '281474976.710655',
    supported_size_decimals: i.sizeDecimals,
    supported_price_decimals: i.priceDecimals,
    supported_quote_decimals: 6,
  };
}

export function orderBookDetail(i: VenueInstrument, lastTradePrice: string) {
  return {
    ...orderBookInfo(i),
    size_decimals: i.sizeDecimals,
    price_decimals: i.priceDecimals,
    quote_multiplier: 1,
    default_initial_margin_fraction: 500,
    min_initial_margin_fraction: 200,
    maintenance_margin_fraction: 120,
    closeout_margin_fraction: 80,
    last_trade_price: Number(lastTradePrice),
    daily_trades_count: 0,
    daily_base_token_volume: 0,
    daily_quote_token_volume: 0,
    daily_price_low: Number(lastTradePrice),
    daily_price_high: Number(lastTradePrice),
    daily_price_change: 0,
    open_interest: Number(size(i, i.touchSizeUnits * 200)),
    daily_chart: {},
  };
}

/** `orderBookOrders` lists resting orders; the simulator rests one synthetic order per level. */
export function orderBookOrders(market: VenueMarket, limit: number, nowMs: number) {
  const i = market.instrument;
  const order = (side: 'bid' | 'ask') => (l: BookLevel, k: number) => {
    const index = (side === 'bid' ? 1 : 2) * 1_000_000 + k;
    return {
      order_index: index,
      order_id: String(index),
      owner_account_index: 1,
      initial_base_amount: size(i, l.size),
      remaining_base_amount: size(i, l.size),
      price: price(i, l.price),
      order_expiry: nowMs + 28 * 86_400_000,
    };
  };
  const { bids, asks } = market.book.snapshot(limit);
  return { code: 200, total_asks: asks.length, asks: asks.map(order('ask')), total_bids: bids.length, bids: bids.map(order('bid')) };
}

export function fundingRate(i: VenueInstrument, premiumPpm: number) {
  const text = trimmedDecimal(fundingRateUnits(premiumPpm, FUNDING_PERIOD_HOURS), FUNDING_DECIMALS);
  return { market_id: i.marketId, exchange: 'lighter', symbol: i.base, rate: Number(text) };
}
