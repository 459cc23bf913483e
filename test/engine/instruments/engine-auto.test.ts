/** createEngine with instruments: { auto } on the loopback simulators: discovered before the hub starts, stored in the session row. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { parseConfig } from '../../../engine/core/config.ts';
import { createEngine } from '../../../engine/core/engine.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { startVenueSimulators, type VenueSimulators } from '../../../simulators/index.ts';

let sims: VenueSimulators;
beforeAll(async () => {
  sims = await startVenueSimulators({ seed: 9, updateIntervalMs: 50 });
});
afterAll(async () => {
  await sims?.stop();
});

describe('instruments: { auto } in the engine', () => {
  it('config: auto parses out of the instruments table (readers see listings only) and parses again unchanged', () => {
    const c = parseConfig({ plugins: ['exchange:paradex'], instruments: { auto: { quote: 'usd', exclude: ['doge'] }, X: { paradex: 'X-USD-PERP' } } });
    expect(c.instruments).toEqual({ X: { paradex: 'X-USD-PERP' } });
    expect(c.instrumentDiscovery).toEqual({ quote: 'USD', alsoQuote: ['USDC'], minVenues: 2, exclude: ['DOGE'] });
    expect(parseConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
    expect(() => parseConfig({ plugins: ['exchange:paradex'], instruments: { auto: { minVenues: 1 } } })).toThrow(/instruments\.auto\.minVenues/);
    expect(() => parseConfig({ plugins: ['exchange:paradex'], instruments: {} })).toThrow(/instruments: \{ auto/);
  });

  it('streams every discovered market and journals the resolved table in the session row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-auto-'));
    const config = parseConfig({
      plugins: ['exchange:paradex', 'exchange:vest', 'exchange:lighter', 'fee-model:table', 'strategy:cross-exchange'],
      instruments: { auto: { include: ['BTC', 'ETH'] } },
      venues: {
        paradex: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl },
        vest: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl },
        lighter: { restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl },
      },
      strategies: { 'cross-exchange': { thresholdPct: 0.15, notionalUsd: 1000 } },
      journal: { path: join(dir, 'journal.sqlite') },
    });
    const engine = await createEngine({ config, baseDir: '.', logger: silentLogger, clock: systemClock, live: false });
    expect(engine.discovery?.discovered.map((d) => d.instrument)).toEqual(['BTC-USD-PERP', 'ETH-USD-PERP']);
    expect(engine.instruments.instrumentOf('lighter', '1')).toBe('BTC-USD-PERP');
    await engine.start();
    try {
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && [...engine.hub.allBooks()].filter((b) => engine.hub.isTradable(b, Date.now())).length < 6) await new Promise((r) => setTimeout(r, 50));
      expect([...engine.hub.allBooks()].map((b) => `${b.market.venue} ${b.market.symbol}`).sort()).toEqual([
        'lighter 0', 'lighter 1', 'paradex BTC-USD-PERP', 'paradex ETH-USD-PERP', 'vest BTC-PERP', 'vest ETH-PERP',
      ]);
      const row = engine.journal.db.prepare('SELECT config_json FROM sessions').get() as { config_json: string };
      expect(JSON.parse(row.config_json).instruments).toEqual({
        'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', vest: 'BTC-PERP', lighter: '1' },
        'ETH-USD-PERP': { paradex: 'ETH-USD-PERP', vest: 'ETH-PERP', lighter: '0' },
      });
    } finally {
      await engine.stop();
    }
  }, 20_000);
});
