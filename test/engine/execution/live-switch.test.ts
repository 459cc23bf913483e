/**
 * The live switch: dry-run binds no executor and asks no plugin for a gateway; live needs
 * `--live` and `mode: live` and a typed "yes"; keys read in live mode never reach a log line.
 * Venues here are third-party plugins (written to a temp dir, as a user would) whose order
 * gateways are paper venues.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/core/clock.ts';
import { parseConfig } from '../../../engine/core/config.ts';
import { createEngine, type Engine } from '../../../engine/core/engine.ts';
import { createLogger, silentLogger } from '../../../engine/core/logger.ts';
import { runCommand } from '../../../engine/cli/run-command.ts';
import type { PaperVenue } from '../../helpers/paper-venue.ts';
import { judgment } from './fixtures.ts';

interface Registry {
  created: { venue: string; live: boolean }[];
  venues: Record<string, PaperVenue>;
}
const registry = (): Registry => (globalThis as unknown as { __liveSwitch: Registry }).__liveSwitch;

const ACME_KEY = '0xacme-secret-signing-key-5f3a9c';
const ZETA_KEY = 'zeta-api-key-77d1e2b4c9';

function plugin(dir: string, venue: string, envVar: string, bids: string, asks: string): string {
  const file = join(dir, `${venue}.ts`);
  writeFileSync(
    file,
    `
import { definePlugin } from '${resolve('engine')}/core/plugin.ts';
import { toUnits } from '${resolve('engine')}/market/units.ts';
import { PaperVenue } from '${resolve('test')}/helpers/paper-venue.ts';
export default definePlugin({
  kind: 'exchange',
  name: '${venue}',
  register(ctx) {
    ctx.provideExchange((input) => {
      const reg = globalThis.__liveSwitch;
      reg.created.push({ venue: '${venue}', live: input.live });
      let orders;
      if (input.live) {
        const key = input.secrets.read({ env: '${envVar}' }, 'venues.${venue}.key');
        // A careless plugin: logs its key. The scrubber must catch it.
        input.logger.info('loaded signing key', { key });
        const paper = new PaperVenue('${venue}');
        paper.setBook('X', [['${bids}', '5']], [['${asks}', '5']]);
        reg.venues['${venue}'] = paper;
        orders = {
          sign: async (r) => { input.logger.debug('signing with', { key, clientId: r.clientId }); return paper.sign(r); },
          send: (o) => paper.send(o),
          cancel: (o) => paper.cancel(o),
          report: (o) => paper.report(o),
          positions: () => paper.positions(),
          openOrders: () => paper.openOrders(),
        };
      }
      return {
        venue: '${venue}',
        chain: '${venue}-chain',
        async loadMarkets(symbols) {
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
        orders,
      };
    });
  },
});
`,
  );
  return file;
}

function configFor(dir: string, mode: 'live' | 'dry-run') {
  return {
    mode,
    plugins: ['./acme.ts', './zeta.ts', 'fee-model:table'],
    instruments: { 'X-PERP': { acme: 'X', zeta: 'X' } },
    fees: { table: { overrides: { acme: { maker: '0', taker: '0.0001' }, zeta: { maker: '0', taker: '0.0001' } } } },
    simulation: { gasUsd: { 'acme-chain': '0', 'zeta-chain': '0' } },
    risk: { killSwitch: { file: join(dir, 'KILL'), signal: false } },
    journal: { path: join(dir, 'journal.sqlite') },
  };
}

let dir: string;
let engine: Engine | undefined;
beforeEach(() => {
  (globalThis as unknown as { __liveSwitch: Registry }).__liveSwitch = { created: [], venues: {} };
  dir = mkdtempSync(join(tmpdir(), 'arb-live-'));
  plugin(dir, 'acme', 'ARB_TEST_ACME_KEY', '99.90', '100.00');
  plugin(dir, 'zeta', 'ARB_TEST_ZETA_KEY', '101.00', '101.10');
  process.env.ARB_TEST_ACME_KEY = ACME_KEY;
  process.env.ARB_TEST_ZETA_KEY = ZETA_KEY;
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('live switch', () => {
  it.each([
    ['config dry-run, --live given', 'dry-run', true],
    ['config live, no --live', 'live', false],
    ['neither', 'dry-run', false],
  ] as const)('dry-run (%s): no executor, no gateway, no connector built live', async (_, mode, flag) => {
    engine = await createEngine({ config: parseConfig(configFor(dir, mode)), baseDir: dir, logger: silentLogger, clock: systemClock, live: flag });
    expect(engine.liveTrading).toBeUndefined();
    expect(engine.flow['executor']).toBeUndefined();
    expect(registry().created).toEqual([
      { venue: 'acme', live: false },
      { venue: 'zeta', live: false },
    ]);
    expect(engine.connectors.every((c) => c.orders === undefined)).toBe(true);
  });

  it('--live on a dry-run config is refused before anything is built', async () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify(configFor(dir, 'dry-run')));
    await expect(runCommand({ config: join(dir, 'c.json'), live: true, yes: true }, () => undefined)).rejects.toThrow(/--live needs "mode: live"/);
    expect(registry().created).toEqual([]);
  });

  it('prints the plan and trades nothing unless "yes" is typed', async () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify(configFor(dir, 'live')));
    for (const answer of ['y', 'no', '']) {
      const lines: string[] = [];
      await runCommand({ config: join(dir, 'c.json'), live: true }, (l) => lines.push(l), async () => answer);
      expect(lines.join('\n')).toMatch(/LIVE TRADING[\s\S]*Venues: +acme, zeta[\s\S]*X-PERP \(acme X, zeta X\)[\s\S]*Limits: +1000 USD per trade/);
      expect(lines.at(-1)).toBe('Not confirmed: exiting without trading.');
    }
    expect(registry().created).toEqual([]);
  });

  it('--live, mode: live and --yes: builds the connectors live and runs', async () => {
    writeFileSync(join(dir, 'c.json'), JSON.stringify(configFor(dir, 'live')));
    const lines: string[] = [];
    await runCommand({ config: join(dir, 'c.json'), live: true, yes: true, duration: 0.3, quiet: true }, (l) => lines.push(l));
    expect(registry().created).toEqual([
      { venue: 'acme', live: true },
      { venue: 'zeta', live: true },
    ]);
    expect(lines).toContainEqual(expect.stringMatching(/^Mode: LIVE/));
    expect(lines).not.toContainEqual(expect.stringMatching(/^NOT TRADING/));
  });

  it('a live trade with keys registered: no key reaches any log line', async () => {
    const captured: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (l: string) => void captured.push(l) } });
    engine = await createEngine({ config: parseConfig(configFor(dir, 'live')), baseDir: dir, logger, clock: systemClock, live: true });
    expect(engine.liveTrading).toBeDefined();
    await engine.start();
    expect(engine.liveTrading!.gate.halted).toBeUndefined();
    const j = judgment({
      instrument: 'X-PERP',
      size: '0.5',
      buy: { venue: 'acme', symbol: 'X', top: '100', expected: '100', worst: '100' },
      sell: { venue: 'zeta', symbol: 'X', top: '101', expected: '101', worst: '101' },
    });
    engine.flow.submit(j.intent);
    await engine.liveTrading!.executor.settle();
    const { acme, zeta } = registry().venues;
    expect(acme!.positionOf('X').toString()).toBe('0.5');
    expect(zeta!.positionOf('X').toString()).toBe('-0.5');

    const all = captured.join('');
    expect(all).toContain('trade ended'); // the executor did log
    expect(all).toContain('[REDACTED]'); // the plugin did try to log its key
    expect(all).not.toContain(ACME_KEY);
    expect(all).not.toContain(ZETA_KEY);
  });
});
