/**
 * Felt252 calldata for the arbitrage contract's `start_cycle` (contracts/src/flash_arb.cairo)
 * and the route data it forwards to the lender's callback. Pure: no RPC, no signing.
 *
 * Layout (Cairo Serde, in argument order):
 *   lender_kind  1 felt   LenderKind variant index: ZkLend = 0, Vesu = 1
 *   lender       1 felt   contract address
 *   token        1 felt   contract address
 *   amount       2 felts  u256 as (low 128 bits, high 128 bits)
 *   route        3 felts  CycleRoute { pool_a, pool_b, mid_token }
 *   min_profit   2 felts  u256 (low, high)
 * The lender callback receives exactly the route's 3 felts.
 */

/** Starknet field prime: every felt is in [0, P). */
export const FELT_PRIME = 2n ** 251n + 17n * 2n ** 192n + 1n;
/** Contract addresses live in [0, 2^251 - 256). */
export const ADDRESS_BOUND = 2n ** 251n - 256n;
const U128 = 2n ** 128n;
const U256 = 2n ** 256n;

export const LENDER_KIND = { zkLend: 0n, vesu: 1n } as const;
export type LenderKind = keyof typeof LENDER_KIND;

export class CalldataError extends Error {
  constructor(readonly field: string, message: string) {
    super(`start_cycle calldata: ${field}: ${message}`);
    this.name = 'CalldataError';
  }
}

/** Hex string ("0x…") or bigint. */
export type Address = string | bigint;

export interface CycleRoute {
  /** Router we sell the borrowed token on (token -> midToken). */
  poolA: Address;
  /** Router we buy it back on (midToken -> token). */
  poolB: Address;
  midToken: Address;
}

export interface StartCycleArgs {
  lenderKind: LenderKind;
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

/** The felts the contract forwards to the lender callback (Serde of CycleRoute). */
export function encodeRouteData(route: CycleRoute): bigint[] {
  return [
    encodeAddress(route.poolA, 'route.poolA'),
    encodeAddress(route.poolB, 'route.poolB'),
    encodeAddress(route.midToken, 'route.midToken'),
  ];
}

export function encodeStartCycle(args: StartCycleArgs): bigint[] {
  const kind = LENDER_KIND[args.lenderKind];
  if (kind === undefined) throw new CalldataError('lenderKind', `unknown lender kind ${JSON.stringify(args.lenderKind)}`);
  const token = encodeAddress(args.token, 'token');
  const mid = encodeAddress(args.route.midToken, 'route.midToken');
  if (mid === token) throw new CalldataError('route.midToken', 'must differ from the borrowed token');
  if (args.amount <= 0n) throw new CalldataError('amount', 'must be > 0');
  if (args.lenderKind === 'zkLend' && args.amount >= U128) {
    // zkLend takes the amount as a felt; the contract refuses more than 128 bits.
    throw new CalldataError('amount', 'zkLend-shaped lenders take at most 2^128 - 1');
  }
  return [
    kind,
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
