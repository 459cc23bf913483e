/**
 * Start degraded: one venue unreachable at start (its markets request fails) no longer stops the
 * engine. It is retried in the background, shown as down, the venues that are up stream and are
 * judged, and live refuses any trade that needs the down venue until it has joined and been
 * reconciled. The flaky venue's loadMarkets fails twice, then succeeds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { parseConfig } from '../../../engine/core/config.ts';
import { createEngine, type Engine } from '../../../engine/core/engine.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { formatSummary, emptyTally } from '../../../engine/cli/console-reporter.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';
import { judgment, until } from '../execution/fixtures.ts';

interface Registry {
  loadCalls: Record<string, number>;
  failFirst: Record<string, number>;
}
const registry = (): Registry => (globalThis as unknown as { __degraded: Registry }).__degraded;

function plugin(dir: string, venue: string, bids: string, asks: string): void {
  writeFileSync(
    join(dir, `${venue}.ts`),
    `
import { definePlugin } from '${resolve('engine')}/core/plugin.ts';
import { toUnits } from '${resolve('engine')}/market/units.ts';
import { PaperVenue } from '${resolve('test')}/helpers/paper-venue.ts';
export default definePlugin({
  kind: 'exchange',
  name: '${venue}',
  register(ctx) {
    ctx.provideExchange((input) => {
      const reg = globalThis.__degraded;
      const paper = new PaperVenue('${venue}');
      return {
        venue: '${venue}',
        chain: '${venue}-chain',
        async loadMarkets(symbols) {
          reg.loadCalls['${venue}'] = (reg.loadCalls['${venue}'] ?? 0) + 1;
          if (reg.loadCalls['${venue}'] <= (reg.failFirst['${venue}'] ?? 0)) throw new Error('${venue}: GET https://${venue}.test/markets failed (ECONNREFUSED)');
          return symbols.map((symbol) => ({ venue: '${venue}', symbol, priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' }));
        },
        async startMarketData(markets, sink) {
          const now = input.clock.now();
          for (const m of markets) sink.onBook({ type: 'snapshot', venue: '${venue}', symbol: m.symbol, seq: 1,
            bids: [{ price: toUnits('${bids}', 2), size: toUnits('5', 3) }], asks: [{ price: toUnits('${asks}', 2), size: toUnits('5', 3) }],
            venueTime: now, receivedAt: now });
        },
        resync() {},
        async stop() {},
        ...(input.live ? { orders: paper } : {}),
      };
    });
  },
});
`,
  );
}

function configFor(dir: string, mode: 'live' | 'dry-run') {
  return {
    mode,
    plugins: ['./acme.ts', './zeta.ts', './omega.ts', 'fee-model:table', 'strategy:cross-exchange'],
    instruments: { 'X-PERP': { acme: 'X', zeta: 'X', omega: 'X' } },
    strategies: { 'cross-exchange': { thresholdPct: 0.1, notionalUsd: 100 } },
    fees: { table: { overrides: { acme: { maker: '0', taker: '0' }, zeta: { maker: '0', taker: '0' }, omega: { maker: '0', taker: '0' } } } },
    simulation: { gasUsd: { 'acme-chain': '0', 'zeta-chain': '0', 'omega-chain': '0' } },
    risk: { killSwitch: { file: join(dir, 'KILL'), signal: false } },
    journal: { path: join(dir, 'journal.sqlite') },
    venueRetry: { minMs: 20, maxMs: 40 },
  };
}

let dir: string;
let engine: Engine | undefined;
beforeEach(() => {
  (globalThis as unknown as { __degraded: Registry }).__degraded = { loadCalls: {}, failFirst: { acme: 2 } };
  dir = mkdtempSync(join(tmpdir(), 'arb-degraded-'));
  plugin(dir, 'acme', '99.90', '100.00');
  plugin(dir, 'zeta', '101.00', '101.10'); // zeta rich against omega: a spread between the two venues that are up
  plugin(dir, 'omega', '99.80', '99.90');
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

const trade = (buy: string, sell: string): Judgment =>
  judgment({
    instrument: 'X-PERP',
    size: '0.1',
    buy: { venue: buy, symbol: 'X', top: '100', expected: '100', worst: '100' },
    sell: { venue: sell, symbol: 'X', top: '101', expected: '101', worst: '101' },
  });

describe('start degraded: one venue unreachable at start', () => {
  it('dry-run: start() resolves, the venues up stream and are judged, the failed venue is shown down and joins later', async () => {
    engine = await createEngine({ config: parseConfig(configFor(dir, 'dry-run')), baseDir: dir, logger: silentLogger, clock: systemClock, live: false });
    const judged: Judgment[] = [];
    engine.flow.onJudgment((j) => judged.push(j));
    const lines: string[] = [];
    engine.announcements.on((l) => lines.push(l));
    await engine.start();
    expect(engine.venues.isUp('zeta') && engine.venues.isUp('omega')).toBe(true);
    expect(engine.venues.down().map((d) => [d.venue, d.attempts])).toEqual([['acme', 1]]);
    expect(lines[0]).toMatch(/^VENUE DOWN: acme \(acme: GET https:\/\/acme.test\/markets failed/);
    expect(formatSummary(emptyTally(), { booksLive: 2, booksTotal: 2, updates: 2, gaps: 0, venuesDown: engine.venues.down() }, 1, 0)).toMatch(/\| DOWN acme \(1 try\)$/);
    expect(engine.hub.book('zeta', 'X')).toBeDefined();
    expect(engine.hub.book('acme', 'X')).toBeUndefined();
    // Judged on the venues that are up: zeta against omega.
    expect(judged.some((j) => [j.intent.buy.venue, j.intent.sell.venue].sort().join() === 'omega,zeta')).toBe(true);
    expect(judged.every((j) => j.intent.buy.venue !== 'acme' && j.intent.sell.venue !== 'acme')).toBe(true);
    // Second attempt fails too, the third joins.
    await until(() => engine!.venues.isUp('acme'), 3000);
    expect(registry().loadCalls['acme']).toBe(3);
    expect(engine.venues.down()).toEqual([]);
    expect(engine.hub.book('acme', 'X')).toBeDefined();
    expect(lines.some((l) => /^VENUE UP: acme joined after 2 failed attempt/.test(l))).toBe(true);
  });

  it('live: a trade that needs the down venue is refused until it has joined and been reconciled; the others trade', async () => {
    engine = await createEngine({ config: parseConfig(configFor(dir, 'live')), baseDir: dir, logger: silentLogger, clock: systemClock, live: true });
    registry().failFirst['acme'] = 1000; // stays down for this part
    await engine.start();
    const live = engine.liveTrading!;
    expect(live.gate.halted).toBeUndefined(); // the venues up reconciled: trading is not halted for all
    const refused = live.gate.check(trade('acme', 'zeta'));
    expect(refused).toMatchObject({ ok: false, rule: 'venue-down' });
    expect(live.gate.check(trade('omega', 'zeta'))).toEqual({ ok: true });
    expect([...live.gateways.keys()].sort()).toEqual(['omega', 'zeta']);

    registry().failFirst['acme'] = 0; // the venue comes back
    await until(() => engine!.venues.isUp('acme') && live.venueNotTradable('acme') === undefined, 3000);
    expect(live.gate.check(trade('acme', 'zeta'))).toEqual({ ok: true });
  });

  it('every venue unreachable: start still fails (nothing to judge)', async () => {
    registry().failFirst = { acme: 99, zeta: 99, omega: 99 };
    engine = await createEngine({ config: parseConfig(configFor(dir, 'dry-run')), baseDir: dir, logger: silentLogger, clock: systemClock, live: false });
    await expect(engine.start()).rejects.toThrow(/markets failed/);
  });
});
