/**
 * Paradex private REST/WS payloads <-> normalized orders, fills and positions. Pure functions.
 *
 * Sources (docs.paradex.trade, API reference): order object {id, client_id, market, side, type,
 * size, remaining_size, price, avg_fill_price, status NEW|UNTRIGGERED|OPEN|CLOSED, cancel_reason,
 * instruction, created_at}; GET /fills results {id, order_id, client_id, market, side, price,
 * size, fee, liquidity TAKER|MAKER, created_at}; GET /positions results {market, side LONG|SHORT,
 * size, status, average_entry_price}; GET /account {account_value, free_collateral, ...}
 * (AccountSummaryResponse); errors `{"error": CODE, "message": ..., "data": ...}`. Paged lists
 * (GET /orders-history, GET /fills) answer `{next, prev, results}`, `next` null on the last page
 * (https://docs.paradex.trade/api/prod/orders/get-orders.md, .../account/list-fills.md).
 * Private WS pushes: `{"jsonrpc":"2.0","method":"subscription","params":{"channel":"orders.ALL",
 * "data":<order>}}`, fills likewise with a FillResult (paradex-py 334a7f8
 * paradex_py/api/ws_client.py; FillResult and OrderResp in paradex_py/api/generated/responses.py).
 * Assumed where the docs are silent: a CLOSED order with remaining_size 0 is filled; CLOSED with
 * a cancel_reason and nothing filled is cancelled, or rejected when the reason names a risk/price
 * check (the order never rested); a short position may arrive with a positive size and side SHORT.
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderState, OrderStatus, Position } from '../../../engine/exchange/orders.ts';
import type { VenueErrorTable } from '../shared/private-rest.ts';
import { WireReader, type JsonObject } from '../shared/wire.ts';
import { PARADEX } from './codec.ts';

const wire = new WireReader(PARADEX);

export interface ParadexOrderView {
  market: string;
  state: OrderState;
  /** Venue time the order was created, ms (fills of the order come at or after it). */
  createdAt?: number;
  /** GTC | IOC | POST_ONLY | RPI, as sent. */
  instruction?: string;
  /** The venue's own status word (NEW, UNTRIGGERED, OPEN, CLOSED). */
  venueStatus: string;
}

/**
 * Cancel reasons that mean the venue refused the order rather than a cancel we (or IOC) caused.
 * ORDER_SIZE_BELOW_MIN: a live answer ccxt recorded (ccxt/ccxt ts/src/test/static/response/paradex.json
 * fetchOrders; test/fixtures/venues/paradex/private-rest/orders-closed-size-below-min-ccxt-static.json):
 * a 0.3 SOL order at 50 (below min_notional) came back CLOSED with nothing filled; it never rested.
 */
const REJECT_REASONS = /^(NOT_ENOUGH_MARGIN|ORDER_EXCEEDS_POSITION_LIMIT|ORDER_SIZE_BELOW_MIN|REDUCE_ONLY_WILL_INCREASE|POST_ONLY_WOULD_CROSS|SELF_TRADE|INVALID|.*REJECT)/;

export function decodeParadexOrder(raw: unknown, path = '(order)'): ParadexOrderView {
  const o = wire.object(raw, path);
  const market = wire.string(o['market'], `${path}.market`);
  const size = new Decimal(wire.decimal(o['size'], `${path}.size`));
  const remaining = o['remaining_size'] === undefined ? size : new Decimal(wire.decimal(o['remaining_size'], `${path}.remaining_size`));
  // A negative size, or more remaining than ordered, would read as a negative fill (found by test/fuzz).
  if (size.isNegative()) wire.fail(`${path}.size`, `must not be negative, got ${size.toString()}`);
  if (remaining.isNegative() || remaining.gt(size)) wire.fail(`${path}.remaining_size`, `must be between 0 and size ${size.toString()}, got ${remaining.toString()}`);
  const filled = size.minus(remaining);
  const venueStatus = wire.string(o['status'], `${path}.status`);
  const cancelReason = typeof o['cancel_reason'] === 'string' && o['cancel_reason'] !== '' ? o['cancel_reason'] : undefined;
  let status: OrderStatus;
  switch (venueStatus) {
    case 'NEW':
    case 'UNTRIGGERED':
    case 'OPEN':
      status = filled.gt(0) ? 'partially_filled' : 'open';
      break;
    case 'CLOSED':
      if (remaining.isZero()) status = 'filled';
      else if (filled.isZero() && cancelReason && REJECT_REASONS.test(cancelReason)) status = 'rejected';
      else status = 'cancelled';
      break;
    default:
      status = 'unknown';
  }
  const state: OrderState = { clientId: typeof o['client_id'] === 'string' ? o['client_id'] : '', status, filledSize: filled };
  if (typeof o['id'] === 'string' && o['id'] !== '') state.venueOrderId = o['id'];
  const avg = o['avg_fill_price'];
  if (typeof avg === 'string' && avg !== '' && filled.gt(0)) state.averagePrice = new Decimal(wire.decimal(avg, `${path}.avg_fill_price`));
  if (cancelReason && status !== 'filled') state.rejectReason = cancelReason;
  const view: ParadexOrderView = { market, state, venueStatus };
  const createdAt = wire.optionalInteger(o['created_at'], `${path}.created_at`);
  if (createdAt !== undefined) view.createdAt = createdAt;
  if (typeof o['instruction'] === 'string') view.instruction = o['instruction'];
  return view;
}

export function decodeParadexFill(raw: unknown, path = '(fill)'): Fill & { orderId: string } {
  const f = wire.object(raw, path);
  const side = wire.string(f['side'], `${path}.side`);
  const liquidity = wire.string(f['liquidity'], `${path}.liquidity`);
  const fill: Fill & { orderId: string } = {
    venue: PARADEX,
    symbol: wire.string(f['market'], `${path}.market`),
    clientId: typeof f['client_id'] === 'string' ? f['client_id'] : '',
    orderId: wire.string(f['order_id'], `${path}.order_id`),
    fillId: wire.string(f['id'], `${path}.id`),
    side: side === 'BUY' ? 'buy' : side === 'SELL' ? 'sell' : wire.fail(`${path}.side`, `must be BUY or SELL, got ${side}`),
    // Not negative: a negative fill would be summed into the order's filled size (found by test/fuzz).
    price: new Decimal(wire.unsignedDecimal(f['price'], `${path}.price`)),
    size: new Decimal(wire.unsignedDecimal(f['size'], `${path}.size`)),
    fee: new Decimal(wire.looseDecimal(f['fee'] ?? '0', `${path}.fee`)),
    liquidity: liquidity === 'MAKER' ? 'maker' : 'taker',
    time: wire.integer(f['created_at'], `${path}.created_at`),
  };
  fill.venueOrderId = fill.orderId;
  return fill;
}

export function decodeParadexPosition(raw: unknown, path = '(position)'): Position | undefined {
  const p = wire.object(raw, path);
  if (p['status'] === 'CLOSED') return undefined;
  let size = new Decimal(wire.decimal(p['size'], `${path}.size`));
  if (size.isZero()) return undefined;
  if (p['side'] === 'SHORT' && size.gt(0)) size = size.neg();
  const pos: Position = { venue: PARADEX, symbol: wire.string(p['market'], `${path}.market`), size };
  const entry = p['average_entry_price'];
  if (typeof entry === 'string' && entry !== '') pos.entryPrice = new Decimal(wire.decimal(entry, `${path}.average_entry_price`));
  return pos;
}

/**
 * GET /account -> the account value in USD: Paradex's `account_value` is already collateral plus
 * unrealized PnL, so it is read as sent, never recomputed from positions.
 */
export function decodeParadexAccountValue(body: unknown): Decimal {
  const account = wire.object(body, '(body)');
  return new Decimal(wire.decimal(account['account_value'], 'account_value'));
}

/** One page of a paged list: its rows (undecoded) and the cursor of the next page, if any. */
export interface ParadexPage {
  results: unknown[];
  next: string | undefined;
}

export function decodeParadexPage(body: unknown): ParadexPage {
  const root = wire.object(body, '(body)');
  const next = root['next'];
  if (next !== undefined && next !== null && typeof next !== 'string') wire.fail('next', 'must be a string cursor or null');
  return { results: wire.array(root['results'], 'results'), next: typeof next === 'string' && next !== '' ? next : undefined };
}

/** A fill row's order id without decoding the rest: rows of other orders are skipped unread. */
export function fillOrderId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as JsonObject)['order_id'];
  return typeof id === 'string' ? id : undefined;
}

/** What one private-socket text frame says. */
export type ParadexPrivateFrame =
  | { kind: 'order'; view: ParadexOrderView }
  | { kind: 'fill'; fill: Fill & { orderId: string } }
  | { kind: 'ack'; id: unknown; channel?: string }
  | { kind: 'rpc-error'; id: unknown; code: number | undefined; message: string }
  | { kind: 'other'; channel?: string };

/**
 * Decode a JSON-RPC frame of the private socket. Throws WireFormatError (naming the field) on a
 * malformed frame; the caller counts it and carries on.
 */
export function decodeParadexPrivateFrame(text: string): ParadexPrivateFrame {
  const msg = wire.object(wire.parseJson(text), '(frame)');
  if (msg['error'] !== undefined) {
    const e = typeof msg['error'] === 'object' && msg['error'] !== null ? (msg['error'] as JsonObject) : {};
    const code = typeof e['code'] === 'number' ? e['code'] : undefined;
    const message = [e['message'], e['data']].filter((x) => typeof x === 'string').join(': ') || 'error';
    return { kind: 'rpc-error', id: msg['id'], code, message };
  }
  if (msg['method'] === 'subscription') {
    const params = wire.object(msg['params'], 'params');
    const channel = wire.string(params['channel'], 'params.channel');
    if (channel.startsWith('orders.')) return { kind: 'order', view: decodeParadexOrder(params['data'], 'params.data') };
    if (channel.startsWith('fills.')) return { kind: 'fill', fill: decodeParadexFill(params['data'], 'params.data') };
    return { kind: 'other', channel };
  }
  if (msg['result'] !== undefined && 'id' in msg) {
    const result = msg['result'];
    const channel = typeof result === 'object' && result !== null && typeof (result as JsonObject)['channel'] === 'string' ? ((result as JsonObject)['channel'] as string) : undefined;
    return channel !== undefined ? { kind: 'ack', id: msg['id'], channel } : { kind: 'ack', id: msg['id'] };
  }
  return { kind: 'other' };
}

export function resultsOf(body: unknown): unknown[] {
  const root: JsonObject = wire.object(body, '(body)');
  return wire.array(root['results'], 'results');
}

/** `{"error": CODE, "message": ...}` -> code and message, tolerant of other shapes. */
export function paradexErrorOf(json: unknown, text: string): { code: string | undefined; message: string } {
  if (typeof json === 'object' && json !== null) {
    const o = json as JsonObject;
    const code = typeof o['error'] === 'string' ? o['error'] : undefined;
    const message = typeof o['message'] === 'string' ? o['message'] : text;
    return { code, message };
  }
  return { code: undefined, message: text };
}

/**
 * Paradex error codes (docs: ResponsesApiError `error` enum; ccxt paradex `exceptions`). Every
 * listed code is a definite refusal except the venue's own internal/unavailable errors, after
 * which an order may or may not have been queued.
 */
export const PARADEX_ERRORS: VenueErrorTable = {
  VALIDATION_ERROR: { kind: 'reject', meaning: 'request failed validation' },
  BINDING_ERROR: { kind: 'reject', meaning: 'request body could not be bound' },
  INTERNAL_ERROR: { kind: 'unknown', meaning: 'venue internal error' },
  SERVICE_UNAVAILABLE: { kind: 'unknown', meaning: 'venue unavailable' },
  NOT_FOUND: { kind: 'reject', meaning: 'not found' },
  INVALID_REQUEST_PARAMETER: { kind: 'reject', meaning: 'invalid request parameter' },
  ORDER_ID_NOT_FOUND: { kind: 'reject', meaning: 'order id not found' },
  ORDER_IS_CLOSED: { kind: 'reject', meaning: 'order already closed' },
  ORDER_IS_NOT_OPEN_YET: { kind: 'reject', meaning: 'order not open yet' },
  ORDER_IS_NOT_OPEN: { kind: 'reject', meaning: 'order not open' },
  INVALID_ORDER_SIZE: { kind: 'reject', meaning: 'order size off the grid or out of range' },
  CLIENT_ORDER_ID_NOT_FOUND: { kind: 'reject', meaning: 'client order id not found among open orders' },
  DUPLICATED_CLIENT_ID: { kind: 'reject', meaning: 'client id already used' },
  INVALID_PRICE_PRECISION: { kind: 'reject', meaning: 'price off the tick grid' },
  INVALID_SYMBOL: { kind: 'reject', meaning: 'unknown market' },
  INVALID_TOKEN: { kind: 'reject', meaning: 'invalid JWT' },
  INVALID_STARKNET_ADDRESS: { kind: 'reject', meaning: 'invalid account address' },
  INVALID_STARKNET_SIGNATURE: { kind: 'reject', meaning: 'malformed Stark signature' },
  STARKNET_SIGNATURE_VERIFICATION_FAILED: { kind: 'reject', meaning: 'Stark signature did not verify (wrong key, chain id or account)' },
  INVALID_ORDER_SIGNATURE: { kind: 'reject', meaning: 'order signature did not verify' },
  BAD_STARKNET_REQUEST: { kind: 'reject', meaning: 'bad Starknet request' },
  NOT_ONBOARDED: { kind: 'reject', meaning: 'account not onboarded (set onboard: true once)' },
  INVALID_TIMESTAMP: { kind: 'reject', meaning: 'timestamp out of range (check the clock)' },
  INVALID_SIGNATURE_EXPIRATION: { kind: 'reject', meaning: 'signature expiration out of range' },
  ACCOUNT_NOT_FOUND: { kind: 'reject', meaning: 'account not found' },
  PUBLIC_KEY_INVALID: { kind: 'reject', meaning: 'public key invalid' },
  ETHEREUM_ADDRESS_ALREADY_ONBOARDED: { kind: 'reject', meaning: 'already onboarded' },
  MARKET_NOT_FOUND: { kind: 'reject', meaning: 'market not found' },
  MARKET_NOT_OPEN: { kind: 'reject', meaning: 'market not open' },
  GEO_IP_BLOCK: { kind: 'reject', meaning: 'geo-blocked' },
  BATCH_SIZE_OUT_OF_RANGE: { kind: 'reject', meaning: 'batch size out of range' },
};
