/**
 * Felt252 calldata for the arbitrage contract's `start_cycle` (contracts/src/flash_arb.cairo)
 * and the route data it forwards to the lender's callback. Pure: no RPC, no signing.
 *
 * Layout (Cairo Serde, in argument order; contracts/src/cycle.cairo):
 *   lender_kind  LenderKind: zkLend = [0], vesu = [1, is_legacy], ekubo = [2]
 *   lender       1 felt   zkLend-shaped market / Vesu V2 pool / Ekubo core
 *   token        1 felt   contract address
 *   amount       2 felts  u256 as (low 128 bits, high 128 bits)
 *   route        CycleRoute { leg_a: Leg, leg_b: Leg, mid_token }
 *                Leg: router = [0, router]; ekubo = [1, token0, token1, fee, tick_spacing,
 *                extension, sqrt_ratio_limit(low, high), skip_ahead] (Ekubo's PoolKey layout,
 *                EkuboProtocol/starknet-contracts src/types/keys.cairo)
 *   min_profit   2 felts  u256 (low, high)
 * The lender callback receives exactly the route's felts.
 */

/** Starknet field prime: every felt is in [0, P). */
export const FELT_PRIME = 2n ** 251n + 17n * 2n ** 192n + 1n;
/** Contract addresses live in [0, 2^251 - 256). */
export const ADDRESS_BOUND = 2n ** 251n - 256n;
const U128 = 2n ** 128n;
const U256 = 2n ** 256n;

export const LENDER_KIND = { zkLend: 0n, vesu: 1n, ekubo: 2n } as const;
export type LenderKind = keyof typeof LENDER_KIND;
/** Ekubo's widest sqrt-ratio limits (src/math/ticks.cairo constants). */
export const MIN_SQRT_RATIO = 18446748437148339061n;
export const MAX_SQRT_RATIO = 6277100250585753475930931601400621808602321654880405518632n;

export class CalldataError extends Error {
  constructor(readonly field: string, message: string) {
    super(`start_cycle calldata: ${field}: ${message}`);
    this.name = 'CalldataError';
  }
}

/** Hex string ("0x…") or bigint. */
export type Address = string | bigint;

/** Ekubo's PoolKey: token0 < token1 by address, fee a 0.128 fraction (1% = 2^128 / 100). */
export interface EkuboPoolKey {
  token0: Address;
  token1: Address;
  fee: bigint;
  tickSpacing: bigint;
  extension: Address | 0n;
}

export type Leg =
  /** JediSwap v1 (Uniswap v2) router: swap_exact_tokens_for_tokens. */
  | { kind: 'router'; router: Address }
  /** An Ekubo pool swapped inside the core's lock (only with the ekubo lender). */
  | { kind: 'ekubo'; poolKey: EkuboPoolKey; sqrtRatioLimit: bigint; skipAhead?: bigint };

export interface CycleRoute {
  /** Sells the borrowed token (token -> midToken). */
  legA: Leg;
  /** Buys it back (midToken -> token). */
  legB: Leg;
  midToken: Address;
}

export interface StartCycleArgs {
  lenderKind: LenderKind;
  /** Vesu's is_legacy flag for the borrowed token (camelCase-only token); ignored otherwise. */
  legacyToken?: boolean;
  lender: Address;
  token: Address;
  /** Borrowed amount in the token's integer units. */
  amount: bigint;
  route: CycleRoute;
  /** Minimum gain in the token's integer units; the contract reverts below it. */
  minProfit: bigint;
}

export function encodeAddress(value: Address, field: string): bigint {
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (/^0x[0-9a-fA-F]+$/.test(value)) n = BigInt(value);
  else throw new CalldataError(field, `not a 0x-hex address: ${JSON.stringify(value)}`);
  if (n <= 0n || n >= ADDRESS_BOUND) throw new CalldataError(field, 'address out of range (0, 2^251 - 256)');
  return n;
}

/** u256 -> [low, high] as Cairo serializes it. */
export function encodeU256(value: bigint, field: string): [bigint, bigint] {
  if (value < 0n || value >= U256) throw new CalldataError(field, 'must be in [0, 2^256)');
  return [value % U128, value / U128];
}

function encodeU128(value: bigint, field: string): bigint {
  if (value < 0n || value >= U128) throw new CalldataError(field, 'must be in [0, 2^128)');
  return value;
}

export function encodeLeg(leg: Leg, field: string): bigint[] {
  if (leg.kind === 'router') return [0n, encodeAddress(leg.router, `${field}.router`)];
  if (leg.kind !== 'ekubo') throw new CalldataError(field, `unknown leg kind ${JSON.stringify((leg as { kind: unknown }).kind)}`);
  const k = leg.poolKey;
  const token0 = encodeAddress(k.token0, `${field}.poolKey.token0`);
  const token1 = encodeAddress(k.token1, `${field}.poolKey.token1`);
  if (token0 >= token1) throw new CalldataError(`${field}.poolKey`, 'Ekubo orders tokens: token0 must be the smaller address');
  const extension = k.extension === 0n || k.extension === '0x0' ? 0n : encodeAddress(k.extension, `${field}.poolKey.extension`);
  if (leg.sqrtRatioLimit < MIN_SQRT_RATIO || leg.sqrtRatioLimit > MAX_SQRT_RATIO) {
    throw new CalldataError(`${field}.sqrtRatioLimit`, 'must be within Ekubo\'s [MIN_SQRT_RATIO, MAX_SQRT_RATIO]');
  }
  return [
    1n,
    token0,
    token1,
    encodeU128(k.fee, `${field}.poolKey.fee`),
    encodeU128(k.tickSpacing, `${field}.poolKey.tickSpacing`),
    extension,
    ...encodeU256(leg.sqrtRatioLimit, `${field}.sqrtRatioLimit`),
    encodeU128(leg.skipAhead ?? 0n, `${field}.skipAhead`),
  ];
}

/** The felts the contract forwards to the lender callback (Serde of CycleRoute). */
export function encodeRouteData(route: CycleRoute): bigint[] {
  return [...encodeLeg(route.legA, 'route.legA'), ...encodeLeg(route.legB, 'route.legB'), encodeAddress(route.midToken, 'route.midToken')];
}

/** A two-router route (the shape every lender accepts). */
export function routerRoute(sellRouter: Address, buyRouter: Address, midToken: Address): CycleRoute {
  return { legA: { kind: 'router', router: sellRouter }, legB: { kind: 'router', router: buyRouter }, midToken };
}

export function encodeStartCycle(args: StartCycleArgs): bigint[] {
  const kind = LENDER_KIND[args.lenderKind];
  if (kind === undefined) throw new CalldataError('lenderKind', `unknown lender kind ${JSON.stringify(args.lenderKind)}`);
  const token = encodeAddress(args.token, 'token');
  const mid = encodeAddress(args.route.midToken, 'route.midToken');
  if (mid === token) throw new CalldataError('route.midToken', 'must differ from the borrowed token');
  if (args.amount <= 0n) throw new CalldataError('amount', 'must be > 0');
  if (args.lenderKind !== 'vesu' && args.amount >= U128) {
    // zkLend takes the amount as a felt, Ekubo as a u128; the contract refuses more than 128 bits.
    throw new CalldataError('amount', `${args.lenderKind} lenders take at most 2^128 - 1`);
  }
  for (const [leg, field] of [[args.route.legA, 'route.legA'], [args.route.legB, 'route.legB']] as const) {
    if (leg.kind === 'ekubo' && args.lenderKind !== 'ekubo') throw new CalldataError(field, 'an Ekubo leg runs inside the Ekubo lock: lenderKind must be "ekubo"');
  }
  return [
    ...(args.lenderKind === 'vesu' ? [kind, args.legacyToken ? 1n : 0n] : [kind]),
    encodeAddress(args.lender, 'lender'),
    token,
    ...encodeU256(args.amount, 'amount'),
    ...encodeRouteData(args.route),
    ...encodeU256(args.minProfit, 'minProfit'),
  ];
}

/** Hex strings as starknet.js `Call.calldata` accepts them. */
export function toHexCalldata(felts: readonly bigint[]): string[] {
  return felts.map((f) => {
    if (f < 0n || f >= FELT_PRIME) throw new CalldataError('felt', `${f} is not a felt252`);
    return '0x' + f.toString(16);
  });
}
