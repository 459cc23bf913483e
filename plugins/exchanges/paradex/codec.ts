/**
 * Paradex wire <-> normalized events. Pure functions over decoded JSON; no sockets here.
 *
 * Sources: docs.paradex.trade (WebSocket channels, GET /markets), /work/shared/venue-shapes.md.
 * - Book push: JSON-RPC `{"method":"subscription","params":{"channel","data":{seq_no, market,
 *   last_updated_at, update_type "s"|"d", inserts, updates, deletes}}}`, levels
 *   `{side: BUY|SELL, price, size}` as decimal strings.
 * - Continuity: seq_no increases by one per message of a market's deltas feed, so a delta's
 *   prevSeq is seq_no - 1; a snapshot carries seq = seq_no and no prevSeq.
 * - A delete removes the level whatever size it carries (no source says what size a delete
 *   sends), so it becomes size 0.
 * - Funding push data `{market, funding_rate, funding_period_hours?, created_at}`; the interval
 *   comes from the push when present, else from /markets' funding_period_hours.
 * - No nextRate / nextFundingAt. Paradex accrues continuously (docs.paradex.trade/risk/funding-
 *   mechanism: "no fixed hourly or 8-hour funding events"), so there is no next settlement time.
 *   The funding_data push has no forecast field (paradex-py's FundingDataResult and SBE
 *   FundingDataEvent: funding_rate, funding_rate_8h, funding_index, funding_premium,
 *   funding_period_hours, created_at). /markets/summary's `future_funding_rate` is not a next
 *   rate: the API spec (paradex-py responses.py MarketSummaryResp) says "For options it's a
 *   smoothed version of future's funding rate", and the SDK's perp summary fixture has it null.
 */
import type { BookEvent, FundingEvent, LevelChange, MarketInfo } from '../../../engine/market/types.ts';
import { decimalsOf } from '../../../engine/market/units.ts';
import { WireFormatError } from '../shared/errors.ts';
import { WireReader, frameText, type JsonObject } from '../shared/wire.ts';

export const PARADEX = 'paradex';
const wire = new WireReader(PARADEX);

/** A market as /markets describes it: the engine's MarketInfo plus what funding needs. */
export interface ParadexMarket {
  info: MarketInfo;
  fundingPeriodHours?: number;
}

export function decodeMarkets(body: unknown): ParadexMarket[] {
  const root = wire.object(body, '(body)');
  const results = wire.array(root['results'], 'results');
  return results.map((raw, i) => {
    const path = `results[${i}]`;
    const m = wire.object(raw, path);
    const symbol = wire.string(m['symbol'], `${path}.symbol`);
    // Steps above zero: a zero or negative one would break every order's rounding (found by test/fuzz).
    const tickSize = wire.positiveDecimal(m['price_tick_size'], `${path}.price_tick_size`);
    const sizeIncrement = wire.positiveDecimal(m['order_size_increment'], `${path}.order_size_increment`);
    const info: MarketInfo = {
      venue: PARADEX,
      symbol,
      priceDecimals: decimalsOf(tickSize),
      sizeDecimals: decimalsOf(sizeIncrement),
      tickSize,
      sizeIncrement,
      // The smallest order is one size increment; the venue also enforces min_notional.
      minSize: sizeIncrement,
    };
    if (m['min_notional'] !== undefined) info.minNotional = wire.looseDecimal(m['min_notional'], `${path}.min_notional`);
    // Discovery facts, from GET /markets' own fields (test/fixtures/venues/paradex/rest/markets-*.json:
    // base_currency "BTC", quote_currency "USD", asset_kind "PERP"; options list as "PERP_OPTION").
    if (typeof m['base_currency'] === 'string') info.base = m['base_currency'];
    if (typeof m['quote_currency'] === 'string') info.quote = m['quote_currency'];
    if (typeof m['asset_kind'] === 'string') info.kind = m['asset_kind'] === 'PERP' ? 'perp' : m['asset_kind'] === 'PERP_OPTION' ? 'option' : 'other';
    const hours = m['funding_period_hours'];
    const market: ParadexMarket = { info };
    if (hours !== undefined && hours !== null) {
      market.fundingPeriodHours = positiveHours(hours, `${path}.funding_period_hours`);
    }
    return market;
  });
}

/** What a subscribed channel carries: the connector builds these when it subscribes. */
export interface ParadexRoute {
  kind: 'book' | 'funding';
  market: ParadexMarket;
}

export type ParadexMessage =
  | { kind: 'book'; event: BookEvent }
  | { kind: 'funding'; event: FundingEvent }
  | { kind: 'ack'; id: number | string | undefined; channel: string | undefined }
  | { kind: 'rpc-error'; id: number | string | undefined; code: number | undefined; message: string }
  | { kind: 'unrouted'; channel: string }
  | { kind: 'other'; method: string | undefined }
  /** SBE HeartbeatEvent: the venue is alive (it arms the stall timer like any frame); nothing to deliver. */
  | { kind: 'heartbeat'; venueTime: number }
  /** SBE frame of a template we do not use or do not know (a newer version's): skipped and counted. */
  | { kind: 'skipped'; templateId: number; version: number };

/**
 * Turns one frame into a message. Two implementations: jsonFrameDecoder (below) and the SBE one
 * (sbe/frame-decoder.ts), which handles binary frames and hands text frames (JSON-RPC acks and
 * errors, which stay JSON on an SBE socket) to this JSON decoder.
 */
export interface ParadexFrameDecoder {
  decode(data: string | Buffer, routes: ReadonlyMap<string, ParadexRoute>, receivedAt: number): ParadexMessage;
}

export const jsonFrameDecoder: ParadexFrameDecoder = {
  decode(data, routes, receivedAt) {
    return decodeFrame(wire.parseJson(frameText(data)), routes, receivedAt);
  },
};

export function decodeFrame(json: unknown, routes: ReadonlyMap<string, ParadexRoute>, receivedAt: number): ParadexMessage {
  const msg = wire.object(json, '(frame)');
  const id = typeof msg['id'] === 'number' || typeof msg['id'] === 'string' ? msg['id'] : undefined;
  if (msg['error'] !== undefined) {
    const err = wire.object(msg['error'], 'error');
    const detail = typeof err['data'] === 'string' ? ` (${err['data']})` : '';
    return {
      kind: 'rpc-error',
      id,
      code: typeof err['code'] === 'number' ? err['code'] : undefined,
      message: `${typeof err['message'] === 'string' ? err['message'] : 'error'}${detail}`,
    };
  }
  if (msg['result'] !== undefined) {
    const result = msg['result'];
    const channel =
      typeof result === 'object' && result !== null && typeof (result as JsonObject)['channel'] === 'string'
        ? ((result as JsonObject)['channel'] as string)
        : undefined;
    return { kind: 'ack', id, channel };
  }
  const method = typeof msg['method'] === 'string' ? msg['method'] : undefined;
  if (method !== 'subscription') return { kind: 'other', method };

  const params = wire.object(msg['params'], 'params');
  const channel = wire.string(params['channel'], 'params.channel');
  const route = routes.get(channel);
  if (!route) return { kind: 'unrouted', channel };
  const symbol = route.market.info.symbol;
  try {
    const data = wire.object(params['data'], 'params.data');
    return route.kind === 'book'
      ? { kind: 'book', event: decodeBook(data, route.market.info, receivedAt) }
      : { kind: 'funding', event: decodeFunding(data, route.market, receivedAt) };
  } catch (err) {
    // Name the market so the connector resyncs exactly that book.
    if (err instanceof WireFormatError) throw err.withSymbol(symbol);
    throw err;
  }
}

export function decodeBook(data: JsonObject, market: MarketInfo, receivedAt: number): BookEvent {
  const path = 'params.data';
  const wireMarket = wire.string(data['market'], `${path}.market`);
  if (wireMarket !== market.symbol) wire.fail(`${path}.market`, `is ${wireMarket} on the channel of ${market.symbol}`);
  const seq = wire.integer(data['seq_no'], `${path}.seq_no`);
  const venueTime = wire.integer(data['last_updated_at'], `${path}.last_updated_at`);
  const updateType = wire.string(data['update_type'], `${path}.update_type`);
  if (updateType !== 's' && updateType !== 'd') wire.fail(`${path}.update_type`, `must be "s" or "d", got ${JSON.stringify(updateType)}`);

  const bids: LevelChange[] = [];
  const asks: LevelChange[] = [];
  for (const list of ['inserts', 'updates', 'deletes'] as const) {
    const raw = data[list];
    if (raw === undefined || raw === null) continue;
    const levels = wire.array(raw, `${path}.${list}`);
    levels.forEach((rawLevel, i) => {
      const at = `${path}.${list}[${i}]`;
      const level = wire.object(rawLevel, at);
      const side = wire.string(level['side'], `${at}.side`);
      if (side !== 'BUY' && side !== 'SELL') wire.fail(`${at}.side`, `must be BUY or SELL, got ${JSON.stringify(side)}`);
      const price = wire.units(level['price'], market.priceDecimals, `${at}.price`);
      const size = list === 'deletes' ? 0 : wire.units(level['size'], market.sizeDecimals, `${at}.size`);
      if (price <= 0) wire.fail(`${at}.price`, 'must be positive');
      if (size < 0) wire.fail(`${at}.size`, 'must not be negative');
      (side === 'BUY' ? bids : asks).push({ price, size });
    });
  }
  const base = { venue: PARADEX, symbol: market.symbol, seq, bids, asks, venueTime, receivedAt };
  return updateType === 's' ? { type: 'snapshot', ...base } : { type: 'delta', prevSeq: seq - 1, ...base };
}

export function decodeFunding(data: JsonObject, market: ParadexMarket, receivedAt: number): FundingEvent {
  const path = 'params.data';
  const rate = wire.looseDecimal(data['funding_rate'], `${path}.funding_rate`);
  const rawHours = data['funding_period_hours'];
  const intervalHours =
    rawHours !== undefined && rawHours !== null
      ? positiveHours(rawHours, `${path}.funding_period_hours`)
      : market.fundingPeriodHours ?? wire.fail(`${path}.funding_period_hours`, 'is absent here and in /markets');
  const venueTime = wire.optionalInteger(data['created_at'], `${path}.created_at`) ?? receivedAt;
  return { venue: PARADEX, symbol: market.info.symbol, rate, intervalHours, venueTime, receivedAt };
}

function positiveHours(value: unknown, path: string): number {
  const hours = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours <= 0) {
    return wire.fail(path, `must be a positive number of hours, got ${JSON.stringify(value)}`);
  }
  return hours;
}

/** JSON-RPC requests the connector sends. */
export function subscribeRequest(channel: string, id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'subscribe', params: { channel }, id });
}

export function unsubscribeRequest(channel: string, id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'unsubscribe', params: { channel }, id });
}
