import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { ConfigError } from '../../../engine/core/config-errors.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { MarketDataHub } from '../../../engine/market/hub.ts';
import { InstrumentMap } from '../../../engine/market/instruments.ts';
import type { ArbIntent } from '../../../engine/strategy/strategy.ts';
import { parseCrossExchangeOptions } from '../../../plugins/strategies/cross-exchange/options.ts';
import { CrossExchangeStrategy } from '../../../plugins/strategies/cross-exchange/strategy.ts';
import { market, snapshot } from '../../helpers/books.ts';

function setup(options: unknown = {}) {
  const clock = new ManualClock(10_000);
  const hub = new MarketDataHub(clock, silentLogger, { maxBookAgeMs: 5000 });
  // Different decimals per venue, as on the real venues: Paradex 0.1 tick, Vest 0.01.
  const p = market('paradex', 'BTC-USD-PERP', 1, 5, '0.00001');
  const v = market('vest', 'BTC-PERP', 2, 4, '0.0001');
  hub.addVenue('paradex', [p], () => {});
  hub.addVenue('vest', [v], () => {});
  const instruments = new InstrumentMap({ 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP' } });
  const intents: ArbIntent[] = [];
  const strategy = new CrossExchangeStrategy(
    { options, optionsPath: 'strategies.cross-exchange', clock, logger: silentLogger, books: hub, instruments, submit: (i) => intents.push(i) },
    parseCrossExchangeOptions(options, 'strategies.cross-exchange'),
  );
  hub.onBookUpdate((venue, symbol) => strategy.onBookUpdate(venue, symbol, 'BTC-USD-PERP'));
  return { clock, hub, p, v, intents, strategy };
}

describe('cross-exchange strategy', () => {
  it('finds the direction with an executable spread above the threshold and sizes it from notional', () => {
    const { hub, p, v, intents } = setup({ notionalUsd: 1000 });
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '0.01'], ['50010.00', '1']], { seq: 1, receivedAt: 10_000 }));
    hub.onBook(snapshot(p, [['50125.0', '1']], [['50130.0', '1']], { seq: 1, receivedAt: 10_000 }));
    expect(intents).toHaveLength(1);
    const i = intents[0]!;
    expect(i.buy.venue).toBe('vest');
    expect(i.sell.venue).toBe('paradex');
    // 1000 / 50000 = 0.02, a multiple of the coarser step 0.0001
    expect(i.size.toString()).toBe('0.02');
    // walks two Vest levels: (0.01*50000 + 0.01*50010)/0.02
    expect(i.buy.expectedPrice.toString()).toBe('50005');
    expect(i.buy.worstPrice.toString()).toBe('50010');
    expect(i.spread.toString()).toBe('0.0025');
    expect(i.executableSpread.toString()).toBe(i.sell.expectedPrice.minus(i.buy.expectedPrice).div(i.buy.expectedPrice).toString());
  });

  it('ignores spreads below the threshold, including ones only the top of book clears', () => {
    const { hub, p, v, intents } = setup({ thresholdPct: 0.15, size: { 'BTC-USD-PERP': '1' } });
    // top spread 0.2%, but 1 BTC walks into a level that cuts it below 0.15%
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '0.1'], ['50040.00', '5']], { seq: 1, receivedAt: 10_000 }));
    hub.onBook(snapshot(p, [['50100.0', '5']], [['50110.0', '1']], { seq: 1, receivedAt: 10_000 }));
    expect(intents).toHaveLength(0);
  });

  it('does not trade on a stale or thin book and respects the cooldown', () => {
    const { hub, p, v, intents, clock, strategy } = setup({ size: { 'BTC-USD-PERP': '0.5' }, cooldownMs: 1000 });
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '0.2']], { seq: 1, receivedAt: 10_000 }));
    hub.onBook(snapshot(p, [['50200.0', '1']], [['50210.0', '1']], { seq: 1, receivedAt: 10_000 }));
    expect(intents).toHaveLength(0); // 0.5 BTC does not fit in 0.2 of asks
    expect(strategy.stats.thinBook).toBeGreaterThan(0);
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '2']], { seq: 2, receivedAt: 10_000 }));
    expect(intents).toHaveLength(1);
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '2']], { seq: 3, receivedAt: 10_000 }));
    expect(intents).toHaveLength(1); // cooldown
    clock.advance(1000);
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '2']], { seq: 4, receivedAt: 11_000 }));
    expect(intents).toHaveLength(2);
    hub.onStatus({ venue: 'paradex', state: 'disconnected', symbols: [] });
    clock.advance(5000);
    hub.onBook(snapshot(v, [['49990.00', '1']], [['50000.00', '2']], { seq: 5, receivedAt: 16_000 }));
    expect(intents).toHaveLength(2);
  });

  it('rejects bad options with the field path', () => {
    expect(() => parseCrossExchangeOptions({ thresholdPct: 'abc' }, 'strategies.cross-exchange')).toThrow(ConfigError);
    expect(() => parseCrossExchangeOptions({ thresholdPct: 'abc' }, 'strategies.cross-exchange')).toThrow(/strategies\.cross-exchange\.thresholdPct/);
    expect(() => parseCrossExchangeOptions({ sizee: 1 }, 'strategies.cross-exchange')).toThrow(/sizee/);
  });
});
