/**
 * The SBE public feed's frame decoder. On an SBE socket (docs.paradex.trade, "Binary Encoding (SBE)":
 * "Binary frames received from the server are channel data"; subscribe/unsubscribe acks and errors
 * stay JSON-RPC text frames) a text frame goes to the JSON decoder and a binary frame is decoded here
 * by template id. Frames carry no channel name: book and funding frames are routed by their market.
 */
import { WireFormatError } from '../../shared/errors.ts';
import { jsonFrameDecoder, type ParadexFrameDecoder, type ParadexMarket, type ParadexMessage, type ParadexRoute } from '../codec.ts';
import { bookSpans, decodeBook } from './book.ts';
import { decodeFunding, fundingMarket } from './funding.ts';
import { readHeader } from './header.ts';
import { int64, microsToMillis, sbeFail, varString8 } from './reader.ts';
import { HEARTBEAT, MESSAGE_HEADER_BYTES, TEMPLATE } from './schema.ts';

interface MarketRoutes {
  book?: ParadexMarket;
  funding?: ParadexMarket;
}

interface RouteIndex {
  size: number;
  byMarket: Map<string, MarketRoutes>;
  /** The same routes by a hash of the market's UTF-8 bytes, so a frame is routed without decoding its text. */
  byHash: Map<number, { bytes: Buffer; routes: MarketRoutes; symbol: string }[]>;
}

/**
 * Routes by market, built once per routes map. The connector builds a new map per run, so a map's
 * identity (and size, as a guard) says whether the index is current. The last map used is kept
 * beside the WeakMap: one socket's frames all come with the same map.
 */
const indexes = new WeakMap<ReadonlyMap<string, ParadexRoute>, RouteIndex>();
let lastRoutes: ReadonlyMap<string, ParadexRoute> | undefined;
let lastIndex: RouteIndex | undefined;

function routeIndex(routes: ReadonlyMap<string, ParadexRoute>): RouteIndex {
  if (routes === lastRoutes && lastIndex!.size === routes.size) return lastIndex!;
  let index = indexes.get(routes);
  if (!index || index.size !== routes.size) {
    const byMarket = new Map<string, MarketRoutes>();
    for (const route of routes.values()) {
      const symbol = route.market.info.symbol;
      const entry = byMarket.get(symbol) ?? {};
      entry[route.kind] = route.market;
      byMarket.set(symbol, entry);
    }
    const byHash: RouteIndex['byHash'] = new Map();
    for (const [symbol, entry] of byMarket) {
      const bytes = Buffer.from(symbol, 'utf8');
      const h = hashBytes(bytes, 0, bytes.length);
      const list = byHash.get(h) ?? [];
      list.push({ bytes, routes: entry, symbol });
      byHash.set(h, list);
    }
    index = { size: routes.size, byMarket, byHash };
    indexes.set(routes, index);
  }
  lastRoutes = routes;
  lastIndex = index;
  return index;
}

function routesByMarket(routes: ReadonlyMap<string, ParadexRoute>): Map<string, MarketRoutes> {
  return routeIndex(routes).byMarket;
}

/** FNV-1a over bytes [at, at + length). */
function hashBytes(buf: Uint8Array, at: number, length: number): number {
  let h = 0x811c9dc5;
  for (let i = at; i < at + length; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

/** The routes of the market whose varString8 starts at `at` (bounds already checked), by its bytes. */
function routesAt(buf: Buffer, at: number, index: RouteIndex): { routes: MarketRoutes; symbol: string } | undefined {
  const length = buf[at]!;
  const list = index.byHash.get(hashBytes(buf, at + 1, length));
  if (list === undefined) return undefined;
  for (let k = 0; k < list.length; k++) {
    const c = list[k]!;
    if (c.bytes.length !== length) continue;
    let i = 0;
    while (i < length && c.bytes[i] === buf[at + 1 + i]) i++;
    if (i === length) return c;
  }
  return undefined;
}

export const sbeFrameDecoder: ParadexFrameDecoder = {
  decode(data, routes, receivedAt) {
    if (typeof data === 'string') return controlFrame(jsonFrameDecoder.decode(data, routes, receivedAt));
    return decodeBinary(data, routes, receivedAt);
  },
};

/**
 * On an SBE socket only control frames (acks, errors) are text. Book or funding data as JSON text means
 * the server is not speaking the negotiated encoding (a JSON-only simulator, a proxy that dropped the
 * query): refused and counted, so such a feed can never pass for a working SBE one.
 */
function controlFrame(message: ParadexMessage): ParadexMessage {
  if (message.kind === 'book' || message.kind === 'funding') {
    sbeFail('frame', `is ${message.kind} data as JSON text, but SBE was negotiated: channel data must arrive as binary frames`);
  }
  return message;
}

export function decodeBinary(buf: Buffer, routes: ReadonlyMap<string, ParadexRoute>, receivedAt: number): ParadexMessage {
  const header = readHeader(buf);
  switch (header.templateId) {
    case TEMPLATE.book: {
      const spans = bookSpans(buf, header);
      const found = routesAt(buf, spans.marketAt, routeIndex(routes));
      const market = found?.routes.book;
      if (!market) return { kind: 'unrouted', channel: `order_book.${varString8(buf, spans.marketAt, 'market').text} (SBE BookEvent)` };
      try {
        return { kind: 'book', event: decodeBook(buf, header, market, spans, receivedAt) };
      } catch (err) {
        // Errors after the market is known name it, so the feed resyncs exactly that book.
        if (err instanceof WireFormatError) throw err.withSymbol(found!.symbol);
        throw err;
      }
    }
    case TEMPLATE.fundingData: {
      const symbol = fundingMarket(buf, header);
      const market = routesByMarket(routes).get(symbol)?.funding;
      if (!market) return { kind: 'unrouted', channel: `funding_data.${symbol} (SBE FundingDataEvent)` };
      return named(symbol, () => ({ kind: 'funding', event: decodeFunding(buf, header, market, receivedAt) }));
    }
    case TEMPLATE.heartbeat: {
      if (header.blockLength < HEARTBEAT.requiredBlock) sbeFail('header.blockLength', `is ${header.blockLength}; a HeartbeatEvent needs ${HEARTBEAT.requiredBlock}`);
      return { kind: 'heartbeat', venueTime: microsToMillis(int64(buf, MESSAGE_HEADER_BYTES + HEARTBEAT.ts, 'ts')) };
    }
    default:
      // Trades, BBO, summaries we do not subscribe, and templates a newer version adds: the schema says
      // "unknown templateIds must be skipped", so the connection and the books carry on.
      return { kind: 'skipped', templateId: header.templateId, version: header.version };
  }
}

/** Errors after the market is known name it, so the feed resyncs exactly that book. */
function named(symbol: string, decode: () => ParadexMessage): ParadexMessage {
  try {
    return decode();
  } catch (err) {
    if (err instanceof WireFormatError) throw err.withSymbol(symbol);
    throw err;
  }
}
