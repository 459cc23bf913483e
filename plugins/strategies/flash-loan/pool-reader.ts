/**
 * Reads constant-product pool reserves over Starknet JSON-RPC (starknet_call get_reserves).
 * JediSwap v1 pairs return (reserve0: u256, reserve1: u256, timestamp); the mock returns the two
 * reserves only; both start with four felts: low/high of each u256.
 */
import { RpcProvider } from 'starknet';

export interface PoolReserves {
  token: bigint;
  mid: bigint;
}

export interface PoolSource {
  reserves(pair: string, order: 'token-mid' | 'mid-token'): Promise<PoolReserves>;
  /** `holder`'s balance of `token` (ERC20 balance_of), when this source can read it. */
  balanceOf?(token: string, holder: string): Promise<bigint>;
}

export class RpcPoolSource implements PoolSource {
  private readonly provider: RpcProvider;
  /**
   * Reserves are read at the node's freshest state: `pre_confirmed` (Starknet 0.14, JSON-RPC 0.9:
   * the block being built), not `latest`, which trails it by a block of other traders' swaps.
   */
  constructor(
    rpcUrl: string,
    private readonly blockTag: 'pre_confirmed' | 'latest' = 'pre_confirmed',
  ) {
    this.provider = new RpcProvider({ nodeUrl: rpcUrl });
  }

  async reserves(pair: string, order: 'token-mid' | 'mid-token'): Promise<PoolReserves> {
    const felts = await this.provider.callContract({ contractAddress: pair, entrypoint: 'get_reserves', calldata: [] }, this.blockTag);
    return decodeReserves(felts, order, pair);
  }

  async balanceOf(token: string, holder: string): Promise<bigint> {
    const felts = await this.provider.callContract({ contractAddress: token, entrypoint: 'balance_of', calldata: [holder] }, this.blockTag);
    if (felts.length < 2) throw new Error(`token ${token}: balance_of returned ${felts.length} felts, expected a u256 (2)`);
    return BigInt(felts[0]!) + (BigInt(felts[1]!) << 128n);
  }
}

export function decodeReserves(felts: readonly string[], order: 'token-mid' | 'mid-token', pair: string): PoolReserves {
  if (felts.length < 4) throw new Error(`pool ${pair}: get_reserves returned ${felts.length} felts, expected at least 4 (two u256)`);
  const u256 = (lo: string, hi: string) => BigInt(lo) + (BigInt(hi) << 128n);
  const r0 = u256(felts[0]!, felts[1]!);
  const r1 = u256(felts[2]!, felts[3]!);
  return order === 'token-mid' ? { token: r0, mid: r1 } : { token: r1, mid: r0 };
}
