/**
 * Lighter wire <-> normalized events. Pure functions over decoded JSON.
 *
 * Sources: elliottech/lighter-python ws_client.py, docs.lighter.xyz, /work/shared/venue-shapes.md.
 * - Markets are integers; the engine's symbol for a market is its id as text ("1").
 * - Subscribe to `order_book/{id}`; the server writes the channel as `order_book:{id}`. The first
 *   reply is the whole book (`subscribed/order_book`), then `update/order_book` level changes;
 *   size "0"/"0.0000" removes a level.
 * - Continuity: an update's `begin_nonce` equals the previous update's `nonce`, so an update has
 *   seq = nonce and prevSeq = begin_nonce (third-party reconstructions; Lighter's docs do not say).
 *   Some captured updates carry no `begin_nonce` at all (ccxt's lighter.ts source comments,
 *   test/fixtures/venues/lighter/ws/order-book-update-no-begin-nonce-ccxt.json): such an update
 *   cannot be chained, so it is reported as `resync` (never applied, never a crash).
 * - Venue time: `last_updated_at` (µs), see bookVenueTime. A snapshot has seq = its nonce when it carries one
 *   (see LighterOptions.trustSnapshotNonce) and no seq otherwise. `offset` is not used: Lighter
 *   said it is no longer contiguous.
 * - Funding: `market_stats/{id}` -> `market_stats.current_funding_rate` (the running estimate for
 *   the current hour; falls back to `funding_rate`). Lighter funds every hour
 *   (docs.lighter.xyz/trading/funding: "Funding payments occur at each hour mark"); the stream
 *   carries no interval field in any source seen, so the interval is that documented hour.
 *   Which field is which (see decodeMarketStats for the sources): `current_funding_rate` is the
 *   live estimate for the hour in progress, i.e. what the next hour mark settles -> `rate` and
 *   `nextRate`; `funding_rate` is the last settled rate (history, not a forecast); and
 *   `funding_timestamp` (ms) pins the settlement schedule -> `nextFundingAt`.
 * - The official SDK throws on unknown message types; the server adds types over time, so the
 *   codec reports them as `unknown` and the connector logs them at debug.
 */
import type { BookEvent, FundingEvent, LevelChange, MarketInfo } from '../../../engine/market/types.ts';
import { WireFormatError } from '../shared/errors.ts';
import { stepOf } from '../shared/markets.ts';
import { WireReader, frameText, type JsonObject } from '../shared/wire.ts';

export const LIGHTER = 'lighter';
export const LIGHTER_FUNDING_INTERVAL_HOURS = 1;
const wire = new WireReader(LIGHTER);

export function decodeOrderBookDetails(body: unknown): MarketInfo[] {
  const root = wire.object(body, '(body)');
  const list = wire.array(root['order_book_details'], 'order_book_details');
  return list.map((raw, i) => {
    const path = `order_book_details[${i}]`;
    const d = wire.object(raw, path);
    const marketId = wire.integer(d['market_id'], `${path}.market_id`);
    const priceDecimals = decimals(d['price_decimals'], `${path}.price_decimals`);
    const sizeDecimals = decimals(d['size_decimals'], `${path}.size_decimals`);
    const info: MarketInfo = {
      venue: LIGHTER,
      symbol: String(marketId),
      priceDecimals,
      sizeDecimals,
      tickSize: stepOf(priceDecimals),
      sizeIncrement: stepOf(sizeDecimals),
    };
    if (d['min_base_amount'] !== undefined) info.minSize = wire.unsignedLooseDecimal(d['min_base_amount'], `${path}.min_base_amount`);
    if (d['min_quote_amount'] !== undefined) info.minNotional = wire.looseDecimal(d['min_quote_amount'], `${path}.min_quote_amount`);
    // Discovery facts: orderBookDetails names a perp by its base asset in `symbol` ("ETH", market_id 0)
    // and, in newer answers, `market_type: "perp"` (test/fixtures/venues/lighter/rest/order-book-details-*.json);
    // spot books come in a separate spot_order_book_details list, so an entry without market_type is a perp.
    // No quote field: Lighter's perps are all margined in its one collateral (USDC), so quote stays unset.
    if (typeof d['symbol'] === 'string') info.base = d['symbol'];
    const type = d['market_type'];
    info.kind = type === undefined || type === 'perp' ? 'perp' : type === 'spot' ? 'spot' : 'other';
    return info;
  });
}

export type LighterMessage =
  | { kind: 'book'; event: BookEvent }
  | { kind: 'funding'; events: FundingEvent[] }
  | { kind: 'connected' }
  | { kind: 'ping' }
  | { kind: 'pong' }
  | { kind: 'error'; code: number | undefined; message: string }
  | { kind: 'unrouted'; channel: string }
  /** A book update that cannot be chained to the one before (no `begin_nonce`): resnapshot that book. */
  | { kind: 'resync'; symbol: string; reason: string }
  | { kind: 'unknown'; type: string | undefined };

export interface LighterDecodeContext {
  markets: ReadonlyMap<string, MarketInfo>;
  fundingRateUnit: 'percent' | 'fraction';
  trustSnapshotNonce: boolean;
}

export function decodeFrameText(data: string | Buffer, ctx: LighterDecodeContext, receivedAt: number): LighterMessage {
  return decodeFrame(wire.parseJson(frameText(data)), ctx, receivedAt);
}

export function decodeFrame(json: unknown, ctx: LighterDecodeContext, receivedAt: number): LighterMessage {
  const msg = wire.object(json, '(frame)');
  if (msg['error'] !== undefined) {
    const err = typeof msg['error'] === 'object' && msg['error'] !== null ? (msg['error'] as JsonObject) : {};
    return {
      kind: 'error',
      code: typeof err['code'] === 'number' ? err['code'] : undefined,
      message: typeof err['message'] === 'string' ? err['message'] : String(msg['error']),
    };
  }
  const type = typeof msg['type'] === 'string' ? msg['type'] : undefined;
  switch (type) {
    case 'connected':
      return { kind: 'connected' };
    case 'ping':
      return { kind: 'ping' };
    case 'pong':
      return { kind: 'pong' };
    case 'subscribed/order_book':
    case 'update/order_book': {
      const channel = wire.string(msg['channel'], 'channel');
      const symbol = channelMarket(channel);
      const market = ctx.markets.get(symbol);
      if (!market) return { kind: 'unrouted', channel };
      try {
        const isSnapshot = type === 'subscribed/order_book';
        if (!isSnapshot && isAbsent(wire.object(msg['order_book'], 'order_book')['begin_nonce'])) {
          return { kind: 'resync', symbol, reason: 'update/order_book without order_book.begin_nonce: cannot be chained to the previous update' };
        }
        return { kind: 'book', event: decodeBook(msg, isSnapshot, market, ctx, receivedAt) };
      } catch (err) {
        if (err instanceof WireFormatError) throw err.withSymbol(symbol);
        throw err;
      }
    }
    case 'subscribed/market_stats':
    case 'update/market_stats':
      return { kind: 'funding', events: decodeMarketStats(msg, ctx, receivedAt) };
    default:
      return { kind: 'unknown', type };
  }
}

/** `order_book:1` (as the server writes it) or `order_book/1` (as we subscribe) -> "1". */
export function channelMarket(channel: string): string {
  const cut = Math.max(channel.lastIndexOf(':'), channel.lastIndexOf('/'));
  return cut >= 0 ? channel.slice(cut + 1) : channel;
}

function decodeBook(msg: JsonObject, isSnapshot: boolean, market: MarketInfo, ctx: LighterDecodeContext, receivedAt: number): BookEvent {
  const book = wire.object(msg['order_book'], 'order_book');
  const venueTime = bookVenueTime(msg, book, receivedAt);
  const bids = levels(book, 'bids', market);
  const asks = levels(book, 'asks', market);
  const base = { venue: LIGHTER, symbol: market.symbol, bids, asks, venueTime, receivedAt };
  if (isSnapshot) {
    const nonce = ctx.trustSnapshotNonce ? wire.optionalInteger(book['nonce'], 'order_book.nonce') : undefined;
    return nonce === undefined ? { type: 'snapshot', ...base } : { type: 'snapshot', seq: nonce, ...base };
  }
  const seq = wire.integer(book['nonce'], 'order_book.nonce');
  const prevSeq = wire.integer(book['begin_nonce'], 'order_book.begin_nonce');
  return { type: 'delta', seq, prevSeq, ...base };
}

/** Below this a `last_updated_at` is not microseconds since the epoch (1e14 µs is 1973). */
const MIN_US_TIMESTAMP = 1e14;

/**
 * Venue time of a book frame, ms. `last_updated_at` is the book's own clock in microseconds
 * (order_book and top level both carry it in Nautilus Trader's captured frames,
 * test/fixtures/venues/lighter/ws/order-book-update-nautilus.json: 1774884082309144 beside a
 * top-level `timestamp` of 1774884082326 ms, the send time, 17 ms later). Older frames (ccxt's
 * capture) carry only `timestamp` (ms): then that, and receive time as the last resort. Desync
 * risk is measured on this clock, so the book's time wins over the frame's send time.
 */
function bookVenueTime(msg: JsonObject, book: JsonObject, receivedAt: number): number {
  const inBook = !isAbsent(book['last_updated_at']);
  const us = inBook ? book['last_updated_at'] : msg['last_updated_at'];
  const path = inBook ? 'order_book.last_updated_at' : 'last_updated_at';
  const micros = wire.optionalInteger(us, path);
  if (micros !== undefined && micros !== 0) {
    if (micros < MIN_US_TIMESTAMP) wire.fail(path, `must be microseconds since the epoch, got ${micros}`);
    return Math.floor(micros / 1000);
  }
  return wire.optionalInteger(msg['timestamp'], 'timestamp') ?? receivedAt;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function levels(book: JsonObject, side: 'bids' | 'asks', market: MarketInfo): LevelChange[] {
  const raw = book[side];
  if (raw === undefined || raw === null) return [];
  return wire.array(raw, `order_book.${side}`).map((rawLevel, i) => {
    const at = `order_book.${side}[${i}]`;
    const level = wire.object(rawLevel, at);
    const price = wire.units(level['price'], market.priceDecimals, `${at}.price`);
    const size = wire.units(level['size'], market.sizeDecimals, `${at}.size`);
    if (price <= 0) wire.fail(`${at}.price`, 'must be positive');
    if (size < 0) wire.fail(`${at}.size`, 'must not be negative');
    return { price, size };
  });
}

function decodeMarketStats(msg: JsonObject, ctx: LighterDecodeContext, receivedAt: number): FundingEvent[] {
  const stats = wire.object(msg['market_stats'], 'market_stats');
  const venueTime = wire.optionalInteger(msg['timestamp'], 'timestamp') ?? receivedAt;
  // `market_stats/{id}` sends one object; `market_stats/all` a map of id -> object.
  const entries: Array<[string, JsonObject]> =
    stats['market_id'] !== undefined
      ? [['market_stats', stats]]
      : Object.entries(stats).map(([key, value]) => [`market_stats.${key}`, wire.object(value, `market_stats.${key}`)]);
  const events: FundingEvent[] = [];
  for (const [path, s] of entries) {
    const symbol = String(wire.integer(s['market_id'], `${path}.market_id`));
    if (!ctx.markets.has(symbol)) continue;
    const field = s['current_funding_rate'] !== undefined ? 'current_funding_rate' : 'funding_rate';
    if (s[field] === undefined) continue;
    const raw = wire.looseDecimal(s[field], `${path}.${field}`);
    const rate = ctx.fundingRateUnit === 'percent' ? shiftDecimal(raw, -2) : raw;
    const event: FundingEvent = { venue: LIGHTER, symbol, rate, intervalHours: LIGHTER_FUNDING_INTERVAL_HOURS, venueTime, receivedAt };
    // current_funding_rate is the "Current live funding rate estimate" and funding_rate the "Last
    // settled funding rate" (Allium's Lighter market_stats tables, docs.allium.so); Nautilus
    // Trader's Lighter adapter reads them the same way ("current_funding_rate as the estimate for
    // the upcoming payment. The funding_rate field is the last completed payment"). So the next
    // settlement's rate is the live estimate; a settled funding_rate alone forecasts nothing.
    if (field === 'current_funding_rate') event.nextRate = rate;
    const nextFundingAt = nextSettlement(s['funding_timestamp'], `${path}.funding_timestamp`, venueTime);
    if (nextFundingAt !== undefined) event.nextFundingAt = nextFundingAt;
    events.push(event);
  }
  return events;
}

const HOUR_MS = 3_600_000;
/** Below this a timestamp is seconds, not ms (1e12 ms is September 2001). */
const MIN_MS_TIMESTAMP = 1e12;

/**
 * The next hour-mark settlement from market_stats' `funding_timestamp`.
 * Unit: ms. The WebSocket reference's example has 1722337200000 (2024-07-30 11:00 UTC) and ccxt's
 * captured frame 1763532000004 (06:00 UTC plus 4 ms: a settlement's processing time, not a
 * scheduled one).
 * Meaning: most sources say the LAST settlement (Nautilus Trader's Lighter adapter: it
 * "identifies that completed payment; market stats do not provide the next settlement time";
 * Allium: "Funding timestamp of the latest snapshot"), but an older Nautilus fixture has a
 * future value. Both readings give the same answer here: a timestamp after the frame's time is
 * the next settlement itself; one at or before it anchors the hourly schedule, and the next
 * settlement is the first step of that schedule after the frame. 0 means no settlement yet
 * (Nautilus treats it so) and gives nothing.
 */
function nextSettlement(value: unknown, path: string, venueTime: number): number | undefined {
  const anchor = wire.optionalInteger(value, path);
  if (anchor === undefined || anchor === 0) return undefined;
  if (anchor < MIN_MS_TIMESTAMP) {
    return wire.fail(path, `must be ms since the epoch (the docs' example is 1722337200000), got ${anchor}, which looks like seconds or garbage`);
  }
  if (anchor > venueTime) return anchor;
  const step = LIGHTER_FUNDING_INTERVAL_HOURS * HOUR_MS;
  return anchor + (Math.floor((venueTime - anchor) / step) + 1) * step;
}

/** Move the decimal point: ("0.0012", -2) -> "0.000012". Exact string arithmetic, no float. */
export function shiftDecimal(text: string, places: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a decimal: ${text}`);
  const [, sign = '', whole = '0', frac = ''] = m;
  let digits = whole + frac;
  let scale = frac.length - places;
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  digits = digits.padStart(scale + 1, '0');
  const intPart = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
  const fracPart = digits.slice(digits.length - scale).replace(/0+$/, '');
  const out = fracPart ? `${intPart}.${fracPart}` : intPart;
  return sign && /[1-9]/.test(out) ? `-${out}` : out;
}

function decimals(value: unknown, path: string): number {
  const n = wire.integer(value, path);
  if (n < 0 || n > 18) wire.fail(path, `must be between 0 and 18, got ${n}`);
  return n;
}

export function subscribeRequest(channel: string): string {
  return JSON.stringify({ type: 'subscribe', channel });
}

export function unsubscribeRequest(channel: string): string {
  return JSON.stringify({ type: 'unsubscribe', channel });
}

export const PING = JSON.stringify({ type: 'ping' });
export const PONG = JSON.stringify({ type: 'pong' });
