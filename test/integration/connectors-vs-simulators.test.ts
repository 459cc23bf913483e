/**
 * Each market-data connector against its loopback venue simulator, through the real hub:
 * books arrive, a lost message (sequence gap) leads to a resync and a live book again, a dropped
 * socket reconnects and resubscribes, garbage frames are counted and survived.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../engine/core/clock.ts';
import { silentLogger } from '../../engine/core/logger.ts';
import type { ExchangeConnector } from '../../engine/exchange/connector.ts';
import { MarketDataHub } from '../../engine/market/hub.ts';
import type { FeedStatusEvent, FundingEvent, MarketDataSink } from '../../engine/market/types.ts';
import { LighterConnector, parseLighterOptions } from '../../plugins/exchanges/lighter/index.ts';
import { ParadexConnector, parseParadexOptions } from '../../plugins/exchanges/paradex/index.ts';
import { VestConnector, parseVestOptions } from '../../plugins/exchanges/vest/index.ts';
import { startVenueSimulators, type VenueSimulators } from '../../simulators/index.ts';
import { venueInstrument, type InstrumentSeed, type VenueInstrument } from '../../simulators/instruments.ts';
import { MarketModel } from '../../simulators/market-model.ts';
import { VenueMarket } from '../../simulators/venue-market.ts';
import { VestSimulator } from '../../simulators/vest/server.ts';

const timing = {
  requestTimeoutMs: 2000,
  connectTimeoutMs: 2000,
  reconnect: { minMs: 50, maxMs: 500 },
  heartbeatIntervalMs: 500,
  stallTimeoutMs: 3000,
  resyncTimeoutMs: 2000,
};

let sims: VenueSimulators;
beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 11, updateIntervalMs: 20, instruments: ['BTC', 'ETH'] });
});
afterAll(async () => {
  await sims?.stop();
});

interface Case {
  venue: 'paradex' | 'vest' | 'lighter';
  symbols: string[];
  /** What the simulator's skipSequence takes for the first symbol; undefined: no sequence. */
  gapMarket?: string | number;
  make(): ExchangeConnector & { malformedFrames: number };
}

const cases: Case[] = [
  {
    venue: 'paradex',
    symbols: ['BTC-USD-PERP', 'ETH-USD-PERP'],
    gapMarket: 'BTC-USD-PERP',
    make: () =>
      new ParadexConnector(parseParadexOptions({ restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl, ...timing }), {
        logger: silentLogger,
        clock: systemClock,
      }),
  },
  {
    venue: 'lighter',
    symbols: ['1', '0'],
    gapMarket: 1,
    make: () =>
      new LighterConnector(parseLighterOptions({ restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl, ...timing }), {
        logger: silentLogger,
        clock: systemClock,
      }),
  },
  {
    venue: 'vest',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    make: () =>
      new VestConnector(
        parseVestOptions({ restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl.split('?')[0], accountGroup: sims.vest.accountGroup, ...timing }),
        { logger: silentLogger, clock: systemClock },
      ),
  },
];

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(cases)('$venue connector vs simulator', (c) => {
  let connector: ExchangeConnector & { malformedFrames: number };
  let hub: MarketDataHub;
  const statuses: FeedStatusEvent[] = [];
  const funding: FundingEvent[] = [];
  const live = (symbol: string) => {
    const book = hub.book(c.venue, symbol);
    return book !== undefined && hub.isTradable(book, Date.now());
  };

  beforeAll(async () => {
    connector = c.make();
    const markets = await connector.loadMarkets(c.symbols);
    hub = new MarketDataHub(systemClock, silentLogger, { maxBookAgeMs: 5000 });
    hub.addVenue(c.venue, markets, (symbol) => connector.resync(symbol));
    const sink: MarketDataSink = {
      onBook: (e) => hub.onBook(e),
      onStatus: (e) => {
        statuses.push(e);
        hub.onStatus(e);
      },
      onFunding: (e) => {
        funding.push(e);
        hub.onFunding(e);
      },
    };
    await connector.startMarketData(markets, sink);
  });
  afterAll(async () => {
    await connector?.stop();
  });

  it('loads markets and brings every book live', async () => {
    await waitFor('books live', () => c.symbols.every(live));
    const book = hub.book(c.venue, c.symbols[0]!)!;
    expect(book.isCrossed()).toBe(false);
    expect(statuses.map((s) => s.state).slice(0, 2)).toEqual(['connecting', 'live']);
    if (c.gapMarket !== undefined) await waitFor('deltas applied', () => hub.counters.deltas > 5);
  });

  it('delivers funding for the subscribed markets with a positive interval', async () => {
    await waitFor('funding', () => funding.some((f) => f.symbol === c.symbols[0]));
    const f = funding.find((e) => e.symbol === c.symbols[0])!;
    expect(f.venue).toBe(c.venue);
    expect(f.rate).toMatch(/^-?\d+(\.\d+)?$/);
    expect(f.intervalHours).toBeGreaterThan(0);
    expect(funding.every((e) => c.symbols.includes(e.symbol))).toBe(true);
    if (c.venue === 'lighter') {
      // The live estimate settles at the next hour mark after the frame.
      const hour = 3_600_000;
      expect(f.nextRate).toBe(f.rate);
      expect(f.nextFundingAt).toBe((Math.floor(f.venueTime / hour) + 1) * hour);
    } else {
      expect(f).not.toHaveProperty('nextRate');
      expect(f).not.toHaveProperty('nextFundingAt');
    }
  });

  it('resyncs a book after a sequence gap (or on request where the venue has no sequence)', async () => {
    const snapshotsBefore = hub.counters.snapshots;
    const symbol = c.symbols[0]!;
    if (c.gapMarket !== undefined) {
      const gapsBefore = hub.counters.gaps;
      sims.faults.skipSequence(c.venue, c.gapMarket);
      await waitFor('gap detected', () => hub.counters.gaps > gapsBefore);
    } else {
      connector.resync(symbol);
    }
    await waitFor('fresh snapshot', () => hub.counters.snapshots > snapshotsBefore && live(symbol));
    expect(statuses.some((s) => s.state === 'resyncing' && s.symbols.includes(symbol))).toBe(true);
  });

  it('reconnects and resubscribes after the venue drops the socket', async () => {
    const from = statuses.length;
    sims.faults.dropSockets(c.venue);
    await waitFor('disconnect seen', () => statuses.slice(from).some((s) => s.state === 'disconnected'));
    expect(c.symbols.some(live)).toBe(false); // the hub marked every book stale meanwhile
    await waitFor('live again', () => statuses.slice(from).some((s) => s.state === 'live') && c.symbols.every(live));
    const states = statuses.slice(from).map((s) => s.state);
    expect(states.indexOf('disconnected')).toBeLessThan(states.indexOf('connecting'));
    expect(states.indexOf('connecting')).toBeLessThan(states.lastIndexOf('live'));
  });

  it('survives garbage frames: counts them and keeps the books live', async () => {
    const before = connector.malformedFrames;
    sims.faults.sendGarbage(c.venue);
    await waitFor('garbage counted', () => connector.malformedFrames >= before + 2);
    await waitFor('books live after garbage', () => c.symbols.every(live));
  });
});

/**
 * Vest only: an index perp on a 0.25 grid (priceDecimals 2, minTickSize 0.25, as the live venue
 * publishes NDX-USD-PERP), a venue clock ahead of ours, and a refused depth stream, through the hub.
 */
describe('vest connector vs simulator: tick grid, venue time, refused stream', () => {
  const seed: InstrumentSeed = { base: 'NDX', startPrice: '31450', touchSize: '3', volatilityPpm: 20 };
  const instrument: VenueInstrument = { ...venueInstrument('vest', seed, 0), symbol: 'NDX-USD-PERP', priceTick: '0.25', priceDecimals: 2, tickUnits: 25 };
  let vest: VestSimulator;
  let timer: NodeJS.Timeout;
  let connector: VestConnector;
  let hub: MarketDataHub;

  beforeAll(async () => {
    const model = new MarketModel({ seed: 7, instruments: [seed], venues: ['vest'], clock: systemClock });
    const market = new VenueMarket(instrument, 7);
    market.requote(model.venueMidUnits('vest', 'NDX'));
    vest = new VestSimulator({ host: '127.0.0.1', port: 0, latencyMs: 0, markets: [market], model, clock: systemClock, seed: 7, pingIntervalMs: 0, accountGroup: 0 });
    await vest.start();
    vest.venueClockSkew(30_000);
    timer = setInterval(() => {
      model.step();
      market.requote(model.venueMidUnits('vest', 'NDX'));
      vest.afterStep();
    }, 20);
    connector = new VestConnector(parseVestOptions({ restUrl: vest.restUrl, wsUrl: vest.wsUrl.split('?')[0], accountGroup: 0, ...timing }), { logger: silentLogger, clock: systemClock });
    const markets = await connector.loadMarkets(['NDX-USD-PERP']);
    hub = new MarketDataHub(systemClock, silentLogger, { maxBookAgeMs: 5000 });
    hub.addVenue('vest', markets, (symbol) => connector.resync(symbol));
    await connector.startMarketData(markets, { onBook: (e) => hub.onBook(e), onStatus: (e) => hub.onStatus(e), onFunding: (e) => hub.onFunding(e) });
  });
  afterAll(async () => {
    clearInterval(timer);
    await connector?.stop();
    await vest?.close();
  });

  it('books the index perp on its 0.25 grid with the venue clock as venue time', async () => {
    const book = () => hub.book('vest', 'NDX-USD-PERP');
    await waitFor('NDX live', () => book() !== undefined && hub.isTradable(book()!, Date.now()));
    expect(book()!.market.tickSize).toBe('0.25');
    // 30 s ahead: the desync check now sees the venue's own clock, not our receive time.
    expect(book()!.venueTime - Date.now()).toBeGreaterThan(25_000);
  });

  it('a refused depth stream leaves the book stale with the channel named, not waiting forever', async () => {
    vest.refuseSubscriptions(['NDX-USD-PERP@depth'], 'invalid_stream');
    vest.dropSockets(); // the refusal answers the resubscription
    await waitFor('refusal counted', () => connector.refusedSubscriptions === 1);
    const book = hub.book('vest', 'NDX-USD-PERP')!;
    expect(hub.isTradable(book, Date.now())).toBe(false);
    expect(book.staleReason).toMatch(/NDX-USD-PERP@depth refused by the venue \(invalid_stream\)/);
  });
});
