/**
 * Vest codecs against the payload corpus (test/fixtures/venues/vest, provenance in its SOURCES.md:
 * all of them are examples from Vest's own API docs, none a capture). Every fixture is decoded here
 * by the function that handles it in the plugin, with exact values, or listed as not decoded by us
 * with the reason; a fixture mapped nowhere fails the coverage test.
 */
import { describe, expect, it } from 'vitest';
import type { MarketInfo } from '../../../../engine/market/types.ts';
import { decodeDepthBody, decodeExchangeInfo, decodeFrame } from '../../../../plugins/exchanges/vest/codec.ts';
import {
  VEST_ERRORS,
  decodeVestAccountValue,
  decodeVestOrder,
  decodeVestPositions,
  vestAggregateFill,
  vestErrorOf,
} from '../../../../plugins/exchanges/vest/order-codec.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { corpusGaps, fixtureJson, fixtureText } from '../../../fixtures/venues/corpus.ts';

const VENUE = 'vest';
const json = (file: string): unknown => fixtureJson(VENUE, file);
const RECEIVED_AT = 1_725_315_151_200;

/** Markets the docs' frames name; decimals as the docs' values are written. */
function market(symbol: string, priceDecimals: number, sizeDecimals: number): MarketInfo {
  const step = (d: number): string => (d === 0 ? '1' : `0.${'0'.repeat(d - 1)}1`);
  return { venue: 'vest', symbol, priceDecimals, sizeDecimals, tickSize: step(priceDecimals), sizeIncrement: step(sizeDecimals) };
}
const btc = market('BTC-PERP', 2, 4);
const markets = new Map<string, MarketInfo>([
  ['BTC-PERP', btc],
  ['DOGE-PERP', market('DOGE-PERP', 6, 0)],
  ['kBONK-PERP', market('kBONK-PERP', 6, 0)],
]);

/** An order pushed or polled, as the gateway reads it (its state, the fill it books). */
function orderOf(file: string, raw: unknown = json(file)) {
  const view = decodeVestOrder(raw, 'client-1');
  const fill = vestAggregateFill(view, 'BTC-PERP');
  return {
    id: view.id,
    nonce: view.nonce,
    symbol: view.symbol,
    status: view.state.status,
    filledSize: view.state.filledSize.toString(),
    averagePrice: view.state.averagePrice?.toString(),
    rejectReason: view.state.rejectReason,
    fees: view.fees.toString(),
    time: view.time,
    fill: fill && { ...fill, price: fill.price.toString(), size: fill.size.toString(), fee: fill.fee.toString() },
  };
}

const filledFill = {
  venue: 'vest',
  symbol: 'BTC-PERP',
  clientId: 'client-1',
  venueOrderId: '0x0',
  fillId: '0x0:aggregate',
  side: 'buy',
  price: '30000',
  size: '0.1',
  fee: '0.01',
  // Vest is taker-only (docs.vest.exchange/overview/traders/order-book): a LIMIT fill is a
  // triggered market order, never a maker fill. vestAggregateFill said 'maker' for LIMIT before.
  liquidity: 'taker',
  time: 1683849600076,
};

const decoded: Record<string, () => void> = {
  'errors/listen-key-expired-docs.json': () => {
    const file = 'errors/listen-key-expired-docs.json';
    expect(vestErrorOf(json(file), fixtureText(VENUE, file))).toEqual({
      code: '1125',
      message: 'Listen key expired. Make a POST request to create a new key.',
    });
  },
  'errors/rate-limited-docs.json': () => {
    const file = 'errors/rate-limited-docs.json';
    expect(vestErrorOf(json(file), fixtureText(VENUE, file))).toEqual({ code: '429', message: 'Rate limited' });
    expect(VEST_ERRORS['429']?.kind).toBe('reject');
  },

  'private-rest/account-btc-long-docs.json': () => {
    const body = json('private-rest/account-btc-long-docs.json');
    expect(decodeVestPositions(body).map((p) => ({ ...p, size: p.size.toString(), entryPrice: p.entryPrice?.toString() }))).toEqual([
      { venue: 'vest', symbol: 'BTC-PERP', size: '0.1', entryPrice: '30' },
    ]);
    expect(decodeVestAccountValue(body).toString()).toBe('200000.12');
  },
  'private-rest/order-post-ack-docs.json': () => {
    // Read inline by VestOrderGateway.send: the answer's `id` must be a non-empty string.
    expect((json('private-rest/order-post-ack-docs.json') as { id?: unknown }).id).toBe('0x0');
  },
  'private-rest/orders-filled-docs.json': () => {
    const [raw] = json('private-rest/orders-filled-docs.json') as unknown[];
    expect(orderOf('private-rest/orders-filled-docs.json', raw)).toEqual({
      id: '0x0',
      nonce: 0,
      symbol: 'BTC-PERP',
      status: 'filled',
      filledSize: '0.1',
      averagePrice: '30000',
      rejectReason: undefined,
      fees: '0.01',
      time: 1683849600076,
      fill: filledFill,
    });
  },

  // The gateway polls GET /orders; the account_private ORDER pushes carry the same order object
  // (the docs' payloads, without the {"channel","data":{"event","args"}} envelope), so the same
  // decoder is held to them: a private stream, when added, reads them with it.
  'private-ws/order-new-docs.json': () => {
    expect(orderOf('private-ws/order-new-docs.json')).toEqual({
      id: '0x0',
      nonce: 0,
      symbol: 'BTC-PERP',
      status: 'open',
      filledSize: '0',
      averagePrice: undefined,
      rejectReason: undefined,
      fees: '0',
      time: 1683849600076,
      fill: undefined,
    });
  },
  'private-ws/order-filled-docs.json': () => {
    expect(orderOf('private-ws/order-filled-docs.json')).toEqual({
      id: '0x0',
      nonce: 0,
      symbol: 'BTC-PERP',
      status: 'filled',
      filledSize: '0.1',
      averagePrice: '30000',
      rejectReason: undefined,
      fees: '0.01',
      time: 1683849600076,
      fill: filledFill,
    });
  },
  'private-ws/order-cancelled-docs.json': () => {
    // The cancellation payload has no symbol, size or fill fields: nothing filled.
    expect(orderOf('private-ws/order-cancelled-docs.json')).toMatchObject({ id: '0x0', nonce: 0, symbol: undefined, status: 'cancelled', filledSize: '0', fill: undefined });
  },
  'private-ws/order-rejected-docs.json': () => {
    expect(orderOf('private-ws/order-rejected-docs.json')).toMatchObject({ id: '0x0', nonce: 0, status: 'rejected', rejectReason: '3010', filledSize: '0', fill: undefined });
    expect(VEST_ERRORS['3010']?.meaning).toBe('open interest cap exceeded');
  },

  'rest/depth-docs.json': () => {
    expect(decodeDepthBody(json('rest/depth-docs.json'), btc, RECEIVED_AT)).toEqual({
      type: 'snapshot',
      venue: 'vest',
      symbol: 'BTC-PERP',
      bids: [{ price: 400, size: 4310000 }],
      asks: [{ price: 402, size: 120000 }],
      venueTime: RECEIVED_AT,
      receivedAt: RECEIVED_AT,
    });
  },
  'rest/exchange-info-btc-docs.json': () => {
    const body = json('rest/exchange-info-btc-docs.json');
    // The docs' example predates minTickSize/tickSizes: the default policy falls back to
    // 10^-priceDecimals, the live policy refuses rather than guess the tick.
    expect(decodeExchangeInfo(body)).toEqual([
      { venue: 'vest', symbol: 'BTC-PERP', priceDecimals: 2, sizeDecimals: 4, tickSize: '0.01', sizeIncrement: '0.0001', minSize: '0.0001', base: 'BTC', quote: 'USDC', kind: 'perp' },
    ]);
    expect(() => decodeExchangeInfo(body, 'refuse')).toThrow(WireFormatError);
  },

  'ws/depth-doge-docs.json': () => {
    expect(decodeFrame(json('ws/depth-doge-docs.json'), markets, RECEIVED_AT)).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'vest',
        symbol: 'DOGE-PERP',
        bids: [{ price: 102000, size: 1234 }],
        asks: [{ price: 103000, size: 1234 }],
        venueTime: RECEIVED_AT,
        receivedAt: RECEIVED_AT,
      },
    });
  },
  'ws/pong-docs.json': () => {
    expect(decodeFrame(json('ws/pong-docs.json'), markets, RECEIVED_AT)).toEqual({ kind: 'pong' });
  },
  'ws/subscribe-ack-docs.json': () => {
    expect(decodeFrame(json('ws/subscribe-ack-docs.json'), markets, RECEIVED_AT)).toEqual({ kind: 'ack', id: 1 });
  },
  'ws/tickers-kbonk-docs.json': () => {
    const msg = decodeFrame(json('ws/tickers-kbonk-docs.json'), markets, RECEIVED_AT);
    expect(msg).toEqual({
      kind: 'funding',
      events: [{ venue: 'vest', symbol: 'kBONK-PERP', rate: '0.001250', intervalHours: 1, venueTime: RECEIVED_AT, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/trades-doge-docs.json': () => {
    // We never subscribe {symbol}@trades; a stray one is reported, not misread as a book.
    expect(decodeFrame(json('ws/trades-doge-docs.json'), markets, RECEIVED_AT)).toEqual({ kind: 'unrouted', channel: 'DOGE-PERP@trades' });
  },

  // H3's live-venue shapes (BookDepthIQ-Vest, see SOURCES.md "H3"): the NQ market's tick grid,
  // tsMs as venue time, a per-symbol ticker object, a refused subscription.
  'rest/exchange-info-nq-bookdepthiq.json': () => {
    // No base/quote in this trimmed live entry: the symbol NDX-USD-PERP says them.
    const info = { venue: 'vest', symbol: 'NDX-USD-PERP', priceDecimals: 2, sizeDecimals: 4, tickSize: '0.25', sizeIncrement: '0.0001', minSize: '0.0001', base: 'NDX', quote: 'USD', kind: 'perp' };
    expect(decodeExchangeInfo(json('rest/exchange-info-nq-bookdepthiq.json'))).toEqual([info]);
    expect(decodeExchangeInfo(json('rest/exchange-info-nq-bookdepthiq.json'), 'refuse')).toEqual([info]);
  },
  'ws/depth-nq-bookdepthiq.json': () => {
    const msg = decodeFrame(json('ws/depth-nq-bookdepthiq.json'), nqMarkets, RECEIVED_AT);
    expect(msg.kind).toBe('book');
    if (msg.kind !== 'book') return;
    const { event } = msg;
    expect([event.type, event.symbol, event.venueTime, event.bids.length, event.asks.length]).toEqual(['snapshot', 'NDX-USD-PERP', 1791415136507, 20, 20]);
    expect([event.bids[0], event.asks[0], event.bids[19], event.asks[19]]).toEqual([
      { price: 3147875, size: 48135 },
      { price: 3148000, size: 48135 },
      { price: 3146750, size: 128362 },
      { price: 3149000, size: 128362 },
    ]);
    // Every price of the live frame sits on the venue's 0.25 tick (25 units of 0.01).
    for (const level of [...event.bids, ...event.asks]) expect(level.price % 25).toBe(0);
  },
  'ws/ticker-nq-bookdepthiq.json': () => {
    expect(decodeFrame(json('ws/ticker-nq-bookdepthiq.json'), nqMarkets, RECEIVED_AT)).toEqual({
      kind: 'funding',
      events: [{ venue: 'vest', symbol: 'NDX-USD-PERP', rate: '0.0000057077625570776', intervalHours: 1, venueTime: 1791415136830, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/subscription-rejected-bookdepthiq.json': () => {
    expect(decodeFrame(json('ws/subscription-rejected-bookdepthiq.json'), nqMarkets, RECEIVED_AT)).toEqual({
      kind: 'outcomes',
      accepted: [],
      refused: [{ channel: 'NDX-USD-PERP@kline_1m', reason: 'invalid_stream' }],
    });
  },
};

const nqMarkets = new Map(decodeExchangeInfo(json('rest/exchange-info-nq-bookdepthiq.json')).map((m) => [m.symbol, m]));

const notDecodedByUs: Record<string, string> = {
  'rest/ticker-latest-btc-docs.json':
    'GET /ticker/latest is never called: funding comes from the tickers / {symbol}@ticker pushes (decoded above)',
};

describe('vest codecs on the payload corpus', () => {
  for (const [file, check] of Object.entries(decoded)) it(file, check);

  it('every fixture is decoded above or listed as not decoded, with a reason', () => {
    expect(corpusGaps(VENUE, [...Object.keys(decoded), ...Object.keys(notDecodedByUs)])).toEqual({ unmapped: [], missing: [] });
  });
});
