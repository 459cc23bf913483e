/**
 * `simulators.enabled` goes through the venue specs: only the venues the config loads are routed,
 * the built-in market starts once, and live provisioning funds accounts for the traded venues.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../engine/core/config.ts';
import { startSimulatorsFor, withSimulatedVenues } from '../../../engine/cli/simulated-venues.ts';
import type { VenueSimulators } from '../../../simulators/index.ts';

describe('startSimulatorsFor', () => {
  it('routes the loaded venues to the shared built-in market and provisions the traded ones', async () => {
    const config = parseConfig({
      mode: 'live',
      plugins: ['exchange:paradex', 'exchange:vest', 'fee-model:table'],
      instruments: { 'BTC-USD-PERP': { vest: 'BTC-PERP' } },
      venues: { paradex: { restUrl: 'https://unused.example' } },
      simulators: { enabled: true, updateIntervalMs: 1000, dislocationProbability: 0, collateralUsd: '250' },
    });
    const env: NodeJS.ProcessEnv = {};
    const sims = await startSimulatorsFor(config, { live: true, env });
    try {
      const world = sims.raw as VenueSimulators;
      // Lighter is not loaded: not routed, though the shared market serves it.
      expect(Object.keys(sims.venues).sort()).toEqual(['paradex', 'vest']);
      expect(sims.venues['paradex']).toEqual({ restUrl: world.paradex.restUrl, wsUrl: world.paradex.wsUrl });
      expect(sims.venues['vest']).toEqual({ restUrl: world.vest.restUrl, wsUrl: world.vest.wsUrl, accountGroup: world.vest.accountGroup });
      // Only vest is traded: one account, its secrets in the spec's default env names.
      expect(sims.accounts?.accounts.map((a) => [a.venue, a.collateralUsd])).toEqual([['vest', '250']]);
      expect(Object.keys(env).sort()).toEqual(['ARB_SIM_VEST_API_KEY', 'ARB_SIM_VEST_SIGNING_KEY']);
      const routed = withSimulatedVenues(config, sims);
      const vest = routed.venues['vest'] as { restUrl: string; credentials: Record<string, unknown> };
      expect(vest.restUrl).toBe(world.vest.restUrl);
      expect(vest.credentials['apiKey']).toEqual({ env: 'ARB_SIM_VEST_API_KEY' });
      expect((routed.venues['paradex'] as { restUrl: string }).restUrl).toBe(world.paradex.restUrl);
      expect(routed.journal.path).not.toBe(config.journal.path);
    } finally {
      await sims.stop();
    }
  });

  it('starts nothing when no loaded venue has a simulator', async () => {
    const sims = await startSimulatorsFor(parseConfig({ plugins: ['fee-model:table'], instruments: { X: { someday: 'X' } }, simulators: { enabled: true } }));
    expect(sims.venues).toEqual({});
    expect(sims.raw).toBeUndefined();
    await sims.stop();
  });
});
