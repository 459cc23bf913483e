/**
 * The connector's SBE decoder against the simulator's SBE encoder (simulators/paradex/sbe/, written
 * apart from the connector from paradex_1_0.xml): default options (encoding sbe) on a simulator
 * started with paradexPublicEncoding 'sbe'. Two independent readings of the schema must agree.
 * Second part: the same through every fault the simulator offers, book for book against its REST book.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger, type Logger } from '../../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import type { OrderBook } from '../../../../engine/market/book.ts';
import type { FeedStatusEvent, FundingEvent } from '../../../../engine/market/types.ts';
import { toUnits } from '../../../../engine/market/units.ts';
import { parseParadexOptions } from '../../../../plugins/exchanges/paradex/config.ts';
import { ParadexConnector } from '../../../../plugins/exchanges/paradex/market-data.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../../simulators/index.ts';

const SYMBOLS = ['BTC-USD-PERP', 'ETH-USD-PERP'];
const timing = { connectTimeoutMs: 2_000, resyncTimeoutMs: 1_000, reconnect: { minMs: 20, maxMs: 100 } };
let sims: VenueSimulators;
let connector: ParadexConnector;
let hub: MarketDataHub;
const statuses: FeedStatusEvent[] = [];
const funding: FundingEvent[] = [];

async function waitFor(what: string, check: () => boolean, timeoutMs = 8000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const live = (symbol: string) => {
  const book = hub.book('paradex', symbol);
  return book !== undefined && hub.isTradable(book, Date.now());
};

beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 13, updateIntervalMs: 20, instruments: ['BTC', 'ETH'], paradexPublicEncoding: 'sbe', paradexSbeHeartbeatMs: 50 });
  connector = new ParadexConnector(parseParadexOptions({ restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl, ...timing }), { logger: silentLogger, clock: systemClock });
  const markets = await connector.loadMarkets(SYMBOLS);
  hub = new MarketDataHub(systemClock, silentLogger, { maxBookAgeMs: 5000 });
  hub.addVenue('paradex', markets, (symbol) => connector.resync(symbol));
  await connector.startMarketData(markets, {
    onBook: (e) => hub.onBook(e),
    onStatus: (e) => (statuses.push(e), hub.onStatus(e)),
    onFunding: (e) => (funding.push(e), hub.onFunding(e)),
  });
});
afterAll(async () => {
  await connector?.stop();
  await sims?.stop();
});

describe('paradex connector (SBE) vs the SBE simulator', () => {
  it('brings both books live from binary frames and applies deltas without gaps; the book matches the venue', async () => {
    await waitFor('books live', () => SYMBOLS.every(live));
    await waitFor('deltas', () => hub.counters.deltas > 10);
    expect(hub.counters.gaps).toBe(0);
    expect(connector.malformedFrames).toBe(0);
    const book = hub.book('paradex', 'BTC-USD-PERP')!;
    expect(book.isCrossed()).toBe(false);
    expect(book.venueTime).toBeGreaterThan(1_600_000_000_000); // ms, not µs
    expect(book.venueTime).toBeLessThan(10_000_000_000_000);
  });

  it('delivers funding decoded from FundingDataEvent as exact decimal strings', async () => {
    await waitFor('funding', () => SYMBOLS.every((s) => funding.some((f) => f.symbol === s)));
    for (const f of funding) {
      expect(f.rate).toMatch(/^-?\d+(\.\d{1,8})?$/);
      expect(f.intervalHours).toBeGreaterThan(0);
    }
  });

  it('resyncs a book after a sequence gap and comes back live', async () => {
    const gaps = hub.counters.gaps;
    const snapshots = hub.counters.snapshots;
    sims.faults.skipSequence('paradex', 'BTC-USD-PERP');
    await waitFor('gap', () => hub.counters.gaps > gaps);
    await waitFor('fresh snapshot', () => hub.counters.snapshots > snapshots && live('BTC-USD-PERP'));
    expect(statuses.some((s) => s.state === 'resyncing' && s.symbols.includes('BTC-USD-PERP'))).toBe(true);
  });

  it('a version the simulator does not serve is refused at connect and named as a refused negotiation', async () => {
    const refused: FeedStatusEvent[] = [];
    const c = new ParadexConnector(parseParadexOptions({ wsUrl: sims.paradex.wsUrl, sbeSchemaVersion: 2, ...timing, connectTimeoutMs: 200 }), {
      logger: silentLogger,
      clock: systemClock,
    });
    await c.startMarketData([hub.book('paradex', 'BTC-USD-PERP')!.market], { onBook: () => {}, onStatus: (e) => refused.push(e) });
    try {
      await waitFor('refusal', () => refused.some((s) => s.state === 'disconnected'));
      expect(refused.find((s) => s.state === 'disconnected')!.reason).toMatch(/HTTP 400: SBE negotiation sbeSchemaId=1&sbeSchemaVersion=2/);
    } finally {
      await c.stop();
    }
  });
});

/**
 * Every fault the Paradex simulator offers (simulators/faults.ts: skipSequence, sendGarbage,
 * dropSockets, stall), over SBE. The market moves only when this test steps it, so after each fault
 * the stepping pauses and the connector's book must equal the simulator's REST book
 * (GET /v1/orderbook/{market}, same seq_no) level for level; each fault must be counted as its own
 * kind (a gap, malformed frames, a disconnect, a stall) and none may stop the feed.
 */
describe('paradex connector (SBE) through every simulator fault', () => {
  const MARKET = 'BTC-USD-PERP';
  const faultTiming = { ...timing, stallTimeoutMs: 400, heartbeatIntervalMs: 100 };
  let venue: VenueSimulators;
  let feed: ParadexConnector;
  let books: MarketDataHub;
  let stepping: NodeJS.Timeout | undefined;
  const seen: FeedStatusEvent[] = [];
  const warnings: string[] = [];
  const recording: Logger = {
    debug() {},
    info() {},
    warn: (msg) => void warnings.push(msg),
    error: (msg) => void warnings.push(`error: ${msg}`),
    child: () => recording,
  };
  const isLive = () => {
    const book = books.book('paradex', MARKET);
    return book !== undefined && books.isTradable(book, Date.now());
  };
  const resume = () => {
    stepping ??= setInterval(() => venue.step(), 20);
  };
  const pause = () => {
    clearInterval(stepping);
    stepping = undefined;
  };

  /** The simulator's own book for the market, in the connector's integer units. */
  async function venueBook(book: OrderBook) {
    const res = await fetch(`${venue.paradex.restUrl}/orderbook/${MARKET}?depth=1000`);
    const body = (await res.json()) as { seq_no: number; bids: [string, string][]; asks: [string, string][] };
    const { priceDecimals, sizeDecimals } = book.market;
    const side = (levels: [string, string][]) => ({ prices: levels.map(([p]) => toUnits(p, priceDecimals)), sizes: levels.map(([, q]) => toUnits(q, sizeDecimals)) });
    return { seq: body.seq_no, bids: side(body.bids), asks: side(body.asks) };
  }

  /** Pause the market, let the last frames land, then the connector's book must be the venue's. */
  async function expectBookEqualsVenue(): Promise<void> {
    await waitFor('book live', isLive);
    pause();
    try {
      const book = books.book('paradex', MARKET)!;
      let rest = await venueBook(book);
      await waitFor('connector caught up with the venue', () => book.seq === rest.seq, 3000);
      rest = await venueBook(book); // nothing moved meanwhile
      expect(book.seq).toBe(rest.seq);
      expect({ bids: { prices: book.bids.prices, sizes: book.bids.sizes }, asks: { prices: book.asks.prices, sizes: book.asks.sizes } }).toEqual({ bids: rest.bids, asks: rest.asks });
      expect(Math.min(book.bids.prices.length, book.asks.prices.length)).toBeGreaterThan(1); // 15 a side on this simulator
      expect(book.isCrossed()).toBe(false);
    } finally {
      resume();
    }
  }

  /** Each fault's own count moves, no other kind does. */
  function counts() {
    return {
      gaps: books.counters.gaps,
      malformed: feed.malformedFrames,
      disconnects: seen.filter((s) => s.state === 'disconnected').length,
      stalls: warnings.filter((w) => w === 'socket stalled').length,
    };
  }

  beforeAll(async () => {
    venue = await startVenueSimulators({ seed: 29, updateIntervalMs: 0, instruments: ['BTC'], paradexPublicEncoding: 'sbe', paradexSbeHeartbeatMs: 50 });
    feed = new ParadexConnector(parseParadexOptions({ restUrl: venue.paradex.restUrl, wsUrl: venue.paradex.wsUrl, ...faultTiming }), { logger: recording, clock: systemClock });
    const markets = await feed.loadMarkets([MARKET]);
    books = new MarketDataHub(systemClock, silentLogger, { maxBookAgeMs: 5000 });
    books.addVenue('paradex', markets, (symbol) => feed.resync(symbol));
    await feed.startMarketData(markets, { onBook: (e) => books.onBook(e), onStatus: (e) => (seen.push(e), books.onStatus(e)) });
    resume();
    await waitFor('deltas', () => books.counters.deltas > 10);
  });
  afterAll(async () => {
    pause();
    await feed?.stop();
    await venue?.stop();
  });

  it('starts equal to the venue book, with nothing counted', async () => {
    await expectBookEqualsVenue();
    expect(counts()).toEqual({ gaps: 0, malformed: 0, disconnects: 0, stalls: 0 });
  });

  it('skipSequence: one gap, a fresh snapshot, the venue book again', async () => {
    const before = counts();
    const snapshots = books.counters.snapshots;
    venue.faults.skipSequence('paradex', MARKET);
    await waitFor('gap', () => books.counters.gaps > before.gaps);
    await waitFor('fresh snapshot', () => books.counters.snapshots > snapshots);
    await expectBookEqualsVenue();
    expect(counts()).toEqual({ ...before, gaps: before.gaps + 1 });
  });

  it('sendGarbage: a non-JSON text frame and a truncated BookEvent, both counted as malformed; the book stays the venue book', async () => {
    const before = counts();
    venue.faults.sendGarbage('paradex');
    await waitFor('garbage counted', () => feed.malformedFrames >= before.malformed + 2);
    await expectBookEqualsVenue();
    expect(counts()).toEqual({ ...before, malformed: before.malformed + 2 });
    expect(warnings.filter((w) => w === 'malformed frame ignored').length).toBeGreaterThanOrEqual(2);
  });

  it('dropSockets: one disconnect, a reconnect with fresh snapshots, the venue book again', async () => {
    const before = counts();
    const from = seen.length;
    venue.faults.dropSockets('paradex');
    await waitFor('disconnect', () => seen.slice(from).some((s) => s.state === 'disconnected'));
    await waitFor('live again', () => seen.slice(from).some((s) => s.state === 'live'));
    await expectBookEqualsVenue();
    expect(counts()).toEqual({ ...before, disconnects: before.disconnects + 1 });
  });

  it('a short stall (under stallTimeoutMs): frames arrive late but in order, nothing counted, the venue book', async () => {
    const before = counts();
    venue.faults.stall('paradex', 150);
    await new Promise((r) => setTimeout(r, 100));
    await expectBookEqualsVenue();
    expect(counts()).toEqual(before);
  });

  it('a long stall (over stallTimeoutMs): counted as a stall, the socket replaced, the venue book again', async () => {
    const before = counts();
    venue.faults.stall('paradex', 700);
    await waitFor('stall detected', () => warnings.filter((w) => w === 'socket stalled').length > before.stalls, 3000);
    await waitFor('live again', () => isLive() && counts().disconnects > before.disconnects, 5000);
    await expectBookEqualsVenue();
    const after = counts();
    expect(after.stalls).toBe(before.stalls + 1);
    expect(after.disconnects).toBeGreaterThanOrEqual(before.disconnects + 1);
    expect({ gaps: after.gaps, malformed: after.malformed }).toEqual({ gaps: before.gaps, malformed: before.malformed });
  });

  it('after every fault the feed still runs: deltas keep arriving and the book keeps matching', async () => {
    const deltas = books.counters.deltas;
    await waitFor('more deltas', () => books.counters.deltas > deltas + 5);
    await expectBookEqualsVenue();
  });
});
