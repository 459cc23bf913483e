import { z } from 'zod';
import { ConfigError, parseOptions } from '../../../engine/core/config-errors.ts';

const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/, 'expected a 0x-hex Starknet address');
const decimal = z
  .union([z.string(), z.number()])
  .transform(String)
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'expected a non-negative decimal like "0.05"' });
const secretRef = z.union([z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()], {
  error: 'must be a secret reference { env: NAME } or { file: path }, never the key itself',
});

const token = z.object({ address: hexAddress, symbol: z.string().min(1), decimals: z.number().int().min(0).max(36) }).strict();

const pool = z
  .object({
    name: z.string().min(1),
    /** JediSwap v1 / 10KSwap style router the contract swaps through. */
    router: hexAddress,
    /** Pair contract answering get_reserves; defaults to the router (single-pool routers and mocks). */
    pair: hexAddress.optional(),
    /** Which reserve get_reserves returns first. */
    reserveOrder: z.enum(['token-mid', 'mid-token']).default('token-mid'),
    feeBps: z.number().int().min(0).max(9999).default(30),
  })
  .strict();

/** An Ekubo pool of the token/mid pair (the PoolKey's tokens are the configured token and mid). */
const ekuboPool = z
  .object({
    name: z.string().min(1),
    /** Ekubo's fee as a 0.128 fraction, integer string: 0.3% = floor(0.003 * 2^128) = "1020847100762815390390123822295304634". */
    fee: z.string().regex(/^\d+$/, 'expected the 0.128 fee as an integer string'),
    tickSpacing: z.number().int().positive(),
    extension: hexAddress.default('0x0'),
  })
  .strict();

export const FlashLoanOptionsSchema = z
  .object({
    /** Your Starknet JSON-RPC node; not needed with `simulator` (dry-run on loopback pools). */
    rpcUrl: z.string().url('expected the http(s) URL of a Starknet JSON-RPC node').optional(),
    /**
     * Dry-run demo: a loopback pool node (simulators/starknet/pool-node.ts) serves `pools`, priced
     * off the reference book with a seeded dislocation now and then. Refused in live.
     */
    simulator: z
      .object({
        seed: z.number().int().default(1),
        /** How far a dislocated pool is pushed off the reference, percent. */
        dislocationPct: z.number().positive().max(50).default(1.5),
        /** A dislocation starts every this many ms and lasts half of it. */
        everyMs: z.number().int().positive().default(8000),
        /** Token reserve of each pool, whole tokens. */
        depthTokens: z.number().int().positive().default(100),
      })
      .strict()
      .optional(),
    pollMs: z.number().int().positive().default(2000),
    /** The deployed FlashArb contract (`npx arb deploy`); needed to trade live. */
    contract: hexAddress.optional(),
    lender: z
      .object({
        /** ekubo: the Ekubo core lends inside its lock (no fee); its pools are `ekubo.pools`. */
        kind: z.enum(['vesu', 'zkLend', 'ekubo']),
        address: hexAddress,
        /** zkLend-shaped fee in 1e27 scale ("0" for Vesu). */
        feeRay: z.string().regex(/^\d+$/, 'expected an integer in 1e27 scale').default('0'),
        /** Vesu's flash_loan is_legacy flag: true when the token only has camelCase transferFrom. */
        isLegacy: z.boolean().default(false),
        /** Most to borrow, in whole tokens (the lender's free liquidity or your own cap). */
        maxBorrow: decimal,
      })
      .strict(),
    token,
    midToken: token,
    pools: z.array(pool).default([]),
    /** Ekubo pools swapped inside the lock (lender kind 'ekubo'), quoted through the router's quote_swap. */
    ekubo: z
      .object({
        /** Ekubo router answering quote_swap over starknet_call. */
        quoter: hexAddress,
        pools: z.array(ekuboPool).min(2, 'name at least two Ekubo pools to arbitrage between'),
        /** Block the quotes read: the node's freshest (pre_confirmed) unless it predates Starknet 0.14. */
        blockTag: z.enum(['pre_confirmed', 'latest']).default('pre_confirmed'),
      })
      .strict()
      .optional(),
    /** Live: STRK price in USD, to count the simulated fee (paid in STRK) in min_profit. */
    strkUsd: decimal.optional(),
    /** Live: min_profit covers the simulated fee plus this margin, USD. */
    marginUsd: decimal.default('0'),
    /** Paradex's book for this instrument is the price reference (the signal and the USD conversion). */
    reference: z.object({ instrument: z.string().min(1), venue: z.string().default('paradex') }).strict(),
    gasUsd: decimal.default('0.05'),
    minNetUsd: decimal.default('0'),
    /** Live: the contract reverts unless it gains at least this share of the expected on-chain profit. */
    minProfitShare: decimal.default('0.5'),
    cooldownMs: z.number().int().nonnegative().default(5000),
    account: z.object({ address: hexAddress, privateKey: secretRef }).strict().optional(),
  })
  .strict();

/** The loopback pool node's address before it listens (its origin is what errors print). */
export const SIMULATED_RPC_URL = 'http://127.0.0.1';

export type FlashLoanOptions = Omit<z.output<typeof FlashLoanOptionsSchema>, 'rpcUrl'> & { rpcUrl: string };

export function parseFlashLoanOptions(raw: unknown, path: string): FlashLoanOptions {
  const o = parseOptions(FlashLoanOptionsSchema, raw, path);
  if (o.rpcUrl === undefined && !o.simulator) {
    throw new ConfigError([`${path}.rpcUrl: required (the http(s) URL of your Starknet JSON-RPC node), or set ${path}.simulator: {} for the dry-run demo on loopback pools`]);
  }
  if (o.lender.kind === 'ekubo') {
    if (!o.ekubo) throw new ConfigError([`${path}.ekubo: required with lender.kind "ekubo" (the quoter router and at least two Ekubo pools)`]);
    if (o.simulator) throw new ConfigError([`${path}.simulator: the loopback pool node serves router pools only; remove it or use lender.kind "vesu"`]);
  } else {
    if (o.ekubo) throw new ConfigError([`${path}.ekubo: Ekubo pools swap inside Ekubo's lock: set lender.kind "ekubo" (lender.address = the Ekubo core)`]);
    if (o.pools.length < 2) throw new ConfigError([`${path}.pools: name at least two pools to arbitrage between`]);
  }
  return { ...o, rpcUrl: o.rpcUrl ?? SIMULATED_RPC_URL };
}
