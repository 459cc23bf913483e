/**
 * `simulators.enabled`: start the loopback venue simulators and point each venue's URLs at
 * them. Everything else about the connection is the same code path as the real venues.
 */
import type { EngineConfig } from '../core/config.ts';

export interface RunningSimulators {
  stop(): Promise<void>;
  venues: Record<string, Record<string, unknown>>;
  raw: unknown;
}

export async function startSimulatorsFor(config: EngineConfig): Promise<RunningSimulators> {
  const { startVenueSimulators } = await import('../../simulators/index.ts');
  const { seed, updateIntervalMs, dislocationProbability, latencyMs } = config.simulators;
  const sims = await startVenueSimulators({ seed, updateIntervalMs, dislocationProbability, latencyMs });
  const venues: Record<string, Record<string, unknown>> = {
    paradex: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl },
    vest: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl, accountGroup: sims.vest.accountGroup },
    lighter: { restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl },
  };
  return { stop: () => sims.stop(), venues, raw: sims };
}

/** The config with each simulated venue's URLs replaced; other venue options are kept. */
export function withSimulatedVenues(config: EngineConfig, sims: RunningSimulators): EngineConfig {
  const venues: Record<string, unknown> = { ...config.venues };
  for (const [name, urls] of Object.entries(sims.venues)) {
    venues[name] = { ...((config.venues[name] as Record<string, unknown> | undefined) ?? {}), ...urls };
  }
  return { ...config, venues };
}
