/**
 * Vest market-data connector against the Vest simulator serving an index perp on a 0.25 grid
 * (NDX-USD-PERP: priceDecimals 2, minTickSize 0.25, as a community capture saw the live venue; see
 * test/fixtures/venues/vest/SOURCES.md). Each case names what the connector did before it handled
 * the quirk.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import type { OrderRequest } from '../../../../engine/exchange/orders.ts';
import { ManualClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import type { BookEvent, FeedStatusEvent, FundingEvent, MarketDataSink, MarketInfo } from '../../../../engine/market/types.ts';
import { OrderGridError, checkOrderGrid } from '../../../../plugins/exchanges/shared/order-grid.ts';
import { WireFormatError } from '../../../../plugins/exchanges/shared/errors.ts';
import { parseVestOptions } from '../../../../plugins/exchanges/vest/config.ts';
import { VestConnector } from '../../../../plugins/exchanges/vest/market-data.ts';
import { venueInstrument, type InstrumentSeed, type VenueInstrument } from '../../../../simulators/instruments.ts';
import { MarketModel } from '../../../../simulators/market-model.ts';
import { VenueMarket } from '../../../../simulators/venue-market.ts';
import { VestSimulator } from '../../../../simulators/vest/server.ts';
import { startHttpVenue, type HttpVenue } from '../shared/http-venue.ts';

const SEEDS: InstrumentSeed[] = [
  { base: 'NDX', startPrice: '31450', touchSize: '3', volatilityPpm: 20 },
  { base: 'BTC', startPrice: '65000', touchSize: '0.5', volatilityPpm: 40, lighterMarketId: 1 },
];
/** The venue's clock (tsMs) and ours differ by construction: venue 5 000 000 + skew, ours 1 000 000. */
const simClock = new ManualClock(5_000_000);
const ourClock = new ManualClock(1_000_000);

function indexPerp(): VenueInstrument {
  const base = venueInstrument('vest', SEEDS[0]!, 0);
  return { ...base, symbol: 'NDX-USD-PERP', priceTick: '0.25', priceDecimals: 2, tickUnits: 25 };
}

let sim: VestSimulator;
let model: MarketModel;
let markets: VenueMarket[];
let timer: NodeJS.Timeout;
beforeAll(async () => {
  model = new MarketModel({ seed: 5, instruments: SEEDS, venues: ['vest'], clock: simClock });
  markets = [new VenueMarket(indexPerp(), 5), new VenueMarket(venueInstrument('vest', SEEDS[1]!, 1), 5)];
  const requote = () => markets.forEach((m) => m.requote(model.venueMidUnits('vest', m.instrument.base)));
  requote();
  sim = new VestSimulator({ host: '127.0.0.1', port: 0, latencyMs: 0, markets, model, clock: simClock, seed: 5, pingIntervalMs: 0, accountGroup: 0 });
  await sim.start();
  timer = setInterval(() => {
    model.step();
    requote();
    sim.afterStep();
  }, 20);
});
afterAll(async () => {
  clearInterval(timer);
  await sim?.close();
});

const timing = { requestTimeoutMs: 2000, connectTimeoutMs: 2000, reconnect: { minMs: 50, maxMs: 500 }, heartbeatIntervalMs: 500, stallTimeoutMs: 3000, resyncTimeoutMs: 400 };
const connectors: VestConnector[] = [];
afterEach(async () => {
  sim.refuseSubscriptions([]);
  sim.venueClockSkew(0);
  await Promise.all(connectors.splice(0).map((c) => c.stop()));
});

function connector(extra: Record<string, unknown> = {}, live = false): VestConnector {
  const c = new VestConnector(parseVestOptions({ restUrl: sim.restUrl, wsUrl: sim.wsUrl.split('?')[0], accountGroup: 0, ...timing, ...extra }), { logger: silentLogger, clock: ourClock, live });
  connectors.push(c);
  return c;
}

class RecordingSink implements MarketDataSink {
  books: BookEvent[] = [];
  statuses: FeedStatusEvent[] = [];
  funding: FundingEvent[] = [];
  onBook(e: BookEvent): void {
    this.books.push(e);
  }
  onStatus(e: FeedStatusEvent): void {
    this.statuses.push(e);
  }
  onFunding(e: FundingEvent): void {
    this.funding.push(e);
  }
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 4000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const order = (price: string): OrderRequest => ({ venue: 'vest', clientId: 'c1', symbol: 'NDX-USD-PERP', side: 'buy', type: 'limit', size: new Decimal('0.1'), price: new Decimal(price), timeInForce: 'IOC' });

describe('vest tick grid from exchangeInfo', () => {
  it('loads the 0.25 grid, so the order grid refuses a price between steps (the venue would reject it)', async () => {
    const [ndx, btc] = await connector().loadMarkets(['NDX-USD-PERP', 'BTC-PERP']);
    // Before: tickSize 10^-priceDecimals = 0.01, and 31450.10 went out to be rejected.
    expect(ndx).toMatchObject({ priceDecimals: 2, tickSize: '0.25' });
    expect(btc).toMatchObject({ priceDecimals: 2, tickSize: '0.01' });
    expect(() => checkOrderGrid('vest', order('31450.10'), ndx as MarketInfo)).toThrow(OrderGridError);
    expect(() => checkOrderGrid('vest', order('31450.25'), ndx as MarketInfo)).not.toThrow();
  });

  it('the simulated venue rejects a limit price off its grid and takes one on it', () => {
    const engine = sim.trading.engine;
    engine.fund('grid-test', '100000');
    const base = { account: 'grid-test', symbol: 'NDX-USD-PERP', side: 'buy' as const, kind: 'limit' as const, sizeUnits: 1000, timeInForce: 'GTC' as const };
    expect(engine.submit({ ...base, priceUnits: 3_000_010 })).toMatchObject({ status: 'rejected', reason: 'INVALID_PRICE' });
    expect(engine.submit({ ...base, priceUnits: 3_000_025 }).status).not.toBe('rejected');
  });
});

describe('vest exchangeInfo without tick fields', () => {
  let venue: HttpVenue;
  beforeAll(async () => {
    venue = await startHttpVenue('/v2');
    venue.handle(() => ({ status: 200, body: { symbols: [{ symbol: 'BTC-PERP', sizeDecimals: 4, priceDecimals: 2 }], exchange: { collateralDecimals: 6 } } }));
  });
  afterAll(async () => {
    await venue.close();
  });
  const make = (live: boolean, extra: Record<string, unknown> = {}) =>
    new VestConnector(parseVestOptions({ restUrl: `${venue.url}/v2`, ...extra }), { logger: silentLogger, clock: ourClock, live });

  it('refuses the market in live mode, naming the field; dry-run and the explicit fallback use 10^-priceDecimals', async () => {
    await expect(make(true).loadMarkets(['BTC-PERP'])).rejects.toThrow(WireFormatError);
    await expect(make(true).loadMarkets(['BTC-PERP'])).rejects.toThrow(/symbols\[0\]\.minTickSize is missing/);
    expect((await make(false).loadMarkets(['BTC-PERP']))[0]!.tickSize).toBe('0.01');
    expect((await make(true, { missingTickSize: 'priceDecimals' }).loadMarkets(['BTC-PERP']))[0]!.tickSize).toBe('0.01');
  });
});

describe('vest feed quirks', () => {
  it('stamps books with the venue clock (tsMs), not the receive time', async () => {
    sim.venueClockSkew(-1500);
    const c = connector();
    const ms = await c.loadMarkets(['NDX-USD-PERP']);
    const sink = new RecordingSink();
    await c.startMarketData(ms, sink);
    await waitFor('a book', () => sink.books.length > 1);
    const e = sink.books.at(-1)!;
    // Before: venueTime === receivedAt (1 000 000), whatever the venue's clock said.
    expect(e.receivedAt).toBe(1_000_000);
    expect(e.venueTime).toBe(simClock.now() - 1500);
    expect([...e.bids, ...e.asks].every((l) => l.price % 25 === 0)).toBe(true);
  });

  it('reads funding from per-symbol {SYMBOL}@ticker frames', async () => {
    const c = connector({ tickerChannel: 'perSymbol' });
    const ms = await c.loadMarkets(['NDX-USD-PERP', 'BTC-PERP']);
    const sink = new RecordingSink();
    await c.startMarketData(ms, sink);
    // Before: the one-object frames were dropped as unrouted, so no funding arrived.
    await waitFor('funding for both markets', () => new Set(sink.funding.map((f) => f.symbol)).size === 2);
    expect(sink.funding[0]).toMatchObject({ venue: 'vest', intervalHours: 1, venueTime: simClock.now(), receivedAt: 1_000_000 });
  });

  it('fails a market whose depth subscription the venue refuses, naming the channel, and keeps the others', async () => {
    sim.refuseSubscriptions(['NDX-USD-PERP@depth'], 'invalid_stream');
    const c = connector();
    const ms = await c.loadMarkets(['NDX-USD-PERP', 'BTC-PERP']);
    const sink = new RecordingSink();
    await c.startMarketData(ms, sink);
    // Before: nothing; the book waited for a snapshot that never came, then the socket reconnected.
    await waitFor('the refusal', () => sink.statuses.some((s) => s.state === 'stopped'));
    const stopped = sink.statuses.find((s) => s.state === 'stopped')!;
    expect(stopped.symbols).toEqual(['NDX-USD-PERP']);
    expect(stopped.reason).toMatch(/NDX-USD-PERP@depth refused by the venue \(invalid_stream\)/);
    expect(c.refusedSubscriptions).toBe(1);
    expect(c.refusedMarkets().get('NDX-USD-PERP')).toEqual({ channel: 'NDX-USD-PERP@depth', reason: 'invalid_stream' });
    await waitFor('BTC books', () => sink.books.filter((b) => b.symbol === 'BTC-PERP').length > 2);
    // Past the resync timeout (400 ms x 2): no REST fetch revived it and no reconnect happened.
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.books.some((b) => b.symbol === 'NDX-USD-PERP')).toBe(false);
    const afterOpen = sink.statuses.slice(sink.statuses.findIndex((s) => s.state === 'live') + 1);
    expect(afterOpen.filter((s) => s.state === 'connecting' || s.state === 'disconnected')).toEqual([]);
    // The hub asking for a resync gets the refusal again, not a fetch.
    c.resync('NDX-USD-PERP');
    expect(sink.statuses.at(-1)).toMatchObject({ state: 'stopped', symbols: ['NDX-USD-PERP'] });
  });
});
