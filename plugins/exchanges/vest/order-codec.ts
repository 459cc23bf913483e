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
 * Assumed (docs silent): the filled size of a PARTIALLY_FILLED order is lastFilledSize.
 * Every fill is a taker fill, LIMIT included: "Vest operates a taker-only model, meaning all orders
 * are executed against the platform's internal AMM ... there is no traditional limit order book or
 * maker activity" (https://docs.vest.exchange/overview/traders/order-book), and "Limit orders on Vest
 * act like trigger market orders" (https://docs.vest.exchange/overview/traders/order-types).
 */
import { Decimal } from 'decimal.js';
import type { Fill, OrderState, OrderStatus, Position } from '../../../engine/exchange/orders.ts';
import type { VenueErrorTable } from '../shared/private-rest.ts';
import { WireReader, type JsonObject } from '../shared/wire.ts';
import { VEST } from './codec.ts';

const wire = new WireReader(VEST);

export interface VestOrderView {
  id: string;
  nonce: number | undefined;
  symbol: string | undefined;
  orderType: string | undefined;
  isBuy: boolean | undefined;
  state: OrderState;
  fees: Decimal;
  time: number | undefined;
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

export function decodeVestOrder(raw: unknown, clientId: string, path = '(order)'): VestOrderView {
  const o = wire.object(raw, path);
  const id = wire.string(o['id'], `${path}.id`);
  const venueStatus = wire.string(o['status'], `${path}.status`);
  const status = STATUS[venueStatus] ?? 'unknown';
  const size = dec(o['size'], `${path}.size`);
  let filled = new Decimal(0);
  // A cumulative filled size wins when the venue sends one. Otherwise an IOC that filled in part and
  // was CANCELLED still filled lastFilledSize: reading it as zero would unwind a hedged leg.
  const cumulative = dec(o['filledSize'], `${path}.filledSize`);
  if (status === 'filled' && size) filled = size;
  else if (cumulative) filled = cumulative;
  else if (status === 'partially_filled' || status === 'cancelled') filled = dec(o['lastFilledSize'], `${path}.lastFilledSize`) ?? new Decimal(0);
  const state: OrderState = { clientId, venueOrderId: id, status, filledSize: filled };
  const avg = dec(o['avgFilledPrice'], `${path}.avgFilledPrice`);
  if (avg && filled.gt(0)) state.averagePrice = avg;
  if (status === 'rejected') state.rejectReason = o['code'] === null || o['code'] === undefined ? 'REJECTED' : String(o['code']);
  return {
    id,
    nonce: wire.optionalInteger(o['nonce'], `${path}.nonce`),
    symbol: typeof o['symbol'] === 'string' ? o['symbol'] : undefined,
    orderType: typeof o['orderType'] === 'string' ? o['orderType'] : undefined,
    isBuy: typeof o['isBuy'] === 'boolean' ? o['isBuy'] : undefined,
    state,
    fees: dec(o['fees'], `${path}.fees`) ?? new Decimal(0),
    time: wire.optionalInteger(o['lastFilledTime'] ?? o['postTime'], `${path}.postTime`),
  };
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
