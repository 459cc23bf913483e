/**
 * Vest private REST payloads <-> normalized orders, fills and positions. Pure functions.
 *
 * Source: Vest API docs (copy at hummingbot/hummingbot VEST_API_DOCS.md): GET /orders items
 * {id, nonce, symbol, isBuy, orderType, limitPrice, size, status NEW|PARTIALLY_FILLED|FILLED|
 * CANCELLED|REJECTED, code, lastFilledSize, lastFilledPrice, avgFilledPrice, fees, postTime};
 * GET /account {collateral, totalAccountValue, positions: [{symbol, isLong, size, entryPrice,
 * unrealizedPnl}]}; errors `{"code": n, "msg": ...}`.
 * Vest has no client order id and no per-fill endpoint: orders are matched to our client ids by
 * the signed nonce, and a fill is the order's aggregate (avgFilledPrice, fees).
 * The docs mark lastFilledSize, lastFilledPrice, avgFilledPrice "null if status != FILLED" and
 * document no cumulative filled size. So a FILLED order filled its `size`; a PARTIALLY_FILLED
 * order, or a CANCELLED one that was charged `fees` ("includes premium"), filled an amount REST
 * does not give: `fillUnknown`, summed from the account stream's executions by the gateway and
 * never read as zero. Where a venue does send lastFilledSize or filledSize on such an order, the
 * cumulative filledSize wins, else lastFilledSize (assumed: one execution).
 * Private stream (same docs, "Private WS Endpoints"): `{"channel": "account_private", "data":
 * {"event": "ORDER", "args": payload}}`; payloads for a new order, an execution (status,
 * lastFilledSize/Price/Time, avgFilledPrice, fees), a cancellation and a rejection (`code`).
 * Every fill is a taker fill, LIMIT included: "Vest operates a taker-only model, meaning all orders
 * are executed against the platform's internal AMM ... there is no traditional limit order book or
 * maker activity" (https://docs.vest.exchange/overview/traders/order-book), and "Limit orders on Vest
 * act like trigger market orders" (https://docs.vest.exchange/overview/traders/order-types).
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderState, OrderStatus, Position } from '../../../engine/exchange/orders.ts';
import type { VenueErrorTable } from '../shared/private-rest.ts';
import { WireFormatError } from '../shared/errors.ts';
import { WireReader, type JsonObject } from '../shared/wire.ts';
import { VEST } from './codec.ts';

const wire = new WireReader(VEST);

export interface VestOrderView {
  id: string;
  nonce: number | undefined;
  symbol: string | undefined;
  orderType: string | undefined;
  isBuy: boolean | undefined;
  size: Decimal | undefined;
  limitPrice: Decimal | undefined;
  state: OrderState;
  fees: Decimal;
  time: number | undefined;
  /** Something executed but the answer does not say how much (see the header). */
  fillUnknown: boolean;
  /** This answer's execution, when it names one (lastFilledSize and lastFilledPrice). */
  lastFill: { size: Decimal; price: Decimal; time: number | undefined } | undefined;
}

const STATUS: Record<string, OrderStatus> = {
  NEW: 'open',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
};

const dec = (v: unknown, path: string): Decimal | undefined =>
  v === null || v === undefined || v === '' ? undefined : new Decimal(wire.looseDecimal(v, path));

/** Sizes and fills are never negative: a negative one would be read as a negative fill (found by test/fuzz). */
const size = (v: unknown, path: string): Decimal | undefined => {
  const d = dec(v, path);
  if (d?.isNegative() && !d.isZero()) wire.fail(path, `must not be negative, got ${d.toString()}`);
  return d;
};

export function decodeVestOrder(raw: unknown, clientId: string, path = '(order)'): VestOrderView {
  const o = wire.object(raw, path);
  const id = wire.string(o['id'], `${path}.id`);
  const venueStatus = wire.string(o['status'], `${path}.status`);
  const status = STATUS[venueStatus] ?? 'unknown';
  const ordered = size(o['size'], `${path}.size`);
  let filled = new Decimal(0);
  const fees = dec(o['fees'], `${path}.fees`) ?? new Decimal(0);
  const lastSize = size(o['lastFilledSize'], `${path}.lastFilledSize`);
  const lastPrice = dec(o['lastFilledPrice'], `${path}.lastFilledPrice`);
  // A cumulative filled size wins when the venue sends one. Otherwise an IOC that filled in part and
  // was CANCELLED still filled something: reading it as zero would unwind a hedged leg.
  const cumulative = size(o['filledSize'], `${path}.filledSize`);
  let fillUnknown = false;
  if (status === 'filled' && ordered) filled = ordered;
  else if (cumulative) filled = cumulative;
  else if (lastSize && (status === 'partially_filled' || status === 'cancelled')) filled = lastSize;
  else if (status === 'partially_filled' || (status === 'cancelled' && fees.gt(0))) fillUnknown = true;
  const state: OrderState = { clientId, venueOrderId: id, status, filledSize: filled };
  const avg = dec(o['avgFilledPrice'], `${path}.avgFilledPrice`);
  if (avg && filled.gt(0)) state.averagePrice = avg;
  // String() of an object throws a TypeError (found by test/fuzz: "code": {}); a non-scalar code is shown as JSON.
  const code = o['code'];
  if (status === 'rejected') state.rejectReason = code === null || code === undefined ? 'REJECTED' : typeof code === 'object' ? JSON.stringify(code) : String(code);
  return {
    id,
    nonce: wire.optionalInteger(o['nonce'], `${path}.nonce`),
    symbol: typeof o['symbol'] === 'string' ? o['symbol'] : undefined,
    orderType: typeof o['orderType'] === 'string' ? o['orderType'] : undefined,
    isBuy: typeof o['isBuy'] === 'boolean' ? o['isBuy'] : undefined,
    size: ordered,
    limitPrice: dec(o['limitPrice'], `${path}.limitPrice`),
    state,
    fees,
    time: wire.optionalInteger(o['lastFilledTime'] ?? o['postTime'], `${path}.postTime`),
    fillUnknown,
    lastFill: lastSize && lastPrice && lastSize.gt(0) ? { size: lastSize, price: lastPrice, time: wire.optionalInteger(o['lastFilledTime'], `${path}.lastFilledTime`) } : undefined,
  };
}

export type VestPrivateFrame =
  | { kind: 'order'; view: VestOrderView }
  | { kind: 'error'; code: number | undefined; message: string }
  | { kind: 'ack' }
  | { kind: 'other' };

/** One account-stream frame (see the header). ORDER payloads decode as GET /orders items do. */
export function decodeVestPrivateFrame(text: string): VestPrivateFrame {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch {
    throw new WireFormatError(VEST, '(frame)', 'frame is not JSON');
  }
  const o = wire.object(raw, '(frame)');
  if (o['error'] !== undefined) {
    const e = typeof o['error'] === 'object' && o['error'] !== null ? (o['error'] as JsonObject) : {};
    return { kind: 'error', code: typeof e['code'] === 'number' ? e['code'] : undefined, message: typeof e['msg'] === 'string' ? e['msg'] : String(o['error']) };
  }
  if ('result' in o && 'id' in o) return { kind: 'ack' };
  if (o['channel'] !== 'account_private') return { kind: 'other' };
  const data = wire.object(o['data'], 'data');
  if (data['event'] !== 'ORDER') return { kind: 'other' };
  return { kind: 'order', view: decodeVestOrder(data['args'], '', 'data.args') };
}

/** A 2xx body that is Vest's error shape `{code, msg}` (an order item's `code` is null, never with msg). */
export function vestErrorBody(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const o = json as JsonObject;
  return (typeof o['code'] === 'number' || typeof o['code'] === 'string') && typeof o['msg'] === 'string';
}

/** Vest's "slow down" in a body: `{"code": 429, "msg": "Rate limited"}` (POST /orders docs) or TOO_MANY_REQUESTS 1003. */
export function isVestRateLimited(json: unknown): boolean {
  if (!vestErrorBody(json)) return false;
  const code = String((json as JsonObject)['code']);
  return code === '429' || code === '1003';
}

/** The order's aggregate fill, if anything filled. */
export function vestAggregateFill(view: VestOrderView, symbol: string): Fill | undefined {
  const { state } = view;
  if (state.filledSize.lte(0) || !state.averagePrice) return undefined;
  return {
    venue: VEST,
    symbol: view.symbol ?? symbol,
    clientId: state.clientId,
    venueOrderId: view.id,
    fillId: `${view.id}:aggregate`,
    side: view.isBuy === false ? 'sell' : 'buy',
    price: state.averagePrice,
    size: state.filledSize,
    fee: view.fees,
    // Taker-only venue (see the header): a filled LIMIT is a triggered market order, not a maker fill.
    liquidity: 'taker',
    time: view.time ?? 0,
  };
}

export function decodeVestPositions(body: unknown): Position[] {
  const root: JsonObject = wire.object(body, '(body)');
  const list = root['positions'] === undefined ? [] : wire.array(root['positions'], 'positions');
  const out: Position[] = [];
  list.forEach((raw, i) => {
    const path = `positions[${i}]`;
    const p = wire.object(raw, path);
    const size = new Decimal(wire.decimal(p['size'], `${path}.size`));
    if (size.isZero()) return;
    const pos: Position = { venue: VEST, symbol: wire.string(p['symbol'], `${path}.symbol`), size: p['isLong'] === false ? size.abs().neg() : size.abs() };
    const entry = dec(p['entryPrice'], `${path}.entryPrice`);
    if (entry) pos.entryPrice = entry;
    out.push(pos);
  });
  return out;
}

/**
 * GET /account -> the account value in USDC. `totalAccountValue` is the venue's own collateral
 * plus unrealized PnL; an answer without it is summed the same way from `collateral` and each
 * position's `unrealizedPnl`, so a missing PnL field fails rather than reading as zero.
 */
export function decodeVestAccountValue(body: unknown): Decimal {
  const root: JsonObject = wire.object(body, '(body)');
  const total = root['totalAccountValue'];
  if (total !== undefined && total !== null) return new Decimal(wire.decimal(total, 'totalAccountValue'));
  const collateral = new Decimal(wire.decimal(root['collateral'], 'collateral'));
  const list = root['positions'] === undefined || root['positions'] === null ? [] : wire.array(root['positions'], 'positions');
  return list.reduce<Decimal>((sum, raw, i) => {
    const p = wire.object(raw, `positions[${i}]`);
    return sum.plus(wire.decimal(p['unrealizedPnl'], `positions[${i}].unrealizedPnl`));
  }, collateral);
}

export function vestErrorOf(json: unknown, text: string): { code: string | undefined; message: string } {
  if (typeof json === 'object' && json !== null) {
    const o = json as JsonObject;
    const code = typeof o['code'] === 'number' || typeof o['code'] === 'string' ? String(o['code']) : undefined;
    const message = typeof o['msg'] === 'string' ? o['msg'] : typeof o['message'] === 'string' ? o['message'] : text;
    return { code, message };
  }
  return { code: undefined, message: text };
}

/** Vest error codes (docs "Error Codes"). All are refusals of the request as made. */
export const VEST_ERRORS: VenueErrorTable = {
  '429': { kind: 'reject', meaning: 'rate limited' },
  '1002': { kind: 'reject', meaning: 'unauthorized (check apiKey and accountGroup)' },
  '1003': { kind: 'reject', meaning: 'too many requests' },
  '1022': { kind: 'reject', meaning: 'invalid signature (signing key not registered, or scheme changed)' },
  '1023': { kind: 'reject', meaning: 'invalid nonce' },
  '1024': { kind: 'reject', meaning: 'invalid network type' },
  '1099': { kind: 'reject', meaning: 'account not found' },
  '1111': { kind: 'reject', meaning: 'bad decimals (size or price off the market grid)' },
  '1125': { kind: 'reject', meaning: 'invalid or expired listen key' },
  '1116': { kind: 'reject', meaning: 'invalid order type' },
  '1121': { kind: 'reject', meaning: 'bad symbol' },
  '1130': { kind: 'reject', meaning: 'invalid parameter' },
  '1131': { kind: 'reject', meaning: 'bad recvWindow' },
  '1132': { kind: 'reject', meaning: 'order expired (arrived after time + recvWindow)' },
  '1133': { kind: 'reject', meaning: 'invalid time in force' },
  '1146': { kind: 'reject', meaning: 'invalid account group' },
  '1148': { kind: 'reject', meaning: 'market closed' },
  '3001': { kind: 'reject', meaning: 'price check failed' },
  '3002': { kind: 'reject', meaning: 'margin check failed' },
  '3003': { kind: 'reject', meaning: 'price stale' },
  '3004': { kind: 'reject', meaning: 'order stale' },
  '3010': { kind: 'reject', meaning: 'open interest cap exceeded' },
  '3011': { kind: 'reject', meaning: 'invalid limit price' },
  '3015': { kind: 'reject', meaning: 'duplicate order' },
  '3017': { kind: 'reject', meaning: 'order not found' },
  '3018': { kind: 'reject', meaning: 'reduce-only would increase the position' },
  '3019': { kind: 'reject', meaning: 'reduce-only exceeds the position size' },
  '3023': { kind: 'reject', meaning: 'bad symbol' },
  '3024': { kind: 'reject', meaning: 'market closed' },
};
