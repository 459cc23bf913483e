import { describe, expect, it } from 'vitest';
import { decodeExchangeInfo, decodeFrameText } from '../../../../plugins/exchanges/vest/codec.ts';

// Shapes from the Vest API docs (GET /exchangeInfo, WS @depth and tickers channels).
const [btc, doge] = decodeExchangeInfo({
  symbols: [
    { symbol: 'BTC-PERP', displayName: 'BTC-PERP', base: 'BTC', quote: 'USDC', sizeDecimals: 4, priceDecimals: 2, initMarginRatio: '0.1', takerFee: '0.0001' },
    { symbol: 'DOGE-PERP', sizeDecimals: 0, priceDecimals: 4, initMarginRatio: 0.2 },
  ],
  exchange: { collateralDecimals: 6 },
});
const markets = new Map([
  ['BTC-PERP', btc!],
  ['DOGE-PERP', doge!],
]);

describe('vest exchangeInfo', () => {
  it('turns decimals into exact steps', () => {
    expect(btc).toEqual({
      venue: 'vest',
      symbol: 'BTC-PERP',
      priceDecimals: 2,
      sizeDecimals: 4,
      tickSize: '0.01',
      sizeIncrement: '0.0001',
      minSize: '0.0001',
    });
    expect(doge!.sizeIncrement).toBe('1');
    expect(doge!.tickSize).toBe('0.0001');
  });

  it('names the field when decimals are missing', () => {
    expect(() => decodeExchangeInfo({ symbols: [{ symbol: 'X', priceDecimals: 2 }] })).toThrow(/symbols\[0\]\.sizeDecimals must be an integer/);
  });
});

describe('vest depth', () => {
  it('decodes every push as a snapshot, trailing zeros included, venueTime = receive time', () => {
    const msg = decodeFrameText(
      JSON.stringify({ channel: 'DOGE-PERP@depth', data: { bids: [['0.102000', '1234']], asks: [['0.103000', '12.000']] } }),
      markets,
      4242,
    );
    expect(msg).toEqual({
      kind: 'book',
      event: {
        type: 'snapshot',
        venue: 'vest',
        symbol: 'DOGE-PERP',
        bids: [{ price: 1020, size: 1234 }],
        asks: [{ price: 1030, size: 12 }],
        venueTime: 4242,
        receivedAt: 4242,
      },
    });
    if (msg.kind === 'book') expect(msg.event.seq).toBeUndefined();
  });

  it('refuses a size with more significant decimals than the market allows, naming field and market', () => {
    expect(() =>
      decodeFrameText(JSON.stringify({ channel: 'DOGE-PERP@depth', data: { bids: [['0.1020', '1.5']], asks: [] } }), markets, 0),
    ).toThrow(expect.objectContaining({ name: 'WireFormatError', field: 'data.bids[0][1]', symbol: 'DOGE-PERP' }));
  });

  it.each([
    [{ bids: [['100.00']], asks: [] }, 'data.bids[0]'],
    [{ bids: [], asks: [[100.5, '1']] }, 'data.asks[0][0]'],
    [{ bids: [] }, 'data.asks'],
    [[], 'data'],
  ])('malformed depth %j -> error at %s', (data, field) => {
    expect(() => decodeFrameText(JSON.stringify({ channel: 'BTC-PERP@depth', data }), markets, 0)).toThrow(
      expect.objectContaining({ name: 'WireFormatError', field, symbol: 'BTC-PERP' }),
    );
  });
});

describe('vest control and funding', () => {
  it('reads hourly funding for subscribed markets only', () => {
    const msg = decodeFrameText(
      JSON.stringify({
        channel: 'tickers',
        data: [
          { symbol: 'BTC-PERP', oneHrFundingRate: '0.001250', markPrice: '67000.00', status: 'TRADING' },
          { symbol: 'kBONK-PERP', oneHrFundingRate: '0.1' },
        ],
      }),
      markets,
      77,
    );
    expect(msg).toEqual({
      kind: 'funding',
      events: [{ venue: 'vest', symbol: 'BTC-PERP', rate: '0.001250', intervalHours: 1, venueTime: 77, receivedAt: 77 }],
    });
  });

  it('publishes no next rate or settlement time: a ticker documents neither', () => {
    // Every field the docs give a ticker (GET /ticker/latest, the tickers channel).
    const msg = decodeFrameText(
      JSON.stringify({
        channel: 'tickers',
        data: [{ symbol: 'BTC-PERP', markPrice: '34000.1', indexPrice: '34000.0', imbalance: '123.12', oneHrFundingRate: '0.0001', cumFunding: '1.23', status: 'TRADING' }],
      }),
      markets,
      5,
    );
    if (msg.kind !== 'funding') throw new Error(`expected funding, got ${msg.kind}`);
    expect(msg.events).toHaveLength(1);
    expect(msg.events[0]).toMatchObject({ rate: '0.0001', intervalHours: 1 });
    expect(msg.events[0]).not.toHaveProperty('nextRate');
    expect(msg.events[0]).not.toHaveProperty('nextFundingAt');
  });

  it('names the field when a ticker funding rate is malformed', () => {
    const bad = JSON.stringify({ channel: 'tickers', data: [{ symbol: 'BTC-PERP', oneHrFundingRate: '0.01%' }] });
    expect(() => decodeFrameText(bad, markets, 0)).toThrow(expect.objectContaining({ name: 'WireFormatError', venue: 'vest', field: 'data[0].oneHrFundingRate' }));
  });

  it('recognises PONG, subscription acks and foreign channels', () => {
    expect(decodeFrameText('{"data":"PONG"}', markets, 0)).toEqual({ kind: 'pong' });
    expect(decodeFrameText('{"result":null,"id":1}', markets, 0)).toEqual({ kind: 'ack', id: 1 });
    expect(decodeFrameText('{"channel":"ETH-PERP@depth","data":{}}', markets, 0)).toEqual({ kind: 'unrouted', channel: 'ETH-PERP@depth' });
  });
});
