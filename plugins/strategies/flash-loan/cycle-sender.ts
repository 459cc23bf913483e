/**
 * Live only: calls the deployed FlashArb contract's start_cycle through a Starknet account.
 * The contract reverts unless it gains at least `minProfit`, so a stale quote costs gas, never capital.
 */
import { Account, RpcProvider } from 'starknet';
import { encodeStartCycle, toHexCalldata, type StartCycleArgs } from './calldata.ts';
import type { FlashLoanOptions } from './options.ts';

export interface CycleRequest {
  amount: bigint;
  minProfit: bigint;
  sellRouter: string;
  buyRouter: string;
}

export interface CycleSender {
  /** Resolves with the transaction hash once the node accepted the transaction. */
  startCycle(request: CycleRequest): Promise<string>;
}

export function startCycleArgs(o: FlashLoanOptions, r: CycleRequest): StartCycleArgs {
  return {
    lenderKind: o.lender.kind,
    lender: o.lender.address,
    token: o.token.address,
    amount: r.amount,
    route: { poolA: r.sellRouter, poolB: r.buyRouter, midToken: o.midToken.address },
    minProfit: r.minProfit,
  };
}

export class StarknetCycleSender implements CycleSender {
  private readonly account: Account;

  constructor(
    private readonly options: FlashLoanOptions,
    contract: string,
    accountAddress: string,
    privateKey: string,
  ) {
    const provider = new RpcProvider({ nodeUrl: options.rpcUrl });
    this.account = new Account({ provider, address: accountAddress, signer: privateKey });
    this.contract = contract;
  }

  private readonly contract: string;

  async startCycle(r: CycleRequest): Promise<string> {
    const calldata = toHexCalldata(encodeStartCycle(startCycleArgs(this.options, r)));
    const { transaction_hash } = await this.account.execute({ contractAddress: this.contract, entrypoint: 'start_cycle', calldata });
    return transaction_hash;
  }
}
