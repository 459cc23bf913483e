/**
 * Declares and deploys the FlashArb contract from scarb artifacts with starknet.js. Library only:
 * the engine's CLI (`npx arb deploy`) parses flags and calls `deployArbContract`.
 *
 * Inputs:
 * - network: 'devnet' | 'sepolia' | 'mainnet'. Mainnet is refused unless confirmMainnet is true.
 * - rpcUrl: JSON-RPC endpoint; required for sepolia/mainnet (no public default is assumed),
 *   defaults to http://127.0.0.1:5050 for devnet.
 * - accountAddress / privateKey: the deploying account; it also becomes the contract's owner
 *   (only the owner can start cycles and rescue funds) unless `owner` is given.
 * - artifactsDir: scarb's output (normally <repo>/target/dev).
 * - lender: optional, echoed back in the result so callers can record which lender the
 *   deployment is meant for; the contract itself takes the lender per cycle.
 */
import { Account, RpcProvider, type Call } from 'starknet';
import { readContractArtifacts } from './artifacts.ts';

export type DeployNetwork = 'devnet' | 'sepolia' | 'mainnet';

export interface DeployArbOptions {
  network: DeployNetwork;
  rpcUrl?: string;
  accountAddress: string;
  privateKey: string;
  artifactsDir: string;
  confirmMainnet: boolean;
  owner?: string;
  lender?: { kind: 'zkLend' | 'vesu'; address: string };
}

export interface DeployArbResult {
  network: DeployNetwork;
  contractAddress: string;
  classHash: string;
  owner: string;
  declareTxHash?: string;
  deployTxHash: string;
  lender?: { kind: 'zkLend' | 'vesu'; address: string };
}

export class DeployRefusedError extends Error {
  constructor(readonly field: string, message: string) {
    super(`deploy: ${field}: ${message}`);
    this.name = 'DeployRefusedError';
  }
}

const DEVNET_DEFAULT_RPC = 'http://127.0.0.1:5050';

export function resolveRpcUrl(options: Pick<DeployArbOptions, 'network' | 'rpcUrl'>): string {
  if (options.rpcUrl) return options.rpcUrl;
  if (options.network === 'devnet') return DEVNET_DEFAULT_RPC;
  throw new DeployRefusedError('rpcUrl', `required for ${options.network} (pass your node's JSON-RPC URL)`);
}

/** Validates options before any file or network access. */
export function checkDeployOptions(options: DeployArbOptions): void {
  if (options.network === 'mainnet' && options.confirmMainnet !== true) {
    throw new DeployRefusedError('confirmMainnet', 'mainnet deploy refused: set confirmMainnet: true to deploy with real funds');
  }
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(options.accountAddress)) {
    throw new DeployRefusedError('accountAddress', 'must be a 0x-hex Starknet address');
  }
  if (!/^0x[0-9a-fA-F]{1,64}$/.test(options.privateKey)) {
    throw new DeployRefusedError('privateKey', 'must be a 0x-hex Stark private key');
  }
}

/** Declares (if the class is new) and deploys FlashArb owned by `owner` (default: the deployer). */
export async function deployArbContract(options: DeployArbOptions): Promise<DeployArbResult> {
  checkDeployOptions(options);
  const artifacts = readContractArtifacts(options.artifactsDir, 'FlashArb');
  const provider = new RpcProvider({ nodeUrl: resolveRpcUrl(options) });
  const account = new Account({ provider, address: options.accountAddress, signer: options.privateKey });
  const owner = options.owner ?? options.accountAddress;

  const declared = await account.declareIfNot({ contract: artifacts.sierra, casm: artifacts.casm });
  if (declared.transaction_hash) await provider.waitForTransaction(declared.transaction_hash);
  const deployed = await account.deployContract({ classHash: declared.class_hash, constructorCalldata: [owner] });
  await provider.waitForTransaction(deployed.transaction_hash);

  return {
    network: options.network,
    contractAddress: deployed.contract_address,
    classHash: declared.class_hash,
    owner,
    ...(declared.transaction_hash ? { declareTxHash: declared.transaction_hash } : {}),
    deployTxHash: deployed.transaction_hash,
    ...(options.lender ? { lender: options.lender } : {}),
  };
}

/** A `start_cycle` call for `account.execute`, from felts built by calldata.ts. */
export function startCycleCall(arbAddress: string, calldata: readonly string[]): Call {
  return { contractAddress: arbAddress, entrypoint: 'start_cycle', calldata: [...calldata] };
}
