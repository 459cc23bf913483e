import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Container } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../engine/core/clock.ts';
import { parseConfig } from '../../../engine/core/config.ts';
import { createEngine, type Engine } from '../../../engine/core/engine.ts';
import { silentLogger } from '../../../engine/core/logger.ts';
import { loadPlugins, PluginLoadError } from '../../../engine/core/plugin-loader.ts';
import type { Judgment } from '../../../engine/simulation/execution-simulator.ts';

const ENGINE = resolve('engine');

/** A third-party exchange plugin as a user would write it, outside the repo. */
function thirdPartyExchange(dir: string, venue: string, bid: string, ask: string): string {
  const file = join(dir, `${venue}.ts`);
  writeFileSync(
    file,
    `
import { definePlugin } from '${ENGINE}/core/plugin.ts';
import { toUnits } from '${ENGINE}/market/units.ts';
export default definePlugin({
  kind: 'exchange',
  name: '${venue}',
  register(ctx) {
    ctx.provideExchange((input) => ({
      venue: '${venue}',
      chain: '${venue}-chain',
      async loadMarkets(symbols) {
        return symbols.map((symbol) => ({ venue: '${venue}', symbol, priceDecimals: 2, sizeDecimals: 3, tickSize: '0.01', sizeIncrement: '0.001' }));
      },
      async startMarketData(markets, sink) {
        const now = input.clock.now();
        for (const m of markets) {
          sink.onBook({ type: 'snapshot', venue: '${venue}', symbol: m.symbol, seq: 1,
            bids: [{ price: toUnits('${bid}', 2), size: toUnits('50', 3) }],
            asks: [{ price: toUnits('${ask}', 2), size: toUnits('50', 3) }],
            venueTime: now, receivedAt: now });
        }
      },
      resync() {},
      async stop() {},
    }));
  },
});
`,
  );
  return file;
}

function loaderInput(plugins: string[], baseDir = process.cwd()) {
  return {
    plugins,
    sections: { venues: {}, strategies: {}, fees: {} },
    container: new Container(),
    logger: silentLogger,
    live: false,
    baseDir,
  };
}

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});

describe('plugin loader', () => {
  it('loads third-party exchange plugins from a folder and trades their spread with no core change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-plugins-'));
    thirdPartyExchange(dir, 'acme', '99.00', '100.00');
    thirdPartyExchange(dir, 'zeta', '101.00', '102.00');
    const config = parseConfig({
      plugins: ['./acme.ts', './zeta.ts', 'fee-model:table', 'strategy:cross-exchange'],
      instruments: { 'X-PERP': { acme: 'X', zeta: 'X' } },
      fees: { table: { overrides: { acme: { maker: '0', taker: '0.0001' }, zeta: { maker: '0', taker: '0.0001' } } } },
      simulation: { gasUsd: { 'acme-chain': '0', 'zeta-chain': '0' } },
      strategies: { 'cross-exchange': { size: { 'X-PERP': '10' } } },
      journal: { path: ':memory:' },
    });
    engine = await createEngine({ config, baseDir: dir, logger: silentLogger, clock: new ManualClock(1000), live: false });
    const judged: Judgment[] = [];
    engine.flow.onJudgment((j) => judged.push(j));
    await engine.start();
    expect(judged).toHaveLength(1);
    const j = judged[0]!;
    expect(j.intent.buy.venue).toBe('acme');
    expect(j.intent.sell.venue).toBe('zeta');
    // gross (101-100)*10 = 10; fees 0.0001*(1000+1010) = 0.201 to open, the same again to close
    // (simulation.includeCloseCosts, on by default); gas 0: 10 - 0.402
    expect(j.costs.close.toString()).toBe('0.201');
    expect(j.net.toString()).toBe('9.598');
  });

  it('names an unknown built-in and lists the known ones', async () => {
    await expect(loadPlugins(loaderInput(['exchange:nope']))).rejects.toThrow(/plugin "exchange:nope" \(config plugins\[0\]\): unknown built-in plugin; built-ins are: exchange:paradex/);
  });

  it('refuses a plugin listed twice and a duplicate binding', async () => {
    await expect(loadPlugins(loaderInput(['fee-model:table', 'fee-model:table']))).rejects.toThrow(/plugins\[1\].*duplicate/);
    const dir = mkdtempSync(join(tmpdir(), 'arb-plugins-'));
    const a = thirdPartyExchange(dir, 'acme', '1', '2');
    writeFileSync(join(dir, 'acme2.ts'), `import p from './acme.ts'; export default { ...p, name: 'acme2', register: (ctx) => { p.register(ctx); p.register(ctx); } };`);
    await expect(loadPlugins(loaderInput([a, join(dir, 'acme2.ts')]))).rejects.toThrow(PluginLoadError);
    await expect(loadPlugins(loaderInput([a, join(dir, 'acme2.ts')]))).rejects.toThrow(/plugins\[1\]\): duplicate binding: an exchange named "acme2"|plugins\[1\].*duplicate binding/);
  });

  it('wraps a plugin that throws on load, and one that is not a plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-plugins-'));
    writeFileSync(join(dir, 'boom.ts'), `export default { kind: 'strategy', name: 'boom', register() { throw new Error('kaboom'); } };`);
    writeFileSync(join(dir, 'empty.ts'), `export const nothing = 1;`);
    await expect(loadPlugins(loaderInput(['./boom.ts'], dir))).rejects.toThrow(/plugin "\.\/boom\.ts" \(config plugins\[0\]\): failed while loading: kaboom/);
    await expect(loadPlugins(loaderInput(['./empty.ts'], dir))).rejects.toThrow(/does not export a plugin manifest/);
    await expect(loadPlugins(loaderInput(['./missing.ts'], dir))).rejects.toThrow(/plugins\[0\].*cannot load/);
    await expect(loadPlugins(loaderInput(['no-such-package-xyz'], dir))).rejects.toThrow(/cannot load/);
  });

  it('refuses instruments on venues no plugin provides', async () => {
    const config = parseConfig({ plugins: ['fee-model:table'], instruments: { X: { ghost: 'X' } }, journal: { path: ':memory:' } });
    await expect(createEngine({ config, baseDir: '.', logger: silentLogger, clock: new ManualClock(0), live: false })).rejects.toThrow(
      /instruments\.X\.ghost: no exchange plugin named "ghost"/,
    );
  });

  it('refuses to start a strategy over a venue no fee model covers, naming the venue and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-plugins-'));
    thirdPartyExchange(dir, 'acme', '99.00', '100.00');
    thirdPartyExchange(dir, 'zeta', '101.00', '102.00');
    const config = parseConfig({
      plugins: ['./acme.ts', './zeta.ts', 'strategy:cross-exchange'],
      instruments: { 'X-PERP': { acme: 'X', zeta: 'X' } },
      journal: { path: ':memory:' },
    });
    await expect(createEngine({ config, baseDir: dir, logger: silentLogger, clock: new ManualClock(0), live: false })).rejects.toThrow(
      /no fee model covers venue "acme": add "fee-model:table" to plugins/,
    );
  });
});
