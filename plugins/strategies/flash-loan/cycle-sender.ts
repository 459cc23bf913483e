/**
 * Live only: calls the deployed FlashArb contract's start_cycle through a Starknet account.
 * The contract reverts unless it gains at least `minProfit`, so a stale quote costs gas, never
 * capital. Before sending, the exact call is simulated (starknet_simulateTransactions through the
 * account, at the node's freshest block) so min_profit can be set above the fee it will pay.
 */
import { Account, hash, num, RpcProvider, TransactionType, type Call } from 'starknet';
import { encodeStartCycle, routerRoute, toHexCalldata, type CycleRoute, type StartCycleArgs } from './calldata.ts';
import type { FlashLoanOptions } from './options.ts';

export interface CycleRequest {
  amount: bigint;
  minProfit: bigint;
  sellRouter: string;
  buyRouter: string;
  /** A route with Ekubo legs (lender kind 'ekubo'); without it the two routers make the route. */
  route?: CycleRoute;
}

export interface CycleSimulation {
  /** The simulated start_cycle returned (it did not revert). */
  ok: boolean;
  /** Fee the transaction would pay, in the fee token's smallest unit (fri for STRK). */
  fee: bigint;
  feeUnit: string;
  /** start_cycle's return value: the profit the contract measured (token units). */
  profit?: bigint;
  revertReason?: string;
}

export interface CycleSender {
  /** Resolves with the transaction hash once the node accepted the transaction. */
  startCycle(request: CycleRequest): Promise<string>;
  /** Runs the exact call without sending it. */
  simulate?(request: CycleRequest): Promise<CycleSimulation>;
  /** Waits for the transaction and returns the profit its CycleExecuted event reports (undefined: reverted or no event). */
  realizedProfit?(tx: string): Promise<bigint | undefined>;
}

const CYCLE_EXECUTED = BigInt(hash.getSelectorFromName('CycleExecuted'));

/**
 * The profit in FlashArb's CycleExecuted event: keys [selector, lender, token] (the #[key]
 * fields), data [amount.low, amount.high, profit.low, profit.high] (contracts/src/flash_arb.cairo).
 */
export function readRealizedProfit(events: readonly { from_address: string; keys: string[]; data: string[] }[], contract: string): bigint | undefined {
  const e = events.find((x) => BigInt(x.from_address) === BigInt(contract) && x.keys.length > 0 && BigInt(x.keys[0]!) === CYCLE_EXECUTED);
  if (!e || e.data.length < 4) return undefined;
  return BigInt(e.data[2]!) + (BigInt(e.data[3]!) << 128n);
}

export function startCycleArgs(o: FlashLoanOptions, r: CycleRequest): StartCycleArgs {
  return {
    lenderKind: o.lender.kind,
    legacyToken: o.lender.isLegacy,
    lender: o.lender.address,
    token: o.token.address,
    amount: r.amount,
    route: r.route ?? routerRoute(r.sellRouter, r.buyRouter, o.midToken.address),
    minProfit: r.minProfit,
  };
}

interface Invocation {
  result?: string[];
  calls?: Invocation[];
  revert_reason?: string;
}

/**
 * Reads a simulation's trace: an INVOKE trace's execute_invocation is the account's __execute__
 * (or `{revert_reason}` when it reverted); its first inner call is start_cycle, whose result is the
 * u256 profit (low, high). Starknet JSON-RPC spec, INVOKE_TXN_TRACE / FUNCTION_INVOCATION.
 */
export function readSimulation(sim: { transaction_trace: unknown; overall_fee: bigint | string; unit: string }): CycleSimulation {
  const fee = BigInt(sim.overall_fee);
  const trace = sim.transaction_trace as { execute_invocation?: Invocation };
  const exec = trace.execute_invocation;
  if (!exec) return { ok: false, fee, feeUnit: sim.unit, revertReason: 'simulation returned no execute_invocation' };
  if (exec.revert_reason !== undefined) return { ok: false, fee, feeUnit: sim.unit, revertReason: exec.revert_reason };
  const result = exec.calls?.[0]?.result;
  if (!result || result.length < 2) return { ok: false, fee, feeUnit: sim.unit, revertReason: 'start_cycle returned no u256 profit' };
  return { ok: true, fee, feeUnit: sim.unit, profit: BigInt(result[0]!) + (BigInt(result[1]!) << 128n) };
}

export class StarknetCycleSender implements CycleSender {
  private readonly account: Account;
  private readonly provider: RpcProvider;
  private readonly contract: string;

  constructor(
    private readonly options: FlashLoanOptions,
    contract: string,
    accountAddress: string,
    privateKey: string,
  ) {
    this.provider = new RpcProvider({ nodeUrl: options.rpcUrl });
    this.account = new Account({ provider: this.provider, address: accountAddress, signer: privateKey });
    this.contract = contract;
  }

  private call(r: CycleRequest): Call {
    return { contractAddress: this.contract, entrypoint: 'start_cycle', calldata: toHexCalldata(encodeStartCycle(startCycleArgs(this.options, r))) };
  }

  async simulate(r: CycleRequest): Promise<CycleSimulation> {
    const { simulated_transactions } = await this.account.simulateTransaction([{ type: TransactionType.INVOKE, payload: this.call(r) }], {
      skipValidate: true,
      blockIdentifier: 'pre_confirmed',
    });
    const sim = simulated_transactions[0];
    if (!sim) throw new Error('starknet_simulateTransactions returned no result');
    return readSimulation(sim);
  }

  async realizedProfit(tx: string): Promise<bigint | undefined> {
    const receipt = (await this.provider.waitForTransaction(tx)) as unknown as { execution_status?: string; events?: { from_address: string; keys: string[]; data: string[] }[] };
    if (receipt.execution_status !== 'SUCCEEDED') return undefined;
    return readRealizedProfit(receipt.events ?? [], num.toHex(this.contract));
  }

  async startCycle(r: CycleRequest): Promise<string> {
    const { transaction_hash } = await this.account.execute(this.call(r));
    return transaction_hash;
  }
}
