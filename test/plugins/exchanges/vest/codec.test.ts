import { describe, expect, it } from 'vitest';
import { decodeExchangeInfo, decodeFrame, decodeFrameText, decodeVestMarkets } from '../../../../plugins/exchanges/vest/codec.ts';
import { fixtureJson, fixtureText } from '../../../fixtures/venues/corpus.ts';

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
      base: 'BTC',
      quote: 'USDC',
      kind: 'perp',
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

// Live-venue shapes from a community capture (test/fixtures/venues/vest/SOURCES.md, H3 section).
const nqInfo = fixtureJson('vest', 'rest/exchange-info-nq-bookdepthiq.json');
const [nq] = decodeExchangeInfo(nqInfo, 'refuse');
const nqMarkets = new Map([['NDX-USD-PERP', nq!]]);
const entry = (fields: Record<string, unknown>) => ({ symbols: [{ symbol: 'NQ', sizeDecimals: 4, priceDecimals: 2, ...fields }] });

describe('vest tick grid (minTickSize / tickSizes / defaultTickSize)', () => {
  it('takes the order grid from minTickSize, not 10^-priceDecimals', () => {
    // Without the tick fields this read 0.01 and orders between the 0.25 steps were refused by the venue.
    expect(nq).toMatchObject({ symbol: 'NDX-USD-PERP', priceDecimals: 2, tickSize: '0.25' });
    expect(decodeVestMarkets(nqInfo)[0]!.tick).toEqual({ tickSize: '0.25', source: 'minTickSize' });
  });

  it('falls back to the finest tickSizes, then defaultTickSize; exact text, trailing zeros trimmed', () => {
    expect(decodeVestMarkets(entry({ tickSizes: ['2.5', '0.50', '25'] }))[0]!.tick).toEqual({ tickSize: '0.5', source: 'tickSizes' });
    expect(decodeVestMarkets(entry({ defaultTickSize: '0.250' }))[0]!.tick).toEqual({ tickSize: '0.25', source: 'defaultTickSize' });
    expect(decodeVestMarkets(entry({ minTickSize: '1', tickSizes: ['1', '10'] }), 'refuse')[0]!.market.tickSize).toBe('1');
  });

  it('refuses a symbol with no tick field under the refuse policy, naming the field and the way out', () => {
    const err = (() => {
      try {
        decodeExchangeInfo(entry({}), 'refuse');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ name: 'WireFormatError', venue: 'vest', field: 'symbols[0].minTickSize', symbol: 'NQ' });
    expect(String(err)).toMatch(/missingTickSize: priceDecimals/);
    expect(decodeVestMarkets(entry({}), 'priceDecimals')[0]!.tick).toEqual({ tickSize: '0.01', source: 'priceDecimals' });
  });

  it.each([
    [{ minTickSize: 0.25 }, 'symbols[0].minTickSize', /must be a string/],
    [{ minTickSize: 'abc' }, 'symbols[0].minTickSize', /decimal string/],
    [{ minTickSize: '0' }, 'symbols[0].minTickSize', /positive/],
    [{ minTickSize: '0.001' }, 'symbols[0].minTickSize', /more decimals than priceDecimals 2/],
    [{ tickSizes: [] }, 'symbols[0].tickSizes', /at least one/],
    [{ tickSizes: '0.25' }, 'symbols[0].tickSizes', /must be an array/],
    [{ tickSizes: ['0.25', 'x'] }, 'symbols[0].tickSizes[1]', /decimal string/],
    [{ minTickSize: '0.25', tickSizes: ['0.1', '1'] }, 'symbols[0].tickSizes', /finer than minTickSize 0.25/],
    [{ defaultTickSize: '-1' }, 'symbols[0].defaultTickSize', /decimal string|positive/],
  ])('malformed tick %j -> error at %s', (fields, field, problem) => {
    expect(() => decodeExchangeInfo(entry(fields))).toThrow(expect.objectContaining({ name: 'WireFormatError', field, symbol: 'NQ' }));
    expect(() => decodeExchangeInfo(entry(fields))).toThrow(problem);
  });
});

describe('vest venue time (tsMs)', () => {
  it('uses the frame tsMs as the book venueTime (captured NQ depth), prices on the 0.25 grid', () => {
    // Before: venueTime was always the receive time, so desync risk never saw the venue's clock.
    const msg = decodeFrameText(fixtureText('vest', 'ws/depth-nq-bookdepthiq.json'), nqMarkets, 1791415136718);
    if (msg.kind !== 'book') throw new Error(`expected book, got ${msg.kind}`);
    expect(msg.event.venueTime).toBe(1791415136507);
    expect(msg.event.receivedAt).toBe(1791415136718);
    expect(msg.event.bids[0]).toEqual({ price: 3147875, size: 48135 });
    expect(msg.event.asks).toHaveLength(20);
    expect([...msg.event.bids, ...msg.event.asks].every((l) => l.price % 25 === 0)).toBe(true);
  });

  it('uses tsMs on the tickers channel too, and the receive time when a frame has none', () => {
    const withTs = decodeFrameText(JSON.stringify({ channel: 'tickers', data: [{ symbol: 'BTC-PERP', oneHrFundingRate: '0.0001' }], tsMs: 1000 }), markets, 2000);
    expect(withTs).toMatchObject({ kind: 'funding', events: [{ venueTime: 1000, receivedAt: 2000 }] });
    const without = decodeFrameText(JSON.stringify({ channel: 'BTC-PERP@depth', data: { bids: [], asks: [] } }), markets, 2000);
    expect(without).toMatchObject({ kind: 'book', event: { venueTime: 2000 } });
  });

  it.each([['"soon"'], ['-5'], ['1.5']])('a malformed tsMs %s is a named error on the book it concerns', (ts) => {
    const frame = `{"channel":"BTC-PERP@depth","data":{"bids":[],"asks":[]},"tsMs":${ts}}`;
    expect(() => decodeFrameText(frame, markets, 0)).toThrow(expect.objectContaining({ name: 'WireFormatError', field: 'tsMs', symbol: 'BTC-PERP' }));
  });
});

describe('vest per-symbol ticker ({SYMBOL}@ticker)', () => {
  it('routes the one-object frame to funding with the venue time (captured NQ ticker)', () => {
    // Before: "unrouted", and its funding was dropped.
    const msg = decodeFrameText(fixtureText('vest', 'ws/ticker-nq-bookdepthiq.json'), nqMarkets, 1791415136900);
    expect(msg).toEqual({
      kind: 'funding',
      events: [{ venue: 'vest', symbol: 'NDX-USD-PERP', rate: '0.0000057077625570776', intervalHours: 1, venueTime: 1791415136830, receivedAt: 1791415136900 }],
    });
  });

  it('names the field when the ticker inside disagrees with its channel, and leaves foreign symbols unrouted', () => {
    const wrong = JSON.stringify({ channel: 'BTC-PERP@ticker', data: { symbol: 'ETH-PERP', oneHrFundingRate: '0.1' } });
    expect(() => decodeFrameText(wrong, markets, 0)).toThrow(expect.objectContaining({ name: 'WireFormatError', field: 'data.symbol', symbol: 'BTC-PERP' }));
    expect(() => decodeFrameText(JSON.stringify({ channel: 'BTC-PERP@ticker', data: [] }), markets, 0)).toThrow(expect.objectContaining({ field: 'data' }));
    expect(decodeFrameText(JSON.stringify({ channel: 'ETH-PERP@ticker', data: {} }), markets, 0)).toEqual({ kind: 'unrouted', channel: 'ETH-PERP@ticker' });
  });
});

describe('vest subscription outcomes', () => {
  it('decodes a refused stream with its reason (captured shape)', () => {
    // Before: "other", and the refusal went unnoticed.
    expect(decodeFrameText(fixtureText('vest', 'ws/subscription-rejected-bookdepthiq.json'), markets, 0)).toEqual({
      kind: 'outcomes',
      accepted: [],
      refused: [{ channel: 'NDX-USD-PERP@kline_1m', reason: 'invalid_stream' }],
    });
    const mixed = { subscription_outcomes: [{ requested: 'BTC-PERP@depth', status: 'registered' }, { requested: 'X@depth', status: 'rejected' }] };
    expect(decodeFrame(mixed, markets, 0)).toEqual({ kind: 'outcomes', accepted: ['BTC-PERP@depth'], refused: [{ channel: 'X@depth', reason: 'rejected' }] });
  });

  it('names the field of a malformed outcome', () => {
    expect(() => decodeFrame({ subscription_outcomes: [{ status: 'rejected' }] }, markets, 0)).toThrow(
      expect.objectContaining({ name: 'WireFormatError', field: 'subscription_outcomes[0].requested' }),
    );
    expect(() => decodeFrame({ subscription_outcomes: {} }, markets, 0)).toThrow(expect.objectContaining({ field: 'subscription_outcomes' }));
  });
});
