/**
 * Lighter private REST payloads <-> normalized orders, fills and positions. Pure functions.
 *
 * Sources: lighter-python models (Order, Trade, AccountPosition), Lighter API docs. Order
 * {order_index, client_order_index, market_index, initial_base_amount, remaining_base_amount,
 * filled_base_amount, filled_quote_amount, price, is_ask, status}; Trade {trade_id, market_id,
 * size, price, ask_id, bid_id, ask_client_id, bid_client_id, ask_account_id, bid_account_id,
 * is_maker_ask, timestamp, taker_fee, maker_fee}; DetailedAccount {collateral, total_asset_value,
 * positions: [AccountPosition]}; AccountPosition {market_id, sign, position, avg_entry_price,
 * unrealized_pnl}. Errors `{"code": n, "message": ...}` (invalid nonce: 21104).
 * Assumed (docs silent): trade fees are integer rates in millionths of notional; `timestamp` is ms.
 */
import { createHash } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Fill, OrderState, OrderStatus, Position } from '../../../engine/exchange/orders.ts';
import type { VenueErrorTable } from '../shared/private-rest.ts';
import { WireReader, type JsonObject } from '../shared/wire.ts';
import { LIGHTER } from './codec.ts';

const wire = new WireReader(LIGHTER);
const MAX_CLIENT_ORDER_INDEX = 2n ** 48n - 1n;

/**
 * Our clientId as Lighter's integer client_order_index (< 2^48): a decimal clientId in range is
 * used as is; anything else maps through sha256, deterministically, so a restart finds it again.
 */
export function clientOrderIndexOf(clientId: string): number {
  if (/^\d{1,15}$/.test(clientId) && BigInt(clientId) <= MAX_CLIENT_ORDER_INDEX && BigInt(clientId) > 0n) return Number(clientId);
  const digest = createHash('sha256').update(clientId).digest();
  const n = digest.readUIntBE(0, 6) % Number(MAX_CLIENT_ORDER_INDEX);
  return n === 0 ? 1 : n;
}

/** Cancel statuses in which the venue refused the order rather than a cancel or an IOC remainder. */
const REFUSED = new Set([
  'canceled-post-only',
  'canceled-reduce-only',
  'canceled-position-not-allowed',
  'canceled-margin-not-allowed',
  'canceled-invalid-balance',
]);

export interface LighterOrderView {
  orderIndex: number;
  clientOrderIndex: number;
  marketIndex: number;
  state: OrderState;
}

export function decodeLighterOrder(raw: unknown, clientId: string, path = '(order)'): LighterOrderView {
  const o = wire.object(raw, path);
  const venueStatus = wire.string(o['status'], `${path}.status`);
  // Not negative (found by test/fuzz): a negative fill would read as size given back.
  const filled = new Decimal(wire.unsignedDecimal(o['filled_base_amount'] ?? '0', `${path}.filled_base_amount`));
  let status: OrderStatus;
  if (venueStatus === 'filled') status = 'filled';
  else if (venueStatus === 'open' || venueStatus === 'pending' || venueStatus === 'in-progress') status = filled.gt(0) ? 'partially_filled' : 'open';
  else if (venueStatus.startsWith('canceled')) status = filled.isZero() && REFUSED.has(venueStatus) ? 'rejected' : 'cancelled';
  else status = 'unknown';
  const orderIndex = wire.integer(o['order_index'], `${path}.order_index`);
  const state: OrderState = { clientId, venueOrderId: String(orderIndex), status, filledSize: filled };
  const quote = o['filled_quote_amount'];
  if (filled.gt(0) && typeof quote === 'string' && quote !== '') state.averagePrice = new Decimal(wire.decimal(quote, `${path}.filled_quote_amount`)).div(filled);
  if (status === 'rejected' || (status === 'cancelled' && venueStatus !== 'canceled')) state.rejectReason = venueStatus;
  return {
    orderIndex,
    clientOrderIndex: wire.integer(o['client_order_index'], `${path}.client_order_index`),
    marketIndex: wire.integer(o['market_index'], `${path}.market_index`),
    state,
  };
}

export function ordersOf(body: unknown): unknown[] {
  const root: JsonObject = wire.object(body, '(body)');
  return root['orders'] === undefined || root['orders'] === null ? [] : wire.array(root['orders'], 'orders');
}

/** Our fills in a trades list: trades where our account sat on the side with our client index. */
export function decodeLighterFills(body: unknown, accountIndex: number, clientOrderIndex: number, clientId: string): Fill[] {
  const root: JsonObject = wire.object(body, '(body)');
  const trades = root['trades'] === undefined || root['trades'] === null ? [] : wire.array(root['trades'], 'trades');
  const out: Fill[] = [];
  trades.forEach((raw, i) => {
    const path = `trades[${i}]`;
    const t = wire.object(raw, path);
    const askMine = t['ask_account_id'] === accountIndex && t['ask_client_id'] === clientOrderIndex;
    const bidMine = t['bid_account_id'] === accountIndex && t['bid_client_id'] === clientOrderIndex;
    if (!askMine && !bidMine) return;
    const price = new Decimal(wire.decimal(t['price'], `${path}.price`));
    const size = new Decimal(wire.decimal(t['size'], `${path}.size`));
    const maker = askMine ? t['is_maker_ask'] === true : t['is_maker_ask'] === false;
    const rate = wire.integer((maker ? t['maker_fee'] : t['taker_fee']) ?? 0, `${path}.${maker ? 'maker' : 'taker'}_fee`);
    out.push({
      venue: LIGHTER,
      symbol: String(wire.integer(t['market_id'], `${path}.market_id`)),
      clientId,
      venueOrderId: String(wire.integer(askMine ? t['ask_id'] : t['bid_id'], `${path}.${askMine ? 'ask_id' : 'bid_id'}`)),
      fillId: String(wire.integer(t['trade_id'], `${path}.trade_id`)),
      side: askMine ? 'sell' : 'buy',
      price,
      size,
      fee: price.times(size).times(rate).div(1_000_000),
      liquidity: maker ? 'maker' : 'taker',
      time: wire.integer(t['timestamp'], `${path}.timestamp`),
    });
  });
  return out;
}

export function decodeLighterPositions(body: unknown): Position[] {
  const root: JsonObject = wire.object(body, '(body)');
  const accounts = wire.array(root['accounts'], 'accounts');
  if (accounts.length === 0) return [];
  const acct = wire.object(accounts[0], 'accounts[0]');
  const list = acct['positions'] === undefined ? [] : wire.array(acct['positions'], 'accounts[0].positions');
  const out: Position[] = [];
  list.forEach((raw, i) => {
    const path = `accounts[0].positions[${i}]`;
    const p = wire.object(raw, path);
    const size = new Decimal(wire.decimal(p['position'], `${path}.position`)).abs();
    if (size.isZero()) return;
    const sign = wire.integer(p['sign'], `${path}.sign`);
    const pos: Position = { venue: LIGHTER, symbol: String(wire.integer(p['market_id'], `${path}.market_id`)), size: sign < 0 ? size.neg() : size };
    if (typeof p['avg_entry_price'] === 'string') pos.entryPrice = new Decimal(wire.decimal(p['avg_entry_price'], `${path}.avg_entry_price`));
    out.push(pos);
  });
  return out;
}

/**
 * GET /api/v1/account -> the account value in USDC. `total_asset_value` is the venue's own
 * collateral plus unrealized PnL; where an answer lacks it, `collateral` plus each position's
 * `unrealized_pnl` (a missing PnL field fails rather than reading as zero). No account at all is
 * an error too: a value of 0 would pass for an empty account.
 */
export function decodeLighterAccountValue(body: unknown): Decimal {
  const root: JsonObject = wire.object(body, '(body)');
  const accounts = wire.array(root['accounts'], 'accounts');
  if (accounts.length === 0) wire.fail('accounts', 'is empty: the venue knows no account with this index (check credentials.accountIndex)');
  const acct = wire.object(accounts[0], 'accounts[0]');
  const total = acct['total_asset_value'];
  if (total !== undefined && total !== null) return new Decimal(wire.decimal(total, 'accounts[0].total_asset_value'));
  const collateral = new Decimal(wire.decimal(acct['collateral'], 'accounts[0].collateral'));
  const list = acct['positions'] === undefined || acct['positions'] === null ? [] : wire.array(acct['positions'], 'accounts[0].positions');
  return list.reduce<Decimal>((sum, raw, i) => {
    const path = `accounts[0].positions[${i}]`;
    const p = wire.object(raw, path);
    return sum.plus(wire.decimal(p['unrealized_pnl'], `${path}.unrealized_pnl`));
  }, collateral);
}

export function lighterErrorOf(json: unknown, text: string): { code: string | undefined; message: string } {
  if (typeof json === 'object' && json !== null) {
    const o = json as JsonObject;
    const code = typeof o['code'] === 'number' || typeof o['code'] === 'string' ? String(o['code']) : undefined;
    return { code, message: typeof o['message'] === 'string' ? o['message'] : text };
  }
  return { code: undefined, message: text };
}

/** Lighter codes seen in the docs, SDK issues and ccxt; unknown 4xx codes are rejects too. */
export const LIGHTER_ERRORS: VenueErrorTable = {
  '21104': { kind: 'reject', meaning: 'invalid nonce' },
  '21701': { kind: 'reject', meaning: 'invalid base amount (size off the grid or below the minimum)' },
};

/**
 * Fills of one order from `GET /api/v1/trades?order_index=`: the side whose order id is ours
 * (`ask_id` / `bid_id`) on our account. Matching by order index, not client index: the trades of
 * a captured answer often carry client id 0 on a side (Nautilus Trader's trades-eth capture).
 */
export function decodeLighterOrderFills(body: unknown, accountIndex: number, orderIndex: number, clientId: string): Fill[] {
  const root: JsonObject = wire.object(body, '(body)');
  const trades = root['trades'] === undefined || root['trades'] === null ? [] : wire.array(root['trades'], 'trades');
  const out: Fill[] = [];
  trades.forEach((raw, i) => {
    const path = `trades[${i}]`;
    const t = wire.object(raw, path);
    const askMine = t['ask_id'] === orderIndex && t['ask_account_id'] === accountIndex;
    const bidMine = t['bid_id'] === orderIndex && t['bid_account_id'] === accountIndex;
    if (!askMine && !bidMine) return;
    const price = new Decimal(wire.decimal(t['price'], `${path}.price`));
    const size = new Decimal(wire.decimal(t['size'], `${path}.size`));
    const maker = askMine ? t['is_maker_ask'] === true : t['is_maker_ask'] === false;
    const rate = wire.integer((maker ? t['maker_fee'] : t['taker_fee']) ?? 0, `${path}.${maker ? 'maker' : 'taker'}_fee`);
    out.push({
      venue: LIGHTER,
      symbol: String(wire.integer(t['market_id'], `${path}.market_id`)),
      clientId,
      venueOrderId: String(orderIndex),
      fillId: String(wire.integer(t['trade_id'], `${path}.trade_id`)),
      side: askMine ? 'sell' : 'buy',
      price,
      size,
      fee: price.times(size).times(rate).div(1_000_000),
      liquidity: maker ? 'maker' : 'taker',
      time: wire.integer(t['timestamp'], `${path}.timestamp`),
    });
  });
  return out;
}

/**
 * A sent transaction's fate, `GET /api/v1/tx?by=hash&value=` (lighter-python docs/TransactionApi.md).
 * Status: 0 failed (refused by the sequencer), 1 pending, 2 executed, 3 executed and final
 * (df-lighter-core `TxStatus`, read against a recorded mainnet tx; Hummingbot's Lighter
 * constants say the same). Sources disagree: @reservoir0x/lighter-ts-sdk's SignerClient has 0
 * pending .. 3 executed, 4 failed, 5 rejected. We follow the first reading and treat 4 and 5 as
 * failed too (they mean nothing else in it); unconfirmed against the live venue.
 */
export type LighterTxFate = 'failed' | 'pending' | 'executed';

export function decodeLighterTx(body: unknown): { hash: string; fate: LighterTxFate; status: number } {
  const o = wire.object(body, '(body)');
  const status = wire.integer(o['status'], 'status');
  const hash = wire.string(o['hash'], 'hash');
  const fate: LighterTxFate = status === 0 || status === 4 || status === 5 ? 'failed' : status === 1 ? 'pending' : 'executed';
  return { hash, fate, status };
}

/**
 * The error a 200 answer may carry: Lighter writes `code` 200 on success and its own code (with
 * HTTP 200) on some refusals (Nautilus Trader's captures: `{"code":1001,"message":"invalid tx"}`).
 * Undefined when the body says success (or has no code).
 */
export function bodyErrorCode(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const code = (json as JsonObject)['code'];
  if (code === undefined || code === null || code === 200 || code === '200' || code === 0) return undefined;
  return String(code);
}
