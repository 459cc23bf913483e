/**
 * `simulators.enabled`: start the loopback venue simulators and point each venue's URLs at
 * them. Everything else about the connection is the same code path as the real venues.
 *
 * Live on the simulators (`--live` and `mode: live`): fresh test keys and funded accounts are
 * provisioned for each venue (simulated-accounts.ts; the keys reach the plugins only through
 * their `{ env }` secret refs) and the `simulators.faults` schedule is installed.
 */
import type { EngineConfig } from '../core/config.ts';
import type { VenueSimulators } from '../../simulators/index.ts';
import { provisionSimulatedAccounts, withSimulatedCredentials, type ProvisionedAccounts } from './simulated-accounts.ts';
import { installFaultSchedule, type InstalledFaults } from './simulated-faults.ts';

export interface RunningSimulators {
  stop(): Promise<void>;
  venues: Record<string, Record<string, unknown>>;
  raw: unknown;
  /** Live only: the generated test accounts (secrets inside: never print this). */
  accounts?: ProvisionedAccounts;
  faults?: InstalledFaults;
}

export interface SimulatorStartOptions {
  /** Provision funded test accounts and install the fault schedule. */
  live?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function startSimulatorsFor(config: EngineConfig, options: SimulatorStartOptions = {}): Promise<RunningSimulators> {
  const { startVenueSimulators } = await import('../../simulators/index.ts');
  const { seed, updateIntervalMs, dislocationProbability, latencyMs } = config.simulators;
  const sims: VenueSimulators = await startVenueSimulators({ seed, updateIntervalMs, dislocationProbability, latencyMs });
  const venues: Record<string, Record<string, unknown>> = {
    paradex: { restUrl: sims.paradex.restUrl, wsUrl: sims.paradex.wsUrl },
    vest: { restUrl: sims.vest.restUrl, wsUrl: sims.vest.wsUrl, accountGroup: sims.vest.accountGroup },
    lighter: { restUrl: sims.lighter.restUrl, wsUrl: sims.lighter.wsUrl },
  };
  const running: RunningSimulators = { stop: () => sims.stop(), venues, raw: sims };
  if (options.live) {
    try {
      running.accounts = await provisionSimulatedAccounts(config, sims, { collateralUsd: config.simulators.collateralUsd, env: options.env });
    } catch (err) {
      await sims.stop();
      throw err;
    }
    if (config.simulators.faults) running.faults = installFaultSchedule(sims, config.simulators.faults);
  }
  return running;
}

/** The config with each simulated venue's URLs replaced (and, live, its test credentials); other options kept. */
export function withSimulatedVenues(config: EngineConfig, sims: RunningSimulators): EngineConfig {
  const venues: Record<string, unknown> = { ...config.venues };
  for (const [name, urls] of Object.entries(sims.venues)) {
    venues[name] = { ...((config.venues[name] as Record<string, unknown> | undefined) ?? {}), ...urls };
  }
  const routed = { ...config, venues };
  if (!sims.accounts) return routed;
  // Fresh accounts every run: a journal from an earlier run names orders and positions these
  // accounts never had, and reconciliation would (rightly) refuse to trade. One journal per run.
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const path = config.journal.path.replace(/(\.sqlite)?$/, (ext) => `-${stamp}${ext}`);
  return withSimulatedCredentials({ ...routed, journal: { ...config.journal, path } }, sims.accounts);
}
