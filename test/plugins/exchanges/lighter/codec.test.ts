import { describe, expect, it } from 'vitest';
import {
  channelMarket,
  decodeFrameText,
  decodeOrderBookDetails,
  shiftDecimal,
  type LighterDecodeContext,
} from '../../../../plugins/exchanges/lighter/codec.ts';

// Shapes from lighter-python ws_client.py, the Lighter API docs and venue-shapes.md.
const [eth] = decodeOrderBookDetails({
  code: 200,
  order_book_details: [
    {
      symbol: 'ETH',
      market_id: 0,
      status: 'active',
      taker_fee: '0.0000',
      maker_fee: '0.0000',
      min_base_amount: '0.0050',
      min_quote_amount: '10.000000',
      supported_size_decimals: 4,
      supported_price_decimals: 2,
      size_decimals: 4,
      price_decimals: 2,
      last_trade_price: 3550.69,
      open_interest: 39559.3278,
    },
  ],
  spot_order_book_details: [],
});
const ctx: LighterDecodeContext = { markets: new Map([['0', eth!]]), fundingRateUnit: 'percent', trustSnapshotNonce: true };

const snapshot = (book: Record<string, unknown>) =>
  JSON.stringify({ channel: 'order_book:0', type: 'subscribed/order_book', timestamp: 1763448665900, order_book: { code: 0, ...book } });
const update = (book: Record<string, unknown>) =>
  JSON.stringify({ channel: 'order_book:0', offset: 11413309, type: 'update/order_book', timestamp: 1763448665923, order_book: { code: 0, offset: 11413309, ...book } });

describe('lighter orderBookDetails', () => {
  it('uses the market id as symbol and exact steps from the decimals', () => {
    expect(eth).toEqual({
      venue: 'lighter',
      symbol: '0',
      priceDecimals: 2,
      sizeDecimals: 4,
      tickSize: '0.01',
      sizeIncrement: '0.0001',
      minSize: '0.0050',
      minNotional: '10.000000',
      base: 'ETH',
      kind: 'perp',
    });
  });
});

describe('lighter book frames', () => {
  it('decodes the snapshot with seq = its nonce', () => {
    const msg = decodeFrameText(
      snapshot({ asks: [{ price: '2979.64', size: '61.9487' }], bids: [{ price: '2979.36', size: '1.0000' }], nonce: 3107818600 }),
      ctx,
      10,
    );
    expect(msg).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'lighter',
        symbol: '0',
        seq: 3107818600,
        bids: [{ price: 297936, size: 10000 }],
        asks: [{ price: 297964, size: 619487 }],
        venueTime: 1763448665900,
        receivedAt: 10,
      },
    });
  });

  it('a snapshot without nonce (or with trustSnapshotNonce off) carries no seq', () => {
    const noNonce = decodeFrameText(snapshot({ asks: [], bids: [] }), ctx, 0);
    expect(noNonce.kind === 'book' && noNonce.event.seq).toBeUndefined();
    const untrusted = decodeFrameText(snapshot({ asks: [], bids: [], nonce: 5 }), { ...ctx, trustSnapshotNonce: false }, 0);
    expect(untrusted.kind === 'book' && 'seq' in untrusted.event).toBe(false);
  });

  it('an update chains nonce to begin_nonce; size "0.0000" removes the level', () => {
    const first = decodeFrameText(
      update({ asks: [{ price: '2979.64', size: '61.9487' }], bids: [{ price: '2979.36', size: '0.0000' }], nonce: 3107818665, begin_nonce: 3107818600 }),
      ctx,
      20,
    );
    const second = decodeFrameText(update({ asks: [{ price: '2979.64', size: '0' }], bids: [], nonce: 3107818700, begin_nonce: 3107818665 }), ctx, 21);
    expect(first.kind).toBe('book');
    expect(second.kind).toBe('book');
    if (first.kind !== 'book' || second.kind !== 'book') return;
    expect(first.event).toMatchObject({ type: 'delta', seq: 3107818665, prevSeq: 3107818600, venueTime: 1763448665923 });
    expect(first.event.bids).toEqual([{ price: 297936, size: 0 }]);
    expect(second.event.prevSeq).toBe(first.event.seq);
    expect(second.event.asks).toEqual([{ price: 297964, size: 0 }]);
  });

  it.each([
    [{ asks: [], bids: [], nonce: 2, begin_nonce: 'x' }, 'order_book.begin_nonce'],
    [{ asks: [{ price: '2979.641', size: '1' }], bids: [], nonce: 2, begin_nonce: 1 }, 'order_book.asks[0].price'],
    [{ asks: [{ price: '2979.64' }], bids: [], nonce: 2, begin_nonce: 1 }, 'order_book.asks[0].size'],
    [{ asks: 'x', bids: [], nonce: 2, begin_nonce: 1 }, 'order_book.asks'],
  ])('malformed update %j -> WireFormatError at %s naming market 0', (book, field) => {
    expect(() => decodeFrameText(update(book), ctx, 0)).toThrow(expect.objectContaining({ name: 'WireFormatError', field, symbol: '0' }));
  });

  it('an update without begin_nonce is a resync of its book, not a WireFormatError', () => {
    for (const book of [{ asks: [], bids: [], nonce: 2 }, { asks: [], bids: [], nonce: 2, begin_nonce: null }]) {
      expect(decodeFrameText(update(book), ctx, 0)).toMatchObject({ kind: 'resync', symbol: '0' });
    }
  });

  it('reads the market from either channel spelling', () => {
    expect(channelMarket('order_book:12')).toBe('12');
    expect(channelMarket('order_book/12')).toBe('12');
  });
});

describe('lighter control, funding and unknown frames', () => {
  it('turns market_stats into an hourly funding fraction', () => {
    const msg = decodeFrameText(
      JSON.stringify({
        channel: 'market_stats:0',
        type: 'update/market_stats',
        market_stats: { market_id: 0, index_price: '3000.1', mark_price: '3000.2', current_funding_rate: '0.0012', funding_rate: '0.0010', funding_timestamp: 1763449200000 },
      }),
      ctx,
      33,
    );
    // funding_timestamp lies after the frame's time (33): it is the next settlement itself.
    expect(msg).toEqual({
      kind: 'funding',
      events: [{ venue: 'lighter', symbol: '0', rate: '0.000012', intervalHours: 1, venueTime: 33, receivedAt: 33, nextRate: '0.000012', nextFundingAt: 1763449200000 }],
    });
    const fraction = decodeFrameText(
      JSON.stringify({ channel: 'market_stats:0', type: 'update/market_stats', market_stats: { market_id: 0, funding_rate: -0.0001 } }),
      { ...ctx, fundingRateUnit: 'fraction' },
      1,
    );
    expect(fraction.kind === 'funding' && fraction.events[0]?.rate).toBe('-0.0001');
  });

  it('classifies ping, connected, errors and unknown types instead of throwing', () => {
    expect(decodeFrameText('{"type":"ping"}', ctx, 0)).toEqual({ kind: 'ping' });
    expect(decodeFrameText('{"session_id":"abc","type":"connected"}', ctx, 0)).toEqual({ kind: 'connected' });
    expect(decodeFrameText('{"error":{"code":30005,"message":"Invalid Channel: order_book/99"}}', ctx, 0)).toEqual({
      kind: 'error',
      code: 30005,
      message: 'Invalid Channel: order_book/99',
    });
    expect(decodeFrameText('{"type":"update/height","height":5}', ctx, 0)).toEqual({ kind: 'unknown', type: 'update/height' });
    expect(decodeFrameText(update({ nonce: 1, begin_nonce: 0 }).replace('order_book:0', 'order_book:7'), ctx, 0)).toEqual({
      kind: 'unrouted',
      channel: 'order_book:7',
    });
  });
});

describe('lighter next funding (market_stats)', () => {
  const HOUR = 3_600_000;
  const stats = (marketStats: Record<string, unknown>, timestamp?: number) =>
    JSON.stringify({ channel: 'market_stats:0', type: 'update/market_stats', market_stats: { market_id: 0, ...marketStats }, ...(timestamp === undefined ? {} : { timestamp }) });
  const fundingOf = (text: string, receivedAt = 0) => {
    const msg = decodeFrameText(text, ctx, receivedAt);
    if (msg.kind !== 'funding' || msg.events.length !== 1) throw new Error(`expected one funding event, got ${JSON.stringify(msg)}`);
    return msg.events[0]!;
  };

  it('reads the WebSocket reference example: the live estimate is the next rate, funding_timestamp (ms) anchors the next hour mark', () => {
    // apidocs.lighter.xyz/docs/websocket-reference, "Market Stats" example response (no frame timestamp).
    const docs = {
      index_price: '3335.04',
      mark_price: '3335.09',
      open_interest: '235.25',
      last_trade_price: '3335.65',
      current_funding_rate: '0.0057',
      funding_rate: '0.0005',
      funding_timestamp: 1722337200000, // 2024-07-30 11:00 UTC
      daily_base_token_volume: 230206.48999999944,
      daily_price_change: -1.1562612047992835,
    };
    const at = 1722337200000 + 25 * 60_000; // received 11:25
    const e = fundingOf(stats(docs), at);
    expect(e).toMatchObject({ rate: '0.000057', nextRate: '0.000057', nextFundingAt: 1722337200000 + HOUR, venueTime: at });
  });

  it('gives the next hour mark whether funding_timestamp is the last settlement, an older one or the next one', () => {
    const frameAt = 1774883844933; // 15:17:24.933 UTC, the frame's own timestamp
    const next = 1774886400000; // 16:00
    expect(fundingOf(stats({ current_funding_rate: '0.000001', funding_timestamp: next - HOUR }, frameAt)).nextFundingAt).toBe(next);
    expect(fundingOf(stats({ current_funding_rate: '0.000001', funding_timestamp: next - 2 * HOUR }, frameAt)).nextFundingAt).toBe(next);
    expect(fundingOf(stats({ current_funding_rate: '0.000001', funding_timestamp: next }, frameAt)).nextFundingAt).toBe(next);
    // ccxt's captured frame stamps the settlement 4 ms after 06:00; the schedule keeps that phase.
    expect(fundingOf(stats({ current_funding_rate: '0.0012', funding_rate: '0.0012', funding_timestamp: 1763532000004 }, 1763532000004 + 60_000)).nextFundingAt).toBe(1763535600004);
  });

  it('leaves the next fields out when the frame lacks them', () => {
    const settledOnly = fundingOf(stats({ funding_rate: '0.0010' }), 5);
    expect(settledOnly.rate).toBe('0.00001');
    // A settled rate is history, not a forecast; no timestamp, no settlement time.
    expect(settledOnly).not.toHaveProperty('nextRate');
    expect(settledOnly).not.toHaveProperty('nextFundingAt');
    // 0: no settlement yet (Nautilus Trader's adapter reads 0 as none).
    const never = fundingOf(stats({ current_funding_rate: '0.0012', funding_timestamp: 0 }), 5);
    expect(never.nextRate).toBe('0.000012');
    expect(never).not.toHaveProperty('nextFundingAt');
    expect(fundingOf(stats({ current_funding_rate: '0.0012', funding_timestamp: null }), 5)).not.toHaveProperty('nextFundingAt');
  });

  it.each([
    [{ current_funding_rate: '0.0012', funding_timestamp: 'soon' }, 'market_stats.funding_timestamp', /must be an integer/],
    [{ current_funding_rate: '0.0012', funding_timestamp: 1722337200.5 }, 'market_stats.funding_timestamp', /must be an integer/],
    [{ current_funding_rate: '0.0012', funding_timestamp: 1722337200 }, 'market_stats.funding_timestamp', /must be ms since the epoch.*looks like seconds/],
    [{ current_funding_rate: '1e-3', funding_timestamp: 1722337200000 }, 'market_stats.current_funding_rate', /decimal string/],
  ])('malformed %j -> WireFormatError naming %s', (fields, field, problem) => {
    expect(() => decodeFrameText(stats(fields, 1722337300000), ctx, 0)).toThrow(expect.objectContaining({ name: 'WireFormatError', venue: 'lighter', field, problem: expect.stringMatching(problem) }));
  });

  it('names the market inside a market_stats/all frame', () => {
    const all = JSON.stringify({ channel: 'market_stats:all', type: 'update/market_stats', market_stats: { '0': { market_id: 0, current_funding_rate: '0.0012', funding_timestamp: -5 } } });
    expect(() => decodeFrameText(all, ctx, 0)).toThrow(expect.objectContaining({ field: 'market_stats.0.funding_timestamp' }));
  });
});

describe('shiftDecimal', () => {
  it.each([
    ['0.0012', -2, '0.000012'],
    ['-1.5', -2, '-0.015'],
    ['12', -2, '0.12'],
    ['0', -2, '0'],
    ['1.25', 2, '125'],
    ['-0.00', -2, '0'],
  ])('%s shifted %i -> %s', (text, places, expected) => {
    expect(shiftDecimal(text, places)).toBe(expected);
  });
});
