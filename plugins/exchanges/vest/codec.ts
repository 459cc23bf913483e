/**
 * Vest wire <-> normalized events. Pure functions over decoded JSON.
 *
 * Sources: Vest API docs (as kept in hummingbot's VEST_API_DOCS.md), /work/shared/venue-shapes.md,
 * and frames captured live by a community client (autopilotaitech/BookDepthIQ-Vest, commit
 * a600a319742837c62318952c7fd9a18444d757a8: src/vest/types.ts, src/vest/ws.ts, tests/fixtures/).
 * - `{SYMBOL}@depth` pushes `{"channel","data":{"bids":[["price","size"]],"asks":[..]},"tsMs"}`
 *   with no sequence number: every push is decoded as a full snapshot (as the venue's clients
 *   treat it). `tsMs` (ms, the venue's clock; in the captured depth, trades and ticker frames,
 *   absent from the docs' examples) is the event's venueTime, so desync risk compares venue
 *   clocks; a frame without it falls back to the receive time.
 * - Decimals may carry trailing zeros ("0.102000" with priceDecimals 4): toUnits trims them,
 *   so only significant digits count against the market's decimals.
 * - `tickers` pushes an array of tickers; `{SYMBOL}@ticker` pushes ONE ticker object in `data`
 *   (BookDepthIQ-Vest tests/fixtures/ticker-nq.json). oneHrFundingRate is the rate per hour.
 * - A refused subscription is answered `{"subscription_outcomes":[{"requested":"X@kline_1m",
 *   "status":"rejected","reason":"invalid_stream"}]}`, one outcome per stream, "registered" for
 *   the accepted ones (BookDepthIQ-Vest src/vest/ws.ts and tests/market.test.ts).
 *   A ticker documents only symbol, markPrice, indexPrice, imbalance, oneHrFundingRate,
 *   cumFunding and status (Vest "GET /ticker/latest"): no predicted rate and no settlement time,
 *   so FundingEvent.nextRate and nextFundingAt stay unset.
 */
import type { BookEvent, FundingEvent, LevelChange, MarketInfo } from '../../../engine/market/types.ts';
import { WireFormatError } from '../shared/errors.ts';
import { stepOf } from '../shared/markets.ts';
import { WireReader, frameText, type JsonObject } from '../shared/wire.ts';
import { decodeVestTick, type MissingTickPolicy, type VestTick } from './tick-size.ts';

export const VEST = 'vest';
const wire = new WireReader(VEST);
export const DEPTH_SUFFIX = '@depth';
export const TICKERS_CHANNEL = 'tickers';
export const TICKER_SUFFIX = '@ticker';
/** Vest funds hourly: the field is named oneHrFundingRate and /funding/history is hourly. */
export const VEST_FUNDING_INTERVAL_HOURS = 1;

export interface VestMarket {
  market: MarketInfo;
  tick: VestTick;
}

/**
 * Every symbol of a GET /exchangeInfo answer with the field its tick came from. `missingTick`
 * applies when a symbol publishes no tick field at all (see tick-size.ts); the lenient default
 * keeps callers that only need decimals working against a server that omits them.
 */
export function decodeVestMarkets(body: unknown, missingTick: MissingTickPolicy = 'priceDecimals'): VestMarket[] {
  const root = wire.object(body, '(body)');
  const symbols = wire.array(root['symbols'], 'symbols');
  return symbols.map((raw, i) => {
    const path = `symbols[${i}]`;
    const s = wire.object(raw, path);
    const symbol = wire.string(s['symbol'], `${path}.symbol`);
    const priceDecimals = decimals(s['priceDecimals'], `${path}.priceDecimals`);
    const sizeDecimals = decimals(s['sizeDecimals'], `${path}.sizeDecimals`);
    const sizeIncrement = stepOf(sizeDecimals);
    let tick: VestTick;
    try {
      tick = decodeVestTick(wire, s, path, priceDecimals, missingTick);
    } catch (err) {
      if (err instanceof WireFormatError) throw err.withSymbol(symbol);
      throw err;
    }
    const market: MarketInfo = { venue: VEST, symbol, priceDecimals, sizeDecimals, tickSize: tick.tickSize, sizeIncrement, minSize: sizeIncrement };
    Object.assign(market, vestContract(s, symbol));
    return { market, tick };
  });
}

/**
 * Base, quote and kind of a Vest market. GET /exchangeInfo's SymbolInfo carries `base` and
 * `quote` ("BTC", "USDC" in the docs' example, https://docs.vest.exchange/getting-started/vest-api);
 * where an entry lacks them (test/fixtures/venues/vest/rest/exchange-info-nq-bookdepthiq.json, a
 * live NDX-USD-PERP entry), the symbol says them: "<BASE>-PERP" or "<BASE>-<QUOTE>-PERP". Every
 * Vest market is a perpetual (the symbol's -PERP suffix); the docs: "USDC is the only numéraire".
 */
function vestContract(s: Record<string, unknown>, symbol: string): Pick<MarketInfo, 'base' | 'quote' | 'kind'> {
  const m = /^([A-Za-z0-9]+)(?:-([A-Za-z]+))?-PERP$/.exec(symbol);
  const out: Pick<MarketInfo, 'base' | 'quote' | 'kind'> = { kind: m ? 'perp' : 'other' };
  const base = typeof s['base'] === 'string' ? s['base'] : m?.[1];
  const quote = typeof s['quote'] === 'string' ? s['quote'] : m?.[2];
  if (base) out.base = base;
  if (quote) out.quote = quote;
  return out;
}

export function decodeExchangeInfo(body: unknown, missingTick: MissingTickPolicy = 'priceDecimals'): MarketInfo[] {
  return decodeVestMarkets(body, missingTick).map((m) => m.market);
}

/** One stream the venue refused, as its subscription_outcomes entry names it. */
export interface SubscriptionRefusal {
  channel: string;
  reason: string;
}

export type VestMessage =
  | { kind: 'book'; event: BookEvent }
  | { kind: 'funding'; events: FundingEvent[] }
  | { kind: 'pong' }
  | { kind: 'ack'; id: unknown }
  | { kind: 'outcomes'; accepted: string[]; refused: SubscriptionRefusal[] }
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
  if (msg['subscription_outcomes'] !== undefined) return decodeOutcomes(msg['subscription_outcomes']);
  if (msg['channel'] === undefined) return { kind: 'other' };
  const channel = wire.string(msg['channel'], 'channel');
  if (channel === TICKERS_CHANNEL) {
    return { kind: 'funding', events: decodeTickers(msg['data'], markets, venueTimeOf(msg, receivedAt), receivedAt) };
  }
  const perSymbol = channel.endsWith(DEPTH_SUFFIX) ? DEPTH_SUFFIX : channel.endsWith(TICKER_SUFFIX) ? TICKER_SUFFIX : undefined;
  if (!perSymbol) return { kind: 'unrouted', channel };
  const symbol = channel.slice(0, -perSymbol.length);
  const market = markets.get(symbol);
  if (!market) return { kind: 'unrouted', channel };
  try {
    const venueTime = venueTimeOf(msg, receivedAt);
    if (perSymbol === TICKER_SUFFIX) return { kind: 'funding', events: decodeTicker(msg['data'], symbol, venueTime, receivedAt) };
    return { kind: 'book', event: decodeDepth(msg['data'], market, receivedAt, venueTime) };
  } catch (err) {
    if (err instanceof WireFormatError) throw err.withSymbol(symbol);
    throw err;
  }
}

/** The frame's `tsMs` (venue clock, ms) when it carries one, else the receive time. */
function venueTimeOf(msg: JsonObject, receivedAt: number): number {
  const ts = wire.optionalInteger(msg['tsMs'], 'tsMs');
  if (ts === undefined) return receivedAt;
  if (ts <= 0) wire.fail('tsMs', `must be a positive ms timestamp, got ${ts}`);
  return ts;
}

function decodeOutcomes(raw: unknown): VestMessage {
  const accepted: string[] = [];
  const refused: SubscriptionRefusal[] = [];
  wire.array(raw, 'subscription_outcomes').forEach((rawOutcome, i) => {
    const at = `subscription_outcomes[${i}]`;
    const o = wire.object(rawOutcome, at);
    const channel = wire.string(o['requested'], `${at}.requested`);
    const status = wire.string(o['status'], `${at}.status`);
    if (status === 'rejected') {
      const reason = o['reason'] === undefined || o['reason'] === null ? 'rejected' : wire.string(o['reason'], `${at}.reason`);
      refused.push({ channel, reason });
    } else {
      accepted.push(channel);
    }
  });
  return { kind: 'outcomes', accepted, refused };
}

export function decodeDepth(raw: unknown, market: MarketInfo, receivedAt: number, venueTime: number = receivedAt): BookEvent {
  const data = wire.object(raw, 'data');
  return {
    type: 'snapshot',
    venue: VEST,
    symbol: market.symbol,
    bids: levels(data, 'bids', market),
    asks: levels(data, 'asks', market),
    venueTime,
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

function decodeTickers(raw: unknown, markets: ReadonlyMap<string, MarketInfo>, venueTime: number, receivedAt: number): FundingEvent[] {
  const events: FundingEvent[] = [];
  wire.array(raw, 'data').forEach((rawTicker, i) => {
    const at = `data[${i}]`;
    const t = wire.object(rawTicker, at);
    const symbol = wire.string(t['symbol'], `${at}.symbol`);
    if (!markets.has(symbol)) return;
    const event = fundingOf(t, at, symbol, venueTime, receivedAt);
    if (event) events.push(event);
  });
  return events;
}

/** `{SYMBOL}@ticker`: one ticker object for the channel's symbol. */
function decodeTicker(raw: unknown, symbol: string, venueTime: number, receivedAt: number): FundingEvent[] {
  const t = wire.object(raw, 'data');
  if (t['symbol'] !== undefined && wire.string(t['symbol'], 'data.symbol') !== symbol) {
    wire.fail('data.symbol', `is ${JSON.stringify(t['symbol'])} on the ${symbol}${TICKER_SUFFIX} channel`);
  }
  const event = fundingOf(t, 'data', symbol, venueTime, receivedAt);
  return event ? [event] : [];
}

function fundingOf(t: JsonObject, at: string, symbol: string, venueTime: number, receivedAt: number): FundingEvent | undefined {
  if (t['oneHrFundingRate'] === undefined) return undefined;
  return {
    venue: VEST,
    symbol,
    rate: wire.looseDecimal(t['oneHrFundingRate'], `${at}.oneHrFundingRate`),
    intervalHours: VEST_FUNDING_INTERVAL_HOURS,
    venueTime,
    receivedAt,
  };
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
