/**
 * Live mode on the loopback simulators: fresh TEST keys and funded simulator accounts for each
 * venue, handed to the venue plugins only through the secret-ref mechanism.
 *
 * The config keeps references (`credentials.privateKey: { env: NAME }`); this module generates
 * a key, stores it in that environment variable (process env by default), registers the key
 * with the simulator's private side and fills in only the PUBLIC fields the plugin needs (the
 * Paradex account address, the Lighter account index). The keys never enter the config object
 * and are registered with the log scrubber before anything can log them.
 *
 * - Paradex: a random Stark key and account address, registered as onboarded (test control).
 * - Vest: a primary wallet and a signing wallet; the primary signs the EIP-712 SignerProof and
 *   POST /v2/register (the real round trip) answers the apiKey.
 * - Lighter: an API key from the SDK's WASM (GenerateAPIKey) on a new account index.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { ec } from 'starknet';
import { Wallet } from 'ethers';
import type { EngineConfig } from '../core/config.ts';
import { registerSecret } from '../core/logger.ts';
import type { VenueSimulators } from '../../simulators/index.ts';
import { loadLighterSigner } from '../../plugins/exchanges/lighter/signer.ts';
import { signVestRegistration } from '../../plugins/exchanges/vest/signer.ts';
import { VEST_VERIFYING_CONTRACT } from '../../simulators/vest/private.ts';

/** Env names used when a venue section names none (`credentials.<field>: { env: NAME }` wins). */
export const DEFAULT_SECRET_ENV = {
  paradex: { privateKey: 'ARB_SIM_PARADEX_STARK_KEY' },
  vest: { signingKey: 'ARB_SIM_VEST_SIGNING_KEY', apiKey: 'ARB_SIM_VEST_API_KEY' },
  lighter: { apiPrivateKey: 'ARB_SIM_LIGHTER_API_KEY' },
} as const;

export interface SimulatedAccount {
  venue: 'paradex' | 'vest' | 'lighter';
  /** The simulator matching engine's account id (for positions in tests and the demo). */
  engineAccount: string;
  /** The venue symbols' collateral currency funded, USD. */
  collateralUsd: string;
}

export interface ProvisionedAccounts {
  accounts: SimulatedAccount[];
  /** Public credential fields per venue, merged into `venues.<v>.credentials`. */
  publicCredentials: Record<string, Record<string, unknown>>;
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
  /** Lighter API key index (Lighter reserves 0-2 for its own apps). */
  lighterApiKeyIndex?: number;
}

type Venue = SimulatedAccount['venue'];

/** The env var a credential field names, or the default; a `{ file }` ref cannot be provisioned here. */
function envNameFor(config: EngineConfig, venue: Venue, field: string, fallback: string): string {
  const creds = (config.venues[venue] as { credentials?: Record<string, unknown> } | undefined)?.credentials;
  const ref = creds?.[field];
  if (ref === undefined) return fallback;
  if (typeof ref === 'object' && ref !== null && typeof (ref as { env?: unknown }).env === 'string') return (ref as { env: string }).env;
  throw new Error(
    `venues.${venue}.credentials.${field}: the simulators generate test keys into environment variables; use { env: NAME } here (or leave it out for ${fallback})`,
  );
}

function setSecret(env: NodeJS.ProcessEnv, name: string, value: string, out: ProvisionedAccounts): void {
  registerSecret(value);
  const bare = value.replace(/^0x/i, '');
  if (bare !== value) registerSecret(bare);
  env[name] = value;
  out.secrets.push(value);
  out.envNames.push(name);
}

/** Generate keys for the venues this config trades, register and fund them on the simulators. */
export async function provisionSimulatedAccounts(
  config: EngineConfig,
  sims: VenueSimulators,
  options: ProvisionOptions,
): Promise<ProvisionedAccounts> {
  const env = options.env ?? process.env;
  const venues = new Set<string>();
  for (const listings of Object.values(config.instruments)) for (const v of Object.keys(listings)) venues.add(v);
  const out: ProvisionedAccounts = { accounts: [], publicCredentials: {}, secrets: [], envNames: [] };
  const collateral = options.collateralUsd;

  if (venues.has('paradex')) {
    const privateKey = '0x' + BigInt('0x' + randomBytes(31).toString('hex')).toString(16);
    const publicKey = ec.starkCurve.getStarkKey(privateKey);
    const account = '0x' + randomBytes(31).toString('hex');
    setSecret(env, envNameFor(config, 'paradex', 'privateKey', DEFAULT_SECRET_ENV.paradex.privateKey), privateKey, out);
    const t = sims.trading.paradex;
    t.registerAccount(account, publicKey);
    const id = t.accountId(account);
    t.engine.fund(id, collateral);
    out.accounts.push({ venue: 'paradex', engineAccount: id, collateralUsd: collateral });
    out.publicCredentials['paradex'] = { account, subkey: false };
  }

  if (venues.has('vest')) {
    const primary = Wallet.createRandom();
    const signing = Wallet.createRandom();
    registerSecret(primary.privateKey);
    registerSecret(primary.privateKey.slice(2));
    out.secrets.push(primary.privateKey);
    // The real registration round trip: the primary wallet approves the signing key.
    const body = signVestRegistration(primary.privateKey, signing.address, Date.now() + 30 * 86_400_000, VEST_VERIFYING_CONTRACT);
    const res = await fetch(`${sims.vest.restUrl}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', xrestservermm: `restserver${sims.vest.accountGroup}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { apiKey?: unknown; accGroup?: unknown; msg?: unknown };
    if (res.status !== 200 || typeof answer.apiKey !== 'string') {
      throw new Error(`vest simulator refused the test registration (HTTP ${res.status}): ${String(answer.msg ?? '')}`);
    }
    setSecret(env, envNameFor(config, 'vest', 'signingKey', DEFAULT_SECRET_ENV.vest.signingKey), signing.privateKey, out);
    setSecret(env, envNameFor(config, 'vest', 'apiKey', DEFAULT_SECRET_ENV.vest.apiKey), answer.apiKey, out);
    const t = sims.trading.vest;
    const id = t.accountId(primary.address);
    t.engine.fund(id, collateral);
    out.accounts.push({ venue: 'vest', engineAccount: id, collateralUsd: collateral });
    out.publicCredentials['vest'] = {};
    if (typeof answer.accGroup === 'number') out.publicCredentials['vest:accountGroup'] = { accountGroup: answer.accGroup };
  }

  if (venues.has('lighter')) {
    const wasm = await loadLighterSigner();
    const { privateKey } = wasm.generateApiKey();
    setSecret(env, envNameFor(config, 'lighter', 'apiPrivateKey', DEFAULT_SECRET_ENV.lighter.apiPrivateKey), privateKey, out);
    const apiKeyIndex = options.lighterApiKeyIndex ?? 3;
    const accountIndex = 100_000 + randomInt(1_000_000);
    const t = sims.trading.lighter;
    t.createAccount(accountIndex, { apiKeys: [apiKeyIndex], collateral });
    out.accounts.push({ venue: 'lighter', engineAccount: t.accountId(accountIndex), collateralUsd: collateral });
    out.publicCredentials['lighter'] = { accountIndex, apiKeyIndex };
  }
  return out;
}

/**
 * The config with each venue's credentials section completed: the secret fields are `{ env }`
 * references (the names the config gave, or the defaults), the public fields come from the
 * provisioning. No secret value is written into the returned config.
 */
export function withSimulatedCredentials(config: EngineConfig, provisioned: ProvisionedAccounts): EngineConfig {
  const venues: Record<string, unknown> = { ...config.venues };
  for (const venue of ['paradex', 'vest', 'lighter'] as const) {
    const pub = provisioned.publicCredentials[venue];
    if (!pub) continue;
    const section = { ...((venues[venue] as Record<string, unknown> | undefined) ?? {}) };
    const given = (section['credentials'] as Record<string, unknown> | undefined) ?? {};
    const refs: Record<string, unknown> = {};
    for (const [field, name] of Object.entries(DEFAULT_SECRET_ENV[venue])) refs[field] = given[field] ?? { env: name };
    section['credentials'] = { ...given, ...refs, ...pub };
    const group = provisioned.publicCredentials[`${venue}:accountGroup`];
    if (group) Object.assign(section, group);
    venues[venue] = section;
  }
  return { ...config, venues };
}
