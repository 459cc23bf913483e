/**
 * The SBE public feed's frame decoder. On an SBE socket (docs.paradex.trade, "Binary Encoding (SBE)":
 * "Binary frames received from the server are channel data"; subscribe/unsubscribe acks and errors
 * stay JSON-RPC text frames) a text frame goes to the JSON decoder and a binary frame is decoded here
 * by template id. Frames carry no channel name: book and funding frames are routed by their market.
 */
import { WireFormatError } from '../../shared/errors.ts';
import { jsonFrameDecoder, type ParadexFrameDecoder, type ParadexMarket, type ParadexMessage, type ParadexRoute } from '../codec.ts';
import { bookMarket, decodeBook } from './book.ts';
import { decodeFunding, fundingMarket } from './funding.ts';
import { readHeader } from './header.ts';
import { int64, microsToMillis, sbeFail } from './reader.ts';
import { HEARTBEAT, MESSAGE_HEADER_BYTES, TEMPLATE } from './schema.ts';

interface MarketRoutes {
  book?: ParadexMarket;
  funding?: ParadexMarket;
}

/**
 * Routes by market, built once per routes map. The connector builds a new map per run, so a map's
 * identity (and size, as a guard) says whether the index is current.
 */
const indexes = new WeakMap<ReadonlyMap<string, ParadexRoute>, { size: number; byMarket: Map<string, MarketRoutes> }>();

function routesByMarket(routes: ReadonlyMap<string, ParadexRoute>): Map<string, MarketRoutes> {
  const cached = indexes.get(routes);
  if (cached && cached.size === routes.size) return cached.byMarket;
  const byMarket = new Map<string, MarketRoutes>();
  for (const route of routes.values()) {
    const symbol = route.market.info.symbol;
    const entry = byMarket.get(symbol) ?? {};
    entry[route.kind] = route.market;
    byMarket.set(symbol, entry);
  }
  indexes.set(routes, { size: routes.size, byMarket });
  return byMarket;
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
      const spans = bookMarket(buf, header);
      const market = routesByMarket(routes).get(spans.market)?.book;
      if (!market) return { kind: 'unrouted', channel: `order_book.${spans.market} (SBE BookEvent)` };
      return named(spans.market, () => ({ kind: 'book', event: decodeBook(buf, header, market, spans, receivedAt) }));
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
