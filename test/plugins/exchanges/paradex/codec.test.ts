import { describe, expect, it } from 'vitest';
import { decodeFrame, decodeMarkets, jsonFrameDecoder, type ParadexRoute } from '../../../../plugins/exchanges/paradex/codec.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';

// Shapes from docs.paradex.trade (GET /markets, WebSocket order_book and funding_data channels).
const marketsBody = {
  results: [
    {
      symbol: 'BTC-USD-PERP',
      base_currency: 'BTC',
      quote_currency: 'USD',
      asset_kind: 'PERP',
      price_tick_size: '0.1',
      order_size_increment: '0.00001',
      min_notional: '10',
      open_at: 1717065600000,
      funding_period_hours: 8,
    },
    {
      symbol: 'ETH-USD-PERP',
      price_tick_size: '0.01',
      order_size_increment: '0.001',
      min_notional: '10',
      funding_period_hours: '4',
    },
  ],
};

const [btc, eth] = decodeMarkets(marketsBody);
const bookChannel = 'order_book.BTC-USD-PERP.deltas@15@50ms';
const routes = new Map<string, ParadexRoute>([
  [bookChannel, { kind: 'book', market: btc! }],
  ['funding_data.BTC-USD-PERP', { kind: 'funding', market: btc! }],
]);

function push(channel: string, data: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { channel, data } });
}

describe('paradex decodeMarkets', () => {
  it('derives decimals from tick size and size increment, keeps steps exact', () => {
    expect(btc!.info).toEqual({
      venue: 'paradex',
      symbol: 'BTC-USD-PERP',
      priceDecimals: 1,
      sizeDecimals: 5,
      tickSize: '0.1',
      sizeIncrement: '0.00001',
      minSize: '0.00001',
      minNotional: '10',
      base: 'BTC',
      quote: 'USD',
      kind: 'perp',
    });
    expect(btc!.fundingPeriodHours).toBe(8);
    expect(eth!.info.priceDecimals).toBe(2);
    // ccxt has seen numbers as strings on this endpoint.
    expect(eth!.fundingPeriodHours).toBe(4);
  });

  it('names the field when a market lacks its tick size', () => {
    expect(() => decodeMarkets({ results: [{ symbol: 'X', order_size_increment: '1' }] })).toThrow(
      /results\[0\]\.price_tick_size must be a string/,
    );
  });
});

describe('paradex book frames', () => {
  it('decodes the opening snapshot: seq = seq_no, no prevSeq, integer units', () => {
    const msg = jsonFrameDecoder.decode(
      push(bookChannel, {
        seq_no: 14127815,
        market: 'BTC-USD-PERP',
        last_updated_at: 1718267837265,
        update_type: 's',
        inserts: [
          { side: 'BUY', price: '67629.7', size: '0.992' },
          { side: 'SELL', price: '67630.1', size: '1.5' },
        ],
        updates: [],
        deletes: [],
      }),
      routes,
      5000,
    );
    expect(msg).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'paradex',
        symbol: 'BTC-USD-PERP',
        seq: 14127815,
        bids: [{ price: 676297, size: 99200 }],
        asks: [{ price: 676301, size: 150000 }],
        venueTime: 1718267837265,
        receivedAt: 5000,
      },
    });
  });

  it('decodes a delta: prevSeq = seq_no - 1, deletes become size 0 whatever size they carry', () => {
    const msg = jsonFrameDecoder.decode(
      Buffer.from(
        push(bookChannel, {
          seq_no: 14127816,
          market: 'BTC-USD-PERP',
          last_updated_at: 1718267837300,
          update_type: 'd',
          inserts: [{ side: 'SELL', price: '67631', size: '0.2' }],
          updates: [{ side: 'BUY', price: '67629.7', size: '0.5' }],
          deletes: [{ side: 'SELL', price: '67630.1', size: '1.5' }],
        }),
      ),
      routes,
      6000,
    );
    expect(msg.kind).toBe('book');
    if (msg.kind !== 'book') return;
    expect(msg.event.type).toBe('delta');
    expect(msg.event.seq).toBe(14127816);
    expect(msg.event.prevSeq).toBe(14127815);
    expect(msg.event.bids).toEqual([{ price: 676297, size: 50000 }]);
    expect(msg.event.asks).toEqual([
      { price: 676310, size: 20000 },
      { price: 676301, size: 0 },
    ]);
  });

  it('rejects a price finer than the tick, naming the field and the market', () => {
    const frame = push(bookChannel, {
      seq_no: 2,
      market: 'BTC-USD-PERP',
      last_updated_at: 1,
      update_type: 'd',
      inserts: [],
      updates: [{ side: 'BUY', price: '67629.75', size: '1' }],
      deletes: [],
    });
    let caught: unknown;
    try {
      jsonFrameDecoder.decode(frame, routes, 0);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WireFormatError);
    expect((caught as WireFormatError).field).toBe('params.data.updates[0].price');
    expect((caught as WireFormatError).symbol).toBe('BTC-USD-PERP');
  });

  it.each([
    [{ seq_no: 'x' }, 'params.data.seq_no'],
    [{ update_type: 'z' }, 'params.data.update_type'],
    [{ inserts: [{ side: 'BID', price: '1', size: '1' }] }, 'params.data.inserts[0].side'],
    [{ inserts: [{ side: 'BUY', price: 67629.7, size: '1' }] }, 'params.data.inserts[0].price'],
    [{ market: 'ETH-USD-PERP' }, 'params.data.market'],
    [{ deletes: 'none' }, 'params.data.deletes'],
  ])('malformed book %j -> WireFormatError at %s', (patch, field) => {
    const data = { seq_no: 3, market: 'BTC-USD-PERP', last_updated_at: 1, update_type: 'd', inserts: [], ...patch };
    expect(() => jsonFrameDecoder.decode(push(bookChannel, data), routes, 0)).toThrow(
      expect.objectContaining({ name: 'WireFormatError', field, symbol: 'BTC-USD-PERP' }),
    );
  });

  it('refuses a frame that is not JSON without knowing a market', () => {
    expect(() => jsonFrameDecoder.decode('{"jsonrpc":', routes, 0)).toThrow(
      expect.objectContaining({ name: 'WireFormatError', field: '(frame)', symbol: undefined }),
    );
  });
});

describe('paradex control and funding frames', () => {
  it('decodes funding with the interval from the push, else from /markets', () => {
    const withHours = decodeFrame(
      JSON.parse(push('funding_data.BTC-USD-PERP', { market: 'BTC-USD-PERP', funding_rate: '0.00012', funding_period_hours: 8, created_at: 99 })),
      routes,
      100,
    );
    expect(withHours).toEqual({
      kind: 'funding',
      event: { venue: 'paradex', symbol: 'BTC-USD-PERP', rate: '0.00012', intervalHours: 8, venueTime: 99, receivedAt: 100 },
    });
    const fourHourly = new Map<string, ParadexRoute>([['funding_data.ETH-USD-PERP', { kind: 'funding', market: eth! }]]);
    const fromMarkets = decodeFrame(
      JSON.parse(push('funding_data.ETH-USD-PERP', { market: 'ETH-USD-PERP', funding_rate: '-0.0001', created_at: 7 })),
      fourHourly,
      8,
    );
    expect(fromMarkets.kind === 'funding' && fromMarkets.event.intervalHours).toBe(4);
  });

  it('publishes no next rate or settlement time: funding is continuous and the push carries no forecast', () => {
    // Every field paradex-py's FundingDataResult / SBE FundingDataEvent model for funding_data.
    const msg = decodeFrame(
      JSON.parse(
        push('funding_data.BTC-USD-PERP', {
          market: 'BTC-USD-PERP',
          funding_index: '-0.1013629022003508722',
          funding_premium: '0.0000034985318',
          funding_rate: '0.0000125',
          funding_rate_8h: '0.0000125',
          funding_period_hours: 8,
          created_at: 1759822712054,
        }),
      ),
      routes,
      1759822712100,
    );
    expect(msg).toEqual({
      kind: 'funding',
      event: { venue: 'paradex', symbol: 'BTC-USD-PERP', rate: '0.0000125', intervalHours: 8, venueTime: 1759822712054, receivedAt: 1759822712100 },
    });
    if (msg.kind !== 'funding') throw new Error('unreachable');
    expect(msg.event).not.toHaveProperty('nextRate');
    expect(msg.event).not.toHaveProperty('nextFundingAt');
  });

  it('names the field when the funding push is malformed', () => {
    const bad = push('funding_data.BTC-USD-PERP', { market: 'BTC-USD-PERP', funding_rate: 'n/a', funding_period_hours: 8, created_at: 1 });
    expect(() => decodeFrame(JSON.parse(bad), routes, 0)).toThrow(
      expect.objectContaining({ name: 'WireFormatError', venue: 'paradex', field: 'params.data.funding_rate', symbol: 'BTC-USD-PERP' }),
    );
  });

  it('classifies acks, errors and unknown pushes without throwing', () => {
    expect(decodeFrame({ jsonrpc: '2.0', result: { channel: bookChannel }, usIn: 1, usDiff: 2, id: 1 }, routes, 0)).toEqual({
      kind: 'ack',
      id: 1,
      channel: bookChannel,
    });
    expect(
      decodeFrame({ jsonrpc: '2.0', id: 0, error: { code: -32600, message: 'invalid subscribe request', data: 'invalid channel' } }, routes, 0),
    ).toEqual({ kind: 'rpc-error', id: 0, code: -32600, message: 'invalid subscribe request (invalid channel)' });
    expect(decodeFrame(JSON.parse(push('trades.BTC-USD-PERP', {})), routes, 0)).toEqual({ kind: 'unrouted', channel: 'trades.BTC-USD-PERP' });
  });
});
