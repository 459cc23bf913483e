/**
 * instruments.auto on the simulators' market lists (through each real connector's listMarkets)
 * and on captured real market-list payloads (test/fixtures/venues/**, SOURCES.md there), plus
 * the refusals: an ambiguous match, a venue that cannot list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import type { ExchangeConnector } from '../../../engine/exchange/connector.ts';
import { InstrumentDiscoverySchema } from '../../../engine/instruments/config.ts';
import { AmbiguousInstrumentError, discoverInstruments, formatDiscovery } from '../../../engine/instruments/discovery.ts';
import { DiscoveryUnsupportedError, discoverFromVenues } from '../../../engine/instruments/from-venues.ts';
import type { MarketInfo } from '../../../engine/market/types.ts';
import { decodeOrderBookDetails } from '../../../plugins/exchanges/lighter/codec.ts';
import { LighterConnector, parseLighterOptions } from '../../../plugins/exchanges/lighter/index.ts';
import { decodeMarkets } from '../../../plugins/exchanges/paradex/codec.ts';
import { ParadexConnector, parseParadexOptions } from '../../../plugins/exchanges/paradex/index.ts';
import { decodeExchangeInfo } from '../../../plugins/exchanges/vest/codec.ts';
import { VestConnector, parseVestOptions } from '../../../plugins/exchanges/vest/index.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';

const auto = (o: Record<string, unknown> = {}) => InstrumentDiscoverySchema.parse(o);
const fixture = (path: string): unknown => JSON.parse(readFileSync(join('test/fixtures/venues', path), 'utf8'));
const input = { logger: silentLogger, clock: systemClock };

let sims: VenueSimulators;
beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 5, updateIntervalMs: 1000 });
});
afterAll(async () => {
  await sims?.stop();
});

function simConnectors(): ExchangeConnector[] {
  return [
    new ParadexConnector(parseParadexOptions({ restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl }), input),
    new VestConnector(parseVestOptions({ restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl }), input),
    new LighterConnector(parseLighterOptions({ restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl }), input),
  ];
}

describe('instruments.auto on the simulators', () => {
  it('maps every base the three venues share, Lighter ids resolved from orderBookDetails', async () => {
    const r = await discoverFromVenues(simConnectors(), auto(), {}, silentLogger);
    expect(r.table).toEqual({
      'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: '1' },
      'ETH-USD-PERP': { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: '0' },
      'SOL-USD-PERP': { paradex: 'SOL-USD-PERP', vest: 'SOL-PERP', lighter: '2' },
    });
    expect(r.unreachable).toEqual([]);
    expect(formatDiscovery(r)[0]).toBe('Instruments (auto): 3 shared perpetual(s) discovered');
    expect(formatDiscovery(r)).toContain('  BTC-USD-PERP: paradex BTC-USD-PERP, vest BTC-PERP, lighter 1');
  });

  it('include / exclude choose bases; a typed entry wins whole and keeps its venue symbols out of auto', async () => {
    const typed = { BITCOIN: { paradex: 'BTC-USD-PERP' }, 'SOL-USD-PERP': { vest: 'SOL-PERP', lighter: 2 } };
    const r = await discoverFromVenues(simConnectors(), auto({ exclude: ['eth'] }), typed, silentLogger);
    expect(r.table).toEqual({
      BITCOIN: { paradex: 'BTC-USD-PERP' },
      'SOL-USD-PERP': { vest: 'SOL-PERP', lighter: 2 },
      'BTC-USD-PERP': { vest: 'BTC-PERP', lighter: '1' },
    });
    const only = await discoverFromVenues(simConnectors(), auto({ include: ['SOL'], minVenues: 3 }), {}, silentLogger);
    expect(Object.keys(only.table)).toEqual(['SOL-USD-PERP']);
  });

  it('a venue unreachable at start is left out with a warning; one without listMarkets is refused by name', async () => {
    const [paradex, vest] = simConnectors();
    const down = new LighterConnector(parseLighterOptions({ restUrl: 'http://127.0.0.1:1', wsUrl: 'ws://127.0.0.1:1', requestTimeoutMs: 500 }), input);
    const r = await discoverFromVenues([paradex!, vest!, down], auto(), {}, silentLogger);
    expect(r.unreachable.map((u) => u.venue)).toEqual(['lighter']);
    expect(r.table['BTC-USD-PERP']).toEqual({ paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' });
    const mute = { ...paradex!, venue: 'kappa', listMarkets: undefined } as unknown as ExchangeConnector;
    await expect(discoverFromVenues([paradex!, mute], auto(), {}, silentLogger)).rejects.toThrow(DiscoveryUnsupportedError);
    await expect(discoverFromVenues([paradex!, mute], auto(), {}, silentLogger)).rejects.toThrow(/kappa cannot list its markets/);
  });
});

describe('instruments.auto on captured venue market lists', () => {
  const real = new Map<string, MarketInfo[]>([
    ['paradex', [...decodeMarkets(fixture('paradex/rest/markets-btc-ccxt-static.json')), ...decodeMarkets(fixture('paradex/rest/markets-boden-ccxt.json'))].map((m) => m.info)],
    ['vest', [...decodeExchangeInfo(fixture('vest/rest/exchange-info-btc-docs.json')), ...decodeExchangeInfo(fixture('vest/rest/exchange-info-nq-bookdepthiq.json'))]],
    ['lighter', decodeOrderBookDetails(fixture('lighter/rest/order-book-details-eth-nautilus.json'))],
  ]);

  it('BTC is the one base two venues share (Paradex quotes USD, Vest USDC); the rest are single-venue', () => {
    const r = discoverInstruments(real, auto());
    expect(r.table).toEqual({ 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } });
    expect(r.singleVenue).toEqual([
      { base: 'BODEN', venues: ['paradex'] },
      { base: 'ETH', venues: ['lighter'] },
      { base: 'NDX', venues: ['vest'] },
    ]);
    expect(r.passedOver).toEqual([]);
  });

  it('a strict USD quote leaves Vest\'s USDC-quoted BTC-PERP out, so nothing is shared', () => {
    const r = discoverInstruments(real, auto({ alsoQuote: [] }));
    expect(r.table).toEqual({});
    expect(r.passedOver).toContainEqual({ venue: 'vest', symbol: 'BTC-PERP', reason: 'quoted in USDC' });
  });

  it('options, spot books and markets without a base are passed over with the reason', () => {
    const btc = real.get('paradex')![0]!;
    const lists = new Map<string, MarketInfo[]>([
      ['paradex', [btc, { ...btc, symbol: 'BTC-USD-96000-C', kind: 'option' }]],
      ['lighter', [{ ...real.get('lighter')![0]!, symbol: '2048', base: 'BTC', kind: 'spot' }, { ...real.get('lighter')![0]!, symbol: '1', base: 'BTC' }]],
      ['kappa', [{ ...btc, venue: 'kappa', base: undefined }]],
    ]);
    const r = discoverInstruments(lists, auto());
    expect(r.table).toEqual({ 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', lighter: '1' } });
    expect(r.passedOver.map((p) => `${p.venue} ${p.symbol}: ${p.reason}`)).toEqual([
      'paradex BTC-USD-96000-C: not a perpetual (option)',
      'lighter 2048: not a perpetual (spot)',
      'kappa BTC-USD-PERP: no base asset in the market list',
    ]);
  });
});

describe('an ambiguous match is refused', () => {
  const vestBtc = decodeExchangeInfo(fixture('vest/rest/exchange-info-btc-docs.json'))[0]!;
  const paradexBtc = decodeMarkets(fixture('paradex/rest/markets-btc-ccxt-static.json'))[0]!.info;
  // Vest listing BTC twice (BTC-PERP and BTC-USD-PERP): same base, same kind, quotes both accepted.
  const lists = new Map<string, MarketInfo[]>([
    ['paradex', [paradexBtc]],
    ['vest', [vestBtc, { ...vestBtc, symbol: 'BTC-USD-PERP', quote: 'USD' }]],
  ]);

  it('names the venue, the base and both symbols, and says how to settle it', () => {
    let err: unknown;
    try {
      discoverInstruments(lists, auto());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AmbiguousInstrumentError);
    expect(err).toMatchObject({ venue: 'vest', base: 'BTC', symbols: ['BTC-PERP', 'BTC-USD-PERP'] });
    expect((err as Error).message).toMatch(/vest lists 2 perpetuals on BTC \(BTC-PERP, BTC-USD-PERP\); map BTC explicitly under instruments .* or add BTC to instruments\.auto\.exclude/);
  });

  it('settled by a typed entry (which wins) or by exclude', () => {
    expect(discoverInstruments(lists, auto(), { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } }).table).toEqual({ 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } });
    expect(discoverInstruments(lists, auto({ exclude: ['BTC'] })).table).toEqual({});
  });
});
