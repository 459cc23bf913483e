/**
 * Lighter private WebSocket frames -> our orders and fills. Pure functions.
 *
 * Shapes (https://apidocs.lighter.xyz/docs/websocket-reference, read December 2026):
 * - Subscribe: `{"type":"subscribe","channel":"account_all_orders/{ACCOUNT_ID}","auth":"{AUTH_TOKEN}"}`,
 *   likewise `account_all_trades/{ACCOUNT_ID}`. Frames name the channel with a colon
 *   (`account_all_orders:{ACCOUNT_ID}`).
 * - `account_all_orders`: `{"channel", "orders": {"{MARKET_INDEX}": [Order]}, "type":
 *   "update/account_all_orders"}`; Order is the REST Order (order_index, client_order_index,
 *   market_index, filled_base_amount, filled_quote_amount, status, ...), so decodeLighterOrder
 *   reads it. A frame carries each order that changed, with its status, final ones included
 *   (df-lighter-core src/live/account/orders.rs: "one no longer live has filled or ended").
 * - `account_all_trades`: `{"channel", "trades": {"{MARKET_INDEX}": [Trade]}, ..., "type":
 *   "update/account_all_trades"}`; Trade {trade_id, market_id, size, price, ask_id, bid_id,
 *   ask_client_id, bid_client_id, ask_account_id, bid_account_id, is_maker_ask, timestamp,
 *   taker_fee / maker_fee "omitted when zero"}. Captures: test/fixtures/venues/lighter/private-ws/.
 * - The first frame of a subscription is `subscribed/{channel kind}` (the reference shows the
 *   `subscribed/` prefix on account channels, e.g. `subscribed/pool_data`; the public order book
 *   opens the same way), then `update/...`. Errors are `{"error": {"code", "message"}}`.
 */
import { Decimal } from 'decimal.js';
import type { Fill } from '../../../engine/exchange/orders.ts';
import { WireReader, type JsonObject } from '../shared/wire.ts';
import { LIGHTER } from './codec.ts';
import { decodeLighterOrder, type LighterOrderView } from './order-codec.ts';

const wire = new WireReader(LIGHTER);

/** One of our fills as the trades channel pushed it: our order's index, and its client index when the venue gave it. */
export interface LighterStreamFill {
  fill: Fill;
  orderIndex: number;
  /** 0 or absent on the wire means "not given". */
  clientOrderIndex: number | undefined;
}

export type LighterPrivateFrame =
  | { kind: 'connected' }
  | { kind: 'ping' }
  | { kind: 'pong' }
  | { kind: 'error'; code: number | undefined; message: string }
  /** `subscribed/...` or `update/...` of account_all_orders / account_orders. */
  | { kind: 'orders'; channel: string; subscribed: boolean; views: LighterOrderView[] }
  | { kind: 'trades'; channel: string; subscribed: boolean; fills: LighterStreamFill[] }
  | { kind: 'other'; type: string | undefined };

export const accountOrdersChannel = (account: number) => `account_all_orders/${account}`;
export const accountTradesChannel = (account: number) => `account_all_trades/${account}`;

export function authedSubscribeRequest(channel: string, auth: string): string {
  return JSON.stringify({ type: 'subscribe', channel, auth });
}

/** A frame of the private socket; throws WireFormatError naming the field when it is malformed. */
export function decodeLighterPrivateFrame(text: string, accountIndex: number): LighterPrivateFrame {
  const msg = wire.object(wire.parseJson(text), '(frame)');
  if (msg['error'] !== undefined) {
    const err = typeof msg['error'] === 'object' && msg['error'] !== null ? (msg['error'] as JsonObject) : {};
    return { kind: 'error', code: typeof err['code'] === 'number' ? err['code'] : undefined, message: typeof err['message'] === 'string' ? err['message'] : String(msg['error']) };
  }
  const type = typeof msg['type'] === 'string' ? msg['type'] : undefined;
  if (type === 'connected' || type === 'ping' || type === 'pong') return { kind: type };
  const m = type === undefined ? null : /^(subscribed|update)\/(account_all_orders|account_orders|account_all_trades)$/.exec(type);
  if (!m) return { kind: 'other', type };
  const channel = wire.string(msg['channel'], 'channel');
  const subscribed = m[1] === 'subscribed';
  if (m[2] === 'account_all_trades') return { kind: 'trades', channel, subscribed, fills: decodeTrades(msg['trades'], accountIndex) };
  return { kind: 'orders', channel, subscribed, views: decodeOrders(msg['orders']) };
}

/** `{"{MARKET_INDEX}": [Order]}`; the state's clientId is the decimal client_order_index (the gateway maps it back). */
function decodeOrders(raw: unknown): LighterOrderView[] {
  if (raw === undefined || raw === null) return [];
  const byMarket = wire.object(raw, 'orders');
  const out: LighterOrderView[] = [];
  for (const [market, list] of Object.entries(byMarket)) {
    wire.array(list, `orders.${market}`).forEach((o, i) => {
      const view = decodeLighterOrder(o, '', `orders.${market}[${i}]`);
      view.state.clientId = String(view.clientOrderIndex);
      view.state.symbol = String(view.marketIndex);
      out.push(view);
    });
  }
  return out;
}

/** Our side(s) of each pushed trade: the account id on a side is ours (both sides on a self-trade). */
function decodeTrades(raw: unknown, accountIndex: number): LighterStreamFill[] {
  if (raw === undefined || raw === null) return [];
  const byMarket = wire.object(raw, 'trades');
  const out: LighterStreamFill[] = [];
  for (const [market, list] of Object.entries(byMarket)) {
    wire.array(list, `trades.${market}`).forEach((item, i) => {
      const path = `trades.${market}[${i}]`;
      const t = wire.object(item, path);
      for (const side of ['ask', 'bid'] as const) {
        if (t[`${side}_account_id`] !== accountIndex) continue;
        const price = new Decimal(wire.decimal(t['price'], `${path}.price`));
        const size = new Decimal(wire.decimal(t['size'], `${path}.size`));
        const maker = side === 'ask' ? t['is_maker_ask'] === true : t['is_maker_ask'] === false;
        const feeField = maker ? 'maker_fee' : 'taker_fee';
        // Integer rates in millionths of notional, as on REST (order-codec.ts); omitted when zero.
        const rate = wire.integer(t[feeField] ?? 0, `${path}.${feeField}`);
        const orderIndex = wire.integer(t[`${side}_id`], `${path}.${side}_id`);
        const coi = t[`${side}_client_id`] === undefined ? 0 : wire.integer(t[`${side}_client_id`], `${path}.${side}_client_id`);
        out.push({
          orderIndex,
          clientOrderIndex: coi > 0 ? coi : undefined,
          fill: {
            venue: LIGHTER,
            symbol: String(wire.integer(t['market_id'], `${path}.market_id`)),
            clientId: coi > 0 ? String(coi) : '',
            venueOrderId: String(orderIndex),
            fillId: String(wire.integer(t['trade_id'], `${path}.trade_id`)),
            side: side === 'ask' ? 'sell' : 'buy',
            price,
            size,
            fee: price.times(size).times(rate).div(1_000_000),
            liquidity: maker ? 'maker' : 'taker',
            time: wire.integer(t['timestamp'], `${path}.timestamp`),
          },
        });
      }
    });
  }
  return out;
}
