/**
 * `simulators.enabled`: start the loopback simulator of every venue the config loads and point
 * that venue's options at it. Everything else about the connection is the same code path as the
 * real venues.
 *
 * Which simulator serves a venue is the venue's own business (VenueSpec.simulator, in its plugin
 * folder): the built-in venues share one synthetic market (simulators/index.ts), started here
 * once; a venue with a simulator of its own starts it in `start`. A venue whose spec has no
 * simulator keeps the URLs its config section gives. Nothing here names a venue.
 *
 * Live on the simulators (`--live` and `mode: live`): fresh test keys and funded accounts are
 * provisioned for each venue (simulated-accounts.ts; the keys reach the plugins only through
 * their `{ env }` secret refs) and the `simulators.faults` schedule is installed.
 */
import type { EngineConfig } from '../core/config.ts';
import type { SimulatedVenue, VenueSpec } from '../core/venue-spec.ts';
import type { VenueSimulators } from '../../simulators/index.ts';
import { provisionSimulatedAccounts, withSimulatedCredentials, type ProvisionedAccounts, type SimulatedVenueMap } from './simulated-accounts.ts';
import { installFaultSchedule, type InstalledFaults } from './simulated-faults.ts';
import { loadVenueSpecs } from './venue-specs.ts';

export interface RunningSimulators {
  stop(): Promise<void>;
  /** Options merged into `venues.<name>` per simulated venue (restUrl, wsUrl, ...). */
  venues: Record<string, Record<string, unknown>>;
  /** The built-in simulators' shared market (VenueSimulators), when a loaded venue uses it. */
  raw: unknown;
  /** Each simulated venue's spec and running simulator. */
  simulated: SimulatedVenueMap;
  /** Live only: the generated test accounts (secrets inside: never print this). */
  accounts?: ProvisionedAccounts;
  faults?: InstalledFaults;
}

export interface SimulatorStartOptions {
  /** Provision funded test accounts and install the fault schedule. */
  live?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Directory relative plugin paths in the config resolve against (default the working directory). */
  baseDir?: string;
}

/** `simulators.latencyMs.<name>` if the config says, else the venue's own figure. */
export function simulatorLatencyMs(config: EngineConfig, spec: VenueSpec): number {
  return config.simulators.latencyMs[spec.name] ?? spec.simulatorLatencyMs;
}

export async function startSimulatorsFor(config: EngineConfig, options: SimulatorStartOptions = {}): Promise<RunningSimulators> {
  const specs = (await loadVenueSpecs(config.plugins, options.baseDir ?? process.cwd())).filter((s) => s.simulator);
  const { seed, updateIntervalMs, dislocationProbability } = config.simulators;
  const builtIns = specs.filter((s) => s.simulator?.builtIn);
  let world: VenueSimulators | undefined;
  if (builtIns.length > 0) {
    const { startVenueSimulators } = await import('../../simulators/index.ts');
    const latencyMs = Object.fromEntries(builtIns.map((s) => [s.name, simulatorLatencyMs(config, s)]));
    world = await startVenueSimulators({ seed, updateIntervalMs, dislocationProbability, latencyMs });
  }
  const simulated = new Map<string, { spec: VenueSpec; venue: SimulatedVenue }>();
  const stop = async (): Promise<void> => {
    await Promise.all([...simulated.values()].map(({ venue }) => venue.stop?.()));
    await world?.stop();
  };
  const venues: Record<string, Record<string, unknown>> = {};
  try {
    for (const spec of specs) {
      const venue = await spec.simulator!.start({ world, seed, latencyMs: simulatorLatencyMs(config, spec) });
      simulated.set(spec.name, { spec, venue });
      venues[spec.name] = { ...venue.options };
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const running: RunningSimulators = { stop, venues, raw: world, simulated };
  if (options.live) {
    try {
      running.accounts = await provisionSimulatedAccounts(config, simulated, { collateralUsd: config.simulators.collateralUsd, env: options.env });
    } catch (err) {
      await stop();
      throw err;
    }
    if (config.simulators.faults && world) running.faults = installFaultSchedule(world, config.simulators.faults);
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
