/**
 * Lighter codecs against the payload corpus (test/fixtures/venues/lighter, provenance in its
 * SOURCES.md: ccxt's captures and examples, Nautilus Trader's captures and hand-written frames).
 * Every fixture is decoded here by the function that handles it in the plugin, with exact values,
 * or listed as not decoded by us with the reason; a fixture mapped nowhere fails the coverage test.
 * The plugin is H6's: a payload a codec mishandles is marked it.fails with the reason, not fixed here.
 */
import { describe, expect, it } from 'vitest';
import type { Fill, Position } from '../../../../engine/exchange/orders.ts';
import type { MarketInfo } from '../../../../engine/market/types.ts';
import { decodeFrame, decodeOrderBookDetails, type LighterDecodeContext } from '../../../../plugins/exchanges/lighter/codec.ts';
import { isLighterRateLimited } from '../../../../plugins/exchanges/lighter/limits.ts';
import {
  bodyErrorCode,
  decodeLighterAccountValue,
  decodeLighterFills,
  decodeLighterOrder,
  decodeLighterOrderFills,
  decodeLighterPositions,
  lighterErrorOf,
  ordersOf,
} from '../../../../plugins/exchanges/lighter/order-codec.ts';
import { corpusGaps, fixtureJson, fixtureText } from '../../../fixtures/venues/corpus.ts';

const VENUE = 'lighter';
const json = (file: string): unknown => fixtureJson(VENUE, file);
/** After ccxt's market_stats frames' funding_timestamp (1763532000004), which carry no timestamp. */
const RECEIVED_AT = 1_763_533_000_000;

const [eth] = decodeOrderBookDetails(json('rest/order-book-details-eth-nautilus.json'));
const ethInfo: MarketInfo = {
  venue: 'lighter',
  symbol: '0',
  priceDecimals: 2,
  sizeDecimals: 4,
  tickSize: '0.01',
  sizeIncrement: '0.0001',
  minSize: '0.0050',
  minNotional: '10.000000',
  // orderBookDetails' symbol "ETH"; market_type "perp" in the nautilus capture, absent (still a perp) in ccxt's.
  base: 'ETH',
  kind: 'perp',
};
const other = (symbol: string): MarketInfo => ({ ...ethInfo, symbol });
// The plugin's defaults (config.ts): rates in percent, snapshot nonces trusted.
const ctx: LighterDecodeContext = {
  markets: new Map([['0', eth!], ['1', other('1')], ['39', other('39')], ['96', other('96')]]),
  fundingRateUnit: 'percent',
  trustSnapshotNonce: true,
};
const frame = (file: string) => decodeFrame(json(file), ctx, RECEIVED_AT);

const plainFill = (f: Fill) => ({ ...f, price: f.price.toString(), size: f.size.toString(), fee: f.fee.toString() });
const plainPosition = (p: Position) => ({ ...p, size: p.size.toString(), entryPrice: p.entryPrice?.toString() });
function orderOf(raw: unknown) {
  const v = decodeLighterOrder(raw, 'client-1');
  return {
    orderIndex: v.orderIndex,
    clientOrderIndex: v.clientOrderIndex,
    marketIndex: v.marketIndex,
    status: v.state.status,
    venueOrderId: v.state.venueOrderId,
    filledSize: v.state.filledSize.toString(),
    averagePrice: v.state.averagePrice?.toString(),
    rejectReason: v.state.rejectReason,
  };
}

const decoded: Record<string, () => void> = {
  // HTTP 200 answers that are refusals: the gateway tests every 200 body with bodyErrorCode and
  // isLighterRateLimited before reading it.
  'errors/http200-invalid-tx-nautilus.json': () => {
    const body = json('errors/http200-invalid-tx-nautilus.json');
    expect(bodyErrorCode(body)).toBe('1001');
    expect(lighterErrorOf(body, '')).toEqual({ code: '1001', message: 'invalid tx' });
    expect(isLighterRateLimited(200, body)).toBe(false);
  },
  'errors/http200-rate-limited-trades-nautilus.json': () => {
    const body = json('errors/http200-rate-limited-trades-nautilus.json');
    // Must not read as "no fills": the empty trades list is a rate limit.
    expect(isLighterRateLimited(200, body)).toBe(true);
    expect(bodyErrorCode(body)).toBe('429');
  },
  'private-rest/send-tx-ok-ccxt.json': () => {
    const body = json('private-rest/send-tx-ok-ccxt.json');
    expect(bodyErrorCode(body)).toBeUndefined();
    expect(isLighterRateLimited(200, body)).toBe(false);
  },

  'private-rest/account-active-orders-margin-refused-ccxt.json': () => {
    const [raw] = ordersOf(json('private-rest/account-active-orders-margin-refused-ccxt.json'));
    expect(orderOf(raw)).toEqual({
      orderIndex: 281474977354074,
      clientOrderIndex: 0,
      marketIndex: 0,
      status: 'rejected',
      venueOrderId: '281474977354074',
      filledSize: '0',
      averagePrice: undefined,
      rejectReason: 'canceled-margin-not-allowed',
    });
  },
  'private-rest/account-orders-open-nautilus.json': () => {
    const [raw] = ordersOf(json('private-rest/account-orders-open-nautilus.json'));
    expect(orderOf(raw)).toEqual({
      orderIndex: 281476929510110,
      clientOrderIndex: 42,
      marketIndex: 0,
      status: 'open',
      venueOrderId: '281476929510110',
      filledSize: '0',
      averagePrice: undefined,
      rejectReason: undefined,
    });
  },
  'private-ws/account-orders-update-nautilus.json': () => {
    // No Lighter private stream yet (the gateway polls accountActiveOrders); the push carries the
    // same Order object per market, so the same decoder is held to it.
    const push = json('private-ws/account-orders-update-nautilus.json') as { orders: Record<string, unknown[]> };
    expect(orderOf(push.orders['0']![0])).toEqual({
      orderIndex: 281476929510110,
      clientOrderIndex: 42,
      marketIndex: 0,
      status: 'partially_filled',
      venueOrderId: '281476929510110',
      filledSize: '0.002',
      averagePrice: '2352.74',
      rejectReason: undefined,
    });
  },

  'private-rest/account-empty-nautilus.json': () => {
    const body = json('private-rest/account-empty-nautilus.json');
    // A zero position is no position.
    expect(decodeLighterPositions(body)).toEqual([]);
    expect(decodeLighterAccountValue(body).toString()).toBe('0');
  },
  'private-rest/account-main-and-sub-ccxt-static.json': () => {
    const body = json('private-rest/account-main-and-sub-ccxt-static.json');
    // accounts[0] is the main account (account_type 0); the sub-account is not summed in.
    expect(decodeLighterPositions(body)).toEqual([]);
    expect(decodeLighterAccountValue(body).toString()).toBe('15323.479477');
  },
  'private-rest/account-position-eth-ccxt-static.json': () => {
    const body = json('private-rest/account-position-eth-ccxt-static.json');
    expect(decodeLighterPositions(body).map(plainPosition)).toEqual([{ venue: 'lighter', symbol: '0', size: '18.0193', entryPrice: '2669.84' }]);
    expect(decodeLighterAccountValue(body).toString()).toBe('15298.072264000002');
  },
  'private-rest/trades-eth-nautilus.json': () => {
    const body = json('private-rest/trades-eth-nautilus.json');
    const fill = {
      venue: 'lighter',
      symbol: '0',
      clientId: 'client-1',
      venueOrderId: '562947905454831',
      fillId: '19211490282',
      side: 'buy',
      price: '2361.31',
      size: '0.0005',
      // is_maker_ask false: the bid rested, maker_fee 28 (millionths) on 1.180655 notional.
      fee: '0.00003305834',
      liquidity: 'maker',
      time: 1777945103092,
    };
    expect(decodeLighterOrderFills(body, 281474976639642, 562947905454831, 'client-1').map(plainFill)).toEqual([fill]);
    expect(decodeLighterFills(body, 281474976639642, 410940644, 'client-1').map(plainFill)).toEqual([fill]);
    // The ask side (client index 0: sent without a client id) is found by its own account, and
    // pays nothing: this capture carries maker_fee only, so the taker rate reads as 0.
    expect(decodeLighterFills(body, 719347, 0, 'client-1').map(plainFill)).toEqual([
      { ...fill, venueOrderId: '281476929689557', side: 'sell', liquidity: 'taker', fee: '0' },
    ]);
  },

  'rest/order-book-details-eth-ccxt-static.json': () => {
    expect(decodeOrderBookDetails(json('rest/order-book-details-eth-ccxt-static.json'))).toEqual([ethInfo]);
  },
  'rest/order-book-details-eth-nautilus.json': () => {
    expect(eth).toEqual(ethInfo);
  },

  'ws/connected-ccxt.json': () => {
    expect(frame('ws/connected-ccxt.json')).toEqual({ kind: 'connected' });
  },
  'ws/error-invalid-channel-ccxt.json': () => {
    expect(frame('ws/error-invalid-channel-ccxt.json')).toEqual({ kind: 'error', code: 30005, message: 'Invalid Channel:  (marketId)' });
  },
  'ws/market-stats-eth-ccxt.json': () => {
    // current_funding_rate "0.0012" is percent: 0.000012 per hour. No frame timestamp: receive time;
    // funding_timestamp 1763532000004 anchors the hourly schedule.
    expect(frame('ws/market-stats-eth-ccxt.json')).toEqual({
      kind: 'funding',
      events: [{ venue: 'lighter', symbol: '0', rate: '0.000012', nextRate: '0.000012', intervalHours: 1, nextFundingAt: 1763535600004, venueTime: RECEIVED_AT, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/market-stats-all-ccxt.json': () => {
    expect(frame('ws/market-stats-all-ccxt.json')).toEqual({
      kind: 'funding',
      events: [{ venue: 'lighter', symbol: '96', rate: '0', nextRate: '0', intervalHours: 1, nextFundingAt: 1763535600004, venueTime: RECEIVED_AT, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/market-stats-subscribed-btc-nautilus.json': () => {
    expect(frame('ws/market-stats-subscribed-btc-nautilus.json')).toEqual({
      kind: 'funding',
      events: [{ venue: 'lighter', symbol: '1', rate: '-0.000028', nextRate: '-0.000028', intervalHours: 1, nextFundingAt: 1780549200001, venueTime: 1780546209291, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/market-stats-update-all-nautilus.json': () => {
    // funding_timestamp after the frame's time is the next settlement itself.
    expect(frame('ws/market-stats-update-all-nautilus.json')).toEqual({
      kind: 'funding',
      events: [{ venue: 'lighter', symbol: '0', rate: '0.00000001', nextRate: '0.00000001', intervalHours: 1, nextFundingAt: 1774886400000, venueTime: 1774883844933, receivedAt: RECEIVED_AT }],
    });
  },
  'ws/order-book-subscribed-nautilus.json': () => {
    expect(frame('ws/order-book-subscribed-nautilus.json')).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'lighter',
        symbol: '0',
        seq: 904845,
        bids: [{ price: 200000, size: 200 }],
        asks: [
          { price: 232500, size: 990000 },
          { price: 234125, size: 3401028 },
        ],
        // last_updated_at is µs: 1778138389655150 -> 1778138389655 ms.
        venueTime: 1778138389655,
        receivedAt: RECEIVED_AT,
      },
    });
  },
  'ws/order-book-subscribed-empty-nautilus.json': () => {
    // An empty book: nonce 0 and last_updated_at 0, so venue time falls back to the frame's timestamp.
    expect(frame('ws/order-book-subscribed-empty-nautilus.json')).toEqual({
      kind: 'book',
      event: { type: 'snapshot', venue: 'lighter', symbol: '39', seq: 0, bids: [], asks: [], venueTime: 1778138582602, receivedAt: RECEIVED_AT },
    });
  },
  'ws/order-book-update-nautilus.json': () => {
    expect(frame('ws/order-book-update-nautilus.json')).toEqual({
      kind: 'book',
      event: {
        type: 'delta',
        venue: 'lighter',
        symbol: '0',
        seq: 9182390020,
        prevSeq: 9182389998,
        bids: [],
        asks: [{ price: 206454, size: 3285 }],
        venueTime: 1774884082309,
        receivedAt: RECEIVED_AT,
      },
    });
  },
  'ws/order-book-update-no-begin-nonce-ccxt.json': () => {
    expect(frame('ws/order-book-update-no-begin-nonce-ccxt.json')).toMatchObject({ kind: 'resync', symbol: '0' });
  },
};

const notDecodedByUs: Record<string, string> = {
  'rest/funding-rates-eth-ccxt-static.json':
    'GET /api/v1/funding-rates is never called: funding comes from the market_stats push (decoded above); its rate is a float, unusable for money anyway',
  'private-ws/account-all-trades-ccxt.json':
    'no Lighter private stream: fills are read from GET /api/v1/trades, whose Trade object (same fields) is decoded above from trades-eth-nautilus',
  'private-ws/account-all-trades-update-nautilus.json':
    'no Lighter private stream: fills are read from GET /api/v1/trades, whose Trade object (same fields) is decoded above from trades-eth-nautilus',
};

describe('lighter codecs on the payload corpus', () => {
  for (const [file, check] of Object.entries(decoded)) it(file, check);

  it('every fixture is decoded above or listed as not decoded, with a reason', () => {
    expect(corpusGaps(VENUE, [...Object.keys(decoded), ...Object.keys(notDecodedByUs)])).toEqual({ unmapped: [], missing: [] });
  });

  it('reads fixture text as the venue sent it (the corpus helper does not reformat)', () => {
    expect(fixtureText(VENUE, 'errors/http200-invalid-tx-nautilus.json').trim()).toBe('{"code":1001,"message":"invalid tx"}');
  });
});
