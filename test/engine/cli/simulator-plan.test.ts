/** The live plan says which venues are loopback simulators and which trade for real (it said "every venue" always). */
import { describe, expect, it } from 'vitest';
import { simulatorPlanLine } from '../../../engine/cli/run-command.ts';
import { parseConfig } from '../../../engine/core/config.ts';

const config = parseConfig({
  plugins: ['exchange:paradex', 'fee-model:table'],
  instruments: { 'BTC-USD-PERP': { paradex: 'BTC-USD-PERP', kappa: 'BTC' } },
  simulators: { enabled: true },
});

describe('live plan, simulators line', () => {
  it('names a traded venue without a simulator as trading against its configured URLs', () => {
    expect(simulatorPlanLine(config, ['paradex', 'vest'])).toBe(
      '  Simulators:   paradex on loopback simulators (test keys, no real money); kappa has no simulator and trades against its configured URLs with the configured credentials',
    );
  });
  it('says every venue when every traded venue is simulated', () => {
    expect(simulatorPlanLine(config, ['paradex', 'kappa'])).toContain('every venue is a loopback simulator');
  });
});

describe('live plan with instruments.auto', () => {
  const auto = parseConfig({
    plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table'],
    instruments: { auto: { quote: 'USD', minVenues: 2, exclude: ['DOGE'] } },
    simulators: { enabled: true },
  });

  it('says what discovery will add (the venues are read after the prompt), instead of an empty instruments line', async () => {
    const { formatLivePlan } = await import('../../../engine/cli/live-plan.ts');
    const line = formatLivePlan(auto).find((l) => l.includes('Instruments:'))!;
    expect(line).toBe('  Instruments:  none typed; plus, discovered at start and printed before trading, every USD perpetual listed on at least 2 venues except DOGE');
  });

  it('live on the simulators: every simulated venue gets a funded test account (any may list a shared perpetual)', async () => {
    const { startSimulatorsFor } = await import('../../../engine/cli/simulated-venues.ts');
    const live = parseConfig({
      mode: 'live',
      plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table'],
      instruments: { auto: { quote: 'USD' } },
      simulators: { enabled: true, updateIntervalMs: 1000, dislocationProbability: 0, collateralUsd: '250' },
    });
    const sims = await startSimulatorsFor(live, { live: true, env: {} });
    try {
      // Without the discovery rule no venue is typed, so none was funded and live had no credentials.
      expect(sims.accounts?.accounts.map((a) => a.venue).sort()).toEqual(['paradex', 'vest']);
    } finally {
      await sims.stop();
    }
  });
});
