/**
 * Preflight: everything about a config that can be checked without a socket, a simulator or a
 * prompt, checked before any of them starts. A run that is going to fail on its config fails here,
 * at once, with every plugin's own error, instead of after the live confirmation or with the
 * simulators already listening (which kept the process alive: issue 16, item 1).
 *
 * It loads the plugins into a scratch container (each parses its own options section), checks the
 * instrument map names loaded venues, that every venue a strategy trades has a fee model, and, for
 * a live run on real venues, that every secret reference in a plugin's options can be read (a
 * missing env var or key file is found before the operator types "yes", not after).
 */
import { Container } from 'inversify';
import type { SecretRef, SecretSource } from '../exchange/connector.ts';
import { InstrumentMap } from '../market/instruments.ts';
import { FeeSchedule } from '../simulation/fee-schedule.ts';
import type { EngineConfig } from './config.ts';
import { ConfigError } from './config-errors.ts';
import type { Logger } from './logger.ts';
import { loadPlugins, type LoadedPlugins } from './plugin-loader.ts';
import { EnvironmentSecrets } from './secrets.ts';

export interface PreflightInput {
  config: EngineConfig;
  baseDir: string;
  live: boolean;
  logger: Logger;
  /** Where secrets come from; read only to prove they can be (the values are dropped). */
  secrets?: SecretSource;
  /**
   * Venues whose loopback simulator provisions their credentials (`simulators.enabled` and a
   * VenueSpec.simulator): their config secret refs are not used, so not checked. Every other
   * venue's credentials are checked as for the real venues (it trades against its config URLs).
   */
  simulatedVenues?: ReadonlySet<string>;
}

export async function preflight(input: PreflightInput): Promise<LoadedPlugins> {
  const { config } = input;
  const plugins = await loadPlugins({
    plugins: config.plugins,
    sections: { venues: withoutCredentials(config.venues, input.simulatedVenues ?? new Set()), strategies: config.strategies, fees: config.fees },
    container: new Container(),
    logger: input.logger,
    live: input.live,
    baseDir: input.baseDir,
  });
  checkInstrumentVenues(config, plugins);
  checkFeeCoverage(config, plugins);
  if (input.live) checkSecrets(plugins, input.secrets ?? new EnvironmentSecrets());
  return plugins;
}

export function checkInstrumentVenues(config: EngineConfig, plugins: LoadedPlugins): void {
  const problems: string[] = [];
  for (const [instrument, venues] of Object.entries(config.instruments)) {
    for (const venue of Object.keys(venues)) {
      if (!plugins.exchanges.has(venue)) {
        problems.push(`instruments.${instrument}.${venue}: no exchange plugin named "${venue}" is loaded; add "exchange:${venue}" (or your plugin) to plugins`);
      }
    }
  }
  if (problems.length) throw new ConfigError(problems);
}

/** Every strategy prices fees: a venue no fee model covers fails at start, not on the first opportunity. */
function checkFeeCoverage(config: EngineConfig, plugins: LoadedPlugins): void {
  if (plugins.strategies.size === 0) return;
  const fees = new FeeSchedule(plugins.feeModels);
  const instruments = new InstrumentMap(config.instruments);
  for (const venue of plugins.exchanges.keys()) for (const symbol of instruments.symbolsFor(venue)) fees.rates(venue, symbol);
}

/** Reads each `{ env }` / `{ file }` reference found in the loaded plugins' options; the first unreadable one throws. */
function checkSecrets(plugins: LoadedPlugins, secrets: SecretSource): void {
  const sections = [...plugins.exchanges.values(), ...plugins.strategies.values()];
  for (const { options, optionsPath } of sections) {
    for (const [ref, path] of secretRefsIn(options, optionsPath)) secrets.read(ref, path);
  }
}

function* secretRefsIn(value: unknown, path: string): Generator<[SecretRef, string]> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* secretRefsIn(v, `${path}[${i}]`);
    return;
  }
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  if (keys.length === 1 && (typeof v['env'] === 'string' || typeof v['file'] === 'string')) {
    yield [v as SecretRef, path];
    return;
  }
  for (const k of keys) yield* secretRefsIn(v[k], `${path}.${k}`);
}

/**
 * The simulators fill in credentials at start (addresses they provision, env refs they set), so a
 * config written for them, like config/demo-live.yaml, holds partial ones: not checked here, for
 * the simulated venues only.
 */
function withoutCredentials(venues: Record<string, unknown>, simulated: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, section] of Object.entries(venues)) {
    if (!simulated.has(name) || typeof section !== 'object' || section === null || Array.isArray(section)) out[name] = section;
    else {
      const { credentials: _provided, ...rest } = section as Record<string, unknown>;
      out[name] = rest;
    }
  }
  return out;
}
