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
