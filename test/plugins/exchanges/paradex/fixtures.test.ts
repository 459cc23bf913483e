/**
 * Paradex codecs against the payload corpus (test/fixtures/venues/paradex, provenance in its
 * SOURCES.md): every fixture is either decoded here by the function that handles it in the plugin,
 * with its values asserted exactly, or listed as not decoded by us with the reason. A fixture added
 * later and mapped nowhere fails the coverage test. (sbe/ is H1's and is not enumerated.)
 */
import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeMarkets, type ParadexRoute } from '../../../../plugins/exchanges/paradex/codec.ts';
import {
  PARADEX_ERRORS,
  decodeParadexFill,
  decodeParadexOrder,
  decodeParadexPage,
  decodeParadexPosition,
  decodeParadexPrivateFrame,
  fillOrderId,
  paradexErrorOf,
  resultsOf,
} from '../../../../plugins/exchanges/paradex/order-codec.ts';
import { corpusGaps, fixtureJson, fixtureText } from '../../../fixtures/venues/corpus.ts';

const VENUE = 'paradex';
const json = (file: string): unknown => fixtureJson(VENUE, file);
const text = (file: string): string => fixtureText(VENUE, file);
const RECEIVED_AT = 1_718_267_837_300;

/** fixture -> the plugin function that reads it, with the values it must yield. */
const decoded: Record<string, () => void> = {
  'errors/internal-error-paradex-py.json': () => {
    // paradexErrorOf is what shared/private-rest reads a refusal with; INTERNAL_ERROR must stay
    // "unknown" (the order may or may not be queued), never a definite reject.
    const file = 'errors/internal-error-paradex-py.json';
    expect(paradexErrorOf(json(file), text(file))).toEqual({ code: 'INTERNAL_ERROR', message: 'server error' });
    expect(PARADEX_ERRORS['INTERNAL_ERROR']?.kind).toBe('unknown');
  },

  'private-rest/fills-btc-taker-ccxt.json': () => {
    const page = decodeParadexPage(json('private-rest/fills-btc-taker-ccxt.json'));
    expect(page.next).toBeUndefined();
    expect(fillOrderId(page.results[0])).toBe('1718947571540201703992340000');
    const fill = decodeParadexFill(page.results[0], 'results[0]');
    expect({ ...fill, price: fill.price.toString(), size: fill.size.toString(), fee: fill.fee.toString() }).toEqual({
      venue: 'paradex',
      symbol: 'BTC-USD-PERP',
      clientId: '',
      orderId: '1718947571540201703992340000',
      venueOrderId: '1718947571540201703992340000',
      fillId: '1718947571560201703986670001',
      side: 'buy',
      price: '64852.9',
      size: '0.01',
      fee: '0.1945587',
      liquidity: 'taker',
      time: 1718947571569,
    });
  },

  'private-rest/orders-closed-size-below-min-ccxt-static.json': () => {
    // A live answer: created_at and last_updated_at arrive as digit strings, next is null, and a
    // CLOSED order refused for ORDER_SIZE_BELOW_MIN filled nothing. It never rested, so it reads as
    // rejected (it read as cancelled before order-codec listed the reason).
    const page = decodeParadexPage(json('private-rest/orders-closed-size-below-min-ccxt-static.json'));
    expect(page.next).toBeUndefined();
    const view = decodeParadexOrder(page.results[0], 'results[0]');
    expect(view.market).toBe('SOL-USD-PERP');
    expect(view.venueStatus).toBe('CLOSED');
    expect(view.createdAt).toBe(1721903808505);
    expect(view.instruction).toBe('');
    expect(view.state.status).toBe('rejected');
    expect(view.state.rejectReason).toBe('ORDER_SIZE_BELOW_MIN');
    expect(view.state.filledSize.toString()).toBe('0');
    expect(view.state.venueOrderId).toBe('1721903808500201709220290000');
    expect(view.state.clientId).toBe('');
    expect(view.state.averagePrice).toBeUndefined();
  },

  'private-rest/positions-sol-long-ccxt-static.json': () => {
    const [raw] = resultsOf(json('private-rest/positions-sol-long-ccxt-static.json'));
    const pos = decodeParadexPosition(raw, 'results[0]');
    expect(pos && { ...pos, size: pos.size.toString(), entryPrice: pos.entryPrice?.toString() }).toEqual({
      venue: 'paradex',
      symbol: 'SOL-USD-PERP',
      size: '3',
      entryPrice: '183.06499451',
    });
  },

  'private-ws/orders-push-docs-ccxt.json': () => {
    // The private stream hands each text frame to decodeParadexPrivateFrame. This fixture is the API
    // spec's example (SOURCES.md: not a capture): NEW with remaining_size "0" is not a state a live
    // order shows, so only the fields that identify the order are asserted.
    const frame = decodeParadexPrivateFrame(text('private-ws/orders-push-docs-ccxt.json'));
    expect(frame.kind).toBe('order');
    if (frame.kind !== 'order') return;
    expect(frame.view.market).toBe('BTC-USD-PERP');
    expect(frame.view.venueStatus).toBe('NEW');
    expect(frame.view.instruction).toBe('GTC');
    expect(frame.view.createdAt).toBe(1681493746016);
    expect(frame.view.state.clientId).toBe('x1234');
    expect(frame.view.state.venueOrderId).toBe('123456');
  },

  'rest/markets-boden-ccxt.json': () => {
    const [boden] = decodeMarkets(json('rest/markets-boden-ccxt.json'));
    expect(boden).toEqual({
      info: {
        venue: 'paradex',
        symbol: 'BODEN-USD-PERP',
        priceDecimals: 5,
        sizeDecimals: 0,
        tickSize: '0.00001',
        sizeIncrement: '1',
        minSize: '1',
        minNotional: '200',
        base: 'BODEN',
        quote: 'USD',
        kind: 'perp',
      },
    });
  },

  'rest/markets-btc-ccxt-static.json': () => {
    expect(decodeMarkets(json('rest/markets-btc-ccxt-static.json'))).toEqual([btc]);
  },

  'rest/system-config-testnet-ccxt-static.json': () => {
    // Read inline by ParadexOrderGateway (orders.ts, chain id when the config has none): it takes
    // starknet_chain_id and requires a string. The chain id is what orders are signed for.
    const body = json('rest/system-config-testnet-ccxt-static.json') as { starknet_chain_id?: unknown };
    expect(body.starknet_chain_id).toBe('PRIVATE_SN_POTC_SEPOLIA');
  },

  'ws/order-book-snapshot-btc-ccxt.json': () => {
    const msg = decodeFrame(json('ws/order-book-snapshot-btc-ccxt.json'), routes, RECEIVED_AT);
    expect(msg).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'paradex',
        symbol: 'BTC-USD-PERP',
        seq: 14127815,
        // BTC-USD-PERP: tick 0.1, size increment 0.001 -> price units of 0.1, size units of 0.001.
        bids: [{ price: 676297, size: 992 }],
        asks: [{ price: 693786, size: 3137 }],
        venueTime: 1718267837265,
        receivedAt: RECEIVED_AT,
      },
    });
  },

  'ws/rpc-error-invalid-channel-ccxt.json': () => {
    const file = 'ws/rpc-error-invalid-channel-ccxt.json';
    expect(decodeFrame(json(file), routes, RECEIVED_AT)).toEqual({
      kind: 'rpc-error',
      id: 0,
      code: -32600,
      message: 'invalid subscribe request (invalid channel)',
    });
    // The private socket speaks the same JSON-RPC and must refuse it the same way.
    expect(decodeParadexPrivateFrame(text(file))).toEqual({
      kind: 'rpc-error',
      id: 0,
      code: -32600,
      message: 'invalid subscribe request: invalid channel',
    });
  },
};

/** fixture -> why no plugin code reads it. */
const notDecodedByUs: Record<string, string> = {
  'rest/orderbook-btc-ccxt-static.json':
    'GET /orderbook is never called: the book comes from the order_book WS snapshot (decoded above), and a resync resubscribes',
  'rest/markets-summary-btc-ccxt-static.json':
    'GET /markets/summary is never called: funding comes from the funding_data push, and the summary has no next-rate field (codec.ts header)',
};

const [btc] = decodeMarkets(json('rest/markets-btc-ccxt-static.json'));
const routes = new Map<string, ParadexRoute>([['order_book.BTC-USD-PERP.snapshot@15@50ms', { kind: 'book', market: btc! }]]);

describe('paradex codecs on the payload corpus', () => {
  for (const [file, check] of Object.entries(decoded)) it(file, check);

  it('every fixture is decoded above or listed as not decoded, with a reason', () => {
    const mapped = [...Object.keys(decoded), ...Object.keys(notDecodedByUs)];
    expect(corpusGaps(VENUE, mapped)).toEqual({ unmapped: [], missing: [] });
    for (const reason of Object.values(notDecodedByUs)) expect(reason.length).toBeGreaterThan(20);
  });
});
