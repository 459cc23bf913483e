/**
 * Vest wire <-> normalized events. Pure functions over decoded JSON.
 *
 * Sources: Vest API docs (as kept in hummingbot's VEST_API_DOCS.md), /work/shared/venue-shapes.md.
 * - `{SYMBOL}@depth` pushes `{"channel","data":{"bids":[["price","size"]],"asks":[..]}}` with no
 *   sequence number and no timestamp: every push is decoded as a full snapshot (as the venue's
 *   clients treat it), and venueTime is the receive time because the venue sends none.
 * - Decimals may carry trailing zeros ("0.102000" with priceDecimals 4): toUnits trims them,
 *   so only significant digits count against the market's decimals.
 * - `tickers` pushes an array of tickers; oneHrFundingRate is the rate per one-hour interval.
 *   A ticker documents only symbol, markPrice, indexPrice, imbalance, oneHrFundingRate,
 *   cumFunding and status (Vest "GET /ticker/latest"): no predicted rate and no settlement time,
 *   so FundingEvent.nextRate and nextFundingAt stay unset.
 */
import type { BookEvent, FundingEvent, LevelChange, MarketInfo } from '../../../engine/market/types.ts';
import { WireFormatError } from '../shared/errors.ts';
import { stepOf } from '../shared/markets.ts';
import { WireReader, frameText, type JsonObject } from '../shared/wire.ts';

export const VEST = 'vest';
const wire = new WireReader(VEST);
export const DEPTH_SUFFIX = '@depth';
export const TICKERS_CHANNEL = 'tickers';
/** Vest funds hourly: the field is named oneHrFundingRate and /funding/history is hourly. */
export const VEST_FUNDING_INTERVAL_HOURS = 1;

export function decodeExchangeInfo(body: unknown): MarketInfo[] {
  const root = wire.object(body, '(body)');
  const symbols = wire.array(root['symbols'], 'symbols');
  return symbols.map((raw, i) => {
    const path = `symbols[${i}]`;
    const s = wire.object(raw, path);
    const priceDecimals = decimals(s['priceDecimals'], `${path}.priceDecimals`);
    const sizeDecimals = decimals(s['sizeDecimals'], `${path}.sizeDecimals`);
    const sizeIncrement = stepOf(sizeDecimals);
    return {
      venue: VEST,
      symbol: wire.string(s['symbol'], `${path}.symbol`),
      priceDecimals,
      sizeDecimals,
      tickSize: stepOf(priceDecimals),
      sizeIncrement,
      minSize: sizeIncrement,
    };
  });
}

export type VestMessage =
  | { kind: 'book'; event: BookEvent }
  | { kind: 'funding'; events: FundingEvent[] }
  | { kind: 'pong' }
  | { kind: 'ack'; id: unknown }
  | { kind: 'unrouted'; channel: string }
  | { kind: 'other' };

export function decodeFrameText(
  data: string | Buffer,
  markets: ReadonlyMap<string, MarketInfo>,
  receivedAt: number,
): VestMessage {
  return decodeFrame(wire.parseJson(frameText(data)), markets, receivedAt);
}

export function decodeFrame(json: unknown, markets: ReadonlyMap<string, MarketInfo>, receivedAt: number): VestMessage {
  const msg = wire.object(json, '(frame)');
  if (msg['data'] === 'PONG') return { kind: 'pong' };
  if ('result' in msg && 'id' in msg) return { kind: 'ack', id: msg['id'] };
  if (msg['channel'] === undefined) return { kind: 'other' };
  const channel = wire.string(msg['channel'], 'channel');
  if (channel === TICKERS_CHANNEL) {
    return { kind: 'funding', events: decodeTickers(msg['data'], markets, receivedAt) };
  }
  if (channel.endsWith(DEPTH_SUFFIX)) {
    const symbol = channel.slice(0, -DEPTH_SUFFIX.length);
    const market = markets.get(symbol);
    if (!market) return { kind: 'unrouted', channel };
    try {
      return { kind: 'book', event: decodeDepth(msg['data'], market, receivedAt) };
    } catch (err) {
      if (err instanceof WireFormatError) throw err.withSymbol(symbol);
      throw err;
    }
  }
  return { kind: 'unrouted', channel };
}

export function decodeDepth(raw: unknown, market: MarketInfo, receivedAt: number): BookEvent {
  const data = wire.object(raw, 'data');
  return {
    type: 'snapshot',
    venue: VEST,
    symbol: market.symbol,
    bids: levels(data, 'bids', market),
    asks: levels(data, 'asks', market),
    venueTime: receivedAt,
    receivedAt,
  };
}

/** REST GET /depth answers `{bids, asks}` in the same shape as the push's data. */
export function decodeDepthBody(body: unknown, market: MarketInfo, receivedAt: number): BookEvent {
  return decodeDepth(body, market, receivedAt);
}

function levels(data: JsonObject, side: 'bids' | 'asks', market: MarketInfo): LevelChange[] {
  return wire.array(data[side], `data.${side}`).map((rawLevel, i) => {
    const at = `data.${side}[${i}]`;
    const pair = wire.array(rawLevel, at);
    if (pair.length < 2) wire.fail(at, 'must be [price, size]');
    const price = wire.units(pair[0], market.priceDecimals, `${at}[0]`);
    const size = wire.units(pair[1], market.sizeDecimals, `${at}[1]`);
    if (price <= 0) wire.fail(`${at}[0]`, 'must be positive');
    if (size < 0) wire.fail(`${at}[1]`, 'must not be negative');
    return { price, size };
  });
}

function decodeTickers(raw: unknown, markets: ReadonlyMap<string, MarketInfo>, receivedAt: number): FundingEvent[] {
  const events: FundingEvent[] = [];
  wire.array(raw, 'data').forEach((rawTicker, i) => {
    const at = `data[${i}]`;
    const t = wire.object(rawTicker, at);
    const symbol = wire.string(t['symbol'], `${at}.symbol`);
    if (!markets.has(symbol) || t['oneHrFundingRate'] === undefined) return;
    events.push({
      venue: VEST,
      symbol,
      rate: wire.looseDecimal(t['oneHrFundingRate'], `${at}.oneHrFundingRate`),
      intervalHours: VEST_FUNDING_INTERVAL_HOURS,
      venueTime: receivedAt,
      receivedAt,
    });
  });
  return events;
}

function decimals(value: unknown, path: string): number {
  const n = wire.integer(value, path);
  if (n < 0 || n > 18) wire.fail(path, `must be between 0 and 18, got ${n}`);
  return n;
}

export function subscribeRequest(channels: string[], id: number): string {
  return JSON.stringify({ method: 'SUBSCRIBE', params: channels, id });
}

export function unsubscribeRequest(channels: string[], id: number): string {
  return JSON.stringify({ method: 'UNSUBSCRIBE', params: channels, id });
}

export function pingRequest(): string {
  return JSON.stringify({ method: 'PING', params: [], id: 0 });
}
