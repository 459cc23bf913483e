/**
 * Ekubo quotes over starknet_call, through the router's own quote entry point
 * `quote_swap(node: RouteNode, token_amount: TokenAmount) -> Delta`
 * (EkuboProtocol/starknet-contracts src/interfaces/router.cairo at 3129824d: RouteNode {pool_key,
 * sqrt_ratio_limit: u256, skip_ahead: u128}, TokenAmount {token, amount: i129}; Delta {amount0,
 * amount1: i129} from src/types/delta.cairo; i129 = {mag: u128, sign: bool}). A Delta is booked
 * from the core's side: what the swapper pays in is positive, what it receives is negative.
 * Concentrated liquidity has no reserves to read: the quote is the only exact answer.
 */
import { hash, RpcProvider } from 'starknet';
import { CalldataError, encodeLeg, MAX_SQRT_RATIO, MIN_SQRT_RATIO, type Address, type EkuboPoolKey, type Leg } from './calldata.ts';

const U128 = 2n ** 128n;
export const QUOTE_SWAP_SELECTOR = hash.getSelectorFromName('quote_swap');

export type EkuboLeg = Extract<Leg, { kind: 'ekubo' }>;

function big(a: Address): bigint {
  return typeof a === 'bigint' ? a : BigInt(a);
}

/** Ekubo's PoolKey orders its tokens by address (src/types/keys.cairo check_valid: token0 < token1). */
export function ekuboPoolKey(a: Address, b: Address, fee: bigint, tickSpacing: bigint, extension: Address = 0n): EkuboPoolKey {
  const [x, y] = [big(a), big(b)];
  if (x === y) throw new CalldataError('poolKey', 'the two tokens must differ');
  return x < y ? { token0: x, token1: y, fee, tickSpacing, extension } : { token0: y, token1: x, fee, tickSpacing, extension };
}

/**
 * The widest legal limit in the direction of an exact-input swap selling `tokenIn`. Ekubo's core
 * asserts `(sqrt_ratio_limit > price) == increasing` ('LIMIT_DIRECTION'; src/core.cairo swap), and
 * the price (token1 per token0) rises when token1 is sold: selling token0 needs MIN_SQRT_RATIO.
 */
export function sellLeg(key: EkuboPoolKey, tokenIn: Address, skipAhead = 0n): EkuboLeg {
  const t = big(tokenIn);
  if (t !== big(key.token0) && t !== big(key.token1)) throw new CalldataError('tokenIn', 'is not one of the pool key\'s tokens');
  return { kind: 'ekubo', poolKey: key, sqrtRatioLimit: t === big(key.token0) ? MIN_SQRT_RATIO : MAX_SQRT_RATIO, skipAhead };
}

/** quote_swap calldata: RouteNode (the leg's felts after its variant tag), then TokenAmount. */
export function encodeQuoteSwap(leg: EkuboLeg, tokenIn: Address, amountIn: bigint): bigint[] {
  if (amountIn <= 0n || amountIn >= U128) throw new CalldataError('amountIn', 'must be in (0, 2^128): an exact-input i129 magnitude');
  return [...encodeLeg(leg, 'leg').slice(1), big(tokenIn), amountIn, 0n];
}

function i129(mag: string, sign: string, field: string): bigint {
  const m = BigInt(mag);
  const s = BigInt(sign);
  if (m >= U128) throw new Error(`quote_swap: ${field}.mag is not a u128 (${mag})`);
  if (s !== 0n && s !== 1n) throw new Error(`quote_swap: ${field}.sign is not a bool (${sign})`);
  return s === 1n ? -m : m;
}

export interface EkuboDelta {
  amount0: bigint;
  amount1: bigint;
}

export function decodeDelta(felts: readonly string[]): EkuboDelta {
  if (felts.length !== 4) throw new Error(`quote_swap returned ${felts.length} felts, expected 4 (Delta: two i129)`);
  return { amount0: i129(felts[0]!, felts[1]!, 'amount0'), amount1: i129(felts[2]!, felts[3]!, 'amount1') };
}

/**
 * What the swapper receives for `amountIn` of `tokenIn`, checked the way the contract checks a
 * swap's Delta (flash_arb.cairo ekubo_swap): input owed in [0, amountIn], output owed to us <= 0.
 */
export function outputOf(delta: EkuboDelta, leg: EkuboLeg, tokenIn: Address, amountIn: bigint): bigint {
  const inIsToken1 = big(tokenIn) === big(leg.poolKey.token1);
  const paid = inIsToken1 ? delta.amount1 : delta.amount0;
  const received = inIsToken1 ? delta.amount0 : delta.amount1;
  if (paid < 0n || paid > amountIn || received > 0n) {
    throw new Error(`quote_swap answered an impossible delta for selling ${amountIn}: paid ${paid}, received ${received}`);
  }
  return -received;
}

export interface SwapQuoter {
  /** Output of an exact-input swap of `amountIn` `tokenIn` on the leg's pool. */
  quote(leg: EkuboLeg, tokenIn: Address, amountIn: bigint): Promise<bigint>;
}

/**
 * Quotes against the node's freshest state: `pre_confirmed` (Starknet 0.14 / JSON-RPC 0.9; the
 * block the sequencer is building) unless told otherwise. A node that predates it can be given
 * 'latest'.
 */
export class RpcEkuboQuoter implements SwapQuoter {
  private readonly provider: RpcProvider;
  constructor(
    rpcUrl: string,
    private readonly router: string,
    private readonly blockTag: 'pre_confirmed' | 'latest' = 'pre_confirmed',
  ) {
    this.provider = new RpcProvider({ nodeUrl: rpcUrl });
  }

  async quote(leg: EkuboLeg, tokenIn: Address, amountIn: bigint): Promise<bigint> {
    const calldata = encodeQuoteSwap(leg, tokenIn, amountIn).map((f) => '0x' + f.toString(16));
    const felts = await this.provider.callContract({ contractAddress: this.router, entrypoint: 'quote_swap', calldata }, this.blockTag);
    return outputOf(decodeDelta(felts), leg, tokenIn, amountIn);
  }
}
