/**
 * Paradex wire payloads built from the simulator's integer state. Decimals are strings
 * with trailing zeros trimmed; seq_no, timestamps and counts are JSON numbers.
 */
import type { BookLevel, LevelChange } from '../book.ts';
import { FUNDING_DECIMALS, fundingRateUnits } from '../funding.ts';
import type { VenueInstrument } from '../instruments.ts';
import type { VenueMarket } from '../venue-market.ts';
import { trimmedDecimal } from '../wire-decimal.ts';

export const FUNDING_PERIOD_HOURS = 8;

export const price = (i: VenueInstrument, units: number): string => trimmedDecimal(units, i.priceDecimals);
export const size = (i: VenueInstrument, units: number): string => trimmedDecimal(units, i.sizeDecimals);

interface BookEntry {
  side: 'BUY' | 'SELL';
  price: string;
  size: string;
}

export interface BookUpdate {
  seq_no: number;
  market: string;
  last_updated_at: number;
  update_type: 's' | 'd';
  inserts: BookEntry[];
  updates: BookEntry[];
  deletes: BookEntry[];
}

function entry(i: VenueInstrument, side: 'bid' | 'ask', p: number, s: number): BookEntry {
  return { side: side === 'bid' ? 'BUY' : 'SELL', price: price(i, p), size: size(i, s) };
}

export function snapshotUpdate(market: VenueMarket, seqNo: number, now: number): BookUpdate {
  const i = market.instrument;
  const { bids, asks } = market.book.snapshot(i.levels);
  return {
    seq_no: seqNo,
    market: i.symbol,
    last_updated_at: now,
    update_type: 's',
    inserts: [...bids.map((l) => entry(i, 'bid', l.price, l.size)), ...asks.map((l) => entry(i, 'ask', l.price, l.size))],
    updates: [],
    deletes: [],
  };
}

export function deltaUpdate(i: VenueInstrument, changes: readonly LevelChange[], seqNo: number, now: number): BookUpdate {
  const pick = (kind: LevelChange['kind']) =>
    changes.filter((c) => c.kind === kind).map((c) => entry(i, c.side, c.price, c.size));
  // Deletes carry size "0": what size a Paradex delete carries is not documented.
  return { seq_no: seqNo, market: i.symbol, last_updated_at: now, update_type: 'd', inserts: pick('insert'), updates: pick('update'), deletes: pick('delete') };
}

/** REST `GET /v1/orderbook/{market}`: [price, size] pairs, best first. */
export function restOrderBook(market: VenueMarket, seqNo: number, now: number, depth: number) {
  const i = market.instrument;
  const pair = (l: BookLevel) => [price(i, l.price), size(i, l.size)];
  const { bids, asks } = market.book.snapshot(depth);
  return { market: i.symbol, seq_no: seqNo, last_updated_at: now, asks: asks.map(pair), bids: bids.map(pair) };
}

export function bbo(market: VenueMarket, seqNo: number, now: number) {
  const i = market.instrument;
  const bid = market.book.best('bid');
  const ask = market.book.best('ask');
  return {
    market: i.symbol,
    seq_no: seqNo,
    bid: bid ? price(i, bid.price) : null,
    bid_size: bid ? size(i, bid.size) : null,
    ask: ask ? price(i, ask.price) : null,
    ask_size: ask ? size(i, ask.size) : null,
    last_updated_at: now,
  };
}

/** A venue mid (1e-8 USD) on the market's tick grid, for mark and last prices. */
export function onGrid(i: VenueInstrument, fairUnits: number): string {
  const perTick = i.tickUnits * 10 ** (8 - i.priceDecimals);
  return price(i, Math.round(fairUnits / perTick) * i.tickUnits);
}

export function marketInfo(i: VenueInstrument) {
  return {
    symbol: i.symbol,
    base_currency: i.base,
    quote_currency: 'USD',
    settlement_currency: 'USDC',
    asset_kind: 'PERP',
    market_kind: 'cross',
    price_tick_size: i.priceTick,
    order_size_increment: i.sizeStep,
    min_notional: '10',
    max_order_size: trimmedDecimal(i.touchSizeUnits * 100, i.sizeDecimals),
    position_limit: trimmedDecimal(i.touchSizeUnits * 1000, i.sizeDecimals),
    max_open_orders: 100,
    open_at: 1717065600000,
    expiry_at: 0,
    funding_period_hours: FUNDING_PERIOD_HOURS,
    price_bands_width: '0.05',
    max_funding_rate: '0.05',
    interest_rate: '0.0001',
    clamp_rate: '0.05',
    fee_config: {
      api_fee: { maker_fee: { fee: '0.00003' }, taker_fee: { fee: '0.00045' } },
      interactive_fee: { maker_fee: { fee: '0' }, taker_fee: { fee: '0' } },
    },
  };
}

export function funding(i: VenueInstrument, premiumPpm: number, now: number) {
  const rate = fundingRateUnits(premiumPpm, FUNDING_PERIOD_HOURS);
  return {
    market: i.symbol,
    funding_rate: trimmedDecimal(rate, FUNDING_DECIMALS),
    funding_rate_8h: trimmedDecimal(fundingRateUnits(premiumPpm, 8), FUNDING_DECIMALS),
    funding_period_hours: FUNDING_PERIOD_HOURS,
    funding_premium: trimmedDecimal(premiumPpm * 100, FUNDING_DECIMALS),
    created_at: now,
  };
}

export const SYSTEM_CONFIG = {
  starknet_gateway_url: 'http://127.0.0.1/simulated-gateway',
  starknet_fullnode_rpc_url: 'http://127.0.0.1/simulated-rpc',
  starknet_chain_id: 'PRIVATE_SN_PARACLEAR_MAINNET',
  block_explorer_url: 'http://127.0.0.1/simulated-explorer/',
  paraclear_address: '0x3f43c5e4a3a7f0a0f0e2ecbd7c6d6c4a9b3f8f0b1d2e3c4a5b6c7d8e9f0a1b2',
  paraclear_decimals: 8,
  paraclear_account_proxy_hash: '0x3530cc4759d78042f1b543bf797f5f3d647cde0388c33734cf91b7f7b9314a9',
  paraclear_account_hash: '0x41cb0280ebadaa75f996d8d92c6f265f6d040bb3ba442e5f86a554f1765244e',
  bridged_tokens: [
    { name: 'USD Coin', symbol: 'USDC', decimals: 6, l1_token_address: '0x0000000000000000000000000000000000000000', l1_bridge_address: '0x0000000000000000000000000000000000000000', l2_token_address: '0x0', l2_bridge_address: '0x0' },
  ],
  l1_core_contract_address: '0x0000000000000000000000000000000000000000',
  l1_operator_address: '0x0000000000000000000000000000000000000000',
  l1_chain_id: '1',
  liquidation_fee: '0.2',
  oracle_address: '0x0',
  partial_liquidation_share_increment: '0.05',
  universal_deployer_address: '0x0',
};
