/**
 * A venue described as data: the facts about one exchange that the core needs without
 * running the venue's code (default gas, funding style, default fees, simulator latency,
 * instrument naming), the facts its folder keeps in one place for readers (URLs, channels,
 * REST endpoints with their rate-limit class, error table), and the hook that starts or
 * attaches its loopback simulator for `simulators.enabled`.
 *
 * An exchange plugin puts its spec on the manifest (`spec`); the plugin loader registers the
 * specs of the plugins the config names, and the core reads them here. Nothing in the core
 * names a venue.
 */
import type { VenueId } from '../market/types.ts';

export type FundingStyleName = 'discrete' | 'continuous';

/** A rate-limit class of the venue's own limiter (its limits.ts): which bucket a request spends. */
export interface VenueEndpointSpec {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  /** The bucket or weight name in the venue's limits.ts ("orders", "sendTx", ...). */
  rateClass: string;
}

export interface VenueSpec {
  /** Venue id, as in config (`venues.<name>`, `instruments.*.<name>`). Same as the manifest's name. */
  readonly name: VenueId;
  /** Default endpoints; `venues.<name>.restUrl` / `wsUrl` override. */
  readonly urls: { readonly rest: string; readonly ws: string };
  /** Public and private channel names as the venue spells them ({symbol} where the market goes). */
  readonly channels: Readonly<Record<string, string>>;
  /** REST endpoints this plugin calls, each with its rate-limit class. */
  readonly endpoints: Readonly<Record<string, VenueEndpointSpec>>;
  /** The venue's error table (code -> meaning), by reference, as data. */
  readonly errors?: Readonly<Record<string, unknown>>;
  /** Gas per order, USD decimal string, used when `simulation.gasUsd.<chain>` does not say. */
  readonly gasUsd: string;
  /** How funding is paid: at each interval boundary, or accrued pro rata. `portfolio.fundingStyle` overrides. */
  readonly fundingStyle: FundingStyleName;
  /** Fee rates (fractions of notional) used when no fee-model plugin covers the venue. */
  readonly fees?: { readonly maker: string; readonly taker: string };
  /** Latency the loopback simulator adds before a push, ms; `simulators.latencyMs.<name>` overrides. */
  readonly simulatorLatencyMs: number;
  /** How the venue names an instrument, from the base asset ("BTC" -> "BTC-USD-PERP"). */
  instrumentSymbol(base: string): string | number;
  /** Loopback simulator and test accounts for `simulators.enabled`; absent: the venue has none. */
  readonly simulator?: VenueSimulatorSpec;
}

/**
 * The built-in simulators share one synthetic market (simulators/index.ts): `world` is that
 * market once started, opaque to the core; a venue with a simulator of its own ignores it.
 */
export interface SimulatorStartInput {
  world: unknown;
  seed: number;
  latencyMs: number;
}

export interface VenueSimulatorSpec {
  /** True for venues served by the shared built-in simulators (started once for all of them). */
  readonly builtIn?: boolean;
  /** Start (or attach to) this venue's simulator; answers the venue options that route to it. */
  start(input: SimulatorStartInput): Promise<SimulatedVenue>;
  /** Credential fields the engine reads from env refs, with the env name used when the config names none. */
  readonly secretEnv?: Readonly<Record<string, string>>;
}

export interface ProvisionInput {
  /** USD decimal string each test account is funded with. */
  collateralUsd: string;
}

export interface ProvisionedAccount {
  /** The simulator's own account id (positions in tests and the demo). */
  engineAccount: string;
  /** Secret values by credential field (written to the env names of `secretEnv`). */
  secrets: Readonly<Record<string, string>>;
  /** Public fields merged into `venues.<name>.credentials`. */
  publicCredentials: Readonly<Record<string, unknown>>;
  /** Other option fields merged into `venues.<name>` (Vest's accountGroup). */
  options?: Readonly<Record<string, unknown>>;
  /** Further secrets generated that never reach the engine (tests scan logs for them). */
  otherSecrets?: readonly string[];
}

export interface SimulatedVenue {
  /** Merged into `venues.<name>`: restUrl, wsUrl and anything else the route needs. */
  options: Readonly<Record<string, unknown>>;
  /** Live on the simulator: a fresh funded test account. */
  provision?(input: ProvisionInput): Promise<ProvisionedAccount>;
  /** Stops what start() started (a built-in's shared simulators stop with the world). */
  stop?(): Promise<void>;
}

/**
 * The specs of the loaded exchange plugins. Filled by the plugin loader; the defaults below
 * read it, so they see exactly the venues the config loads (and any a test registers).
 */
const specs = new Map<VenueId, VenueSpec>();

export function registerVenueSpec(spec: VenueSpec): void {
  specs.set(spec.name, spec);
  DEFAULT_VENUE_GAS_USD[spec.name] = spec.gasUsd;
}

export function venueSpec(venue: VenueId): VenueSpec | undefined {
  return specs.get(venue);
}

export function venueSpecs(): VenueSpec[] {
  return [...specs.values()];
}

/** Gas per order by venue chain, from the loaded specs (a live view: filled as plugins load). */
export const DEFAULT_VENUE_GAS_USD: Record<string, string> = {};
