/**
 * The connector's SBE decoder against the simulator's SBE encoder (simulators/paradex/sbe/, written
 * apart from the connector from paradex_1_0.xml): default options (encoding sbe) on a simulator
 * started with paradexPublicEncoding 'sbe'. Two independent readings of the schema must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../engine/core/clock.ts';
import { silentLogger } from '../../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../../engine/market/hub.ts';
import type { FeedStatusEvent, FundingEvent } from '../../../../engine/market/types.ts';
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
