/**
 * Live mode on the loopback simulators: fresh TEST keys and funded simulator accounts for each
 * venue, handed to the venue plugins only through the secret-ref mechanism.
 *
 * The config keeps references (`credentials.privateKey: { env: NAME }`); each venue's spec
 * (VenueSpec.simulator, in its plugin folder) generates the keys and registers them with its
 * simulator; this module stores each secret in the environment variable the config names (or
 * the spec's default), registers it with the log scrubber before anything can log it, and fills
 * in only the PUBLIC fields the plugin needs. The keys never enter the config object.
 */
import type { EngineConfig } from '../core/config.ts';
import { registerSecret } from '../core/logger.ts';
import type { SimulatedVenue, VenueSpec } from '../core/venue-spec.ts';
import { loadVenueSpecs } from './venue-specs.ts';

export interface SimulatedAccount {
  venue: string;
  /** The simulator matching engine's account id (for positions in tests and the demo). */
  engineAccount: string;
  /** The venue symbols' collateral currency funded, USD. */
  collateralUsd: string;
}

export interface ProvisionedAccounts {
  accounts: SimulatedAccount[];
  /** Public credential fields per venue, merged into `venues.<v>.credentials`. */
  publicCredentials: Record<string, Record<string, unknown>>;
  /** Secret credential fields per venue and the env var each was written to. */
  secretEnv: Record<string, Record<string, string>>;
  /** Other option fields per venue, merged into `venues.<v>`. */
  options: Record<string, Record<string, unknown>>;
  /** Every secret generated (tests scan logs for them). Never print these. */
  secrets: string[];
  /** Environment variables written (so a test can clear them). */
  envNames: string[];
}

export interface ProvisionOptions {
  /** Collateral each account gets, USD decimal string. */
  collateralUsd: string;
  /** Where the `{ env }` refs are written; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative plugin paths in the config resolve against (default the working directory). */
  baseDir?: string;
}

/** The venues running on simulators, by name: attached specs (see simulated-venues.ts). */
export type SimulatedVenueMap = ReadonlyMap<string, { spec: VenueSpec; venue: SimulatedVenue }>;

/** The env var a credential field names, or the default; a `{ file }` ref cannot be provisioned here. */
function envNameFor(config: EngineConfig, venue: string, field: string, fallback: string): string {
  const creds = (config.venues[venue] as { credentials?: Record<string, unknown> } | undefined)?.credentials;
  const ref = creds?.[field];
  if (ref === undefined) return fallback;
  if (typeof ref === 'object' && ref !== null && typeof (ref as { env?: unknown }).env === 'string') return (ref as { env: string }).env;
  throw new Error(
    `venues.${venue}.credentials.${field}: the simulators generate test keys into environment variables; use { env: NAME } here (or leave it out for ${fallback})`,
  );
}

function keepSecret(value: string, out: ProvisionedAccounts): void {
  registerSecret(value);
  const bare = value.replace(/^0x/i, '');
  if (bare !== value) registerSecret(bare);
  out.secrets.push(value);
}

/**
 * Generate keys for the venues this config trades, register and fund them on the simulators.
 * `sims`: the venues started by startSimulatorsFor, or the built-in simulators' world (the
 * config's exchange plugins are then loaded and attached to it).
 */
export async function provisionSimulatedAccounts(
  config: EngineConfig,
  sims: SimulatedVenueMap | object,
  options: ProvisionOptions,
): Promise<ProvisionedAccounts> {
  const env = options.env ?? process.env;
  const venues = sims instanceof Map ? (sims as SimulatedVenueMap) : await attachToWorld(config, sims, options.baseDir);
  const traded = new Set<string>();
  for (const listings of Object.values(config.instruments)) for (const v of Object.keys(listings)) traded.add(v);
  // instruments.auto: which venues trade is known only once their market lists are read, so every simulated venue gets an account.
  if (config.instrumentDiscovery) for (const name of venues.keys()) traded.add(name);
  const out: ProvisionedAccounts = { accounts: [], publicCredentials: {}, secretEnv: {}, options: {}, secrets: [], envNames: [] };
  for (const [name, { spec, venue }] of venues) {
    if (!traded.has(name) || !venue.provision) continue;
    const account = await venue.provision({ collateralUsd: options.collateralUsd });
    for (const extra of account.otherSecrets ?? []) keepSecret(extra, out);
    const refs: Record<string, string> = {};
    for (const [field, value] of Object.entries(account.secrets)) {
      const fallback = spec.simulator?.secretEnv?.[field] ?? `ARB_SIM_${name.toUpperCase().replace(/\W/g, '_')}_${field.toUpperCase()}`;
      const envName = envNameFor(config, name, field, fallback);
      keepSecret(value, out);
      env[envName] = value;
      out.envNames.push(envName);
      refs[field] = envName;
    }
    out.accounts.push({ venue: name, engineAccount: account.engineAccount, collateralUsd: options.collateralUsd });
    out.publicCredentials[name] = { ...account.publicCredentials };
    out.secretEnv[name] = refs;
    if (account.options) out.options[name] = { ...account.options };
  }
  return out;
}

async function attachToWorld(config: EngineConfig, world: object, baseDir = process.cwd()): Promise<SimulatedVenueMap> {
  const map = new Map<string, { spec: VenueSpec; venue: SimulatedVenue }>();
  for (const spec of await loadVenueSpecs(config.plugins, baseDir)) {
    if (!spec.simulator?.builtIn) continue;
    map.set(spec.name, { spec, venue: await spec.simulator.start({ world, seed: config.simulators.seed, latencyMs: 0 }) });
  }
  return map;
}

/**
 * The config with each venue's credentials section completed: the secret fields are `{ env }`
 * references (the names the config gave, or the defaults), the public fields come from the
 * provisioning. No secret value is written into the returned config.
 */
export function withSimulatedCredentials(config: EngineConfig, provisioned: ProvisionedAccounts): EngineConfig {
  const venues: Record<string, unknown> = { ...config.venues };
  for (const [venue, pub] of Object.entries(provisioned.publicCredentials)) {
    const section = { ...((venues[venue] as Record<string, unknown> | undefined) ?? {}) };
    const given = (section['credentials'] as Record<string, unknown> | undefined) ?? {};
    const refs: Record<string, unknown> = {};
    for (const [field, name] of Object.entries(provisioned.secretEnv[venue] ?? {})) refs[field] = given[field] ?? { env: name };
    section['credentials'] = { ...given, ...refs, ...pub };
    Object.assign(section, provisioned.options[venue] ?? {});
    venues[venue] = section;
  }
  return { ...config, venues };
}
